"""Pure rules of the statistical tables: bands, periods, identities, merged headers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.dates import add_months, age_on
from stats import rules
from stats.tables import Col, header_rows

DATES = [date(2024, 2, 29), date(2025, 2, 28), date(2025, 3, 1), date(2025, 12, 31), date(2026, 11, 23)]


def _in(value: date, earliest: date | None, latest: date | None) -> bool:
    return (earliest is None or value > earliest) and (latest is None or value <= latest)


@pytest.mark.parametrize("on", DATES)
@pytest.mark.parametrize("bands", [rules.AGE_BANDS_MEMBERS, rules.AGE_BANDS_RECRUITS, rules.AGE_BANDS_LOST])
def test_born_range_matches_completed_age(on, bands):
    """Every birth date falls in exactly the band of its completed age on ``on`` (29 February included)."""
    birth = date(1935, 1, 1)
    while birth <= on:
        age = age_on(birth, on)
        matching = [b for b in bands if _in(birth, *rules.born_range(on, b))]
        expected = [b for b in bands if b.low <= age and (b.high is None or age <= b.high)]
        assert matching == expected, (birth, on, age)
        birth += timedelta(days=97) if birth.month != 2 else timedelta(days=1)


def test_age_band_labels_follow_the_format():
    assert [b.label for b in rules.AGE_BANDS_MEMBERS][0] == "30岁及以下"
    assert [b.label for b in rules.AGE_BANDS_MEMBERS][-1] == "71岁及以上"
    assert [b.label for b in rules.AGE_BANDS_RECRUITS] == [
        "25岁及以下",
        "26至30岁",
        "31至35岁",
        "36至40岁",
        "41至59岁",
        "60岁及以上",
    ]
    assert [b.label for b in rules.PARTY_AGE_BANDS_LOST] == ["1年以下", "1至5年", "6至10年", "11至20年", "21年及以上"]


@pytest.mark.parametrize("on", DATES)
def test_lost_bands_partition_six_months_and_more(on):
    since = add_months(on, -6)
    for _ in range(200):
        months = (on.year - since.year) * 12 + on.month - since.month - (on.day < since.day)
        matching = [b.key for b in rules.LOST_BANDS if _in(since, *rules.lost_range(on, b))]
        assert len(matching) == 1, (since, on, months)
        since -= timedelta(days=23)


def test_admission_periods_cover_every_date_once():
    for split in (False, True):
        bands = rules.admission_periods(split_2022=split)
        for d in (date(1921, 7, 1), date(1937, 7, 6), date(1937, 7, 7), date(1949, 9, 30), date(1949, 10, 1),
                  date(1978, 12, 31), date(1979, 1, 1), date(2012, 10, 31), date(2012, 11, 1), date(2022, 10, 31),
                  date(2022, 11, 1), date(2026, 11, 23)):  # fmt: skip
            hits = [b for b in bands if (b.start is None or d >= b.start) and (b.end is None or d <= b.end)]
            assert len(hits) == 1, (split, d)
    assert rules.admission_periods(split_2022=False)[-1].label == "2012年11月及以后"
    assert [b.label for b in rules.admission_periods(split_2022=True)[-2:]] == ["2012.11—2022.10", "2022年11月及以后"]


def test_bulletin_groups_use_existing_columns():
    keys = {b.key for b in rules.admission_periods(split_2022=False)} | {
        b.key for b in rules.admission_periods(split_2022=True)
    }
    assert {k for _, ks in rules.BULLETIN_ADMISSION for k in ks} <= keys
    assert {k for _, ks in rules.BULLETIN_AGE for k in ks} == {b.key for b in rules.AGE_BANDS_MEMBERS}
    from people import codes

    assert sorted(c for _, cs in rules.BULLETIN_JOBS for c in cs) == sorted(codes.JOB_LEAVES)


def test_period_of_a_date():
    p = rules.period_of(date(2026, 11, 23))
    assert (p.year_start, p.previous_year_end, p.on) == (date(2026, 1, 1), date(2025, 12, 31), date(2026, 11, 23))


def test_as_of_error_messages():
    today = date(2026, 11, 23)
    assert rules.as_of_error(on=today, today=today, established_on=None, org_name="某支部") is None
    assert "晚于今天" in rules.as_of_error(on=date(2026, 11, 24), today=today, established_on=None, org_name="某支部")
    message = rules.as_of_error(on=date(2007, 12, 31), today=today, established_on=date(2008, 3, 1), org_name="某支部")
    assert "某支部" in message and "2008-03-01" in message


def test_t01_identities_flag_a_difference():
    v = dict(
        r1=10, r2=3, r3=1, r4=0, r5=1, r6=0, r7=1, r8=0, r9=2, r10=0, r11=0, r12=1, r13=1, r14=0, r15=11, r16=11, r17=0
    )
    assert all(c.ok for c in rules.t01_identities(v))
    v.update(r16=12, r17=1)
    failed = [c for c in rules.t01_identities(v) if not c.ok]
    assert [c.label for c in failed] == ["第17行 实有数与应有数之差 = 0"] and failed[0].difference == 1


@pytest.mark.parametrize("months", [12, 18, 24])
def test_inverse_month_shift(months):
    lo, hi = date(2026, 1, 1), date(2026, 2, 28)
    first, last = rules.inverse_month_shift(lo, hi, months)
    d = first - timedelta(days=40)
    while d < last + timedelta(days=40):
        assert (first <= d <= last) == (lo <= add_months(d, months) <= hi), d
        d += timedelta(days=1)


def test_header_rows_merge_shared_prefixes():
    cols = [Col("a", ("总数",)), Col("b", ("年龄", "30岁及以下")), Col("c", ("年龄", "31至35岁")),
            Col("d", ("党支部", "计")), Col("e", ("党支部", "其中联合党支部"))]  # fmt: skip
    top, second = header_rows(cols)
    assert [(h.label, h.colspan, h.rowspan) for h in top] == [("总数", 1, 2), ("年龄", 2, 1), ("党支部", 2, 1)]
    assert [h.label for h in second] == ["30岁及以下", "31至35岁", "计", "其中联合党支部"]


def test_the_funnel_is_sized_by_its_largest_stage_not_by_100():
    """ECharts would size stages between 0 and 100: 500 applicants and 300 activists
    would both be drawn full width."""
    import json

    from stats.selectors import funnel_option

    series = json.loads(funnel_option("发展党员梯队", [("入党申请人", 500), ("入党积极分子", 300)]))["series"][0]
    assert (series["min"], series["max"]) == (0, 500)
    assert json.loads(funnel_option("发展党员梯队", [("入党申请人", 0)]))["series"][0]["max"] == 1
