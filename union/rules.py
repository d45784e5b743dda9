"""Trade-union rules UNION-01…11 (../shared/rules/union.md) as pure functions.

Numbers and dates in, amounts or ``Finding`` lists out; no ORM, no clock and no
settings lookups: the caller reads the *settings* (``union/rule_settings.py``)
and passes the values in. Money is ``Decimal`` rounded half-up to 0.01 yuan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.dates import add_months, fmt_iso
from core.findings import ERROR, MISSING, WARNING, Finding
from dues.rules import ZERO, parse_amount, round_money

# ---------------------------------------------------------------- UNION-01, 02

UNION_DUES_RATE = Decimal("0.005")
UNION_FUNDS_RATE = Decimal("0.02")


def union_dues(base: object) -> Decimal:
    """UNION-01: a member's monthly union dues — 0.5 % of the monthly base wage (the
    base as defined by setting UNION_DUES_BASE_DEFINITION), half-up to 0.01."""
    return round_money(parse_amount(base, label="会费计算基数") * UNION_DUES_RATE)


@dataclass(frozen=True)
class FundsAllocation:
    """UNION-02: the unit's monthly allocation and how it is split."""

    payroll: Decimal
    total: Decimal  # 2 % of payroll
    grassroots: Decimal  # kept by the grassroots union
    upper: Decimal  # passed to the unions above (total − grassroots)


def union_funds_allocation(payroll: object, *, grassroots_share_percent: object) -> FundsAllocation:
    """UNION-02: the unit allocates 2 % of its total monthly payroll; the grassroots
    union keeps ``grassroots_share_percent`` % of it (setting UNION_GRASSROOTS_SHARE,
    a percentage, default 60). Both parts are half-up to 0.01 and the upper part is
    the remainder, so grassroots + upper = total exactly."""
    wages = parse_amount(payroll, label="工资总额")
    share = _percent(grassroots_share_percent, label="基层工会留成比例")
    total = round_money(wages * UNION_FUNDS_RATE)
    grassroots = round_money(total * share / 100)
    return FundsAllocation(payroll=wages, total=total, grassroots=grassroots, upper=total - grassroots)


def _percent(value: object, *, label: str) -> Decimal:
    number = parse_amount(value, label=label)
    if number > 100:
        raise ValueError(f"{label}应在0至100之间（百分比），填写的是{value}。")
    return number


def _fmt_money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


# ---------------------------------------------------------------- UNION-03…06

# Gift kinds of a WelfareGrant.
GOODS = "goods"  # 实物（节日传统商品、日用品、纪念品）
CASH = "cash"  # 现金
CARD = "card"  # 购物卡、代金券
CAKE = "cake"  # 生日蛋糕
CAKE_VOUCHER = "cake_voucher"  # 蛋糕券

GIFT_KIND_LABELS = {
    GOODS: "实物",
    CASH: "现金",
    CARD: "购物卡（代金券）",
    CAKE: "生日蛋糕",
    CAKE_VOUCHER: "蛋糕券",
}

DEFAULT_FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
# Common ways of writing the same festival; the setting list is compared after this.
FESTIVAL_ALIASES = {
    "新年": "元旦",
    "元旦节": "元旦",
    "新年(元旦)": "元旦",
    "新年（元旦）": "元旦",
    "清明": "清明节",
    "五一": "劳动节",
    "五一劳动节": "劳动节",
    "国际劳动节": "劳动节",
    "端午": "端午节",
    "中秋": "中秋节",
    "国庆": "国庆节",
}
WOMENS_DAY_NAMES = ("三八", "三八节", "三八妇女节", "妇女节", "国际妇女节", "三·八", "3.8", "38节")


def normalize_festival(name: str) -> str:
    """The canonical name of a festival (``新年`` → ``元旦``), whitespace removed."""
    text = "".join(name.split())
    return FESTIVAL_ALIASES.get(text, text)


