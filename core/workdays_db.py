"""The working-day calendar in force (BASE-02): chinesecalendar plus the years entered by
an administrator on the 节假日安排 page (``core.CalendarDay``).

The package's years are copied once per process into ``YearSchedule``s (set
lookups give the same answers as ``chinese_calendar.is_workday``, which scans its
whole table on every call); an entered year wins over the package for that year.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import lru_cache

import chinese_calendar

from core.models import CalendarDay
from core.workdays import WorkCalendar, YearSchedule, package_years


@lru_cache(maxsize=1)
def package_schedules() -> dict[int, YearSchedule]:
    """chinesecalendar's published schedules, by year (computed once)."""
    holidays: dict[int, set[date]] = defaultdict(set)
    workdays: dict[int, set[date]] = defaultdict(set)
    for day in chinese_calendar.holidays:
        holidays[day.year].add(day)
    for day in chinese_calendar.workdays:
        workdays[day.year].add(day)
    return {y: YearSchedule(holidays=holidays[y], makeup_workdays=workdays[y]) for y in package_years()}


def entered_schedules() -> dict[int, YearSchedule]:
    """The schedules entered by administrators, by year (one query)."""
    holidays: dict[int, set[date]] = defaultdict(set)
    workdays: dict[int, set[date]] = defaultdict(set)
    years: set[int] = set()
    for year, day, kind in CalendarDay.objects.values_list("year", "day", "kind"):
        years.add(year)
        (holidays if kind == CalendarDay.HOLIDAY else workdays)[year].add(day)
    return {y: YearSchedule(holidays=holidays[y], makeup_workdays=workdays[y]) for y in years}


def work_calendar() -> WorkCalendar:
    """A ``WorkCalendar`` knowing the package's years and every entered year (one query)."""
    return WorkCalendar(extra_years={**package_schedules(), **entered_schedules()})


def known_years() -> list[tuple[int, str]]:
    """Every year with a known schedule and where it comes from, newest first."""
    entered = set(CalendarDay.objects.values_list("year", flat=True).distinct())
    package = set(package_years())
    result = []
    for year in sorted(entered | package, reverse=True):
        if year in entered:
            result.append((year, "管理员录入" + ("（覆盖内置数据）" if year in package else "")))
        else:
            result.append((year, "内置（chinesecalendar）"))
    return result
