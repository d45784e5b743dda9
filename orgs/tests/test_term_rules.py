"""TERM-01 … TERM-04 (rules/party-life.md): terms, re-elections and election meetings."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.dates import add_months, add_years
from core.findings import ERROR, WARNING
from orgs.term_rules import (
    CLOSED,
    DUE_SOON,
    NORMAL,
    OVERDUE,
    POSTPONED,
    TermFacts,
    TermSettings,
    check_election,
    check_term_length,
    election_is_valid,
    is_elected,
    planned_end,
    term_length,
    term_next_due,
    term_status,
)

DAY = timedelta(days=1)


def rules(findings):
    return [(f.rule, f.severity) for f in findings]


# --- TERM-01 -----------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "years"), [("COMMITTEE", 5), ("GENERAL_BRANCH", 3), ("BRANCH", 3)])
def test_term_01_statutory_length_from_2018_07_01(kind, years):
    assert term_length(kind, date(2018, 7, 1)) == years
    # A recorded length does not override the statute for a term begun from 2018-07-01.
    assert term_length(kind, date(2021, 3, 1), recorded_years=2) == years


@pytest.mark.parametrize(("kind", "years"), [("COMMITTEE", 4), ("GENERAL_BRANCH", 3), ("BRANCH", 2)])
def test_term_01_legacy_length_before_2018_07_01(kind, years):
    assert term_length(kind, date(2018, 6, 30)) == years
    assert term_length(kind, date(2018, 6, 30), recorded_years=5) == 5  # the recorded length wins


def test_term_01_legacy_lengths_are_a_setting():
    settings = TermSettings(LEGACY_TERM_YEARS={"COMMITTEE": 3, "GENERAL_BRANCH": 3, "BRANCH": 3})
    assert term_length("COMMITTEE", date(2015, 1, 1), settings=settings) == 3
    assert term_length("COMMITTEE", date(2018, 7, 1), settings=settings) == 5


def test_term_01_kinds_without_a_statutory_term_need_a_recorded_length():
    with pytest.raises(ValueError, match="党小组没有规定任期年限"):
        term_length("GROUP", date(2020, 1, 1))
    assert term_length("WORKING_COMMITTEE", date(2020, 1, 1), recorded_years=5) == 5


def test_term_01_recorded_length_contradicting_the_statute_is_a_warning():
    term = TermFacts("BRANCH", date(2019, 4, 1), length_years=2)
    assert rules(check_term_length(term)) == [("TERM-01", WARNING)]
    assert check_term_length(TermFacts("BRANCH", date(2019, 4, 1), length_years=3)) == []
    assert check_term_length(TermFacts("BRANCH", date(2018, 6, 30), length_years=2)) == []


# --- TERM-02 / TERM-03 --------------------------------------------------------------------------

BRANCH_TERM = TermFacts("BRANCH", date(2023, 8, 31))  # ends 2026-08-31
END = date(2026, 8, 31)


def test_term_02_planned_end_is_start_plus_length():
    assert planned_end(BRANCH_TERM) == END
    assert planned_end(TermFacts("COMMITTEE", date(2020, 2, 29))) == date(2025, 2, 28)
    assert planned_end(TermFacts("COMMITTEE", date(2016, 5, 10))) == date(2020, 5, 10)  # legacy 4 years


def test_term_03_warning_from_six_months_before_the_end():
    warn_from = add_months(END, -6)  # 2026-02-28
    assert warn_from == date(2026, 2, 28)
    assert term_status(BRANCH_TERM, today=warn_from - DAY).status == NORMAL
    assert term_status(BRANCH_TERM, today=warn_from - DAY).findings == ()
    status = term_status(BRANCH_TERM, today=warn_from)
    assert (status.status, status.label) == (DUE_SOON, "即将到期")
    assert rules(status.findings) == [("TERM-03", WARNING)]
    assert term_status(BRANCH_TERM, today=END).status == DUE_SOON


def test_term_03_warning_months_is_a_setting():
    settings = TermSettings(TERM_WARNING_MONTHS=3)
    assert term_status(BRANCH_TERM, today=date(2026, 5, 30), settings=settings).status == NORMAL
    assert term_status(BRANCH_TERM, today=date(2026, 5, 31), settings=settings).status == DUE_SOON


def test_term_02_overdue_without_approval_is_an_error():
    status = term_status(BRANCH_TERM, today=END + DAY)
    assert (status.status, status.label) == (OVERDUE, "已逾期")
    assert rules(status.findings) == [("TERM-02", ERROR)]
    assert "无上级批准延期记录" in status.findings[0].message


def test_term_02_approved_postponement():
    term = TermFacts("BRANCH", date(2023, 8, 31), postponed_to=date(2026, 12, 31), approval_note="区直机关党工委批复")
    status = term_status(term, today=END + DAY)
    assert (status.status, status.label, status.due_on) == (POSTPONED, "已批准延期", date(2026, 12, 31))
    assert rules(status.findings) == [("TERM-03", WARNING)]  # the approved date is near
    assert term_status(term, today=date(2026, 12, 31)).status == POSTPONED
    late = term_status(term, today=date(2027, 1, 1))
    assert late.status == OVERDUE and rules(late.findings) == [("TERM-02", ERROR)]
    assert "已批准延期至 2026-12-31" in late.findings[0].message


def test_term_02_shift_at_most_one_year():
    ok = TermFacts("BRANCH", date(2023, 8, 31), postponed_to=add_years(END, 1))
    assert term_status(ok, today=date(2026, 1, 5)).findings == ()
    too_far = TermFacts("BRANCH", date(2023, 8, 31), postponed_to=add_years(END, 1) + DAY)
    assert rules(term_status(too_far, today=date(2026, 1, 5)).findings) == [("TERM-02", ERROR)]
    advanced_too_far = TermFacts("BRANCH", date(2023, 8, 31), postponed_to=add_years(END, -1) - DAY)
    assert ("TERM-02", ERROR) in rules(term_status(advanced_too_far, today=date(2025, 1, 5)).findings)


def test_term_02_approved_advance_moves_the_due_date():
    term = TermFacts("BRANCH", date(2023, 8, 31), postponed_to=date(2026, 6, 30))
    assert term_status(term, today=date(2026, 6, 30)).status == DUE_SOON
    assert term_status(term, today=date(2026, 7, 1)).status == OVERDUE


@pytest.mark.parametrize(
    ("ended_on", "postponed_to", "expected"),
    [
        (END, None, []),
        (END + DAY, None, [("TERM-02", ERROR)]),
        (END - DAY, None, [("TERM-02", WARNING)]),  # advanced without a recorded approval
        (date(2026, 11, 30), date(2026, 11, 30), []),
        (date(2026, 12, 1), date(2026, 11, 30), [("TERM-02", ERROR)]),
        (date(2026, 3, 1), date(2026, 3, 1), []),
        (add_years(END, -1) - DAY, None, [("TERM-02", ERROR)]),
    ],
)
def test_term_02_closed_term_judges_the_election_date(ended_on, postponed_to, expected):
    term = TermFacts("BRANCH", date(2023, 8, 31), ended_on=ended_on, postponed_to=postponed_to)
    status = term_status(term, today=date(2027, 6, 1))
    assert status.status == CLOSED and status.label == "已换届"
    assert rules(status.findings) == expected


def test_term_next_due():
    assert term_next_due(BRANCH_TERM, today=date(2025, 1, 1)) == date(2026, 2, 28)
    assert term_next_due(BRANCH_TERM, today=date(2026, 2, 28)) == END
    postponed = TermFacts("BRANCH", date(2023, 8, 31), postponed_to=date(2027, 3, 1))
    assert term_next_due(postponed, today=date(2026, 10, 1)) == date(2027, 3, 1)
    assert term_next_due(TermFacts("BRANCH", date(2023, 8, 31), ended_on=END), today=END) is None


# --- TERM-04 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("entitled", "valid", "invalid"), [(10, 9, 8), (5, 5, 4), (30, 25, 24), (7, 6, 5)])
def test_term_04_more_than_four_fifths_present(entitled, valid, invalid):
    assert election_is_valid(entitled=entitled, present=valid)
    assert not election_is_valid(entitled=entitled, present=invalid)


@pytest.mark.parametrize(("entitled", "elected", "not_elected"), [(10, 6, 5), (9, 5, 4), (1, 1, 0)])
def test_term_04_more_than_half_of_entitled_to_be_elected(entitled, elected, not_elected):
    assert is_elected(entitled=entitled, votes_for=elected)
    assert not is_elected(entitled=entitled, votes_for=not_elected)


@given(st.integers(min_value=1, max_value=2000), st.data())
def test_term_04_thresholds_are_strict_fractions(entitled, data):
    present = data.draw(st.integers(min_value=0, max_value=entitled))
    votes = data.draw(st.integers(min_value=0, max_value=present))
    assert election_is_valid(entitled=entitled, present=present) == (Fraction(present, entitled) > Fraction(4, 5))
    assert is_elected(entitled=entitled, votes_for=votes) == (Fraction(votes, entitled) > Fraction(1, 2))


def test_term_04_check_election():
    assert check_election(entitled=10, present=9, votes={"张三": 6, "李四": 5}, declared_elected=["张三"]) == []
    invalid = check_election(entitled=10, present=8)
    assert rules(invalid) == [("TERM-04", ERROR)] and "选举无效" in invalid[0].message
    wrongly_declared = check_election(entitled=10, present=9, votes={"李四": 5}, declared_elected=["李四"])
    assert rules(wrongly_declared) == [("TERM-04", ERROR)] and "李四" in wrongly_declared[0].message


@pytest.mark.parametrize(
    ("entitled", "present", "votes"), [(10, 11, {}), (0, 0, {}), (10, 9, {"张三": 10}), (10, 9, {"张三": -1})]
)
def test_term_04_impossible_numbers(entitled, present, votes):
    findings = check_election(entitled=entitled, present=present, votes=votes)
    assert ("TERM-04", ERROR) in rules(findings)
    assert any("有误" in f.message for f in findings)