def check_festival(festival: str, *, festivals: Sequence[str] = DEFAULT_FESTIVALS) -> list[Finding]:
    """UNION-03: festival gifts only on the festivals of setting UNION_FESTIVALS
    (元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节 and approved minority festivals).

    三八 is always refused — it is a women's-committee activity, not festival welfare —
    even if someone added it to the list.
    """
    name = normalize_festival(festival)
    if name in WOMENS_DAY_NAMES:
        return [
            Finding(
                "UNION-03",
                ERROR,
                f"“{festival}”不能发放节日慰问品：三八妇女节活动由女职工委员会组织开展，不属于工会节日福利。",
            )
        ]
    allowed = {normalize_festival(f) for f in festivals}
    if name not in allowed:
        listed = "、".join(festivals)
        return [
            Finding(
                "UNION-03",
                ERROR,
                f"“{festival}”不在可发放节日慰问品的节日之列（{listed}）。",
            )
        ]
    return []


FESTIVAL_GIFT_KINDS = (GOODS, CAKE)


def check_festival_gift_kind(gift_kind: str) -> list[Finding]:
    """UNION-04: festival gifts are goods (traditional festival goods or daily
    necessities); cash, shopping cards and vouchers are refused."""
    _known_gift_kind(gift_kind)
    if gift_kind in FESTIVAL_GIFT_KINDS:
        return []
    return [
        Finding(
            "UNION-04",
            ERROR,
            f"节日慰问品应为节日传统商品或日用品等实物，不得发放{GIFT_KIND_LABELS[gift_kind]}。",
        )
    ]


def _known_gift_kind(gift_kind: str) -> None:
    if gift_kind not in GIFT_KIND_LABELS:
        known = "、".join(GIFT_KIND_LABELS)
        raise ValueError(f"未知的慰问品形式“{gift_kind}”，应为：{known}。")


def festival_allowance_left(already_granted_this_year: object, cap: object) -> Decimal:
    """UNION-05: what a member may still receive in festival gifts this year (≥ 0)."""
    already = parse_amount(already_granted_this_year, label="本年度已发放节日慰问金额")
    limit = parse_amount(cap, label="年度节日慰问标准")
    return max(limit - already, ZERO)


def check_festival_grant(already_granted_this_year: object, amount: object, cap: object) -> list[Finding]:
    """UNION-05: the per-member annual cap on festival gifts (setting
    UNION_FESTIVAL_ANNUAL_CAP, default 1200). A grant landing exactly on the cap is
    allowed; one that would pass it is refused, showing the remaining amount."""
    already = parse_amount(already_granted_this_year, label="本年度已发放节日慰问金额")
    grant = parse_amount(amount, label="本次节日慰问金额")
    limit = parse_amount(cap, label="年度节日慰问标准")
    if already + grant <= limit:
        return []
    left = max(limit - already, ZERO)
    return [
        Finding(
            "UNION-05",
            ERROR,
            f"本次节日慰问{_fmt_money(grant)}元将超过每人每年{_fmt_money(limit)}元的标准："
            f"本年度已发放{_fmt_money(already)}元，剩余额度{_fmt_money(left)}元。",
            extra={"remaining": str(left)},
        )
    ]


def check_festival_welfare(
    *,
    festival: str,
    gift_kind: str,
    already_granted_this_year: object,
    amount: object,
    cap: object,
    festivals: Sequence[str] = DEFAULT_FESTIVALS,
) -> list[Finding]:
    """UNION-03/04/05 together: everything checked before a festival grant is recorded."""
    return [
        *check_festival(festival, festivals=festivals),
        *check_festival_gift_kind(gift_kind),
        *check_festival_grant(already_granted_this_year, amount, cap),
    ]


# UNION-06 care events (慰问), with the setting that holds each cap.
BIRTHDAY = "birthday"
WEDDING = "wedding"
CHILDBIRTH = "childbirth"
RETIREMENT = "retirement"
ILLNESS = "illness"
DEATH = "death"

