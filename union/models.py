"""Models of the union area: membership workflow, hardship cases, welfare grants,
the workers' congress, openness items and the workers' home evaluation.

Union membership itself is ``people.UnionMember``; this app keeps the workflow
around it (applications, transfers, leaving) and everything the union does for
its members. Every record belongs to one union (``union_org``) so scope is one
``path LIKE`` filter. Money is ``DecimalField`` with two places.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q

from union import rules

USER = settings.AUTH_USER_MODEL


def _money(label: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=12, decimal_places=2, **kwargs)


# ---------------------------------------------------------------- membership


class MembershipApplication(models.Model):
    """入会申请: a worker applies to the union of his unit; the union approves or rejects."""

    PENDING, APPROVED, REJECTED = "PENDING", "APPROVED", "REJECTED"
    STATUSES = [(PENDING, "待审批"), (APPROVED, "已批准"), (REJECTED, "未批准")]

    person = models.ForeignKey("people.Person", verbose_name="申请人", on_delete=models.CASCADE, related_name="+")
    union_org = models.ForeignKey(
        "orgs.UnionOrg", verbose_name="申请加入的工会", on_delete=models.CASCADE, related_name="+"
    )
    applied_on = models.DateField("申请日期")
    statement = models.TextField("申请理由", blank=True)
    status = models.CharField("状态", max_length=8, choices=STATUSES, default=PENDING)
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_note = models.CharField("审批意见", max_length=300, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "入会申请"
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="PENDING"), name="one_pending_application_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} 申请加入 {self.union_org}"


class MembershipChange(models.Model):
    """会员变动: joining, a transfer between unions, or leaving (history of a UnionMember)."""

    JOIN, TRANSFER, LEAVE = "JOIN", "TRANSFER", "LEAVE"
    KINDS = [(JOIN, "入会"), (TRANSFER, "转会"), (LEAVE, "离会")]
    LEAVE_REASONS = [
        ("RETIRED", "退休"),
        ("LEFT_UNIT", "调离本区"),
        ("RESIGNED", "本人申请退会"),
        ("DECEASED", "死亡"),
        ("OTHER", "其他"),
    ]

    member = models.ForeignKey("people.UnionMember", verbose_name="会员", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类型", max_length=8, choices=KINDS)
    from_union = models.ForeignKey(
        "orgs.UnionOrg", verbose_name="原工会", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_union = models.ForeignKey(
        "orgs.UnionOrg", verbose_name="转入工会", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField("日期")
    reason = models.CharField("原因", max_length=10, choices=LEAVE_REASONS, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "会员变动"
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.on} {self.get_kind_display()}"


# ---------------------------------------------------------------- hardship (UNION-07…09)


class AssistanceCase(models.Model):
    """困难职工帮扶档案 (UNION-09): one household's case, from application to exit.

    Confidential: visible to the administrators of its union (and the unions above)
    and to its ``owner`` (经办人), nobody else."""

    DEEP, RELATIVE, ACCIDENT = rules.DEEP, rules.RELATIVE, "ACCIDENT"
    CATEGORIES = [(DEEP, "深度困难"), (RELATIVE, "相对困难"), (ACCIDENT, "意外致困")]
    STATES = list(rules.CASE_STATE_LABELS.items())

    member = models.ForeignKey(
        "people.UnionMember", verbose_name="困难职工", on_delete=models.PROTECT, related_name="+"
    )
    union_org = models.ForeignKey("orgs.UnionOrg", verbose_name="所在工会", on_delete=models.PROTECT, related_name="+")
    # The case owner (经办人): the one person besides the union's administrators who sees the case.
    owner = models.ForeignKey(
        "people.Person", verbose_name="经办人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField("状态", max_length=10, choices=STATES, default=rules.APPLIED)
    category = models.CharField("困难类别", max_length=10, choices=CATEGORIES, blank=True)
    household_size = models.PositiveSmallIntegerField("家庭人口（人）")
    annual_income = _money("家庭年可支配收入（元）")
    rigid_expenses = _money("刚性支出（元）", default=Decimal("0.00"))
    per_capita_income = _money("人均月收入（元）", default=Decimal("0.00"))
    injured = models.BooleanField("因灾害或重大事故受伤", default=False)
    disabled = models.BooleanField("因灾害或重大事故致残", default=False)
    died = models.BooleanField("因灾害或重大事故死亡", default=False)
    accident_costs = _money("本年度意外或疾病支出（元）", default=Decimal("0.00"))
    situation = models.TextField("困难情况", blank=True)
    applied_on = models.DateField("申请日期")
    verified_on = models.DateField("核实日期", null=True, blank=True)
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    filed_on = models.DateField("建档日期", null=True, blank=True)
    last_recheck_on = models.DateField("最近复核日期", null=True, blank=True)
    recheck_due_on = models.DateField("应复核日期", null=True, blank=True, db_index=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    close_note = models.CharField("办结说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "困难职工帮扶档案"
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["union_org", "state"], name="case_union_state_idx")]

    def __str__(self) -> str:
        return f"{self.member} 帮扶档案（{self.get_state_display()}）"

    @property
    def is_open(self) -> bool:
        return self.state not in (rules.RESOLVED, rules.EXITED)


class AssistanceStep(models.Model):
    """One step of a case's workflow (申请, 核实, 审核, 建档, 复核, 解困, 退出) with who and when."""

    case = models.ForeignKey(AssistanceCase, on_delete=models.CASCADE, related_name="steps")
    state = models.CharField("环节", max_length=10, choices=AssistanceCase.STATES)
    on = models.DateField("日期")
    note = models.CharField("意见", max_length=300, blank=True)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "帮扶环节"
        ordering = ["on", "id"]


