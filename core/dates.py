"""Calendar arithmetic shared by every rule (rules/recruitment.md, "Date arithmetic").

"一个月内 / 三个月内 / 一年以上" are calendar periods: months and years are added
with the day clamped to the month's end (2026-01-31 + 1 month = 2026-02-28).
Working days are in ``core.workdays``.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months, day clamped to the target month's end."""
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last))


def add_years(d: date, years: int) -> date:
    """``d`` plus whole years (29 February becomes 28 February in a common year)."""
    return add_months(d, 12 * years)


def age_on(birth: date, on: date) -> int:
    """Completed years of age on ``on`` (a birthday counts on the day itself)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def fmt_cn(d: date | None) -> str:
    """2026年11月23日 — the date style of documents (ui.md)."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def fmt_iso(d: date | None) -> str:
    """2026-11-23 — the date style of tables and messages."""
    return d.isoformat() if d else ""
