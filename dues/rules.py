"""Party dues rules DUES-01…11 (../shared/rules/dues.md) as pure functions.

Numbers and dates in, amounts or ``Finding`` lists out; no ORM, no clock, no
settings lookups (the caller passes ``DUES_BASE_POLICY`` in). Money is always
``Decimal`` rounded half-up to 0.01 yuan; a ``float`` is refused so that no
binary rounding error can reach a member's dues.

A *month* is represented by any ``date`` inside it; functions that return
months return the first day of the month.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.dates import add_months, fmt_iso
from core.findings import ERROR, MISSING, WARNING, Finding

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# Kinds of member (DUES-02…05). The values are the ``dues_calc --kind`` words.
SALARY = "salary"
RETIRED = "retired"
ANNUAL = "annual"
FARMER = "farmer"
STUDENT = "student"
UNEMPLOYED = "unemployed"
RELIEF = "relief"
SELF_EMPLOYED = "self_employed"

KIND_LABELS = {
    SALARY: "在职（工资收入）党员",
    RETIRED: "离退休党员",
    ANNUAL: "年薪制党员",
    FARMER: "农民党员",
    STUDENT: "学生党员",
    UNEMPLOYED: "下岗失业党员",
    RELIEF: "依靠抚恤、救济或低保生活的党员",
    SELF_EMPLOYED: "个体或灵活就业党员",
}
KINDS = tuple(KIND_LABELS)
# Kinds that pay a fixed amount whatever their income (DUES-04).
FLAT_KINDS = (STUDENT, UNEMPLOYED, RELIEF)

# DUES-02: (upper bound inclusive, rate) on the whole base; the last tier has no bound.
SALARY_TIERS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal("3000"), Decimal("0.005")),
    (Decimal("5000"), Decimal("0.01")),
    (Decimal("10000"), Decimal("0.015")),
    (None, Decimal("0.02")),
)
# DUES-03
RETIRED_TIERS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal("5000"), Decimal("0.005")),
    (None, Decimal("0.01")),
)
# DUES-04
FARMER_MIN = Decimal("0.20")
FARMER_MAX = Decimal("1.00")
FLAT_DUES = Decimal("0.20")
# DUES-09
UNPAID_MONTHS_LIMIT = 6
BACK_PAYMENT_MONTHS_LIMIT = 6
# DUES-10
VOLUNTARY_REMIT_THRESHOLD = Decimal("1000")

# DUES-07 (setting DUES_BASE_POLICY)
POLICY_MONTHLY = "monthly"
POLICY_ANNUAL = "annual"
BASE_POLICIES = (POLICY_MONTHLY, POLICY_ANNUAL)


# ---------------------------------------------------------------- money helpers


def parse_amount(value: object, *, label: str = "金额") -> Decimal:
    """A non-negative amount in yuan with at most two decimals, as ``Decimal``.

    Accepts ``Decimal``, ``int`` or a numeric string. ``float``, ``bool``,
    non-numeric text, NaN/infinity, negative numbers and fractions of a fen
    raise ``ValueError`` with a Chinese message naming ``label``.
    """
    if isinstance(value, (bool, float)):
        raise ValueError(f"{label}“{value}”必须以精确的十进制数表示（不接受浮点数）。")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{label}“{value}”不是有效的数字。") from None
    else:
        raise ValueError(f"{label}“{value}”不是有效的数字。")
    if not number.is_finite():
        raise ValueError(f"{label}“{value}”不是有效的数字。")
    if number < 0:
        raise ValueError(f"{label}不能为负数（{value}）。")
    try:
        exact = number.quantize(CENT)
    except InvalidOperation:
        raise ValueError(f"{label}“{value}”超出可计算的范围。") from None
    if exact != number:
        raise ValueError(f"{label}“{value}”最多保留两位小数（精确到分）。")
    return exact.copy_abs()  # copy_abs turns "-0" into "0.00"


def round_money(amount: Decimal) -> Decimal:
    """``amount`` rounded half-up to 0.01 yuan."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _tier_rate(base: Decimal, tiers: Sequence[tuple[Decimal | None, Decimal]]) -> Decimal:
    for bound, rate in tiers:
        if bound is None or base <= bound:
            return rate
    raise AssertionError("tiers must end with an unbounded tier")


def _fmt_money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _month(d: date) -> date:
    return d.replace(day=1)


def _fmt_month(d: date) -> str:
    return f"{d.year}年{d.month}月"


# ---------------------------------------------------------------- DUES-02…05


