"""Ballot arithmetic: REC-13 / REC-21 (recruitment.md), TERM-04 (party-life.md), plain majority."""

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ballots.rules import (
    MAJORITY,
    REC_13,
    REC_21,
    TERM_04,
    ItemCount,
    fmt_number,
    number_errors,
    outcome,
    recruitment_findings,
)

MEETING = date(2026, 11, 23)  # 2026 rule set
MEETING_2014 = date(2025, 6, 30)


def judge(rule, entitled, present, *items, written=0, on=MEETING):
    return outcome(rule=rule, meeting_on=on, entitled=entitled, present=present, written_count=written, items=items)


# --- REC-13 / REC-21 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", [REC_13, REC_21])
@pytest.mark.parametrize("on", [MEETING, MEETING_2014])
def test_rec_13_quorum_more_than_half_of_those_due(rule, on):
    # 10 due: 6 present is more than half; 5 is exactly half and is not.
    ok = judge(rule, 10, 6, ItemCount("张三", 6), on=on)
    assert ok.quorum_ok and ok.items[0].passed and ok.findings == ()
    assert "6 > 5" in ok.quorum_line
    short = judge(rule, 10, 5, ItemCount("张三", 5), written=1, on=on)
    assert not short.quorum_ok and not short.items[0].passed
    assert "5 ≤ 5" in short.quorum_line and "不符合" in short.quorum_line
    assert [f.rule for f in short.findings] == [rule]
    assert "未超过应到会人数 10 的半数" in short.findings[0].message


@pytest.mark.parametrize("rule", [REC_13, REC_21])
def test_rec_13_odd_number_due(rule):
    assert judge(rule, 9, 5, ItemCount("张三", 5)).items[0].passed  # 5 > 4.5
    result = judge(rule, 9, 4, ItemCount("张三", 4))
    assert not result.quorum_ok
    assert "半数为 4.5" in result.quorum_line


@pytest.mark.parametrize("rule", [REC_13, REC_21])
def test_rec_13_majority_counts_written_opinions(rule):
    # 10 due, 7 present: 4 votes + 2 written = 6 > 5 passes; 4 + 1 = 5 does not.
    passed = judge(rule, 10, 7, ItemCount("张三", 4, 2, 1, written_in_favour=2), written=2)
    assert passed.items[0].passed
    assert passed.items[0].line.startswith("赞成 4 票 + 书面意见赞成 2 票 = 6 票，> 应到会人数 10 的半数 5")
    failed = judge(rule, 10, 7, ItemCount("张三", 4, 2, 1, written_in_favour=1), written=2)
    assert not failed.items[0].passed and failed.items[0].verdict == "未通过"
    assert failed.findings[0].rule == rule
    assert "“张三”" in failed.findings[0].message


def test_several_candidates_are_judged_one_by_one():
    result = judge(REC_13, 10, 8, ItemCount("张三", 8), ItemCount("李四", 3, 5))
    assert [(i.count.label, i.passed) for i in result.items] == [("张三", True), ("李四", False)]
    assert len(result.findings) == 1 and "李四" in result.findings[0].message


def test_rec_21_judges_only_the_ballot_not_the_missing_application():
    # The ballot does not know the conversion application; no "missing" finding may appear.
    assert (
        recruitment_findings(REC_21, meeting_on=MEETING, entitled=10, present=8, in_favour=8, written_in_favour=0) == []
    )
    found = recruitment_findings(REC_21, meeting_on=MEETING, entitled=10, present=8, in_favour=5, written_in_favour=0)
    assert [(f.rule, f.severity) for f in found] == [("REC-21", "error")]


