"""Tests of the trade-union rules; each test names its rule ID (UNION-xx)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.findings import ERROR, MISSING, WARNING
from union import rules
from union.rules import (
    ADVANCED,
    DEEP,
    MODEL,
    NONE,
    RELATIVE,
    check_care_grant,
    check_festival,
    check_festival_gift_kind,
    check_festival_grant,
    check_festival_welfare,
    check_recheck_due,
    check_transition,
    classify_hardship,
    festival_allowance_left,
    hardship_category,
    per_capita_monthly_income,
    score_checklist,
    union_dues,
    union_funds_allocation,
    workers_home_rating,
)

D = Decimal
CAP = D("1200.00")


# ------------------------------------------------------------ UNION-01, 02


@pytest.mark.parametrize(("base", "expected"), [("4500.00", "22.50"), ("1001", "5.01"), ("0", "0.00"), ("999", "5.00")])
def test_union01_dues_half_percent_half_up(base, expected):
    # UNION-01: 0.5 % of 999 = 4.995 → 5.00 half-up
    assert union_dues(base) == D(expected)


@pytest.mark.parametrize("bad", ["-1", "x", 12.5])
def test_union01_bad_base(bad):
    with pytest.raises(ValueError):
        union_dues(bad)


def test_union02_allocation_two_percent_and_grassroots_share():
    allocation = union_funds_allocation("500000.00", grassroots_share_percent=D("60.00"))
    assert allocation.total == D("10000.00")
    assert allocation.grassroots == D("6000.00")
    assert allocation.upper == D("4000.00")


def test_union02_share_above_100_refused():
    with pytest.raises(ValueError, match="0至100"):
        union_funds_allocation("1000", grassroots_share_percent="120")


@given(
    payroll=st.decimals(min_value=0, max_value=10**8, places=2),
    share=st.decimals(min_value=0, max_value=100, places=2),
)
def test_union02_property_parts_add_up(payroll, share):
    # UNION-02: grassroots + upper = total, nothing negative
    allocation = union_funds_allocation(payroll, grassroots_share_percent=share)
    assert allocation.grassroots + allocation.upper == allocation.total
    assert allocation.grassroots >= 0 and allocation.upper >= 0


# ------------------------------------------------------------ UNION-03


@pytest.mark.parametrize("festival", ["春节", "元旦", "新年", "中秋", "国庆节", " 端午节 "])
def test_union03_listed_festivals_allowed(festival):
    assert check_festival(festival) == []


@pytest.mark.parametrize("festival", ["三八", "三八妇女节", "妇女节"])
def test_union03_womens_day_refused_as_womens_committee_activity(festival):
    findings = check_festival(festival)
    assert [(f.rule, f.severity) for f in findings] == [("UNION-03", ERROR)]
    assert "女职工委员会" in findings[0].message


def test_union03_womens_day_refused_even_if_listed():
    assert check_festival("三八", festivals=["春节", "三八"])[0].rule == "UNION-03"


def test_union03_unlisted_and_minority_festivals():
    assert check_festival("圣诞节")[0].severity == ERROR
    # an approved minority festival added to the setting list
    assert check_festival("古尔邦节") != []
    assert check_festival("古尔邦节", festivals=[*rules.DEFAULT_FESTIVALS, "古尔邦节"]) == []


# ------------------------------------------------------------ UNION-04


def test_union04_goods_allowed():
    assert check_festival_gift_kind("goods") == []


@pytest.mark.parametrize("kind", ["cash", "card", "cake_voucher"])
def test_union04_cash_or_card_festival_gift_refused(kind):
    findings = check_festival_gift_kind(kind)
    assert [(f.rule, f.severity) for f in findings] == [("UNION-04", ERROR)]
    assert "实物" in findings[0].message


def test_union04_unknown_kind():
    with pytest.raises(ValueError, match="未知的慰问品形式"):
        check_festival_gift_kind("stocks")


# ------------------------------------------------------------ UNION-05


def test_union05_grant_landing_exactly_on_the_cap_is_allowed():
    assert check_festival_grant(D("1000.00"), D("200.00"), CAP) == []
    assert check_festival_grant("0", "1200", "1200") == []


def test_union05_one_cent_over_the_cap_is_refused_with_remaining_amount():
    findings = check_festival_grant(D("1000.00"), D("200.01"), CAP)
    assert [(f.rule, f.severity) for f in findings] == [("UNION-05", ERROR)]
    assert "剩余额度200.00元" in findings[0].message
    assert findings[0].extra["remaining"] == "200.00"


def test_union05_already_at_or_past_cap_shows_zero_left():
    findings = check_festival_grant("1300", "10", CAP)
    assert "剩余额度0.00元" in findings[0].message
    assert festival_allowance_left("1300", CAP) == D("0.00")
    assert festival_allowance_left("450.50", CAP) == D("749.50")


def test_union05_jiangsu_cap_setting():
    assert check_festival_grant("1200", "600", "1800") == []


def test_union05_negative_amount_refused():
    with pytest.raises(ValueError, match="不能为负数"):
        check_festival_grant("0", "-1", CAP)


def test_union03_04_05_combined_check():
    findings = check_festival_welfare(
        festival="三八", gift_kind="card", already_granted_this_year="1100", amount="200", cap=CAP
    )
    assert [f.rule for f in findings] == ["UNION-03", "UNION-04", "UNION-05"]
    assert (
        check_festival_welfare(festival="春节", gift_kind="goods", already_granted_this_year="0", amount="300", cap=CAP)
        == []
    )


@given(
    already=st.decimals(min_value=0, max_value=3000, places=2),
    amount=st.decimals(min_value=0, max_value=3000, places=2),
)
def test_union05_property_refused_exactly_when_over_cap(already, amount):
    # UNION-05: allowed iff already + amount ≤ cap
    assert (check_festival_grant(already, amount, CAP) == []) == (already + amount <= CAP)


# ------------------------------------------------------------ UNION-06


@pytest.mark.parametrize(
    ("event", "cap", "kind"),
    [
        ("birthday", "300", "cake"),
        ("birthday", "300", "cake_voucher"),
        ("wedding", "1000", "goods"),
        ("childbirth", "500", "goods"),
        ("retirement", "1000", "goods"),
        ("illness", "1000", "cash"),
        ("death", "1000", "cash"),
    ],
)
def test_union06_at_cap_with_allowed_form(event, cap, kind):
    assert check_care_grant(event=event, amount=cap, gift_kind=kind, cap=cap, relation="parent") == []


def test_union06_over_cap_refused():
    findings = check_care_grant(event="childbirth", amount="500.01", gift_kind="goods", cap="500")
    assert [(f.rule, f.severity) for f in findings] == [("UNION-06", ERROR)]
    assert "500.00元" in findings[0].message


@pytest.mark.parametrize(
    ("event", "kind"), [("birthday", "goods"), ("birthday", "cash"), ("wedding", "cash"), ("illness", "card")]
)
def test_union06_wrong_form_refused(event, kind):
    findings = check_care_grant(event=event, amount="100", gift_kind=kind, cap="1000")
    assert [f.rule for f in findings] == ["UNION-06"]


def test_union06_death_relation():
    assert check_care_grant(event="death", amount="100", gift_kind="cash", cap="1000", relation="spouse") == []
    missing = check_care_grant(event="death", amount="100", gift_kind="cash", cap="1000")
    assert [f.severity for f in missing] == [MISSING]
    refused = check_care_grant(event="death", amount="100", gift_kind="cash", cap="1000", relation="cousin")
    assert [f.severity for f in refused] == [ERROR]


def test_union06_unknown_event():
    with pytest.raises(ValueError, match="未知的慰问事项"):
        check_care_grant(event="graduation", amount="1", gift_kind="goods", cap="1")


# ------------------------------------------------------------ UNION-07

LINE = D("800.00")


def test_union07_per_capita_formula():
    # (60000 − 12000) ÷ 12 ÷ 4 = 1000.00
    assert per_capita_monthly_income("60000", "12000", 4) == D("1000.00")
    # (10000 − 0) ÷ 12 ÷ 3 = 277.777… → 277.78
    assert per_capita_monthly_income("10000", "0", 3) == D("277.78")
    # rigid expenses above income → negative
    assert per_capita_monthly_income("1200", "2400", 1) == D("-100.00")


@pytest.mark.parametrize(
    ("income", "expected"),
    [
        ("799.99", DEEP),
        ("800.00", RELATIVE),  # equal to 低保 is not below it
        ("1599.99", RELATIVE),
        ("1600.00", None),  # equal to 2 × 低保 is not below it
        ("-100.00", DEEP),
    ],
)
def test_union07_hardship_category_boundaries(income, expected):
    assert hardship_category(D(income), low_income_line=LINE) == expected


def test_union07_classify_uses_the_figure_shown():
    # 9599.99 ÷ 12 = 799.999… shown as 800.00 → 相对困难, consistent with what is shown
    assert classify_hardship(
        annual_disposable_income="9599.99", rigid_expenses="0", household_size=1, low_income_line=LINE
    ) == (D("800.00"), RELATIVE)
    assert classify_hardship(
        annual_disposable_income="38399.52", rigid_expenses="0", household_size=4, low_income_line=LINE
    ) == (D("799.99"), DEEP)


@pytest.mark.parametrize("size", [0, -1, 2.5, True, "3"])
def test_union07_household_size_must_be_positive_integer(size):
    with pytest.raises(ValueError, match="家庭人口数"):
        per_capita_monthly_income("10000", "0", size)


# ------------------------------------------------------------ UNION-08


def test_union08_costs_strictly_above_80_percent():
    assert not rules.is_accident_hardship(accident_illness_costs="40000", household_annual_income="50000")
    assert rules.is_accident_hardship(accident_illness_costs="40000.01", household_annual_income="50000")


def test_union08_incident_flags():
    reasons = rules.accident_hardship_reasons(disabled_in_incident=True)
    assert reasons == ["因灾害或重大事故致残"]
    assert rules.is_accident_hardship(died_in_incident=True)
    assert rules.is_accident_hardship(injured_in_incident=True)
    assert not rules.is_accident_hardship()


def test_union08_costs_with_no_income():
    assert rules.is_accident_hardship(accident_illness_costs="0.01", household_annual_income="0")


# ------------------------------------------------------------ UNION-09


def test_union09_workflow_in_order():
    path = ["APPLIED", "VERIFIED", "REVIEWED", "FILED", "AIDED", "RECHECKED", "AIDED", "RECHECKED", "RESOLVED"]
    for a, b in zip(path, path[1:], strict=False):
        assert check_transition(a, b) == [], (a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("APPLIED", "FILED"), ("VERIFIED", "AIDED"), ("AIDED", "RESOLVED"), ("RESOLVED", "AIDED"), ("FILED", "APPLIED")],
)
def test_union09_skipping_or_reversing_is_an_error(a, b):
    findings = check_transition(a, b)
    assert [(f.rule, f.severity) for f in findings] == [("UNION-09", ERROR)]


def test_union09_exit_from_any_open_state():
    for state in ["APPLIED", "VERIFIED", "REVIEWED", "FILED", "AIDED", "RECHECKED"]:
        assert "EXITED" in rules.allowed_transitions(state)
    assert rules.allowed_transitions("EXITED") == frozenset()
    assert "已办结" in check_transition("EXITED", "AIDED")[0].message


def test_union09_unknown_state():
    with pytest.raises(ValueError):
        rules.allowed_transitions("DONE")


def test_union09_recheck_more_than_12_months_is_a_warning():
    kwargs = {"state": "AIDED", "filed_on": date(2024, 3, 1), "last_recheck_on": date(2025, 3, 31)}
    assert check_recheck_due(**kwargs, today=date(2026, 3, 31)) == []  # exactly 12 months: in time
    findings = check_recheck_due(**kwargs, today=date(2026, 4, 1))
    assert [(f.rule, f.severity) for f in findings] == [("UNION-09", WARNING)]
    assert "2025-03-31" in findings[0].message


def test_union09_recheck_counts_from_filing_when_never_rechecked():
    findings = check_recheck_due(
        state="FILED", filed_on=date(2025, 1, 10), last_recheck_on=None, today=date(2026, 1, 11)
    )
    assert "建档" in findings[0].message
    assert (
        check_recheck_due(state="RESOLVED", filed_on=date(2020, 1, 1), last_recheck_on=None, today=date(2026, 1, 1))
        == []
    )
    assert check_recheck_due(state="APPLIED", filed_on=None, last_recheck_on=None, today=date(2026, 1, 1)) == []
    assert (
        check_recheck_due(state="AIDED", filed_on=None, last_recheck_on=None, today=date(2026, 1, 1))[0].severity
        == MISSING
    )


# ------------------------------------------------------------ UNION-10


def test_union10_default_checklist_is_100_points_over_four_dimensions_and_five_standards():
    items = rules.DEFAULT_CHECKLIST
    assert sum(i.weight for i in items) == 100
    assert {i.dimension for i in items} == set(rules.DIMENSION_LABELS)
    assert {i.standard for i in items} == set(rules.STANDARD_LABELS)


def test_union10_full_marks_and_subtotals():
    result = score_checklist({i.code: i.weight for i in rules.DEFAULT_CHECKLIST})
    assert (result.score, result.maximum, result.percent) == (D("100"), D("100"), D("100.00"))
    assert result.findings == ()
    assert sum(s.score for s in result.by_dimension.values()) == result.score
    assert sum(s.maximum for s in result.by_standard.values()) == result.maximum


def test_union10_custom_checklist_partial_and_missing():
    items = [
        rules.ChecklistItem("A", "DEMOCRACY", "职代会", D("10"), "RIGHTS"),
        rules.ChecklistItem("B", "WARMTH", "帮扶", D("20"), None),
    ]
    result = score_checklist({"A": "7.5"}, items=items)
    assert (result.score, result.maximum, result.percent) == (D("7.50"), D("30.00"), D("25.00"))
    assert result.by_dimension["WARMTH"].maximum == D("20.00")
    assert result.by_standard["RIGHTS"].score == D("7.50")
    assert [f.severity for f in result.findings] == [MISSING]


def test_union10_bad_scores():
    with pytest.raises(ValueError, match="超过"):
        score_checklist({"D1": 9})
    with pytest.raises(ValueError, match="没有这些项目"):
        score_checklist({"Z9": 1})


@given(st.data())
def test_union10_property_subtotals_reconcile(data):
    # UNION-10: dimension subtotals and standard subtotals both add up to the total
    scores = {
        i.code: data.draw(st.decimals(min_value=0, max_value=i.weight, places=2)) for i in rules.DEFAULT_CHECKLIST
    }
    result = score_checklist(scores)
    assert sum(s.score for s in result.by_dimension.values()) == result.score
    assert sum(s.score for s in result.by_standard.values()) == result.score
    assert 0 <= result.percent <= 100


# ------------------------------------------------------------ UNION-11


def test_union11_model_when_all_hard_conditions_hold():
    assert workers_home_rating(member_count=9, staff_count=10, satisfaction_percent=90, holds_lower_title=True) == (
        MODEL,
        [],
    )


def test_union11_advanced_without_lower_title():
    rating, findings = workers_home_rating(
        member_count=10, staff_count=10, satisfaction_percent=95, holds_lower_title=False
    )
    assert rating == ADVANCED
    assert [(f.rule, f.severity) for f in findings] == [("UNION-11", WARNING)]
    rating, _ = workers_home_rating(
        member_count=10, staff_count=10, satisfaction_percent=95, holds_lower_title=False, requires_lower_title=False
    )
    assert rating == MODEL


def test_union11_none_below_rates():
    # 26 of 29 = 89.66 % < 90 %
    rating, findings = workers_home_rating(
        member_count=26, staff_count=29, satisfaction_percent="89.99", holds_lower_title=True
    )
    assert rating == NONE
    assert len(findings) == 2 and "89.66%" in findings[0].message


def test_union11_staff_count_zero():
    with pytest.raises(ValueError, match="职工人数"):
        workers_home_rating(member_count=0, staff_count=0, satisfaction_percent=90, holds_lower_title=True)


# ------------------------------------------------------------ settings of union.md


def test_union_settings_declared_with_documented_defaults():
    # UNION-01…11: every *setting* of union.md is registered, owned by the union admin.
    import union.rule_settings  # noqa: F401  (registers on import)
    from core.rule_settings import get_setting

    expected = {
        "UNION_DUES_BASE_DEFINITION": "UNION-01",
        "UNION_GRASSROOTS_SHARE": "UNION-02",
        "UNION_FESTIVALS": "UNION-03",
        "UNION_FESTIVAL_ANNUAL_CAP": "UNION-05",
        "UNION_CAP_BIRTHDAY": "UNION-06",
        "UNION_CAP_WEDDING": "UNION-06",
        "UNION_CAP_CHILDBIRTH": "UNION-06",
        "UNION_CAP_RETIREMENT": "UNION-06",
        "UNION_CAP_ILLNESS": "UNION-06",
        "UNION_CAP_DEATH": "UNION-06",
        "UNION_LOW_INCOME_LINE": "UNION-07",
        "UNION_MODEL_MEMBERSHIP_RATE": "UNION-11",
        "UNION_MODEL_SATISFACTION": "UNION-11",
        "UNION_MODEL_REQUIRES_LOWER_TITLE": "UNION-11",
    }
    for key, rule in expected.items():
        setting = get_setting(key)
        assert (setting.rule, setting.area, setting.owner) == (rule, "工会工作", "union"), key
        assert setting.label and setting.source, key
        if setting.kind == "decimal":
            assert setting.parse(setting.default) == str(setting.default), key
    assert get_setting("UNION_FESTIVAL_ANNUAL_CAP").default == D("1200.00")
    assert get_setting("UNION_GRASSROOTS_SHARE").default == D("60.00")  # a percentage
    assert list(get_setting("UNION_FESTIVALS").default) == list(rules.DEFAULT_FESTIVALS)
    assert set(rules.CARE_CAP_SETTINGS.values()) <= set(expected)
    caps = {event: get_setting(key).default for event, key in rules.CARE_CAP_SETTINGS.items()}
    assert caps == {
        "birthday": D("300.00"),
        "wedding": D("1000.00"),
        "childbirth": D("500.00"),
        "retirement": D("1000.00"),
        "illness": D("1000.00"),
        "death": D("1000.00"),
    }
