"""Models of the dues area: pay bases, monthly rolls, payments, reductions (DUES, UNION-01).

One scheme field tells party dues (党费, DUES-xx) from union dues (会费, UNION-01);
both share the same shapes. A month is stored as the first day of the month.
Money is ``DecimalField`` (two places); nothing here ever holds a float.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from dues import rules

PARTY = "PARTY"
UNION = "UNION"
SCHEMES = [(PARTY, "党费"), (UNION, "工会会费")]
KIND_CHOICES = list(rules.KIND_LABELS.items())


def _money(label: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=12, decimal_places=2, **kwargs)


class PayBase(models.Model):
    """计算基数: a member's monthly base for party dues (DUES-01…05) or union dues (UNION-01),
    in force from ``effective_from`` (the first day of the month the new pay starts)."""

    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.CASCADE, related_name="pay_bases")
    scheme = models.CharField("类别", max_length=5, choices=SCHEMES)
    kind = models.CharField("党员交费类别", max_length=16, choices=KIND_CHOICES, default=rules.SALARY)
    effective_from = models.DateField("起始月份")
    amount = _money("计算基数（元）")
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "计算基数"
        ordering = ["person_id", "scheme", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["person", "scheme", "effective_from"], name="paybase_one_per_month"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="paybase_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_scheme_display()}基数 {self.amount}（{self.effective_from:%Y-%m}起）"


class DuesRoll(models.Model):
    """The monthly roll (收缴台账) of one organisation: a party branch for party dues,
    a grassroots union for union dues. Its lines hold each member's due and payment."""

    scheme = models.CharField("类别", max_length=5, choices=SCHEMES)
    month = models.DateField("月份")
    party_org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="党组织", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    union_org = models.ForeignKey(
        "orgs.UnionOrg", verbose_name="工会", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    computed_at = models.DateTimeField("生成时间")
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "收缴台账"
        ordering = ["-month", "scheme"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scheme=PARTY, party_org__isnull=False, union_org__isnull=True)
                | Q(scheme=UNION, party_org__isnull=True, union_org__isnull=False),
                name="duesroll_org_matches_scheme",
            ),
            models.UniqueConstraint(
                fields=["month", "party_org"], condition=Q(party_org__isnull=False), name="duesroll_party_month"
            ),
            models.UniqueConstraint(
                fields=["month", "union_org"], condition=Q(union_org__isnull=False), name="duesroll_union_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.month:%Y年%m月}{self.get_scheme_display()}台账"

    @property
    def org(self):
        return self.party_org or self.union_org


class DuesPayment(models.Model):
    """One payment by one member covering one or more months (lines) of one scheme.

    ``amount`` = the dues of the covered lines + ``voluntary_extra`` (DUES-10:
    above 1000 the extra is remitted in full to the centre, ``remit_in_full``)."""

    MANUAL, PAYROLL = "MANUAL", "PAYROLL"
    SOURCES = [(MANUAL, "逐笔登记"), (PAYROLL, "工资代扣导入")]
    METHODS = [("CASH", "现金"), ("TRANSFER", "转账"), ("PAYROLL", "工资代扣"), ("ONLINE", "网上交纳")]

    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    scheme = models.CharField("类别", max_length=5, choices=SCHEMES)
    amount = _money("实交金额（元）")
    voluntary_extra = _money("自愿多交（元）", default=Decimal("0.00"))
    remit_in_full = models.BooleanField("全额上缴中央", default=False)
    paid_on = models.DateField("交纳日期")
    method = models.CharField("交纳方式", max_length=10, choices=METHODS, default="CASH")
    source = models.CharField("来源", max_length=8, choices=SOURCES, default=MANUAL)
    batch = models.CharField("导入批次", max_length=40, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "交纳记录"
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="duespayment_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.person} {self.paid_on} {self.get_scheme_display()} {self.amount}元"


class DuesReduction(models.Model):
    """DUES-08: a party member's reduction (少交) or exemption (免交) for a run of months:
    the member applies, the branch studies it, the committee above approves it."""

    REDUCE, EXEMPT = "REDUCE", "EXEMPT"
    KINDS = [(REDUCE, "少交党费"), (EXEMPT, "免交党费")]
    PENDING, STUDIED, APPROVED, REJECTED = "PENDING", "STUDIED", "APPROVED", "REJECTED"
    STATUSES = [(PENDING, "已申请"), (STUDIED, "支部已研究"), (APPROVED, "已批准"), (REJECTED, "未批准")]

    person = models.ForeignKey("people.Person", verbose_name="党员", on_delete=models.CASCADE, related_name="+")
    branch = models.ForeignKey("orgs.PartyOrg", verbose_name="所在党支部", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=6, choices=KINDS)
    monthly_amount = _money("每月交纳（元）", null=True, blank=True)
    from_month = models.DateField("起始月份")
    to_month = models.DateField("截止月份")
    reason = models.CharField("原因", max_length=300)
    applied_on = models.DateField("本人申请日期")
    branch_studied_on = models.DateField("支部研究日期", null=True, blank=True)
    approved_on = models.DateField("上级党委批准日期", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)
    status = models.CharField("状态", max_length=8, choices=STATUSES, default=PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "少交免交党费"
        ordering = ["-applied_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}（{self.from_month:%Y-%m}至{self.to_month:%Y-%m}）"


class DuesLine(models.Model):
    """One member's dues for one month in a roll: base, due, and the payment that settled it."""

    roll = models.ForeignKey(DuesRoll, verbose_name="台账", on_delete=models.CASCADE, related_name="lines")
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    scheme = models.CharField("类别", max_length=5, choices=SCHEMES)
    month = models.DateField("月份")
    kind = models.CharField("交费类别", max_length=16, choices=KIND_CHOICES, default=rules.SALARY)
    base = _money("计算基数（元）", null=True, blank=True)
    due = _money("应交（元）", default=Decimal("0.00"))
    reduction = models.ForeignKey(
        DuesReduction,
        verbose_name="少交免交",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    payment = models.ForeignKey(
        DuesPayment, verbose_name="交纳记录", null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    excused_reason = models.CharField("未交原因", max_length=200, blank=True, help_text="DUES-09：有正当理由的记录")

    class Meta:
        verbose_name = verbose_name_plural = "台账明细"
        ordering = ["month", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "person", "month"], name="duesline_one_per_month"),
        ]
        indexes = [
            models.Index(fields=["scheme", "month", "payment"], name="duesline_month_paid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m} {self.get_scheme_display()} 应交{self.due}"

    @property
    def paid(self) -> Decimal:
        return self.due if self.payment_id else Decimal("0.00")

    @property
    def arrears(self) -> Decimal:
        return Decimal("0.00") if self.payment_id else self.due

    @property
    def base_missing(self) -> bool:
        return self.base is None and self.kind not in rules.FLAT_KINDS


class DuesPublication(models.Model):
    """DUES-11: a branch's yearly collection report published to its members."""

    branch = models.ForeignKey("orgs.PartyOrg", verbose_name="党支部", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField("年度")
    published_on = models.DateField("公布日期")
    due = _money("应交合计（元）")
    paid = _money("实交合计（元）")
    used = _money("使用（上缴）金额（元）", default=Decimal("0.00"))
    note = models.TextField("使用情况说明", blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "党费收缴使用情况公布"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["branch", "year"], name="duespublication_once_a_year")]

    def __str__(self) -> str:
        return f"{self.branch} {self.year}年党费收缴使用情况"