CARE_EVENT_LABELS = {
    BIRTHDAY: "生日慰问",
    WEDDING: "结婚慰问",
    CHILDBIRTH: "生育慰问",
    RETIREMENT: "退休纪念",
    ILLNESS: "生病住院慰问",
    DEATH: "丧事慰问",
}
CARE_CAP_SETTINGS = {
    BIRTHDAY: "UNION_CAP_BIRTHDAY",
    WEDDING: "UNION_CAP_WEDDING",
    CHILDBIRTH: "UNION_CAP_CHILDBIRTH",
    RETIREMENT: "UNION_CAP_RETIREMENT",
    ILLNESS: "UNION_CAP_ILLNESS",
    DEATH: "UNION_CAP_DEATH",
}
CARE_GIFT_KINDS = {
    BIRTHDAY: (CAKE, CAKE_VOUCHER),
    WEDDING: (GOODS,),
    CHILDBIRTH: (GOODS,),
    RETIREMENT: (GOODS,),
    ILLNESS: (GOODS, CASH),
    DEATH: (GOODS, CASH),
}
# Whose death a DEATH grant may concern.
MEMBER = "member"
SPOUSE = "spouse"
PARENT = "parent"
CHILD = "child"
DEATH_RELATIONS = {MEMBER: "会员本人", SPOUSE: "配偶", PARENT: "父母", CHILD: "子女"}


def check_care_grant(
    *,
    event: str,
    amount: object,
    gift_kind: str,
    cap: object,
    relation: str | None = None,
) -> list[Finding]:
    """UNION-06: a care grant stays within the per-event cap (the setting named in
    ``CARE_CAP_SETTINGS``; an amount equal to the cap is allowed) and takes an allowed
    form: birthday — a cake or cake voucher; wedding, childbirth, retirement — goods;
    illness and death — goods or cash. A death grant concerns the member or the
    member's spouse, parent or child (``relation``)."""
    if event not in CARE_EVENT_LABELS:
        known = "、".join(CARE_EVENT_LABELS)
        raise ValueError(f"未知的慰问事项“{event}”，应为：{known}。")
    _known_gift_kind(gift_kind)
    grant = parse_amount(amount, label="慰问金额")
    limit = parse_amount(cap, label="慰问标准")
    label = CARE_EVENT_LABELS[event]
    findings: list[Finding] = []
    if grant > limit:
        findings.append(
            Finding(
                "UNION-06",
                ERROR,
                f"{label}{_fmt_money(grant)}元超过每次{_fmt_money(limit)}元的标准。",
            )
        )
    allowed = CARE_GIFT_KINDS[event]
    if gift_kind not in allowed:
        forms = "或".join(GIFT_KIND_LABELS[k] for k in allowed)
        findings.append(
            Finding(
                "UNION-06",
                ERROR,
                f"{label}只能发放{forms}，不得发放{GIFT_KIND_LABELS[gift_kind]}。",
            )
        )
    if event == DEATH:
        if relation is None:
            findings.append(Finding("UNION-06", MISSING, "丧事慰问未填写逝者与会员的关系。"))
        elif relation not in DEATH_RELATIONS:
            findings.append(
                Finding(
                    "UNION-06",
                    ERROR,
                    "丧事慰问限于会员本人及其配偶、父母、子女去世。",
                )
            )
    return findings


# ---------------------------------------------------------------- UNION-07, 08

DEEP = "DEEP"
RELATIVE = "RELATIVE"
HARDSHIP_LABELS = {DEEP: "深度困难", RELATIVE: "相对困难"}


