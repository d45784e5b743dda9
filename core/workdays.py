"""Working days of the State Council holiday calendar (BASE-02).

The ``chinesecalendar`` package carries the published schedules of the years it
knows (2004–2026 in 1.11.0; the range is read from its data, so upgrading the
package extends it). Later years are entered by an administrator (``CalendarDay``)
and passed in as ``extra_years``. A computation that touches a year nobody has
entered is refused with ``UnknownCalendarYear``: a weekday guess would silently
shorten or lengthen a notice across an unpublished holiday.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

ONE_DAY = timedelta(days=1)


class UnknownCalendarYear(Exception):
    """A computation needed a year whose holiday schedule is not known (BASE-02)."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"{year}年的节假日安排尚未录入，无法计算工作日，请管理员在“节假日安排”中录入。")


@dataclass(frozen=True)
class YearSchedule:
    """One year's published schedule: its holidays and its make-up working days (调休).

    Any day not listed is a working day from Monday to Friday and a rest day on
    Saturday and Sunday.
    """

    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        # Accept any iterable of dates; keep them immutable and hashable.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "makeup_workdays", frozenset(self.makeup_workdays))

    def check(self, year: int) -> None:
        """Raise ValueError when the schedule cannot be the one of ``year``."""
        for d in self.holidays | self.makeup_workdays:
            if d.year != year:
                raise ValueError(f"{d.isoformat()} 不属于 {year} 年的节假日安排。")
        both = self.holidays & self.makeup_workdays
        if both:
            day = min(both).isoformat()
            raise ValueError(f"{day} 不能同时是节假日和调休上班日。")
        weekdays = sorted(d for d in self.makeup_workdays if d.weekday() < 5)
        if weekdays:
            raise ValueError(f"{weekdays[0].isoformat()} 是周一至周五，本来就是工作日，不是调休上班日。")

    def is_workday(self, d: date) -> bool:
        if d in self.makeup_workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays


def package_years() -> range:
    """The years the installed ``chinesecalendar`` covers."""
    years = [d.year for d in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def _days(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += ONE_DAY


class WorkCalendar:
    """Working days from ``chinesecalendar`` plus schedules entered for other years.

    A schedule in ``extra_years`` wins over the package for the same year, so an
    administrator can enter a correction the package has not published yet.
    """

    def __init__(self, extra_years: Mapping[int, YearSchedule] | None = None):
        self._extra = dict(extra_years or {})
        for year, schedule in self._extra.items():
            schedule.check(year)
        self._package_years = package_years()

    def knows_year(self, year: int) -> bool:
        return year in self._extra or year in self._package_years

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day (调休 weekend days are; holidays are not)."""
        schedule = self._extra.get(d.year)
        if schedule is not None:
            return schedule.is_workday(d)
        if d.year in self._package_years:
            return chinese_calendar.is_workday(d)
        raise UnknownCalendarYear(d.year)

    def count_workdays(self, first: date, last: date) -> int:
        """Working days from ``first`` to ``last``, both included; 0 when ``last < first``.

        A notice from ``first`` to ``last`` "of at least N working days" needs
        ``count_workdays(first, last) >= N``.
        """
        return sum(1 for d in _days(first, last) if self.is_workday(d))

    def add_workdays(self, start: date, n: int) -> date:
        """The ``n``-th working day counted from ``start`` (``n >= 1``).

        ``start`` is day 1 when it is a working day; otherwise day 1 is the next
        working day. So a notice of 5 working days starting on D ends on
        ``add_workdays(D, 5)``, and ``count_workdays(D, add_workdays(D, n)) == n``.
        """
        if n < 1:
            raise ValueError("n 必须是正整数。")
        d, counted = start, 0
        while True:
            if self.is_workday(d):
                counted += 1
                if counted == n:
                    return d
            d += ONE_DAY

    def next_workday(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_workdays(d + ONE_DAY, 1)
