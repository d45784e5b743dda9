from datetime import date
from fractions import Fraction

import pytest

from activities.balance import (
    CARE,
    CULTURE,
    LEARNING,
    OTHER,
    SPORTS,
    TRAINING,
    ActivityRecord,
    balance_findings,
    kind_mix,
    mean_participation,
    participation,
    participation_findings,
    union_year,
)
from core.findings import MISSING, WARNING


def held(kind, month=5, year=2026, people=()):
    return ActivityRecord(kind, date(year, month, 10), frozenset(people))


def year_of(kinds, year=2026):
    return [held(kind, month=1 + i % 12, year=year) for i, kind in enumerate(kinds)]


def test_kind_mix_counts_every_kind():
    activities = year_of([LEARNING, TRAINING, SPORTS, SPORTS, CULTURE, CARE, OTHER]) + [held(LEARNING, year=2025)]
    mix = kind_mix(activities, year=2026)
    assert mix.counts == {LEARNING: 1, TRAINING: 1, CULTURE: 1, SPORTS: 2, CARE: 1, OTHER: 1}
    assert (mix.total, mix.education, mix.recreation) == (7, 2, 3)
    assert mix.education_share == Fraction(2, 7)
    assert mix.recreation_share == Fraction(3, 7)


def test_low_education_share_is_flagged():
    activities = year_of([LEARNING, TRAINING] + [SPORTS] * 5 + [CULTURE] * 2 + [CARE])
    (finding,) = balance_findings(activities, year=2026)
    assert (finding.rule, finding.severity) == ("ACT-08", WARNING)
    assert finding.message == ("2026年度开展活动 10 次，其中学习培训类 2 次，占 20%，低于 30% 的要求；文体活动 7 次。")


def test_share_exactly_at_the_minimum_passes():
    activities = year_of([LEARNING, LEARNING, TRAINING] + [SPORTS] * 7)
    assert balance_findings(activities, year=2026) == []
    assert balance_findings(activities, year=2026, min_education_share=0.31) != []
    assert balance_findings(activities, year=2026, min_education_share="0.3") == []


def test_minimum_is_a_setting():
    activities = year_of([LEARNING] + [SPORTS] * 2)
    assert balance_findings(activities, year=2026) == []
    (finding,) = balance_findings(activities, year=2026, min_education_share=Fraction(1, 2))
    assert "占 33.3%，低于 50% 的要求" in finding.message


def test_a_year_without_activities():
    (finding,) = balance_findings(year_of([LEARNING], year=2025), year=2026)
    assert (finding.rule, finding.severity, finding.message) == ("ACT-09", MISSING, "2026年度未开展任何活动。")
    assert kind_mix([], year=2026).education_share is None


def test_union_year():
    assert union_year(date(2026, 1, 1)) == 2026
    assert union_year(date(2026, 12, 31)) == 2026
    assert union_year(date(2026, 8, 31), start_month=9) == 2025
    assert union_year(date(2026, 9, 1), start_month=9) == 2026
    with pytest.raises(ValueError, match="起始月份"):
        union_year(date(2026, 1, 1), start_month=13)


def test_union_year_that_starts_in_september():
    activities = [held(LEARNING, month=8), held(SPORTS, month=9), held(SPORTS, month=3, year=2027)]
    mix = kind_mix(activities, year=2026, start_month=9)
    assert (mix.total, mix.education) == (2, 0)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="未知的活动类别"):
        ActivityRecord("party", date(2026, 1, 1))


def test_participation_per_member():
    members = ["张三", "李四", "王五"]
    activities = [
        held(LEARNING, people={"张三", "李四"}),
        held(SPORTS, people={"张三", "访客"}),  # a guest is not a member
        held(CULTURE, people={"张三"}),
        held(SPORTS, year=2025, people={"王五"}),  # another year
    ]
    rows = participation(activities, members, year=2026)
    assert [(r.member, r.count, r.share) for r in rows] == [
        ("张三", 3, Fraction(1)),
        ("李四", 1, Fraction(1, 3)),
        ("王五", 0, Fraction(0)),
    ]
    assert mean_participation(rows) == Fraction(4, 3)
    (finding,) = participation_findings(rows, year=2026)
    assert (finding.rule, finding.message) == ("ACT-10", "2026年度有 1 名会员未参加任何活动：王五。")


def test_no_participation_finding_when_nothing_was_held():
    rows = participation([], ["张三"], year=2026)
    assert rows[0].share is None
    assert participation_findings(rows, year=2026) == []
    assert mean_participation([]) is None


def test_long_lists_of_absent_members_are_cut_short():
    members = [f"会员{i:02d}" for i in range(12)]
    rows = participation([held(SPORTS, people={"会员00"})], members, year=2026)
    (finding,) = participation_findings(rows, year=2026)
    assert finding.message.startswith("2026年度有 11 名会员未参加任何活动：会员01、会员02")
    assert finding.message.endswith("会员10等。")
