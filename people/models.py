"""People and their memberships: one Person, a PartyMember and/or a UnionMember."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from core import crypto
from people import codes


class Person(models.Model):
    """人员: the identity shared by party and union membership.

    ID number and phone are stored encrypted (``*_enc``) with a keyed hash for
    exact lookup (``*_hash``) and a masked copy for lists (``*_masked``).
    """

    name = models.CharField("姓名", max_length=50)
    name_pinyin = models.CharField("姓名拼音", max_length=200)  # indexed: see Meta
    name_initials = models.CharField("拼音首字母", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=codes.GENDERS)
    ethnicity = models.CharField("民族", max_length=10, choices=codes.ETHNICITY_CHOICES, default="汉族")
    is_taiwanese = models.BooleanField("台湾省籍", default=False)
    birth_date = models.DateField("出生日期")
    id_number_enc = models.TextField("公民身份号码（密文）")
    id_number_hash = models.UUIDField()  # crypto.lookup_hash; unique: see Meta
    id_number_masked = models.CharField("公民身份号码", max_length=18)
    id_last4 = models.CharField("身份证后四位", max_length=4)
    phone_enc = models.TextField("联系电话（密文）", blank=True)
    phone_hash = models.UUIDField(null=True, blank=True)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True)
    education = models.CharField("学历", max_length=2, choices=codes.EDUCATION, default="21")
    job_code = models.CharField("工作岗位", max_length=4, choices=codes.JOB_CHOICES, default="111")
    is_migrant_worker = models.BooleanField("农民工/外出务工经商", default=False)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="工作单位", null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    position = models.CharField("职务", max_length=50, blank=True)
    rank = models.CharField("职级", max_length=30, blank=True)
    address = models.CharField("家庭住址", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        ordering = ["name_pinyin", "id"]
        # Indexes declared here, not by db_index/unique on the fields: on PostgreSQL those
        # add a second, LIKE index to every CharField, which a 100,000-row import pays for
        # index by index. Hashes and the ID tail are matched exactly; pinyin and initials
        # by prefix as a range (people.search), which a plain index serves
        # under any collation. The phone hash has no index: nothing looks a phone up.
        constraints = [models.UniqueConstraint(fields=["id_number_hash"], name="person_id_number_unique")]
        indexes = [
            models.Index(fields=["name_pinyin"], name="person_pinyin_idx"),
            models.Index(fields=["name_initials"], name="person_initials_idx"),
            models.Index(fields=["id_last4"], name="person_id_last4_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    # --- sensitive fields -------------------------------------------------
    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_enc)

    @id_number.setter
    def id_number(self, value: str) -> None:
        self.id_number_enc = crypto.encrypt(value)
        self.id_number_hash = crypto.lookup_hash(value)
        self.id_number_masked = crypto.mask_id_number(value)
        self.id_last4 = value[-4:]

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_enc)

    @phone.setter
    def phone(self, value: str) -> None:
        value = (value or "").strip()
        self.phone_enc = crypto.encrypt(value)
        self.phone_hash = crypto.lookup_hash(value)
        self.phone_masked = crypto.mask_phone(value) if value else ""


class PartyMember(models.Model):
    """党员: the party membership of a person (the 16 national data items live here and on Person)."""

    PROBATIONARY = "PROBATIONARY"
    FULL = "FULL"
    STATUSES = [(PROBATIONARY, "预备党员"), (FULL, "正式党员")]
    STANDINGS = [("NORMAL", "正常"), ("SUSPENDED", "停止党籍")]
    LEAVE_REASONS = [
        ("TRANSFERRED_OUT", "转出组织关系"),
        ("EXPELLED", "出党"),
        ("SUSPENDED", "停止党籍"),
        ("DECEASED", "死亡"),
    ]
    JOIN_WAYS = [("RECRUITED", "发展党员"), ("TRANSFERRED_IN", "转入组织关系"), ("RESTORED", "恢复党籍")]

    person = models.OneToOneField(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="party_member")
    status = models.CharField("人员类别", max_length=12, choices=STATUSES)
    branch = models.ForeignKey(  # indexed by member_branch_status_idx (branch first)
        "orgs.PartyOrg", verbose_name="所在党支部", on_delete=models.PROTECT, related_name="members", db_index=False
    )
    group = models.ForeignKey(
        "orgs.PartyOrg",
        verbose_name="所在党小组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_members",
    )
    admitted_on = models.DateField("加入党组织日期", help_text="接收预备党员的支部党员大会日期（REC-18）")
    probation_extension_months = models.PositiveSmallIntegerField("延长预备期（月）", default=0)
    full_member_on = models.DateField(
        "转为正式党员日期", null=True, blank=True, help_text="预备期满之日，由系统计算（REC-23）"
    )
    standing = models.CharField("党籍状态", max_length=10, choices=STANDINGS, default="NORMAL")
    is_lost = models.BooleanField("失联党员", default=False)
    lost_since = models.DateField("失去联系日期", null=True, blank=True, help_text="年月，日按 1 日记")
    is_floating = models.BooleanField("流动党员", default=False)
    floating_since = models.DateField("外出日期", null=True, blank=True)
    floating_province = models.CharField("外出流向（省）", max_length=20, blank=True)
    floating_city = models.CharField("外出流向（市）", max_length=20, blank=True)
    floating_county = models.CharField("外出流向（县）", max_length=20, blank=True)
    joined_way = models.CharField("进入本组织方式", max_length=16, choices=JOIN_WAYS, default="RECRUITED")
    joined_org_on = models.DateField("进入本组织日期", help_text="发展入党为入党日期，转入为转入日期")
    left_on = models.DateField("离开日期", null=True, blank=True)
    left_reason = models.CharField("离开原因", max_length=16, choices=LEAVE_REASONS, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "党员"
        indexes = [
            models.Index(fields=["branch", "status"], name="member_branch_status_idx"),
            # who left when: the few rows that have a date (an import or a new member
            # never enters this index)
            models.Index(fields=["left_on"], name="member_left_idx", condition=Q(left_on__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="PROBATIONARY") | Q(full_member_on__isnull=False), name="full_member_has_date"
            )
        ]

    def __str__(self) -> str:
        return self.describe(self.person.name, self.status)

    @staticmethod
    def describe(name: str, status: str) -> str:
        """str() of a member with this name and status (an import names rows it has not built)."""
        # a plain lookup: get_status_display() rebuilds the choices dict on every call
        return f"{name}（{_STATUS_LABELS.get(status, status)}）"

    @property
    def is_active(self) -> bool:
        return self.left_on is None


_STATUS_LABELS = dict(PartyMember.STATUSES)


class Transfer(models.Model):
    """组织关系转接: a member moving between organisations (history kept)."""

    INTERNAL = "INTERNAL"
    IN = "IN"
    OUT = "OUT"
    KINDS = [(INTERNAL, "区内转接"), (IN, "转入"), (OUT, "转出")]

    member = models.ForeignKey(PartyMember, verbose_name="党员", on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField("类型", max_length=10, choices=KINDS, default=INTERNAL)
    from_branch = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="转出党组织", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_branch = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="转入党组织", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outside_org = models.CharField("区外党组织", max_length=100, blank=True)
    transferred_on = models.DateField("转接日期")
    whole_org = models.BooleanField("整建制转接", default=False)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "组织关系转接"
        ordering = ["-transferred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.member.person.name} {self.transferred_on} {self.get_kind_display()}"


class UnionMember(models.Model):
    """会员(工会)."""

    person = models.OneToOneField(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="union_member")
    union_org = models.ForeignKey(
        "orgs.UnionOrg", verbose_name="所在工会", on_delete=models.PROTECT, related_name="members"
    )
    joined_on = models.DateField("入会日期")
    left_on = models.DateField("离会日期", null=True, blank=True)
    card_no = models.CharField("会员证号", max_length=30, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工会会员"
        indexes = [models.Index(fields=["union_org", "left_on"], name="unionmember_org_idx")]

    def __str__(self) -> str:
        return self.person.name