@settings(deadline=None)  # a loaded CI machine must not fail a pure computation
@given(
    entitled=st.integers(1, 60),
    data=st.data(),
)
def test_rec_13_verdict_agrees_with_recruitment_rules(entitled, data):
    present = data.draw(st.integers(0, entitled))
    yes = data.draw(st.integers(0, present))
    written = data.draw(st.integers(0, entitled - present))
    result = judge(REC_13, entitled, present, ItemCount("甲", yes, written_in_favour=written), written=written)
    expected = Fraction(present) > Fraction(entitled, 2) and Fraction(yes + written) > Fraction(entitled, 2)
    assert result.items[0].passed == expected
    assert (result.findings == ()) == expected


# --- TERM-04 ---------------------------------------------------------------------------------------


def test_term_04_election_valid_above_four_fifths():
    valid = judge(TERM_04, 10, 9, ItemCount("张三", 6))
    assert valid.quorum_ok and "五分之四为 8" in valid.quorum_line
    invalid = judge(TERM_04, 10, 8, ItemCount("张三", 8))
    assert not invalid.quorum_ok and not invalid.items[0].passed
    assert "选举无效" in invalid.quorum_line
    assert ("TERM-04", "error") in [(f.rule, f.severity) for f in invalid.findings]


def test_term_04_elected_above_half_of_entitled():
    result = judge(TERM_04, 10, 10, ItemCount("张三", 6), ItemCount("李四", 5))
    assert [(i.verdict, i.passed) for i in result.items] == [("当选", True), ("未当选", False)]
    assert result.findings == ()


def test_term_04_fraction_shown_with_one_decimal():
    assert "五分之四为 5.6" in judge(TERM_04, 7, 6, ItemCount("张三", 6)).quorum_line


# --- MAJORITY ---------------------------------------------------------------------------------------


def test_majority_more_than_half_of_entitled_without_quorum():
    result = judge(MAJORITY, 10, 6, ItemCount("议题一", 6), ItemCount("议题二", 5, 1))
    assert result.quorum_ok
    assert [i.passed for i in result.items] == [True, False]


# --- impossible numbers -----------------------------------------------------------------------------


def test_present_more_than_due_is_refused_naming_the_rule_and_the_date():
    errors = number_errors(rule=REC_13, entitled=10, present=11, written_count=0, items=[])
    assert errors == {"present": "REC-13：实到会有表决权人数 11 超过应到会人数 10。"}
    errors = number_errors(rule=REC_13, entitled=10, present=11, written_count=0, items=[], meeting_on=MEETING)
    assert errors["present"] == "REC-13：实到会有表决权人数 11 超过应到会人数 10（会议日期 2026-11-23）。"


def test_votes_more_than_present_are_refused():
    errors = number_errors(rule=REC_21, entitled=10, present=6, written_count=0, items=[ItemCount("张三", 5, 1, 1)])
    assert "item-0" in errors
    assert errors["item-0"].startswith("REC-21：“张三”赞成 5、反对 1、弃权 1 共 7 票，超过实到会人数 6")


def test_written_opinions_only_from_absent_voters():
    errors = number_errors(rule=REC_13, entitled=10, present=8, written_count=3, items=[])
    assert "超过未到会的有表决权人数 2" in errors["written_count"]
    errors = number_errors(
        rule=REC_13, entitled=10, present=8, written_count=2, items=[ItemCount("张三", 8, written_in_favour=3)]
    )
    assert "书面意见赞成 3 份，超过书面意见总数 2 份" in errors["item-0"]


def test_written_opinions_do_not_count_in_elections():
    errors = number_errors(rule=TERM_04, entitled=10, present=8, written_count=1, items=[])
    assert errors["written_count"].startswith("TERM-04：")


def test_nobody_entitled_is_refused():
    assert "entitled" in number_errors(rule=MAJORITY, entitled=0, present=0, written_count=0, items=[])


def test_possible_numbers_pass():
    items = [ItemCount("张三", 6, 1, 1, written_in_favour=2)]
    assert number_errors(rule=REC_13, entitled=10, present=8, written_count=2, items=items) == {}


def test_fmt_number():
    assert [fmt_number(Fraction(n, d)) for n, d in [(10, 2), (11, 2), (28, 5)]] == ["5", "5.5", "5.6"]