def salary_rate(base: object) -> Decimal:
    """DUES-02: the rate applied to the *whole* monthly base of a member on salary.

    ≤ 3000 → 0.5 %; 3000 < base ≤ 5000 → 1 %; 5000 < base ≤ 10000 → 1.5 %;
    > 10000 → 2 %. The base itself is defined by DUES-01 (fixed monthly pay after tax).
    """
    return _tier_rate(parse_amount(base, label="党费计算基数"), SALARY_TIERS)


def salary_dues(base: object) -> Decimal:
    """DUES-01/DUES-02: monthly dues of a member on salary, half-up to 0.01.

    The rate is not marginal: 3000.00 → 15.00, 3000.01 → 30.00.
    """
    amount = parse_amount(base, label="党费计算基数")
    return round_money(amount * _tier_rate(amount, SALARY_TIERS))


def retired_rate(pension: object) -> Decimal:
    """DUES-03: the retiree's rate on the whole pension: ≤ 5000 → 0.5 %, > 5000 → 1 %."""
    return _tier_rate(parse_amount(pension, label="离退休费"), RETIRED_TIERS)


def retired_dues(pension: object) -> Decimal:
    """DUES-03: monthly dues of a retired member (base = the pension), half-up to 0.01."""
    amount = parse_amount(pension, label="离退休费")
    return round_money(amount * _tier_rate(amount, RETIRED_TIERS))


def annual_salary_dues(pay_received_this_month: object) -> Decimal:
    """DUES-05: a member on an annual salary pays on the pay received that month,
    at the DUES-02 tiers."""
    amount = parse_amount(pay_received_this_month, label="当月实际领取的年薪收入")
    return round_money(amount * _tier_rate(amount, SALARY_TIERS))


def farmer_dues(amount: object) -> Decimal:
    """DUES-04: a farmer member pays an amount he chooses between 0.20 and 1.00 a month.

    Returns the amount; outside 0.20–1.00 raises ``ValueError`` (Chinese message).
    """
    chosen = parse_amount(amount, label="农民党员每月党费")
    if not FARMER_MIN <= chosen <= FARMER_MAX:
        raise ValueError(f"农民党员每月党费应在0.20元至1.00元之间，填写的是{chosen}元。")
    return chosen


def flat_dues() -> Decimal:
    """DUES-04: students, the unemployed and members living on relief or 低保 pay 0.20."""
    return FLAT_DUES


def self_employed_base(previous_quarter_net_income: Sequence[object]) -> Decimal:
    """DUES-05: the base of a self-employed member — the average monthly net income
    of the previous quarter (the three monthly figures), half-up to 0.01."""
    months = [parse_amount(v, label="上一季度月纯收入") for v in previous_quarter_net_income]
    if len(months) != 3:
        raise ValueError(f"应提供上一季度3个月的纯收入，实际提供了{len(months)}个月。")
    return round_money(sum(months, ZERO) / 3)


def self_employed_dues(previous_quarter_net_income: Sequence[object]) -> Decimal:
    """DUES-05: monthly dues of a self-employed member: the DUES-02 tiers applied to
    the previous quarter's average monthly net income."""
    return salary_dues(self_employed_base(previous_quarter_net_income))


def monthly_dues(kind: str, base: object = None) -> Decimal:
    """DUES-02…05: monthly party dues for a member of ``kind`` (see ``KINDS``).

    ``base`` is the salary base (salary), the pension (retired), the pay received
    that month (annual), the chosen amount 0.20–1.00 (farmer), or the previous
    quarter's average monthly net income (self_employed, see ``self_employed_base``).
    Student, unemployed and relief members pay 0.20; a base given for them is still
    validated but does not change the amount. Unknown kind or bad base → ``ValueError``.
    """
    if kind not in KIND_LABELS:
        known = "、".join(KINDS)
        raise ValueError(f"未知的党员交费类别“{kind}”，应为：{known}。")
    if kind in FLAT_KINDS:
        if base is not None:
            parse_amount(base, label="党费计算基数")
        return flat_dues()
    if base is None:
        raise ValueError(f"{KIND_LABELS[kind]}须提供党费计算基数。")
    if kind == RETIRED:
        return retired_dues(base)
    if kind == ANNUAL:
        return annual_salary_dues(base)
    if kind == FARMER:
        return farmer_dues(base)
    return salary_dues(base)  # SALARY, SELF_EMPLOYED (base already averaged)


# ---------------------------------------------------------------- DUES-06