class AssistanceVisit(models.Model):
    """入户走访 / 核实 visit of a case."""

    case = models.ForeignKey(AssistanceCase, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("走访日期")
    visitors = models.CharField("走访人员", max_length=100)
    findings = models.TextField("走访情况")
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]


class AssistanceAid(models.Model):
    """One aid given to a case: money or goods, amount, source, date."""

    MONEY, GOODS = "MONEY", "GOODS"
    KINDS = [(MONEY, "资金"), (GOODS, "物资")]
    SOURCES = [
        ("GRASSROOTS", "基层工会经费"),
        ("UPPER", "上级工会帮扶资金"),
        ("UNIT", "单位（行政）"),
        ("DONATION", "社会捐助"),
    ]

    case = models.ForeignKey(AssistanceCase, on_delete=models.CASCADE, related_name="aids")
    kind = models.CharField("形式", max_length=6, choices=KINDS)
    amount = _money("金额（元）")
    source = models.CharField("资金来源", max_length=10, choices=SOURCES)
    given_on = models.DateField("发放日期")
    description = models.CharField("内容", max_length=200, blank=True)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "帮扶记录"
        ordering = ["-given_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="aid_amount_positive")]


# ---------------------------------------------------------------- welfare (UNION-03…06)


class WelfareGrant(models.Model):
    """慰问/福利: one grant by a union to one member or a list of members (one line each)."""

    FESTIVAL, CARE = "FESTIVAL", "CARE"
    CATEGORIES = [(FESTIVAL, "节日慰问"), (CARE, "其他慰问")]
    GIFT_KINDS = list(rules.GIFT_KIND_LABELS.items())
    EVENTS = list(rules.CARE_EVENT_LABELS.items())
    RELATIONS = list(rules.DEATH_RELATIONS.items())

    union_org = models.ForeignKey("orgs.UnionOrg", verbose_name="发放工会", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("类别", max_length=8, choices=CATEGORIES)
    festival = models.CharField("节日", max_length=20, blank=True)
    event = models.CharField("慰问事项", max_length=12, choices=EVENTS, blank=True)
    relation = models.CharField("逝者与会员关系", max_length=8, choices=RELATIONS, blank=True)
    gift_kind = models.CharField("慰问品形式", max_length=14, choices=GIFT_KINDS)
    title = models.CharField("名称", max_length=100)
    granted_on = models.DateField("发放日期")
    year = models.PositiveIntegerField("年度", db_index=True)
    amount_per_member = _money("每人金额（元）")
    member_count = models.PositiveIntegerField("发放人数", default=0)
    total = _money("合计金额（元）", default=Decimal("0.00"))
    refused = models.JSONField("未予发放", default=list, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "慰问福利"
        ordering = ["-granted_on", "-id"]

    def __str__(self) -> str:
        return self.title


class WelfareGrantLine(models.Model):
    """One member's share of a grant (the unit the UNION-05 annual cap is counted in)."""

    grant = models.ForeignKey(WelfareGrant, on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey("people.UnionMember", verbose_name="会员", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="welfare_lines"
    )
    union_org = models.ForeignKey("orgs.UnionOrg", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    category = models.CharField("类别", max_length=8, choices=WelfareGrant.CATEGORIES)
    amount = _money("金额（元）")

    class Meta:
        verbose_name = verbose_name_plural = "慰问福利明细"
        indexes = [
            models.Index(fields=["person", "year", "category"], name="welfare_person_year_idx"),
            models.Index(fields=["year", "union_org"], name="welfare_year_union_idx"),
        ]


# ---------------------------------------------------------------- workers' congress, openness


class CongressSession(models.Model):
    """职工代表大会: one session of a union's workers' congress."""

    union_org = models.ForeignKey("orgs.UnionOrg", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("会议名称", max_length=100)
    term_number = models.PositiveSmallIntegerField("届次", default=1)
    session_number = models.PositiveSmallIntegerField("次会议", default=1)
    held_on = models.DateField("召开日期")
    place = models.CharField("地点", max_length=100, blank=True)
    agenda = models.TextField("议程", blank=True)
    present_count = models.PositiveIntegerField("实到代表（人）", default=0)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "职工代表大会"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Delegate(models.Model):
    """职工代表 of a session."""

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="delegates")
    member = models.ForeignKey("people.UnionMember", verbose_name="代表", on_delete=models.PROTECT, related_name="+")
    delegation = models.CharField("代表团（组）", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "职工代表"
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="delegate_once_per_session")]

    def __str__(self) -> str:
        return str(self.member)


class Motion(models.Model):
    """提案: a delegate's motion and how it was handled."""

    SUBMITTED, ACCEPTED, REJECTED, REFERRED, HANDLED = "SUBMITTED", "ACCEPTED", "REJECTED", "REFERRED", "HANDLED"
    STATUSES = [
        (SUBMITTED, "已提交"),
        (ACCEPTED, "已立案"),
        (REJECTED, "不予立案"),
        (REFERRED, "已交办"),
        (HANDLED, "已办结"),
    ]
    NEXT = {
        SUBMITTED: (ACCEPTED, REJECTED),
        ACCEPTED: (REFERRED,),
        REFERRED: (HANDLED,),
        REJECTED: (),
        HANDLED: (),
    }

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="motions")
    number = models.PositiveIntegerField("提案号")
    title = models.CharField("案由", max_length=200)
    content = models.TextField("提案内容")
    proposer = models.ForeignKey(Delegate, verbose_name="提案人", on_delete=models.PROTECT, related_name="+")
    seconders = models.PositiveSmallIntegerField("附议人数", default=0)
    status = models.CharField("办理状态", max_length=10, choices=STATUSES, default=SUBMITTED)
    handler_unit = models.CharField("承办部门", max_length=100, blank=True)
    reply = models.TextField("办理答复", blank=True)
    status_on = models.DateField("状态日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "提案"
        ordering = ["session", "number"]
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="motion_number_unique")]

    def __str__(self) -> str:
        return f"第{self.number}号提案：{self.title}"


class MotionVote(models.Model):
    """表决: the vote on a motion. Paper votes are entered as totals; an online vote
    points to the secret ballot of the ``ballots`` app (``ballot_id``) once that exists."""

    PAPER, ONLINE = "PAPER", "ONLINE"
    METHODS = [(PAPER, "纸质票（录入结果）"), (ONLINE, "网上无记名投票")]

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="votes")
    method = models.CharField("表决方式", max_length=6, choices=METHODS, default=PAPER)
    voted_on = models.DateField("表决日期")
    entitled = models.PositiveIntegerField("应到代表（人）")
    yes = models.PositiveIntegerField("赞成（票）", default=0)
    no = models.PositiveIntegerField("反对（票）", default=0)
    abstain = models.PositiveIntegerField("弃权（票）", default=0)
    invalid = models.PositiveIntegerField("无效（票）", default=0)
    # Hook for ballots.Ballot: the id of the online secret ballot whose result fills the totals.
    ballot_id = models.PositiveBigIntegerField("网上投票编号", null=True, blank=True)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "提案表决"
        ordering = ["-voted_on", "-id"]

    @property
    def passed(self) -> bool:
        """Adopted when more than half of all delegates (not of those present) vote yes."""
        return self.yes * 2 > self.entitled


class Disclosure(models.Model):
    """政务公开: an item a union publishes to its members."""

    CATEGORIES = [
        ("FINANCE", "经费收支"),
        ("WELFARE", "福利慰问"),
        ("CONGRESS", "职代会决议"),
        ("AFFAIRS", "政务事项"),
        ("OTHER", "其他"),
    ]
    union_org = models.ForeignKey("orgs.UnionOrg", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("类别", max_length=10, choices=CATEGORIES)
    title = models.CharField("标题", max_length=150)
    body = models.TextField("内容")
    published_on = models.DateField("公开日期", null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "政务公开"
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


# ---------------------------------------------------------------- workers' home (UNION-10, 11)


class HomeRound(models.Model):
    """职工之家评选: one year's evaluation round, with its own copy of the checklist."""

    OPEN, CLOSED = "OPEN", "CLOSED"
    STATUSES = [(OPEN, "进行中"), (CLOSED, "已结束")]

    year = models.PositiveIntegerField("年度", unique=True)
    title = models.CharField("名称", max_length=100)
    status = models.CharField("状态", max_length=6, choices=STATUSES, default=OPEN)
    self_due_on = models.DateField("自评截止日期", null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "职工之家评选"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class HomeCriterion(models.Model):
    """UNION-10: one item of a round's checklist, with its weight, dimension and (optionally)
    the records the system counts as evidence for it."""

    EVIDENCE_SOURCES = [
        ("", "无（由工会上传材料）"),
        ("MEMBERSHIP", "会员入会率"),
        ("CONGRESS", "职工代表大会召开次数"),
        ("DISCLOSURE", "政务公开事项数"),
        ("HARDSHIP", "困难职工帮扶档案及帮扶次数"),
        ("WELFARE", "慰问福利发放次数"),
        ("ACTIVITIES", "工会主办的文体活动及参加人次"),
        ("DUES", "会费收缴率"),
    ]
    round = models.ForeignKey(HomeRound, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField("编号", max_length=10)
    dimension = models.CharField("类别", max_length=12, choices=list(rules.DIMENSION_LABELS.items()))
    standard = models.CharField("建家标准", max_length=12, choices=list(rules.STANDARD_LABELS.items()), blank=True)
    text = models.CharField("评价内容", max_length=200)
    weight = _money("分值")
    evidence_source = models.CharField("系统自动统计", max_length=10, choices=EVIDENCE_SOURCES, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "职工之家评价标准"
        ordering = ["round", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def as_item(self) -> rules.ChecklistItem:
        return rules.ChecklistItem(
            code=self.code, dimension=self.dimension, text=self.text, weight=self.weight, standard=self.standard or None
        )


class WorkersHome(models.Model):
    """职工之家: one union's entry in a round — self-assessment, review, rating (UNION-10/11)."""

    DRAFT, SUBMITTED, REVIEWED = "DRAFT", "SUBMITTED", "REVIEWED"
    STATUSES = [(DRAFT, "自评中"), (SUBMITTED, "已提交自评"), (REVIEWED, "已评审")]
    RATINGS = [(rules.MODEL, "模范职工之家"), (rules.ADVANCED, "先进职工之家"), (rules.NONE, "未达标")]

    round = models.ForeignKey(HomeRound, on_delete=models.CASCADE, related_name="homes")
    union_org = models.ForeignKey("orgs.UnionOrg", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=STATUSES, default=DRAFT)
    self_scores = models.JSONField("自评得分", default=dict, blank=True)
    self_total = _money("自评总分", default=Decimal("0.00"))
    self_note = models.TextField("自评说明", blank=True)
    satisfaction_percent = _money("会员满意率（%）", null=True, blank=True)
    declared_lower_title = models.BooleanField("已获得下一级职工之家称号（系统外）", default=False)
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    review_scores = models.JSONField("评审得分", default=dict, blank=True)
    review_total = _money("评审总分", default=Decimal("0.00"))
    review_percent = _money("评审得分率（%）", default=Decimal("0.00"))
    review_note = models.TextField("评审意见", blank=True)
    reviewed_on = models.DateField("评审日期", null=True, blank=True)
    reviewer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    member_count = models.PositiveIntegerField("会员人数", default=0)
    staff_count = models.PositiveIntegerField("职工人数", default=0)
    rating = models.CharField("评定结果", max_length=10, choices=RATINGS, blank=True)
    findings = models.JSONField("评定说明", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "职工之家"
        ordering = ["round", "-review_total", "union_org_id"]
        constraints = [models.UniqueConstraint(fields=["round", "union_org"], name="workershome_once_per_round")]

    def __str__(self) -> str:
        return f"{self.union_org} {self.round.year}年职工之家"


class _PrivateStorage(FileSystemStorage):
    """Evidence files live under PRIVATE_MEDIA_ROOT (never served directly; read through a
    scoped view). The location is read from settings on each use so tests can move it."""

    @property
    def base_location(self):
        return str(Path(settings.PRIVATE_MEDIA_ROOT) / "workers_home")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def evidence_storage():
    return _PrivateStorage()


class HomeEvidence(models.Model):
    """Evidence a union attaches to one criterion of its self-assessment: a file or a link."""

    home = models.ForeignKey(WorkersHome, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey(HomeCriterion, verbose_name="评价项目", on_delete=models.CASCADE, related_name="+")
    title = models.CharField("材料名称", max_length=150)
    link = models.URLField("链接", blank=True)
    file = models.FileField("文件", storage=evidence_storage, upload_to="%Y/", blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "职工之家佐证材料"
        ordering = ["criterion__order", "id"]

    def __str__(self) -> str:
        return self.title