def per_capita_monthly_income(annual_disposable_income: object, rigid_expenses: object, household_size: int) -> Decimal:
    """UNION-07: (household annual disposable income − rigid expenses) ÷ 12 ÷ household
    size, half-up to 0.01. May be negative when rigid expenses exceed income.
    A household size that is not a positive whole number raises ``ValueError``."""
    if isinstance(household_size, bool) or not isinstance(household_size, int) or household_size < 1:
        raise ValueError(f"家庭人口数应为正整数，填写的是{household_size}。")
    income = parse_amount(annual_disposable_income, label="家庭年可支配收入")
    expenses = parse_amount(rigid_expenses, label="刚性支出")
    return round_money((income - expenses) / 12 / household_size)


def hardship_category(per_capita_income: Decimal, *, low_income_line: object) -> str | None:
    """UNION-07: ``DEEP`` (深度困难) when the per-capita monthly income is below the
    local 低保 level (setting UNION_LOW_INCOME_LINE), ``RELATIVE`` (相对困难) when below
    twice that level, else ``None``. Equal to a line is not below it."""
    line = parse_amount(low_income_line, label="低保标准")
    if per_capita_income < line:
        return DEEP
    if per_capita_income < 2 * line:
        return RELATIVE
    return None


def classify_hardship(
    *,
    annual_disposable_income: object,
    rigid_expenses: object,
    household_size: int,
    low_income_line: object,
) -> tuple[Decimal, str | None]:
    """UNION-07: the per-capita monthly income (as shown, to the fen) and its category;
    the category is judged on the figure shown so the two never disagree."""
    income = per_capita_monthly_income(annual_disposable_income, rigid_expenses, household_size)
    return income, hardship_category(income, low_income_line=low_income_line)


ACCIDENT_COST_SHARE = Decimal("0.80")


def accident_hardship_reasons(
    *,
    injured_in_incident: bool = False,
    disabled_in_incident: bool = False,
    died_in_incident: bool = False,
    accident_illness_costs: object = ZERO,
    household_annual_income: object = ZERO,
) -> list[str]:
    """UNION-08: why a household counts as 意外致困 (empty list: it does not) —
    injury, disability or death in a disaster or major incident, or accident/illness
    costs in the year strictly above 80 % of the household's annual income."""
    reasons = []
    if injured_in_incident:
        reasons.append("因灾害或重大事故受伤")
    if disabled_in_incident:
        reasons.append("因灾害或重大事故致残")
    if died_in_incident:
        reasons.append("因灾害或重大事故死亡")
    costs = parse_amount(accident_illness_costs, label="意外或疾病支出")
    income = parse_amount(household_annual_income, label="家庭年收入")
    if costs > income * ACCIDENT_COST_SHARE:
        reasons.append(f"本年度意外或疾病支出{_fmt_money(costs)}元，超过家庭年收入{_fmt_money(income)}元的80%")
    return reasons


def is_accident_hardship(**kwargs: object) -> bool:
    """UNION-08: whether ``accident_hardship_reasons(**kwargs)`` finds any reason."""
    return bool(accident_hardship_reasons(**kwargs))  # type: ignore[arg-type]


# ---------------------------------------------------------------- UNION-09

APPLIED = "APPLIED"
VERIFIED = "VERIFIED"
REVIEWED = "REVIEWED"
FILED = "FILED"
AIDED = "AIDED"
RECHECKED = "RECHECKED"
RESOLVED = "RESOLVED"
EXITED = "EXITED"

CASE_STATE_LABELS = {
    APPLIED: "申请",
    VERIFIED: "核实",
    REVIEWED: "审核",
    FILED: "建档",
    AIDED: "帮扶",
    RECHECKED: "复核",
    RESOLVED: "解困",
    EXITED: "退出",
}
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    APPLIED: frozenset({VERIFIED, EXITED}),
    VERIFIED: frozenset({REVIEWED, EXITED}),
    REVIEWED: frozenset({FILED, EXITED}),
    FILED: frozenset({AIDED, EXITED}),
    AIDED: frozenset({RECHECKED, EXITED}),
    RECHECKED: frozenset({AIDED, RESOLVED, EXITED}),
    RESOLVED: frozenset(),
    EXITED: frozenset(),
}
# States in which the case is on file and must be rechecked yearly.
RECHECK_STATES = frozenset({FILED, AIDED, RECHECKED})
RECHECK_MONTHS = 12


