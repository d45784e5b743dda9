"""The two organisation trees (party and union), units, officers and terms.

Trees use a materialised path (django-treebeard MP_Node): "this organisation
and everything below" is one indexed ``path LIKE 'prefix%'`` filter.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_Node


class Unit(models.Model):
    """单位(机关部门): a government department such as 区地税局."""

    NATURES = [
        ("ORGAN", "党政机关"),
        ("PUBLIC_INSTITUTION", "事业单位"),
        ("STATE_ENTERPRISE", "国有企业"),
        ("SOCIAL_ORG", "社会团体"),
        ("OTHER", "其他"),
    ]
    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    name_pinyin = models.CharField("拼音", max_length=300, blank=True, db_index=True)
    nature = models.CharField("单位性质", max_length=20, choices=NATURES, default="ORGAN")
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    staff_count = models.PositiveIntegerField("在职职工人数", default=0)
    party_org = models.ForeignKey(
        "PartyOrg", verbose_name="所属党组织", null=True, blank=True, on_delete=models.SET_NULL, related_name="units"
    )
    union_org = models.ForeignKey(
        "UnionOrg", verbose_name="所属工会", null=True, blank=True, on_delete=models.SET_NULL, related_name="units"
    )

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["name_pinyin"]

    def __str__(self) -> str:
        return self.name


class OrgNode(MP_Node):
    """Shared columns of both trees."""

    steplen = 4
    node_order_by = []

    name = models.CharField("组织名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    code = models.CharField("组织代码", max_length=40, unique=True)
    name_pinyin = models.CharField("拼音", max_length=300, blank=True)
    established_on = models.DateField("成立日期", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    contact_name = models.CharField("联系人", max_length=30, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def subtree_q(self, prefix: str = "") -> Q:
        """Q selecting rows whose org (through ``prefix``) lies in this subtree."""
        return Q(**{f"{prefix}path__startswith": self.path})


class PartyOrg(OrgNode):
    WORKING_COMMITTEE = "WORKING_COMMITTEE"
    COMMITTEE = "COMMITTEE"
    GENERAL_BRANCH = "GENERAL_BRANCH"
    BRANCH = "BRANCH"
    GROUP = "GROUP"
    KINDS = [
        (WORKING_COMMITTEE, "区直机关党工委"),
        (COMMITTEE, "党委"),
        (GENERAL_BRANCH, "党总支"),
        (BRANCH, "党支部"),
        (GROUP, "党小组"),
    ]
    # 组织类别 codes of the national statistics (formats/party-statistics.md).
    CATEGORY_CODES = [
        ("611", "党委"),
        ("612", "党组"),
        ("621", "党总支部"),
        ("631", "党支部"),
        ("632", "联合党支部"),
        ("641", "党小组"),
    ]
    UNIT_RELATIONS = [("SAME_AS_PARENT", "与上级党组织相同"), ("LEGAL_ENTITY", "法人单位"), ("JOINT", "联合党支部")]

    kind = models.CharField("组织类型", max_length=20, choices=KINDS)
    category_code = models.CharField("组织类别", max_length=3, choices=CATEGORY_CODES)
    unit = models.ForeignKey(
        Unit, verbose_name="所在单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="party_orgs_here"
    )
    unit_relation = models.CharField(
        "党组织所在单位情况", max_length=20, choices=UNIT_RELATIONS, default="LEGAL_ENTITY"
    )
    covered_units = models.ManyToManyField(Unit, verbose_name="覆盖单位", blank=True, related_name="joint_branches")
    size_approval_note = models.CharField(
        "设置批准说明", max_length=200, blank=True, help_text="低于规定人数设置总支或党委时，上级批准情况（ORG-04）"
    )

    class Meta:
        verbose_name = verbose_name_plural = "党组织"
        indexes = [
            models.Index(fields=["path"], name="partyorg_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind"], name="partyorg_kind_idx"),
        ]

    @property
    def is_joint_branch(self) -> bool:
        return self.category_code == "632"


class UnionOrg(OrgNode):
    WORKING_COMMITTEE = "WORKING_COMMITTEE"
    GRASSROOTS = "GRASSROOTS"
    GROUP = "GROUP"
    KINDS = [(WORKING_COMMITTEE, "区直机关工会工委"), (GRASSROOTS, "基层工会"), (GROUP, "工会小组")]

    kind = models.CharField("组织类型", max_length=20, choices=KINDS)
    unit = models.ForeignKey(
        Unit, verbose_name="所在单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="union_orgs_here"
    )

    class Meta:
        verbose_name = verbose_name_plural = "工会组织"
        indexes = [models.Index(fields=["path"], name="unionorg_path_like", opclasses=["varchar_pattern_ops"])]


class OrgOfficer(models.Model):
    """班子成员: one person in one role of one organisation for a period."""

    SECRETARY = "SECRETARY"
    DEPUTY_SECRETARY = "DEPUTY_SECRETARY"
    ORGANISER = "ORGANISER"
    PUBLICITY = "PUBLICITY"
    DISCIPLINE = "DISCIPLINE"
    UNION_CHAIR = "UNION_CHAIR"
    UNION_VICE_CHAIR = "UNION_VICE_CHAIR"
    UNION_COMMITTEE = "UNION_COMMITTEE"
    PARTY_ROLES = [
        (SECRETARY, "书记"),
        (DEPUTY_SECRETARY, "副书记"),
        (ORGANISER, "组织委员"),
        (PUBLICITY, "宣传委员"),
        (DISCIPLINE, "纪检委员"),
    ]
    UNION_ROLES = [(UNION_CHAIR, "工会主席"), (UNION_VICE_CHAIR, "工会副主席"), (UNION_COMMITTEE, "工会委员")]
    ROLES = PARTY_ROLES + UNION_ROLES

    party_org = models.ForeignKey(
        PartyOrg, verbose_name="党组织", null=True, blank=True, on_delete=models.CASCADE, related_name="officers"
    )
    union_org = models.ForeignKey(
        UnionOrg, verbose_name="工会组织", null=True, blank=True, on_delete=models.CASCADE, related_name="officers"
    )
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="offices")
    role = models.CharField("职务", max_length=20, choices=ROLES)
    started_on = models.DateField("任职日期")
    ended_on = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "班子成员"
        ordering = ["role", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(party_org__isnull=False, union_org__isnull=True)
                    | Q(party_org__isnull=True, union_org__isnull=False)
                ),
                name="officer_exactly_one_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.get_role_display()} {self.person}"

    @property
    def org(self):
        return self.party_org or self.union_org


class Term(models.Model):
    """届 / 任期 of a party organisation (TERM-01…03)."""

    org = models.ForeignKey(PartyOrg, verbose_name="党组织", on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveIntegerField("届次", default=1)
    started_on = models.DateField("本届起始日期")
    length_years = models.PositiveSmallIntegerField(
        "任期（年）", null=True, blank=True, help_text="2018-07-01 前开始的任期按当时记录的年限（TERM-01）"
    )
    planned_end_on = models.DateField("应换届日期")
    postponed_to = models.DateField("批准延期（提前）至", null=True, blank=True)
    approval_note = models.CharField("上级批准情况", max_length=200, blank=True)
    ended_on = models.DateField("实际换届日期", null=True, blank=True)
    # The next date something is due for this term (warning or election); indexed
    # for the district-wide overdue list. Refreshed by orgs.services.
    next_due_on = models.DateField("下一期限", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "任期"
        ordering = ["org", "-started_on"]

    def __str__(self) -> str:
        return f"{self.org} 第{self.number}届（{self.started_on}起）"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Reelection(models.Model):
    """换届: the election that closed one term and opened the next (TERM-04 numbers)."""

    closed_term = models.OneToOneField(
        Term, verbose_name="结束的任期", on_delete=models.CASCADE, related_name="reelection"
    )
    held_on = models.DateField("选举日期")
    entitled = models.PositiveIntegerField("应到会有选举权党员数")
    present = models.PositiveIntegerField("实到会有选举权党员数")
    approval_ref = models.CharField("上级批复文号", max_length=80, blank=True)
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "换届选举"

    def __str__(self) -> str:
        return f"{self.closed_term.org} {self.held_on} 换届"