def first_due_month(admitted_on: date) -> date:
    """DUES-06: the first month a probationary member pays — the month of the branch
    general meeting that admitted him (REC-13); returned as its first day."""
    return _month(admitted_on)


def due_months(*, first_due: date, until: date, last_due: date | None = None) -> list[date]:
    """DUES-06: the months due from ``first_due`` through ``until`` (both included),
    stopping at ``last_due`` (e.g. the member transferred out) when given."""
    start = _month(first_due)
    end = _month(until)
    if last_due is not None:
        end = min(end, _month(last_due))
    months: list[date] = []
    current = start
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


# ---------------------------------------------------------------- DUES-07


@dataclass(frozen=True)
class BaseRecord:
    """A dues base in force from ``effective_from`` (the month the new pay starts)."""

    effective_from: date
    base: Decimal


def base_for_month(records: Iterable[BaseRecord], month: date, *, policy: str) -> Decimal | None:
    """DUES-07: the base that applies to ``month`` under ``policy`` (``DUES_BASE_POLICY``).

    * ``monthly`` (the 2008 text): the latest record effective in or before ``month``.
    * ``annual`` (fixed each January): the latest record effective in or before January
      of ``month``'s year. A member with no record by January (admitted or hired later
      in the year) uses his first record of that year, from its month on.

    Returns ``None`` when no record applies yet (the caller reports the missing base).
    """
    if policy not in BASE_POLICIES:
        raise ValueError(f"党费基数调整方式“{policy}”无效，应为 monthly（按月）或 annual（按年）。")
    target = _month(month)
    ordered = sorted(records, key=lambda r: r.effective_from)
    in_force = [r for r in ordered if _month(r.effective_from) <= target]
    if not in_force:
        return None
    if policy == POLICY_MONTHLY:
        return in_force[-1].base
    january = date(target.year, 1, 1)
    by_january = [r for r in in_force if _month(r.effective_from) <= january]
    if by_january:
        return by_january[-1].base
    return in_force[0].base  # first record of the year, already in force


# ---------------------------------------------------------------- DUES-08


def check_reduction(
    *,
    applied_on: date | None,
    branch_studied_on: date | None,
    approved_on: date | None,
    exemption: bool = False,
) -> list[Finding]:
    """DUES-08: a reduction (or, with ``exemption``, an exemption) of dues needs the
    member's application, then the branch's study, then approval by the committee
    above, each recorded, in that order.

    No approval → error (the reduction may not be applied). An earlier step without a
    date while a later one has one → missing. Steps out of order → error.
    """
    what = "免交党费" if exemption else "少交党费"
    findings: list[Finding] = []
    steps = [
        ("党员本人申请", applied_on),
        ("党支部研究", branch_studied_on),
        ("上一级党委批准", approved_on),
    ]
    if approved_on is None:
        findings.append(Finding("DUES-08", ERROR, f"{what}未经上一级党委批准，不能执行。"))
    for index, (label, on) in enumerate(steps[:-1]):
        later = [(lbl, d) for lbl, d in steps[index + 1 :] if d is not None]
        if on is None and later:
            findings.append(Finding("DUES-08", MISSING, f"{what}缺少“{label}”的记录（已有“{later[0][0]}”）。"))
    dated = [(label, on) for label, on in steps if on is not None]
    for (label_a, on_a), (label_b, on_b) in zip(dated, dated[1:], strict=False):
        if on_b < on_a:
            findings.append(
                Finding(
                    "DUES-08",
                    ERROR,
                    f"{what}的“{label_b}”（{fmt_iso(on_b)}）早于“{label_a}”（{fmt_iso(on_a)}）。",
                )
            )
    return findings


# ---------------------------------------------------------------- DUES-09


def check_unpaid_streaks(
    *,
    first_due: date,
    paid_months: Iterable[date],
    excused_months: Iterable[date] = (),
    today: date,
    last_due: date | None = None,
) -> list[Finding]:
    """DUES-09: six or more consecutive months unpaid without a recorded reason → error
    (党章: treated as leaving the party of one's own accord; the branch must act).

    Only completed months count (dues may be paid monthly or quarterly, so the month
    of ``today`` is not yet owed). ``paid_months`` are months covered by a payment or
    an approved exemption; ``excused_months`` are months with a recorded reason for not
    paying — both break a streak. One finding per streak, listing its months.
    """
    paid = {_month(m) for m in paid_months}
    excused = {_month(m) for m in excused_months}
    last_completed = add_months(_month(today), -1)
    months = due_months(first_due=first_due, until=last_completed, last_due=last_due)
    findings: list[Finding] = []
    streak: list[date] = []
    for month in [*months, None]:
        if month is not None and month not in paid and month not in excused:
            streak.append(month)
            continue
        if len(streak) >= UNPAID_MONTHS_LIMIT:
            findings.append(
                Finding(
                    "DUES-09",
                    ERROR,
                    f"自{_fmt_month(streak[0])}至{_fmt_month(streak[-1])}连续{len(streak)}个月"
                    "未交纳党费且无正当理由记录，按党章应视为自行脱党，党支部须及时处理。",
                    extra={"months": [fmt_iso(m) for m in streak]},
                )
            )
        streak = []
    return findings