def allowed_transitions(state: str) -> frozenset[str]:
    """UNION-09: the states an AssistanceCase may move to from ``state``.

    申请 → 核实 → 审核 → 建档 → 帮扶 → 复核, then 复核 → 帮扶 (aid continues for another
    year) or 解困. 退出 is possible from any open state (withdrawn, found ineligible,
    left the unit); 解困 only after a 复核. Recording an aid does not change the state.
    """
    if state not in CASE_TRANSITIONS:
        raise ValueError(f"未知的帮扶状态“{state}”。")
    return CASE_TRANSITIONS[state]


def check_transition(from_state: str, to_state: str) -> list[Finding]:
    """UNION-09: an error when ``from_state`` → ``to_state`` skips or reverses a step."""
    if to_state not in CASE_STATE_LABELS:
        raise ValueError(f"未知的帮扶状态“{to_state}”。")
    if to_state in allowed_transitions(from_state):
        return []
    targets = "、".join(CASE_STATE_LABELS[s] for s in CASE_STATE_LABELS if s in CASE_TRANSITIONS[from_state])
    return [
        Finding(
            "UNION-09",
            ERROR,
            f"帮扶档案不能从“{CASE_STATE_LABELS[from_state]}”转为“{CASE_STATE_LABELS[to_state]}”"
            + (f"，只能转为：{targets}。" if targets else "，该档案已办结。"),
        )
    ]


def check_recheck_due(*, state: str, filed_on: date | None, last_recheck_on: date | None, today: date) -> list[Finding]:
    """UNION-09: an open case on file is rechecked yearly; more than 12 months since the
    last 复核 (or since 建档 when never rechecked) as of ``today`` → warning. The day
    12 calendar months later is still in time."""
    if state not in RECHECK_STATES:
        return []
    since = last_recheck_on or filed_on
    if since is None:
        return [Finding("UNION-09", MISSING, "帮扶档案未填写建档日期。")]
    due = add_months(since, RECHECK_MONTHS)
    if today <= due:
        return []
    what = "上次复核" if last_recheck_on else "建档"
    return [
        Finding(
            "UNION-09",
            WARNING,
            f"帮扶档案自{what}（{fmt_iso(since)}）起已超过12个月未复核（应于{fmt_iso(due)}前复核）。",
        )
    ]


# ---------------------------------------------------------------- UNION-10

DEMOCRACY = "DEMOCRACY"
CIVILITY = "CIVILITY"
WARMTH = "WARMTH"
PERFORMANCE = "PERFORMANCE"
DIMENSION_LABELS = {
    DEMOCRACY: "民主之家",
    CIVILITY: "文明之家",
    WARMTH: "温暖之家",
    PERFORMANCE: "绩效之家",
}
# The 2009 five-point standard of 全总 for building a workers' home.
ORGANISED = "ORGANISED"
RIGHTS = "RIGHTS"
STANDARDISED = "STANDARDISED"
EFFECTIVE = "EFFECTIVE"
TRUSTED = "TRUSTED"
STANDARD_LABELS = {
    ORGANISED: "组织健全",
    RIGHTS: "维权到位",
    STANDARDISED: "工作规范",
    EFFECTIVE: "作用明显",
    TRUSTED: "职工信赖",
}


@dataclass(frozen=True)
class ChecklistItem:
    """One criterion of the workers' home checklist, worth ``weight`` points."""

    code: str
    dimension: str  # DEMOCRACY | CIVILITY | WARMTH | PERFORMANCE
    text: str
    weight: Decimal
    standard: str | None = None  # one of the 2009 five points, if scored there


def _item(code: str, dimension: str, standard: str, weight: int, text: str) -> ChecklistItem:
    return ChecklistItem(code=code, dimension=dimension, text=text, weight=Decimal(weight), standard=standard)


