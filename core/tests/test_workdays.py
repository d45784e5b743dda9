"""BASE-02: working days of the State Council holiday calendar (core.workdays)."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.workdays import UnknownCalendarYear, WorkCalendar, YearSchedule, package_years

CAL = WorkCalendar()

# Starts late enough in 2026 would run into 2027; keep generated spans inside the package.
known_days = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 10, 31))
counts = st.integers(min_value=1, max_value=40)

# A 2027 schedule as an administrator would enter it (made-up but plausible).
SCHEDULE_2027 = YearSchedule(
    holidays={date(2027, 1, 1), date(2027, 10, 1), date(2027, 10, 4), date(2027, 10, 5)},
    makeup_workdays={date(2027, 9, 26)},  # a Sunday
)


def test_package_range_is_read_from_the_package():
    # BASE-02: chinesecalendar 1.11.0 covers 2004–2026.
    assert package_years() == range(2004, 2027)


def test_ordinary_weekday_and_weekend():
    assert CAL.is_workday(date(2026, 3, 10))  # Tuesday
    assert not CAL.is_workday(date(2026, 3, 14))  # Saturday


def test_national_day_2026_is_a_holiday_week():
    # BASE-02: 2026-10-01 … 10-07 off, Sunday 09-20 and Saturday 10-10 worked (调休).
    for day in range(1, 8):
        assert not CAL.is_workday(date(2026, 10, day))
    assert CAL.is_workday(date(2026, 9, 30))
    assert CAL.is_workday(date(2026, 10, 8))


def test_makeup_saturday_is_a_workday():
    # BASE-02: 2026-10-10 is a Saturday declared a working day.
    assert date(2026, 10, 10).weekday() == 5
    assert CAL.is_workday(date(2026, 10, 10))
    assert CAL.is_workday(date(2026, 9, 20))  # a Sunday, also 调休


def test_count_workdays_across_national_day():
    # Mon 09-28 … Fri 10-09: 3 working days before the holiday, 2 after it.
    assert CAL.count_workdays(date(2026, 9, 28), date(2026, 10, 9)) == 5
    # The 调休 Saturday counts.
    assert CAL.count_workdays(date(2026, 10, 8), date(2026, 10, 10)) == 3


def test_count_workdays_includes_both_ends_and_empty_range():
    assert CAL.count_workdays(date(2026, 3, 10), date(2026, 3, 10)) == 1
    assert CAL.count_workdays(date(2026, 3, 14), date(2026, 3, 14)) == 0
    assert CAL.count_workdays(date(2026, 3, 11), date(2026, 3, 10)) == 0


def test_five_workday_notice_over_national_day():
    # A 5-working-day notice starting Monday 2026-09-28 ends Friday 2026-10-09.
    assert CAL.add_workdays(date(2026, 9, 28), 5) == date(2026, 10, 9)


def test_add_workdays_counts_start_when_it_is_a_workday():
    assert CAL.add_workdays(date(2026, 3, 10), 1) == date(2026, 3, 10)
    # Saturday start: day 1 is the following Monday.
    assert CAL.add_workdays(date(2026, 3, 14), 1) == date(2026, 3, 16)
    assert CAL.add_workdays(date(2026, 3, 9), 5) == date(2026, 3, 13)


def test_add_workdays_rejects_non_positive_n():
    with pytest.raises(ValueError):
        CAL.add_workdays(date(2026, 3, 10), 0)


def test_next_workday_is_strictly_after():
    assert CAL.next_workday(date(2026, 3, 10)) == date(2026, 3, 11)
    assert CAL.next_workday(date(2026, 9, 30)) == date(2026, 10, 8)
    assert CAL.next_workday(date(2026, 10, 8)) == date(2026, 10, 9)
    assert CAL.next_workday(date(2026, 10, 9)) == date(2026, 10, 10)  # 调休 Saturday


def test_unknown_year_is_refused_not_guessed():
    # BASE-02: no schedule for 2027 → refusal naming the year.
    with pytest.raises(UnknownCalendarYear) as info:
        CAL.is_workday(date(2027, 3, 10))
    assert info.value.year == 2027
    assert str(info.value) == "2027年的节假日安排尚未录入，无法计算工作日，请管理员在“节假日安排”中录入。"


def test_unknown_year_refused_in_every_computation():
    with pytest.raises(UnknownCalendarYear):
        CAL.count_workdays(date(2026, 12, 28), date(2027, 1, 5))
    with pytest.raises(UnknownCalendarYear):
        CAL.add_workdays(date(2026, 12, 28), 10)  # runs into 2027
    with pytest.raises(UnknownCalendarYear):
        CAL.next_workday(date(2026, 12, 31))
    with pytest.raises(UnknownCalendarYear):
        CAL.is_workday(date(2003, 6, 2))  # before the package too


def test_entered_year_is_used():
    cal = WorkCalendar(extra_years={2027: SCHEDULE_2027})
    assert cal.knows_year(2027) and not CAL.knows_year(2027)
    assert not cal.is_workday(date(2027, 1, 1))  # Friday, holiday
    assert cal.is_workday(date(2027, 9, 26))  # Sunday, 调休
    assert cal.is_workday(date(2027, 3, 10))  # an ordinary Wednesday
    assert not cal.is_workday(date(2027, 3, 13))  # an ordinary Saturday
    # Across the new year: Mon 12-28 … Thu 12-31 (4), Fri 01-01 holiday, Mon 01-04, Tue 01-05.
    assert cal.count_workdays(date(2026, 12, 28), date(2027, 1, 5)) == 6
    assert cal.next_workday(date(2026, 12, 31)) == date(2027, 1, 4)
    # 2028 is still unknown.
    with pytest.raises(UnknownCalendarYear) as info:
        cal.is_workday(date(2028, 1, 3))
    assert "2028年" in str(info.value)


def test_entered_year_wins_over_package():
    # A correction entered for a covered year replaces the package's data for that year.
    cal = WorkCalendar(extra_years={2026: YearSchedule(holidays={date(2026, 3, 10)})})
    assert not cal.is_workday(date(2026, 3, 10))
    assert not cal.is_workday(date(2026, 10, 10))  # the package's 调休 no longer applies
    assert CAL.is_workday(date(2026, 10, 10))


@pytest.mark.parametrize(
    "schedule",
    [
        YearSchedule(holidays={date(2028, 1, 1)}),  # wrong year
        YearSchedule(holidays={date(2027, 9, 26)}, makeup_workdays={date(2027, 9, 26)}),  # both
        YearSchedule(makeup_workdays={date(2027, 9, 27)}),  # a Monday is no 调休
    ],
)
def test_inconsistent_schedule_is_rejected(schedule):
    with pytest.raises(ValueError):
        WorkCalendar(extra_years={2027: schedule})


@given(known_days)
def test_agrees_with_chinesecalendar(d):
    assert CAL.is_workday(d) == chinese_calendar.is_workday(d)


@given(known_days, counts)
def test_count_of_add_is_n(d, n):
    # Holds for any start: a rest-day start is simply not counted.
    end = CAL.add_workdays(d, n)
    assert CAL.is_workday(end)
    assert CAL.count_workdays(d, end) == n


@given(known_days.filter(CAL.is_workday), counts)
def test_workday_start_is_day_one(d, n):
    assert CAL.add_workdays(d, 1) == d
    assert CAL.count_workdays(d, CAL.add_workdays(d, n)) == n


@given(known_days, counts)
def test_add_workdays_is_strictly_monotonic(d, n):
    assert CAL.add_workdays(d, n) < CAL.add_workdays(d, n + 1)
    assert CAL.add_workdays(d, n + 1) == CAL.next_workday(CAL.add_workdays(d, n))


# the whole span (at most 120 days) must stay inside the years the package knows
@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 8, 31)), st.integers(0, 60), st.integers(0, 60))
def test_count_is_additive(first, a, b):
    middle = first + timedelta(days=a)
    last = middle + timedelta(days=b)
    assert CAL.count_workdays(first, last) == CAL.count_workdays(first, middle) + CAL.count_workdays(
        middle + timedelta(days=1), last
    )


@given(st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31)))
def test_entered_year_defaults_to_weekdays(d):
    cal = WorkCalendar(extra_years={2027: SCHEDULE_2027})
    if d in SCHEDULE_2027.holidays:
        assert not cal.is_workday(d)
    elif d in SCHEDULE_2027.makeup_workdays:
        assert cal.is_workday(d)
    else:
        assert cal.is_workday(d) == (d.weekday() < 5)
