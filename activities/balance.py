"""The mix of Activity kinds in a union year, and members' participation.

The district's own review found unions that "抓学习教育少，开展活动比较多": this
module measures the education share of the year's activities and flags a union
whose share is below a setting.

Counting is by number of activities held, not by hours or attendance: the
rule is about what a union organises, and a large outing should not hide
that no study was held.

ACT-08  the education share is below the minimum
ACT-09  no activity at all in the year
ACT-10  members who took part in nothing in the year
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from core.dates import add_months
from core.findings import MISSING, WARNING, Finding

Key = Hashable

LEARNING = "learning"
TRAINING = "training"
CULTURE = "culture"
SPORTS = "sports"
CARE = "care"
OTHER = "other"
KIND_LABELS = {
    LEARNING: "学习",
    TRAINING: "培训",
    CULTURE: "文化",
    SPORTS: "体育",
    CARE: "关爱",
    OTHER: "其他",
}
EDUCATION_KINDS = frozenset({LEARNING, TRAINING})  # 学习教育
RECREATION_KINDS = frozenset({CULTURE, SPORTS})  # 文体活动
# CARE (慰问, 关爱) and OTHER are neither; they count in the total only.

DEFAULT_MIN_EDUCATION_SHARE = Fraction(3, 10)  # setting
ZERO_NAMES_SHOWN = 10  # names listed in ACT-10 before "等"


@dataclass(frozen=True)
class ActivityRecord:
    kind: str
    held_on: date
    participants: frozenset[Key] = frozenset()

    def __post_init__(self) -> None:
        if self.kind not in KIND_LABELS:
            raise ValueError(f"未知的活动类别 {self.kind}。")


def union_year(day: date, *, start_month: int = 1) -> int:
    """The union year ``day`` falls in, named by the calendar year it starts in.
    The default is the calendar year; a union whose work year starts in another
    month sets ``start_month``."""
    if not 1 <= start_month <= 12:
        raise ValueError(f"工会年度起始月份须在 1 至 12 之间，现为 {start_month}。")
    return add_months(day, -(start_month - 1)).year


def _in_year(activities: Iterable[ActivityRecord], year: int, start_month: int) -> list[ActivityRecord]:
    return [a for a in activities if union_year(a.held_on, start_month=start_month) == year]


@dataclass(frozen=True)
class KindMix:
    year: int
    counts: dict[str, int]  # every kind, zero included
    total: int
    education: int
    recreation: int
    education_share: Fraction | None  # None when no activity was held

    @property
    def recreation_share(self) -> Fraction | None:
        return Fraction(self.recreation, self.total) if self.total else None


def kind_mix(activities: Iterable[ActivityRecord], *, year: int, start_month: int = 1) -> KindMix:
    held = _in_year(activities, year, start_month)
    counts = {kind: 0 for kind in KIND_LABELS}
    for a in held:
        counts[a.kind] += 1
    education = sum(counts[k] for k in EDUCATION_KINDS)
    recreation = sum(counts[k] for k in RECREATION_KINDS)
    share = Fraction(education, len(held)) if held else None
    return KindMix(year, counts, len(held), education, recreation, share)


def _as_fraction(value: Fraction | float | int | str) -> Fraction:
    # 0.30 read as the decimal it is written as, so exactly 3 of 10 is not below it.
    return value if isinstance(value, Fraction) else Fraction(str(value))


def _percent(share: Fraction) -> str:
    return f"{float(share) * 100:.1f}".rstrip("0").rstrip(".") + "%"


def balance_findings(
    activities: Iterable[ActivityRecord],
    *,
    year: int,
    min_education_share: Fraction | float | str = DEFAULT_MIN_EDUCATION_SHARE,
    start_month: int = 1,
) -> list[Finding]:
    """ACT-09 when nothing was held; ACT-08 when education (学习 + 培训) is below
    ``min_education_share`` of the activities held (a share exactly at it passes)."""
    mix = kind_mix(activities, year=year, start_month=start_month)
    minimum = _as_fraction(min_education_share)
    if mix.total == 0:
        return [Finding("ACT-09", MISSING, f"{year}年度未开展任何活动。")]
    if mix.education_share >= minimum:
        return []
    message = (
        f"{year}年度开展活动 {mix.total} 次，其中学习培训类 {mix.education} 次，"
        f"占 {_percent(mix.education_share)}，低于 {_percent(minimum)} 的要求；"
        f"文体活动 {mix.recreation} 次。"
    )
    return [Finding("ACT-08", WARNING, message)]


@dataclass(frozen=True)
class MemberParticipation:
    member: Key
    count: int  # activities of the year the member took part in
    share: Fraction | None  # of the activities held; None when none was held


def participation(
    activities: Iterable[ActivityRecord],
    members: Sequence[Key],
    *,
    year: int,
    start_month: int = 1,
) -> list[MemberParticipation]:
    """For each member (in the order given), how many of the year's activities
    they took part in. Participants who are not members (guests) are not counted."""
    held = _in_year(activities, year, start_month)
    rows = []
    for member in members:
        count = sum(1 for a in held if member in a.participants)
        rows.append(MemberParticipation(member, count, Fraction(count, len(held)) if held else None))
    return rows


def mean_participation(rows: Sequence[MemberParticipation]) -> Fraction | None:
    """Average activities per member (人均参加次数)."""
    return Fraction(sum(r.count for r in rows), len(rows)) if rows else None


def participation_findings(rows: Sequence[MemberParticipation], *, year: int) -> list[Finding]:
    """ACT-10: members who took part in nothing, once at least one activity was held."""
    absent = [r.member for r in rows if r.count == 0 and r.share is not None]
    if not absent:
        return []
    names = "、".join(str(m) for m in absent[:ZERO_NAMES_SHOWN])
    more = "等" if len(absent) > ZERO_NAMES_SHOWN else ""
    message = f"{year}年度有 {len(absent)} 名会员未参加任何活动：{names}{more}。"
    return [Finding("ACT-10", WARNING, message)]