# The shipped default (100 points); administrators replace it with their own list.
DEFAULT_CHECKLIST: tuple[ChecklistItem, ...] = (
    _item("D1", DEMOCRACY, ORGANISED, 8, "依法建立工会组织，工会委员会健全，按期换届"),
    _item("D2", DEMOCRACY, ORGANISED, 6, "职工入会率达标，会员信息和档案齐全"),
    _item("D3", DEMOCRACY, RIGHTS, 8, "坚持职工代表大会制度，每年至少召开一次"),
    _item("D4", DEMOCRACY, RIGHTS, 6, "推行政务公开，职工参与民主管理和民主监督"),
    _item("D5", DEMOCRACY, STANDARDISED, 5, "工会经费按规定拨缴、独立核算，经费收支向会员公开"),
    _item("C1", CIVILITY, EFFECTIVE, 6, "开展职工思想政治教育和学习型机关建设"),
    _item("C2", CIVILITY, EFFECTIVE, 6, "经常开展文体活动，坚持工间操"),
    _item("C3", CIVILITY, STANDARDISED, 6, "职工之家活动阵地齐全并正常开放"),
    _item("C4", CIVILITY, STANDARDISED, 6, "工作制度健全，台账资料规范"),
    _item("W1", WARMTH, RIGHTS, 7, "困难职工建档帮扶，帮扶记录完整"),
    _item("W2", WARMTH, STANDARDISED, 6, "节日、生日、婚育、住院、退休、丧事慰问按标准开展"),
    _item("W3", WARMTH, RIGHTS, 5, "关心职工身心健康，组织体检和疗休养"),
    _item("W4", WARMTH, TRUSTED, 8, "会员对工会工作的满意率"),
    _item("P1", PERFORMANCE, EFFECTIVE, 6, "开展劳动竞赛、技能比赛和岗位练兵"),
    _item("P2", PERFORMANCE, EFFECTIVE, 5, "组织合理化建议和创新活动，成果得到采纳"),
    _item("P3", PERFORMANCE, TRUSTED, 6, "职工信赖工会，主动反映意见和诉求"),
)


@dataclass(frozen=True)
class Subtotal:
    score: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class ChecklistResult:
    """UNION-10: the scored checklist; ``percent`` is score ÷ maximum × 100 (0.01)."""

    score: Decimal
    maximum: Decimal
    percent: Decimal
    by_dimension: dict[str, Subtotal]
    by_standard: dict[str, Subtotal]
    findings: tuple[Finding, ...]


def score_checklist(
    scores: Mapping[str, object], *, items: Iterable[ChecklistItem] = DEFAULT_CHECKLIST
) -> ChecklistResult:
    """UNION-10: score a self-assessment or a review of a workers' home.

    ``scores`` maps item code → points awarded (0 … the item's weight). An item
    without a score counts 0 and is reported as missing; an unknown code, a score
    above the weight or a dimension/standard outside the lists raises ``ValueError``.
    Subtotals are given per dimension (民主/文明/温暖/绩效之家) and per point of the
    2009 five-point standard.
    """
    items = tuple(items)
    by_code = {item.code: item for item in items}
    unknown = sorted(set(scores) - set(by_code))
    if unknown:
        raise ValueError(f"评分表中没有这些项目：{'、'.join(unknown)}。")
    dims = {d: [ZERO, ZERO] for d in DIMENSION_LABELS}
    stds = {s: [ZERO, ZERO] for s in STANDARD_LABELS}
    findings: list[Finding] = []
    for item in items:
        if item.dimension not in DIMENSION_LABELS:
            raise ValueError(f"评分项目{item.code}的类别“{item.dimension}”无效。")
        if item.standard is not None and item.standard not in STANDARD_LABELS:
            raise ValueError(f"评分项目{item.code}的建家标准“{item.standard}”无效。")
        weight = parse_amount(item.weight, label=f"评分项目{item.code}的分值")
        if item.code in scores:
            points = parse_amount(scores[item.code], label=f"评分项目{item.code}的得分")
            if points > weight:
                raise ValueError(f"评分项目{item.code}的得分{points}超过其分值{weight}。")
        else:
            points = ZERO
            findings.append(Finding("UNION-10", MISSING, f"评分项目{item.code}（{item.text}）未评分，按0分计。"))
        for bucket in (dims[item.dimension], stds[item.standard] if item.standard else None):
            if bucket is not None:
                bucket[0] += points
                bucket[1] += weight
    score = sum((v[0] for v in dims.values()), ZERO)
    maximum = sum((v[1] for v in dims.values()), ZERO)
    percent = round_money(score * 100 / maximum) if maximum else ZERO
    return ChecklistResult(
        score=score,
        maximum=maximum,
        percent=percent,
        by_dimension={d: Subtotal(*v) for d, v in dims.items()},
        by_standard={s: Subtotal(*v) for s, v in stds.items()},
        findings=tuple(findings),
    )


