"""The recruitment record (发展党员全过程): one per person, the 25 steps and their facts.

The ledgers (台账) are views over these rows, never a second copy. ``stage``,
``probation_end_on`` and ``next_due_on`` are derived by ``recruitment.rules``
and stored only so that lists can filter and sort on them with an index; the
services refresh them on every write.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from recruitment import rules

STAGES = list(rules.STAGE_LABELS.items())
BALLOT_METHODS = [(rules.BALLOT_SECRET, "无记名投票"), (rules.BALLOT_HANDS, "举手表决")]
DISCIPLINES = list(rules.DISCIPLINE_LABELS.items())
ARCHIVE_DOCUMENTS = list(rules.ARCHIVE_DOCUMENTS.items())


class Recruitment(models.Model):
    """发展党员: one person's way from the application to full membership."""

    person = models.OneToOneField(
        "people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="recruitment"
    )
    branch = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="所在党支部", on_delete=models.PROTECT, related_name="recruitments"
    )
    stage = models.CharField("发展阶段", max_length=12, choices=STAGES, default=rules.APPLICANT, db_index=True)
    transferred_in = models.BooleanField("转入人员", default=False, help_text="培养期间转入本组织（REC-06、REC-19）")
    mobile_member = models.BooleanField("流动人员", default=False, help_text="须在流出地和流入地同时公示（REC-07）")

    # 1–4
    application_on = models.DateField("递交入党申请书日期", null=True, blank=True)
    talk_on = models.DateField("谈话日期", null=True, blank=True)
    activist_on = models.DateField("确定入党积极分子日期", null=True, blank=True)
    activist_filed_on = models.DateField("积极分子备案日期", null=True, blank=True)
    # 5–6 (mentors and evaluations are rows below)
    mentors_assigned_on = models.DateField("指定培养联系人日期", null=True, blank=True)
    # 7–8
    candidate_on = models.DateField("确定发展对象日期", null=True, blank=True)
    candidate_agreed_by_superior = models.BooleanField("上级党委同意", null=True, blank=True)
    notice_start = models.DateField("发展对象公示开始日期", null=True, blank=True)
    notice_end = models.DateField("发展对象公示结束日期", null=True, blank=True)
    notice_in_both_places = models.BooleanField("流出地和流入地同时公示", default=False)
    # 9–14
    sponsors_assigned_on = models.DateField("确定入党介绍人日期", null=True, blank=True)
    political_review_on = models.DateField("政治审查日期", null=True, blank=True)
    training_start = models.DateField("集中培训开始日期", null=True, blank=True)
    training_end = models.DateField("集中培训结束日期", null=True, blank=True)
    training_hours = models.DecimalField("集中培训学时", max_digits=5, decimal_places=1, null=True, blank=True)
    committee_review_on = models.DateField("支部委员会审查日期", null=True, blank=True)
    planned_leave_on = models.DateField("预计离开本单位日期", null=True, blank=True, help_text="REC-11")
    pre_review_on = models.DateField("上级党委预审日期", null=True, blank=True)
    application_form_on = models.DateField("填写入党志愿书日期", null=True, blank=True)
    # 15: the admitting general meeting and its vote (REC-13)
    general_meeting_on = models.DateField("支部大会日期", null=True, blank=True)
    admission_due = models.PositiveSmallIntegerField("应到会有表决权人数", null=True, blank=True)
    admission_present = models.PositiveSmallIntegerField("实到会有表决权人数", null=True, blank=True)
    admission_written_in_favour = models.PositiveSmallIntegerField("书面意见赞成数", null=True, blank=True)
    admission_in_favour = models.PositiveSmallIntegerField("赞成票数", null=True, blank=True)
    admission_method = models.CharField("表决方式", max_length=10, choices=BALLOT_METHODS, blank=True)
    # An online secret ballot of the ballots app (no FK: that app links itself).
    ballot_id = models.PositiveIntegerField("网上票决编号", null=True, blank=True)
    # 16–20
    superior_talk_on = models.DateField("上级党委谈话日期", null=True, blank=True)
    approved_on = models.DateField("上级党委审批日期", null=True, blank=True)
    approving_org = models.ForeignKey(
        "orgs.PartyOrg",
        verbose_name="审批党组织",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approving_org_name = models.CharField(
        "审批党组织名称", max_length=100, blank=True, help_text="审批党组织不在本系统中时按台账记录的名称"
    )
    approving_org_kind = models.CharField(
        "审批党组织类型", max_length=20, choices=list(rules.ORG_KIND_LABELS.items()), blank=True
    )
    approval_filed_on = models.DateField("报组织部门备案日期", null=True, blank=True)
    assigned_to_branch_on = models.DateField("编入党支部和党小组日期", null=True, blank=True)
    oath_on = models.DateField("入党宣誓日期", null=True, blank=True)
    collective_oath = models.BooleanField("七一或国庆集中宣誓", default=False, help_text="REC-17")
    # 21–25
    extension_months = models.SmallIntegerField(
        "延长预备期月数", null=True, blank=True, help_text="6–12 个月（REC-20）"
    )
    conversion_application_on = models.DateField("转正申请日期", null=True, blank=True)
    conversion_committee_review_on = models.DateField("支部委员会审查转正日期", null=True, blank=True)
    conversion_meeting_on = models.DateField("转正支部大会日期", null=True, blank=True)
    conversion_due = models.PositiveSmallIntegerField("转正应到会有表决权人数", null=True, blank=True)
    conversion_present = models.PositiveSmallIntegerField("转正实到会有表决权人数", null=True, blank=True)
    conversion_written_in_favour = models.PositiveSmallIntegerField("转正书面意见赞成数", null=True, blank=True)
    conversion_in_favour = models.PositiveSmallIntegerField("转正赞成票数", null=True, blank=True)
    conversion_method = models.CharField("转正表决方式", max_length=10, choices=BALLOT_METHODS, blank=True)
    conversion_ballot_id = models.PositiveIntegerField("转正网上票决编号", null=True, blank=True)
    conversion_approved_on = models.DateField("转正审批日期", null=True, blank=True)
    archived_on = models.DateField("材料归档日期", null=True, blank=True)
    archive_checklist = models.JSONField("归档材料", null=True, blank=True, help_text="已归档材料（REC-25）")
    notes = models.TextField("备注", blank=True)

    # derived (recruitment.rules), stored for filtering
    probation_end_on = models.DateField("预备期满日期", null=True, blank=True, db_index=True)
    next_due_on = models.DateField("下一期限", null=True, blank=True)
    next_due_text = models.CharField("下一事项", max_length=100, blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "发展党员"
        ordering = ["-application_on", "id"]
        indexes = [
            # the overdue list: ORDER BY next_due_on, id LIMIT n walks this index
            models.Index(fields=["next_due_on", "id"], name="recruitment_next_due_idx"),
            models.Index(fields=["branch", "stage"], name="recruitment_branch_stage_idx"),
            models.Index(fields=["activist_on"], name="recruitment_activist_idx"),
            models.Index(fields=["candidate_on"], name="recruitment_candidate_idx"),
            models.Index(fields=["general_meeting_on"], name="recruitment_meeting_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_stage_display()}）"

    @property
    def approving_org_label(self) -> str:
        if self.approving_org_id:
            return self.approving_org.name
        return self.approving_org_name


class Evaluation(models.Model):
    """考察: the semi-annual evaluation of an activist (step 6) or a probationary member (step 21)."""

    CULTIVATION = "CULTIVATION"
    PROBATION = "PROBATION"
    KINDS = [(CULTIVATION, "培养教育考察"), (PROBATION, "预备期教育考察")]

    recruitment = models.ForeignKey(Recruitment, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField("类型", max_length=12, choices=KINDS, default=CULTIVATION)
    on = models.DateField("考察日期")
    summary = models.CharField("考察意见", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "考察"
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["recruitment", "kind"], name="evaluation_record_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class _Guide(models.Model):
    """A party member who guides the person: as recorded on the day of assignment."""

    person = models.ForeignKey(
        "people.Person", verbose_name="人员", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField("姓名", max_length=50)
    was_full_member = models.BooleanField(
        "指定时为正式党员", null=True, blank=True, help_text="按指定日期的党员状态记录；未知时为空"
    )
    discipline = models.CharField("处分情况", max_length=20, choices=DISCIPLINES, blank=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def as_ref(self) -> rules.MemberRef:
        return rules.MemberRef(
            name=self.name,
            is_full_member_on_date=self.was_full_member is not False,
            discipline=self.discipline or None,
        )


class Mentor(_Guide):
    """培养联系人 (REC-04)."""

    recruitment = models.ForeignKey(Recruitment, on_delete=models.CASCADE, related_name="mentors")

    class Meta(_Guide.Meta):
        verbose_name = verbose_name_plural = "培养联系人"


class Sponsor(_Guide):
    """入党介绍人 (REC-08)."""

    recruitment = models.ForeignKey(Recruitment, on_delete=models.CASCADE, related_name="sponsors")

    class Meta(_Guide.Meta):
        verbose_name = verbose_name_plural = "入党介绍人"


class Override(models.Model):
    """A recorded reason: an authorised user lets a step through despite a rule's error,
    or records the special circumstances a rule asks for (REC-10, REC-15, REC-19)."""

    recruitment = models.ForeignKey(Recruitment, on_delete=models.CASCADE, related_name="overrides")
    rule = models.CharField("规则", max_length=10)
    step = models.PositiveSmallIntegerField("步骤", null=True, blank=True)
    message = models.TextField("当时的问题", blank=True)
    reason = models.TextField("理由")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField("记录人姓名", max_length=150, blank=True)
    at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "特殊情况说明"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.rule}：{self.reason}"


class PublicNotice(models.Model):
    """发展对象公示 (REC-07 / REC-07L) for one or several people, its period in working days."""

    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="公示党组织", on_delete=models.PROTECT, related_name="recruitment_notices"
    )
    title = models.CharField("标题", max_length=200)
    rule = models.CharField("依据", max_length=10, default="REC-07")
    start_on = models.DateField("公示开始日期")
    workdays = models.PositiveSmallIntegerField("公示期（工作日）")
    end_on = models.DateField("公示结束日期")
    in_both_places = models.BooleanField("流出地和流入地同时公示", default=False)
    contact = models.CharField("受理意见的联系方式", max_length=200, blank=True)
    signer = models.CharField("署名", max_length=100)
    recruitments = models.ManyToManyField(Recruitment, verbose_name="公示对象", related_name="notices")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "发展对象公示"
        ordering = ["-start_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Objection(models.Model):
    """异议: received during a notice's period; must be resolved before the next step."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="objections")
    recruitment = models.ForeignKey(
        Recruitment,
        verbose_name="涉及人员",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="objections",
    )
    received_on = models.DateField("收到日期")
    content = models.TextField("异议内容")
    resolved_on = models.DateField("处理完毕日期", null=True, blank=True)
    resolution = models.TextField("处理结果", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示异议"
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.received_on} {self.content[:20]}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_on is not None