def check_back_payment(*, months_covered: Iterable[date], paid_on: date) -> list[Finding]:
    """DUES-09: back payment generally covers no more than 6 months. A payment made on
    ``paid_on`` covering more than 6 months before ``paid_on``'s month → warning.
    Months paid in advance (quarterly payment) are not back payment."""
    paid_month = _month(paid_on)
    back = sorted({_month(m) for m in months_covered if _month(m) < paid_month})
    if len(back) <= BACK_PAYMENT_MONTHS_LIMIT:
        return []
    return [
        Finding(
            "DUES-09",
            WARNING,
            f"{fmt_iso(paid_on)}补交了{len(back)}个月（{_fmt_month(back[0])}至"
            f"{_fmt_month(back[-1])}）的党费，补交一般不超过6个月，请记录原因。",
            extra={"months": [fmt_iso(m) for m in back]},
        )
    ]


# ---------------------------------------------------------------- DUES-10


def must_remit_in_full(voluntary_amount: object) -> bool:
    """DUES-10: a single voluntary extra payment above 1000 yuan (1000.00 itself is not
    above) is remitted in full to the centre."""
    return parse_amount(voluntary_amount, label="自愿多交党费") > VOLUNTARY_REMIT_THRESHOLD


def check_voluntary_payment(voluntary_amount: object) -> list[Finding]:
    """DUES-10: flag a single voluntary payment above 1000 yuan (warning: remit in full)."""
    if not must_remit_in_full(voluntary_amount):
        return []
    amount = parse_amount(voluntary_amount, label="自愿多交党费")
    return [
        Finding(
            "DUES-10",
            WARNING,
            f"单笔自愿多交党费{_fmt_money(amount)}元，超过1,000元，应全额上缴中央。",
            extra={"remit_in_full": True},
        )
    ]


# ---------------------------------------------------------------- DUES-11


@dataclass(frozen=True)
class DuesRow:
    """One due/paid record of a member (a month, a quarter or a whole year)."""

    member: str
    due: Decimal
    paid: Decimal


@dataclass(frozen=True)
class MemberLine:
    member: str
    due: Decimal
    paid: Decimal

    @property
    def arrears(self) -> Decimal:
        """Due − paid (negative when the member paid ahead or more than due)."""
        return self.due - self.paid


@dataclass(frozen=True)
class CollectionReport:
    """DUES-11: a branch's yearly dues collection report, one line per member."""

    branch: str
    year: int
    members: tuple[MemberLine, ...] = field(default_factory=tuple)
    due: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def arrears(self) -> Decimal:
        return self.due - self.paid

    @property
    def member_count(self) -> int:
        return len(self.members)

    def reconciles(self) -> bool:
        """Sum of member lines = branch totals, and due − paid = arrears, line by line."""
        return (
            sum((m.due for m in self.members), ZERO) == self.due
            and sum((m.paid for m in self.members), ZERO) == self.paid
            and sum((m.arrears for m in self.members), ZERO) == self.arrears
        )


def collection_report(rows: Iterable[DuesRow], *, branch: str, year: int) -> CollectionReport:
    """DUES-11: aggregate a branch's (due, paid) rows for ``year`` into the report
    published to members once a year. Members appear in first-seen order; amounts are
    validated (non-negative, to the fen) and summed exactly, so the report reconciles."""
    due: dict[str, Decimal] = {}
    paid: dict[str, Decimal] = {}
    for row in rows:
        due[row.member] = due.get(row.member, ZERO) + parse_amount(row.due, label="应交党费")
        paid[row.member] = paid.get(row.member, ZERO) + parse_amount(row.paid, label="实交党费")
    members = tuple(MemberLine(name, due[name], paid[name]) for name in due)
    return CollectionReport(
        branch=branch,
        year=year,
        members=members,
        due=sum((m.due for m in members), ZERO),
        paid=sum((m.paid for m in members), ZERO),
    )
