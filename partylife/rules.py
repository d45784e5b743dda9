"""Party-life rules LIFE-01 … LIFE-09 (rules/party-life.md) as pure functions.

Dates and numbers in, ``PeriodStatus`` / ``Finding`` out; no ORM, and ``today`` is
always an argument. Periods are calendar months, quarters and years. A period is
judged only once it has ended (``today`` after its last day); the current period
reports "due by <its last day>" instead of a finding.

Which periods are judged: every whole calendar period that *begins* inside the
window ``period_start … period_end`` and has begun by ``today``. A period that
began before ``period_start`` is skipped, because the caller passes the date the
obligation started (the branch was set up, the member joined) and a half period
cannot be held to a whole period's quota.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache

from core.dates import add_months, fmt_iso
from core.findings import ERROR, MISSING, WARNING, Finding

# Meeting kinds (glossary, "Party life").
GENERAL_MEETING = "GENERAL_MEETING"
COMMITTEE_MEETING = "COMMITTEE_MEETING"
GROUP_MEETING = "GROUP_MEETING"
PARTY_LECTURE = "PARTY_LECTURE"
THEME_DAY = "THEME_DAY"
LIFE_MEETING = "LIFE_MEETING"
MEMBER_APPRAISAL = "MEMBER_APPRAISAL"
MEETING_KIND_LABELS = {
    GENERAL_MEETING: "支部党员大会",
    COMMITTEE_MEETING: "支部委员会会议",
    GROUP_MEETING: "党小组会",
    PARTY_LECTURE: "党课",
    THEME_DAY: "主题党日",
    LIFE_MEETING: "组织生活会",
    MEMBER_APPRAISAL: "民主评议党员",
}
# 谈心谈话 (LIFE-08) is a talk, not a meeting; the glossary has no name for it yet.
HEART_TO_HEART = "HEART_TO_HEART"
KIND_LABELS = {**MEETING_KIND_LABELS, HEART_TO_HEART: "谈心谈话"}

# Attendance (glossary).
PRESENT = "PRESENT"
EXCUSED = "EXCUSED"
ABSENT = "ABSENT"
ATTENDANCE_LABELS = {PRESENT: "出席", EXCUSED: "请假", ABSENT: "缺席"}

# Organisation kinds these rules distinguish (glossary, PartyOrg.kind).
BRANCH = "BRANCH"
GROUP = "GROUP"

# Settings defaults (the administrator's value is passed in; rules never read settings).
LECTURES_PER_YEAR_DEFAULT = 4  # LIFE-04
ABSENCE_STREAK_DEFAULT = 3  # LIFE-09

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
_PERIOD_MONTHS = {MONTH: 1, QUARTER: 3, YEAR: 12}

# Period states.
MET = "met"  # held at least the required number
SHORT = "short"  # period ended with fewer than required: carries a finding
DUE = "due"  # current period, not met yet: "due by <end>"
STATE_LABELS = {MET: "已完成", SHORT: "未完成", DUE: "进行中"}


@dataclass(frozen=True)
class Period:
    """One calendar month, quarter or year, both ends included."""

    freq: str
    start: date

    @cached_property
    def end(self) -> date:
        # Cached: compliance over a district judges tens of thousands of periods.
        return add_months(self.start, _PERIOD_MONTHS[self.freq]) - timedelta(days=1)

    @property
    def label(self) -> str:
        if self.freq == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.freq == QUARTER:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start.year}年度"

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end


def period_of(d: date, freq: str) -> Period:
    """The calendar period of kind ``freq`` that contains ``d``."""
    months = _PERIOD_MONTHS[freq]
    first_month = (d.month - 1) // months * months + 1
    return Period(freq, date(d.year, first_month, 1))


def periods_between(start: date, end: date, freq: str) -> list[Period]:
    """Whole calendar periods that begin on or after ``start`` and on or before ``end``."""
    return list(_periods_between(start, end, freq))


@lru_cache(maxsize=1024)
def _periods_between(start: date, end: date, freq: str) -> tuple[Period, ...]:
    # Cached (periods are immutable): a district's compliance asks the same windows for every branch.
    period = period_of(start, freq)
    if period.start < start:
        period = Period(freq, add_months(period.start, _PERIOD_MONTHS[freq]))
    found = []
    while period.start <= end:
        found.append(period)
        period = Period(freq, add_months(period.start, _PERIOD_MONTHS[freq]))
    return tuple(found)


@dataclass(frozen=True)
class Requirement:
    """ "At least ``count`` meetings of ``kind`` per ``freq``" (one LIFE row)."""

    rule: str
    kind: str
    freq: str
    count: int
    severity: str = ERROR


def requirements(*, org_kind: str, has_committee: bool, lectures_per_year: int) -> list[Requirement]:
    """The LIFE-01 … LIFE-07 frequencies that apply to an organisation.

    The LIFE table is written for branches (支部) and party groups (党小组); other
    kinds (总支, 党委) get none of these frequencies.
    """
    if org_kind == GROUP:
        return [Requirement("LIFE-03", GROUP_MEETING, MONTH, 1)]
    if org_kind != BRANCH:
        return []
    found = [Requirement("LIFE-01", GENERAL_MEETING, QUARTER, 1)]
    if has_committee:
        found.append(Requirement("LIFE-02", COMMITTEE_MEETING, MONTH, 1))
    if lectures_per_year > 0:
        # A warning, not an error: the number is local practice (setting), the national text sets none.
        found.append(Requirement("LIFE-04", PARTY_LECTURE, YEAR, lectures_per_year, WARNING))
    found += [
        Requirement("LIFE-05", THEME_DAY, MONTH, 1),
        Requirement("LIFE-06", LIFE_MEETING, YEAR, 1),
        Requirement("LIFE-07", MEMBER_APPRAISAL, YEAR, 1),
    ]
    return found


@dataclass(frozen=True)
class PeriodStatus:
    """Held vs required for one requirement in one period (one cell of a ledger)."""

    rule: str
    kind: str
    period: Period
    held: int
    required: int
    state: str  # MET | SHORT | DUE
    subject: str | None = None  # the member (LIFE-08) or group the status is about
    finding: Finding | None = field(default=None, compare=False)

    @property
    def due_by(self) -> date | None:
        """The last day to meet the requirement, for the current period only."""
        return self.period.end if self.state == DUE else None

    @property
    def text(self) -> str:
        """One line for a page: 2026年第4季度 支部党员大会 0/1 次，截止2026-12-31."""
        line = f"{self.period.label} {_subject_kind(self)} {self.held}/{self.required} 次"
        return f"{line}，截止{fmt_iso(self.due_by)}" if self.state == DUE else line


def _subject_kind(status: PeriodStatus) -> str:
    label = KIND_LABELS.get(status.kind, status.kind)
    return f"{status.subject} {label}" if status.subject else label


def judge_period(
    requirement: Requirement,
    period: Period,
    dates: Iterable[date],
    *,
    today: date,
    subject: str | None = None,
) -> PeriodStatus:
    """Count the dates inside ``period`` (none after ``today``) against the requirement.

    An ended period short of the requirement carries its finding; the current period
    is DUE until met and never carries one.
    """
    held = sum(1 for d in dates if period.contains(d) and d <= today)
    if held >= requirement.count:
        state = MET
    elif period.end < today:
        state = SHORT
    else:
        state = DUE
    finding = _shortfall(requirement, period, held, subject) if state == SHORT else None
    return PeriodStatus(requirement.rule, requirement.kind, period, held, requirement.count, state, subject, finding)


def _shortfall(requirement: Requirement, period: Period, held: int, subject: str | None) -> Finding:
    span = f"{period.label}（{fmt_iso(period.start)}至{fmt_iso(period.end)}）"
    if requirement.kind == HEART_TO_HEART:
        what = f"支部委员会与{subject}谈心谈话"
    else:
        what = f"{subject}{MEETING_KIND_LABELS[requirement.kind]}" if subject else MEETING_KIND_LABELS[requirement.kind]
    verb = "开展" if requirement.kind == HEART_TO_HEART else "召开"
    return Finding(
        rule=requirement.rule,
        severity=requirement.severity,
        message=f"{span}{what}{held}次，应至少{verb}{requirement.count}次。",
        extra={
            "kind": requirement.kind,
            "period_start": fmt_iso(period.start),
            "period_end": fmt_iso(period.end),
            "held": held,
            "required": requirement.count,
            "subject": subject,
        },
    )


def compliance(
    kind_dates: Mapping[str, Iterable[date]],
    *,
    org_kind: str,
    has_committee: bool,
    period_start: date,
    period_end: date,
    today: date,
    lectures_per_year: int = LECTURES_PER_YEAR_DEFAULT,
    subject: str | None = None,
) -> list[PeriodStatus]:
    """LIFE-01 … LIFE-07: held vs required per period for one branch or party group.

    ``kind_dates`` maps a meeting kind to the dates its meetings were held. Returns one
    status per (requirement, period), ordered by rule then period; periods that have
    not begun by ``today`` are left out. ``subject`` names a party group (LIFE-03
    applies to each group separately: call once per group).
    """
    statuses = []
    horizon = min(period_end, today)
    for requirement in requirements(
        org_kind=org_kind, has_committee=has_committee, lectures_per_year=lectures_per_year
    ):
        dates = list(kind_dates.get(requirement.kind, ()))
        for period in periods_between(period_start, horizon, requirement.freq):
            statuses.append(judge_period(requirement, period, dates, today=today, subject=subject))
    return statuses


def talk_compliance(
    talk_dates_by_member: Mapping[str, Iterable[date]],
    *,
    members: Mapping[str, date],
    period_start: date,
    period_end: date,
    today: date,
) -> list[PeriodStatus]:
    """LIFE-08: the branch committee talks with each member at least once a calendar year.

    ``members`` maps each member to the date they joined the branch; a member is held
    to a year only if they belonged to the branch for all of it (from 1 January).
    """
    requirement = Requirement("LIFE-08", HEART_TO_HEART, YEAR, 1)
    statuses = []
    for member, joined_on in members.items():
        dates = list(talk_dates_by_member.get(member, ()))
        start = max(period_start, joined_on)
        for period in periods_between(start, min(period_end, today), YEAR):
            statuses.append(judge_period(requirement, period, dates, today=today, subject=member))
    return statuses


def findings_of(statuses: Iterable[PeriodStatus]) -> list[Finding]:
    """The findings of the ended periods that fell short."""
    return [s.finding for s in statuses if s.finding is not None]


# --- LIFE-09: the meeting record and absences -------------------------------------


@dataclass(frozen=True)
class MeetingRecord:
    """What a meeting record must hold (LIFE-09); attendance maps member → status."""

    held_on: date | None
    kind: str
    topic: str
    host: str
    attendance: Mapping[str, str]
    minutes: str


def validate_meeting(record: MeetingRecord, *, members: Iterable[str], today: date) -> list[Finding]:
    """LIFE-09: date, kind, topic, host, every member's attendance and the minutes.

    An element left empty is MISSING; an impossible value (a date after ``today``,
    an unknown kind or attendance status) is an ERROR.
    """
    found = _record_header_findings(record, today=today)
    found += _attendance_findings(record.attendance, members)
    if not record.minutes.strip():
        found.append(_life09(MISSING, "会议记录缺少会议记录（纪要）内容。"))
    return found


def _life09(severity: str, message: str, **extra) -> Finding:
    return Finding(rule="LIFE-09", severity=severity, message=message, extra=extra)


def _record_header_findings(record: MeetingRecord, *, today: date) -> list[Finding]:
    found = []
    if record.held_on is None:
        found.append(_life09(MISSING, "会议记录缺少会议日期。"))
    elif record.held_on > today:
        found.append(
            _life09(
                ERROR,
                f"会议日期{fmt_iso(record.held_on)}晚于今天（{fmt_iso(today)}），不能登记尚未召开的会议。",
            )
        )
    if not record.kind:
        found.append(_life09(MISSING, "会议记录缺少会议类型。"))
    elif record.kind not in MEETING_KIND_LABELS:
        found.append(_life09(ERROR, f"会议类型“{record.kind}”无效。"))
    if not record.topic.strip():
        found.append(_life09(MISSING, "会议记录缺少会议主题。"))
    if not record.host.strip():
        found.append(_life09(MISSING, "会议记录缺少主持人。"))
    return found


def _attendance_findings(attendance: Mapping[str, str], members: Iterable[str]) -> list[Finding]:
    found = []
    unrecorded = [m for m in members if m not in attendance]
    if unrecorded:
        found.append(_life09(MISSING, f"以下党员未登记出席情况：{'、'.join(unrecorded)}。", members=unrecorded))
    for member, status in attendance.items():
        if status not in ATTENDANCE_LABELS:
            found.append(_life09(ERROR, f"{member}的出席情况“{status}”无效，应为出席、请假或缺席。", member=member))
    return found


def longest_absent_streak(sequence: Iterable[str]) -> int:
    """The longest run of consecutive ABSENT; PRESENT and EXCUSED both end a run."""
    longest = run = 0
    for status in sequence:
        run = run + 1 if status == ABSENT else 0
        longest = max(longest, run)
    return longest


def absent_streaks(
    attendance_sequence_by_member: Mapping[str, Sequence[str]],
    *,
    threshold: int = ABSENCE_STREAK_DEFAULT,
) -> dict[str, int]:
    """LIFE-09: members absent without excuse from ``threshold`` consecutive activities.

    Each sequence is one member's attendance at successive party-life activities, in
    date order; pass the activities since the member's last reminder talk so that a
    streak already dealt with is not flagged again. Returns member → longest streak.
    """
    streaks = {m: longest_absent_streak(seq) for m, seq in attendance_sequence_by_member.items()}
    return {m: n for m, n in streaks.items() if n >= threshold}


def absent_streak_findings(
    attendance_sequence_by_member: Mapping[str, Sequence[str]],
    *,
    threshold: int = ABSENCE_STREAK_DEFAULT,
) -> list[Finding]:
    """LIFE-09: one warning per member to be given a reminder talk (提醒谈话)."""
    return [
        _life09(
            WARNING,
            f"{member}连续{streak}次无故缺席党内组织生活，应进行提醒谈话。",
            member=member,
            streak=streak,
        )
        for member, streak in absent_streaks(attendance_sequence_by_member, threshold=threshold).items()
    ]


# --- Heat map of meetings per organisation and month ------------------------------


def month_start(month: date | tuple[int, int]) -> date:
    """The first day of a month given as any date in it or as (year, month)."""
    if isinstance(month, date):
        return month.replace(day=1)
    year, number = month
    return date(year, number, 1)


@dataclass(frozen=True)
class HeatMap:
    """Rows are organisations, columns months; ``cells[row][col]`` is a count."""

    orgs: tuple[Hashable, ...]
    months: tuple[date, ...]
    cells: tuple[tuple[int, ...], ...]

    @property
    def max_count(self) -> int:
        return max((max(row) for row in self.cells if row), default=0)

    @property
    def row_totals(self) -> tuple[int, ...]:
        return tuple(sum(row) for row in self.cells)

    def level(self, count: int, *, steps: int = 4) -> int:
        """Colour step 0..steps: 0 only for no meeting, ``steps`` for the busiest cell."""
        if count <= 0 or self.max_count == 0:
            return 0
        return max(1, math.ceil(count * steps / self.max_count))


def heat_map(
    counts: Mapping[tuple[Hashable, date | tuple[int, int]], int],
    *,
    first_month: date,
    last_month: date,
    orgs: Sequence[Hashable] | None = None,
) -> HeatMap:
    """Turn per-(org, month) counts into a matrix; absent pairs are 0.

    Rows follow ``orgs`` (default: the orgs in ``counts``, in first-seen order);
    columns are every month from ``first_month`` to ``last_month``. Counts for an
    org or month outside the matrix are ignored.
    """
    months = []
    month = month_start(first_month)
    while month <= month_start(last_month):
        months.append(month)
        month = add_months(month, 1)
    totals: dict[tuple[Hashable, date], int] = {}
    for (org, when), count in counts.items():
        key = (org, month_start(when))
        totals[key] = totals.get(key, 0) + count
    rows = tuple(orgs) if orgs is not None else tuple(dict.fromkeys(org for org, _ in counts))
    cells = tuple(tuple(totals.get((org, m), 0) for m in months) for org in rows)
    return HeatMap(rows, tuple(months), cells)