# ---------------------------------------------------------------- UNION-11

MODEL = "MODEL"
ADVANCED = "ADVANCED"
NONE = "NONE"
RATING_LABELS = {MODEL: "模范职工之家", ADVANCED: "先进职工之家", NONE: "不具备评选条件"}


def membership_rate(*, member_count: int, staff_count: int) -> Decimal:
    """UNION-11: union members as a percentage of staff, half-up to 0.01."""
    if staff_count < 1:
        raise ValueError(f"职工人数应为正整数，填写的是{staff_count}。")
    if not 0 <= member_count <= staff_count:
        raise ValueError(f"会员人数{member_count}应在0至职工人数{staff_count}之间。")
    return round_money(Decimal(member_count) * 100 / staff_count)


def workers_home_rating(
    *,
    member_count: int,
    staff_count: int,
    satisfaction_percent: object,
    holds_lower_title: bool,
    min_membership_rate: object = 90,
    min_satisfaction: object = 90,
    requires_lower_title: bool = True,
) -> tuple[str, list[Finding]]:
    """UNION-11: the rating a workers' home may be put forward for, and why not higher.

    模范 (``MODEL``) needs membership ≥ ``min_membership_rate`` % of staff (setting
    UNION_MODEL_MEMBERSHIP_RATE), satisfaction ≥ ``min_satisfaction`` % (setting
    UNION_MODEL_SATISFACTION) and the lower-level title already held (setting
    UNION_MODEL_REQUIRES_LOWER_TITLE). Meeting both rates without the lower title
    gives ``ADVANCED`` (先进, the step before 模范); missing a rate gives ``NONE``.
    The membership rate is compared exactly (9 of 10 is 90 %).
    """
    rate = membership_rate(member_count=member_count, staff_count=staff_count)
    satisfaction = _percent(satisfaction_percent, label="会员满意率")
    need_rate = _percent(min_membership_rate, label="会员入会率标准")
    need_satisfaction = _percent(min_satisfaction, label="会员满意率标准")
    findings: list[Finding] = []
    if Decimal(member_count) * 100 < need_rate * staff_count:
        findings.append(
            Finding(
                "UNION-11",
                ERROR,
                f"会员入会率{rate}%（{member_count}/{staff_count}人）低于{need_rate}%的标准。",
            )
        )
    if satisfaction < need_satisfaction:
        findings.append(Finding("UNION-11", ERROR, f"会员满意率{satisfaction}%低于{need_satisfaction}%的标准。"))
    if findings:
        return NONE, findings
    if requires_lower_title and not holds_lower_title:
        findings.append(
            Finding(
                "UNION-11",
                WARNING,
                "尚未获得下一级职工之家称号，不能直接申报模范职工之家，本次可申报先进职工之家。",
            )
        )
        return ADVANCED, findings
    return MODEL, findings
