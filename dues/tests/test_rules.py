"""Tests of the party dues rules; each test names its rule ID (DUES-xx)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.dates import add_months
from core.findings import ERROR, MISSING, WARNING
from dues import rules
from dues.rules import (
    BaseRecord,
    DuesRow,
    base_for_month,
    check_back_payment,
    check_reduction,
    check_unpaid_streaks,
    check_voluntary_payment,
    collection_report,
    due_months,
    first_due_month,
    monthly_dues,
    must_remit_in_full,
    parse_amount,
    retired_dues,
    salary_dues,
    salary_rate,
)

D = Decimal


# ------------------------------------------------------------ DUES-02 salary tiers


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("0", "0.00"),
        ("0.01", "0.00"),
        ("1000", "5.00"),
        ("3000.00", "15.00"),
        ("3000.01", "30.00"),
        ("4500.00", "45.00"),
        ("5000.00", "50.00"),
        ("5000.01", "75.00"),
        ("10000.00", "150.00"),
        ("10000.01", "200.00"),
        ("12345.67", "246.91"),
    ],
)
def test_dues02_rate_applies_to_whole_base(base, expected):
    # DUES-02: not marginal — 3000.01 pays 1 % of the whole base.
    assert salary_dues(base) == D(expected)


def test_dues02_half_up_rounding():
    # DUES-02: 0.5 % of 1001.00 = 5.005 → 5.01 (half-up, not banker's 5.00).
    assert salary_dues("1001.00") == D("5.01")
    # 1 % of 3000.50 = 30.005 → 30.01
    assert salary_dues("3000.50") == D("30.01")


def test_dues02_rates():
    assert salary_rate("3000") == D("0.005")
    assert salary_rate("3000.01") == D("0.01")
    assert salary_rate("10000") == D("0.015")
    assert salary_rate("10000.01") == D("0.02")


def test_dues02_result_is_decimal_with_two_places():
    amount = salary_dues(4500)
    assert isinstance(amount, Decimal)
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize("bad", ["-1", "-0.01", "abc", "", "NaN", "Infinity", "1.001", None, [], 4500.0, True])
def test_dues02_bad_base_is_refused_in_chinese(bad):
    # DUES-02: negative, non-numeric, float or sub-fen bases raise ValueError (Chinese message).
    with pytest.raises(ValueError) as info:
        salary_dues(bad)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


def test_dues02_parse_amount_accepts_int_decimal_str():
    assert parse_amount(4500) == D("4500.00")
    assert parse_amount(D("4500.5")) == D("4500.50")
    assert parse_amount(" 4500.00 ") == D("4500.00")
    assert parse_amount("-0") == D("0.00")
    assert str(parse_amount("-0")) == "0.00"


# ------------------------------------------------------------ DUES-03 retirees


@pytest.mark.parametrize(
    ("pension", "expected"),
    [("3000", "15.00"), ("5000.00", "25.00"), ("5000.01", "50.00"), ("8000", "80.00")],
)
def test_dues03_retired_tiers(pension, expected):
    assert retired_dues(pension) == D(expected)


def test_dues03_negative_pension_refused():
    with pytest.raises(ValueError, match="不能为负数"):
        retired_dues("-100")


# ------------------------------------------------------------ DUES-04 farmers and flat kinds


@pytest.mark.parametrize("amount", ["0.20", "0.5", "1.00", "1"])
def test_dues04_farmer_chooses_within_range(amount):
    assert monthly_dues("farmer", amount) == parse_amount(amount)


@pytest.mark.parametrize("amount", ["0.19", "1.01", "0", "5"])
def test_dues04_farmer_outside_range_refused(amount):
    with pytest.raises(ValueError, match="0.20元至1.00元"):
        monthly_dues("farmer", amount)


@pytest.mark.parametrize("kind", ["student", "unemployed", "relief"])
def test_dues04_flat_kinds_pay_twenty_fen(kind):
    assert monthly_dues(kind) == D("0.20")
    assert monthly_dues(kind, "9000") == D("0.20")


def test_dues04_flat_kind_still_validates_a_given_base():
    with pytest.raises(ValueError):
        monthly_dues("student", "-1")


# ------------------------------------------------------------ DUES-05 annual salary, self-employed


def test_dues05_annual_salary_uses_pay_received_that_month():
    assert monthly_dues("annual", "20000") == D("400.00")
    assert monthly_dues("annual", "0") == D("0.00")  # a month without pay


def test_dues05_self_employed_average_of_previous_quarter():
    assert rules.self_employed_base(["3000", "4000", "5000"]) == D("4000.00")
    assert rules.self_employed_dues(["3000", "4000", "5000"]) == D("40.00")
    # the average itself is half-up to the fen
    assert rules.self_employed_base(["1", "1", "2"]) == D("1.33")


def test_dues05_self_employed_needs_three_months():
    with pytest.raises(ValueError, match="3个月"):
        rules.self_employed_base(["3000", "4000"])


def test_dues02_05_unknown_kind_or_missing_base():
    with pytest.raises(ValueError, match="未知的党员交费类别"):
        monthly_dues("pensioner", "100")
    with pytest.raises(ValueError, match="须提供"):
        monthly_dues("salary")


# ------------------------------------------------------------ DUES-06


def test_dues06_first_month_is_month_of_admitting_general_meeting():
    assert first_due_month(date(2026, 3, 31)) == date(2026, 3, 1)


def test_dues06_due_months_range_and_last_due():
    months = due_months(first_due=date(2025, 11, 20), until=date(2026, 2, 3))
    assert months == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert due_months(first_due=date(2026, 1, 5), until=date(2026, 6, 1), last_due=date(2026, 2, 28)) == [
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert due_months(first_due=date(2026, 5, 1), until=date(2026, 4, 30)) == []


# ------------------------------------------------------------ DUES-07


RECORDS = [
    BaseRecord(date(2025, 1, 1), D("4000.00")),
    BaseRecord(date(2025, 7, 1), D("4600.00")),
    BaseRecord(date(2026, 1, 1), D("4800.00")),
    BaseRecord(date(2026, 5, 15), D("5200.00")),
]


def test_dues07_monthly_policy_follows_the_new_pay_from_its_month():
    assert base_for_month(RECORDS, date(2025, 6, 1), policy="monthly") == D("4000.00")
    assert base_for_month(RECORDS, date(2025, 7, 1), policy="monthly") == D("4600.00")
    assert base_for_month(RECORDS, date(2026, 5, 1), policy="monthly") == D("5200.00")


def test_dues07_annual_policy_fixes_the_base_in_january():
    assert base_for_month(RECORDS, date(2025, 9, 1), policy="annual") == D("4000.00")
    assert base_for_month(RECORDS, date(2026, 1, 1), policy="annual") == D("4800.00")
    assert base_for_month(RECORDS, date(2026, 12, 1), policy="annual") == D("4800.00")


def test_dues07_annual_policy_member_without_january_record():
    records = [BaseRecord(date(2026, 6, 10), D("3500.00")), BaseRecord(date(2026, 9, 1), D("3900.00"))]
    assert base_for_month(records, date(2026, 5, 1), policy="annual") is None
    assert base_for_month(records, date(2026, 10, 1), policy="annual") == D("3500.00")
    assert base_for_month(records, date(2027, 2, 1), policy="annual") == D("3900.00")


def test_dues07_unknown_policy_refused():
    with pytest.raises(ValueError, match="monthly"):
        base_for_month(RECORDS, date(2026, 1, 1), policy="weekly")


# ------------------------------------------------------------ DUES-08


def test_dues08_complete_reduction_passes():
    assert (
        check_reduction(applied_on=date(2026, 1, 5), branch_studied_on=date(2026, 1, 10), approved_on=date(2026, 1, 20))
        == []
    )


def test_dues08_no_superior_approval_is_an_error():
    findings = check_reduction(applied_on=date(2026, 1, 5), branch_studied_on=date(2026, 1, 10), approved_on=None)
    assert [(f.rule, f.severity) for f in findings] == [("DUES-08", ERROR)]
    assert "上一级党委批准" in findings[0].message


def test_dues08_missing_application_and_study_with_approval():
    findings = check_reduction(applied_on=None, branch_studied_on=None, approved_on=date(2026, 1, 20), exemption=True)
    assert [f.severity for f in findings] == [MISSING, MISSING]
    assert all("免交党费" in f.message for f in findings)


def test_dues08_steps_out_of_order():
    findings = check_reduction(
        applied_on=date(2026, 1, 15), branch_studied_on=date(2026, 1, 10), approved_on=date(2026, 1, 20)
    )
    assert [f.severity for f in findings] == [ERROR]
    assert "2026-01-10" in findings[0].message


# ------------------------------------------------------------ DUES-09


def _months(start: date, count: int) -> list[date]:
    return due_months(first_due=start, until=add_months(start, count - 1))


def test_dues09_six_consecutive_unpaid_months_is_an_error():
    paid = _months(date(2025, 1, 1), 6)  # Jan–Jun 2025 paid, Jul–Dec unpaid
    findings = check_unpaid_streaks(first_due=date(2025, 1, 1), paid_months=paid, today=date(2026, 1, 10))
    assert [(f.rule, f.severity) for f in findings] == [("DUES-09", ERROR)]
    assert "2025年7月至2025年12月连续6个月" in findings[0].message
    assert len(findings[0].extra["months"]) == 6


def test_dues09_five_months_or_current_month_not_yet():
    paid = _months(date(2025, 1, 1), 7)  # unpaid Aug–Dec = 5 completed months
    assert check_unpaid_streaks(first_due=date(2025, 1, 1), paid_months=paid, today=date(2026, 1, 31)) == []


def test_dues09_recorded_reason_breaks_the_streak():
    paid = _months(date(2025, 1, 1), 6)
    findings = check_unpaid_streaks(
        first_due=date(2025, 1, 1), paid_months=paid, excused_months=[date(2025, 9, 1)], today=date(2026, 1, 1)
    )
    assert findings == []


def test_dues09_months_before_first_due_do_not_count():
    findings = check_unpaid_streaks(first_due=date(2025, 10, 15), paid_months=[], today=date(2026, 3, 1))
    assert findings == []  # Oct–Feb = 5 months
    findings = check_unpaid_streaks(first_due=date(2025, 10, 15), paid_months=[], today=date(2026, 4, 1))
    assert len(findings) == 1


def test_dues09_back_payment_over_six_months_is_a_warning():
    seven = _months(date(2025, 6, 1), 7)  # Jun–Dec 2025
    findings = check_back_payment(months_covered=seven, paid_on=date(2026, 1, 10))
    assert [(f.rule, f.severity) for f in findings] == [("DUES-09", WARNING)]
    six = _months(date(2025, 7, 1), 6)
    assert check_back_payment(months_covered=six, paid_on=date(2026, 1, 10)) == []


def test_dues09_paying_the_quarter_in_advance_is_not_back_payment():
    months = _months(date(2025, 8, 1), 9)  # Aug 2025–Apr 2026, paid in Jan 2026: 5 back months
    assert check_back_payment(months_covered=months, paid_on=date(2026, 1, 10)) == []


# ------------------------------------------------------------ DUES-10


def test_dues10_voluntary_payment_above_1000_is_flagged():
    assert not must_remit_in_full("1000.00")
    assert check_voluntary_payment("1000.00") == []
    assert must_remit_in_full("1000.01")
    findings = check_voluntary_payment("5000")
    assert [(f.rule, f.severity) for f in findings] == [("DUES-10", WARNING)]
    assert findings[0].extra["remit_in_full"] is True
    assert "全额上缴" in findings[0].message


# ------------------------------------------------------------ DUES-11


def test_dues11_collection_report_per_branch():
    rows = [
        DuesRow("张三", D("45.00"), D("45.00")),
        DuesRow("李四", D("30.00"), D("0.00")),
        DuesRow("张三", D("45.00"), D("40.00")),
    ]
    report = collection_report(rows, branch="第一党支部", year=2026)
    assert [m.member for m in report.members] == ["张三", "李四"]
    assert report.members[0].due == D("90.00") and report.members[0].arrears == D("5.00")
    assert (report.due, report.paid, report.arrears) == (D("120.00"), D("85.00"), D("35.00"))
    assert report.member_count == 2
    assert report.reconciles()


def test_dues11_empty_branch():
    report = collection_report([], branch="第二党支部", year=2026)
    assert (report.due, report.paid, report.arrears, report.member_count) == (D("0"), D("0"), D("0"), 0)
    assert report.reconciles()


def test_dues11_bad_row_refused():
    with pytest.raises(ValueError):
        collection_report([DuesRow("张三", D("-1"), D("0"))], branch="b", year=2026)


# ------------------------------------------------------------ properties

MONEY = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
TIERS = [(D("0"), D("3000")), (D("3000.01"), D("5000")), (D("5000.01"), D("10000")), (D("10000.01"), D("10000000"))]


@given(base=MONEY)
def test_dues02_property_never_negative_and_two_places(base):
    # DUES-02: dues are never negative and always to the fen.
    for kind in ("salary", "retired", "annual"):
        amount = monthly_dues(kind, base)
        assert amount >= 0
        assert amount.as_tuple().exponent == -2


@given(data=st.data(), tier=st.sampled_from(TIERS))
def test_dues02_property_monotone_within_a_tier(data, tier):
    # DUES-02: within one tier a higher base never pays less (same rate).
    low, high = tier
    a = data.draw(st.decimals(min_value=low, max_value=high, places=2))
    b = data.draw(st.decimals(min_value=a, max_value=high, places=2))
    assert salary_rate(a) == salary_rate(b)
    assert salary_dues(a) <= salary_dues(b)


@given(a=MONEY, b=MONEY)
def test_dues02_03_property_monotone_across_tiers(a, b):
    # DUES-02/DUES-03: the whole-base rate rises with the base, so dues never fall as the base rises.
    low, high = sorted((a, b))
    assert salary_dues(low) <= salary_dues(high)
    assert retired_dues(low) <= retired_dues(high)


ROWS = st.lists(
    st.builds(DuesRow, member=st.sampled_from(["张三", "李四", "王五", "赵六"]), due=MONEY, paid=MONEY),
    max_size=40,
)


@given(rows=ROWS)
def test_dues11_property_report_reconciles(rows):
    # DUES-11: sum of members = branch total; due − paid = arrears.
    report = collection_report(rows, branch="第一党支部", year=2026)
    assert report.reconciles()
    assert report.due == sum((r.due for r in rows), D("0"))
    assert report.paid == sum((r.paid for r in rows), D("0"))
    assert report.due - report.paid == report.arrears
    assert sum((m.arrears for m in report.members), D("0")) == report.arrears
    assert report.member_count == len({r.member for r in rows})


# ------------------------------------------------------------ DUES-07 setting declaration


def test_dues07_base_policy_setting_declared():
    import dues.rule_settings  # noqa: F401  (registers on import)
    from core.rule_settings import get_setting

    setting = get_setting("DUES_BASE_POLICY")
    assert (setting.default, setting.kind, setting.rule, setting.owner) == ("annual", "choice", "DUES-07", "party")
    assert {key for key, _ in setting.choices} == set(rules.BASE_POLICIES)
    assert setting.parse("monthly") == "monthly"
    with pytest.raises(ValueError):
        setting.parse("weekly")
