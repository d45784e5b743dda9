"""Term and re-election rules TERM-01 … TERM-04 (rules/party-life.md). Pure functions.

Dates and numbers in, ``Finding``s out; ``today`` and the local settings
(``TERM_WARNING_MONTHS``, ``LEGACY_TERM_YEARS``) are arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from core.dates import add_months, add_years, fmt_iso
from core.findings import ERROR, WARNING, Finding

WORKING_COMMITTEE = "WORKING_COMMITTEE"
COMMITTEE = "COMMITTEE"
GENERAL_BRANCH = "GENERAL_BRANCH"
BRANCH = "BRANCH"
GROUP = "GROUP"
KIND_LABELS = {
    WORKING_COMMITTEE: "区直机关党工委",
    COMMITTEE: "党委",
    GENERAL_BRANCH: "党总支",
    BRANCH: "党支部",
    GROUP: "党小组",
}

# 中办《关于党的基层组织任期的意见》(2018-07): 基层党委 5 years, 总支 and 支部 3.
TERM_RULES_FROM = date(2018, 7, 1)
STATUTORY_TERM_YEARS = {COMMITTEE: 5, GENERAL_BRANCH: 3, BRANCH: 3}
DEFAULT_LEGACY_TERM_YEARS = {COMMITTEE: 4, GENERAL_BRANCH: 3, BRANCH: 2}
MAX_SHIFT_YEARS = 1  # TERM-02: postponing or advancing by no more than one year

NORMAL = "NORMAL"
DUE_SOON = "DUE_SOON"
OVERDUE = "OVERDUE"
POSTPONED = "POSTPONED"
CLOSED = "CLOSED"
STATUS_LABELS = {
    NORMAL: "正常",
    DUE_SOON: "即将到期",
    OVERDUE: "已逾期",
    POSTPONED: "已批准延期",
    CLOSED: "已换届",
}


@dataclass(frozen=True)
class TermSettings:
    """The local settings the term rules use; the caller reads them and passes them in."""

    TERM_WARNING_MONTHS: int = 6  # TERM-03
    LEGACY_TERM_YEARS: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_LEGACY_TERM_YEARS))  # TERM-01


DEFAULT_TERM_SETTINGS = TermSettings()


@dataclass(frozen=True)
class TermFacts:
    """One term (届) of a party organisation, as recorded."""

    org_kind: str
    started_on: date
    length_years: int | None = None  # the length recorded on the term (decisive before 2018-07-01)
    postponed_to: date | None = None  # re-election date approved by the superior (later or earlier)
    approval_note: str = ""
    ended_on: date | None = None  # the re-election that closed the term


@dataclass(frozen=True)
class TermStatus:
    status: str  # NORMAL | DUE_SOON | OVERDUE | POSTPONED | CLOSED
    planned_end: date  # TERM-02: start + length
    due_on: date  # when re-election is due: the approved date if one is recorded, else the planned end
    findings: tuple[Finding, ...] = ()

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def term_length(
    kind: str, started_on: date, *, recorded_years: int | None = None, settings: TermSettings = DEFAULT_TERM_SETTINGS
) -> int:
    """TERM-01: the term length in years by kind and start date.

    From 2018-07-01: 党委 5, 总支 and 支部 3. Before: the length recorded on the
    term, else ``LEGACY_TERM_YEARS`` for the kind. A kind with no statutory term
    (工委, 党小组) needs a recorded length; ValueError otherwise.
    """
    if started_on >= TERM_RULES_FROM and kind in STATUTORY_TERM_YEARS:
        return STATUTORY_TERM_YEARS[kind]
    if recorded_years:
        return recorded_years
    if started_on < TERM_RULES_FROM and kind in settings.LEGACY_TERM_YEARS:
        return settings.LEGACY_TERM_YEARS[kind]
    raise ValueError(f"{KIND_LABELS.get(kind, kind)}没有规定任期年限，请在任期上录入年限。")


def planned_end(term: TermFacts, *, settings: TermSettings = DEFAULT_TERM_SETTINGS) -> date:
    """TERM-02: a term ends on its start + its length."""
    years = term_length(term.org_kind, term.started_on, recorded_years=term.length_years, settings=settings)
    return add_years(term.started_on, years)


def check_term_length(term: TermFacts) -> list[Finding]:
    """TERM-01: a length recorded on a term begun from 2018-07-01 that differs from the
    statutory one is a warning (the statutory length is used)."""
    statutory = STATUTORY_TERM_YEARS.get(term.org_kind)
    if term.started_on < TERM_RULES_FROM or statutory is None or term.length_years in (None, statutory):
        return []
    label = KIND_LABELS[term.org_kind]
    message = (
        f"{fmt_iso(term.started_on)} 起的{label}任期应为 {statutory} 年（2018年7月1日起施行），"
        f"录入为 {term.length_years} 年，按 {statutory} 年计算。"
    )
    return [Finding("TERM-01", WARNING, message)]


def term_status(term: TermFacts, *, today: date, settings: TermSettings = DEFAULT_TERM_SETTINGS) -> TermStatus:
    """TERM-02 / TERM-03: the state of a term as of ``today``, with its findings.

    - 已换届 (CLOSED): re-elected; the election date is judged against the due date.
    - 已逾期 (OVERDUE): past the due date, not re-elected → error.
    - 已批准延期 (POSTPONED): past the planned end, within an approved postponement.
    - 即将到期 (DUE_SOON): within ``TERM_WARNING_MONTHS`` of the due date → warning.
    - 正常 (NORMAL): otherwise.
    An approved date more than one year from the planned end is an error in any state.
    """
    end = planned_end(term, settings=settings)
    due = term.postponed_to or end
    findings = check_term_length(term) + _shift_findings(term, end)
    if term.ended_on:
        status = CLOSED
        findings += _election_timing(term, end)
    elif today > due:
        status = OVERDUE
        findings.append(_overdue(term, end, today))
    else:
        status = POSTPONED if today > end else NORMAL
        warn_from = add_months(due, -settings.TERM_WARNING_MONTHS)
        if today >= warn_from:
            status = DUE_SOON if status == NORMAL else status
            message = (
                f"本届任期应于 {fmt_iso(due)} 换届，已进入换届前 {settings.TERM_WARNING_MONTHS} 个月，请准备换届请示。"
            )
            findings.append(Finding("TERM-03", WARNING, message))
    return TermStatus(status, end, due, tuple(findings))


def term_next_due(term: TermFacts, *, today: date, settings: TermSettings = DEFAULT_TERM_SETTINGS) -> date | None:
    """The next date something is due for the term (for ``Term.next_due_on``): the start
    of the TERM-03 warning while it is ahead, then the re-election date; None once
    re-elected."""
    if term.ended_on:
        return None
    due = term.postponed_to or planned_end(term, settings=settings)
    warn_from = add_months(due, -settings.TERM_WARNING_MONTHS)
    return warn_from if today < warn_from else due


def _shift_findings(term: TermFacts, end: date) -> list[Finding]:
    """TERM-02: an approved re-election date no more than one year from the planned end."""
    approved = term.postponed_to
    if approved is None:
        return []
    if add_years(end, -MAX_SHIFT_YEARS) <= approved <= add_years(end, MAX_SHIFT_YEARS):
        return []
    message = f"批准的换届日期 {fmt_iso(approved)} 与应换届日期 {fmt_iso(end)} 相差超过一年。"
    return [Finding("TERM-02", ERROR, message)]


def _overdue(term: TermFacts, end: date, today: date) -> Finding:
    if term.postponed_to:
        message = f"已批准延期至 {fmt_iso(term.postponed_to)}，截至 {fmt_iso(today)} 仍未换届。"
    else:
        message = f"本届任期已于 {fmt_iso(end)} 届满，截至 {fmt_iso(today)} 未换届，且无上级批准延期记录。"
    return Finding("TERM-02", ERROR, message)


def _election_timing(term: TermFacts, end: date) -> list[Finding]:
    """TERM-02 for a closed term: re-elected at term end, or as approved."""
    held, approved = term.ended_on, term.postponed_to
    if approved and held > approved:
        return [Finding("TERM-02", ERROR, f"实际换届日期 {fmt_iso(held)} 晚于批准的换届日期 {fmt_iso(approved)}。")]
    if held < add_years(end, -MAX_SHIFT_YEARS):
        message = f"实际换届日期 {fmt_iso(held)} 比应换届日期 {fmt_iso(end)} 提前超过一年。"
        return [Finding("TERM-02", ERROR, message)]
    if approved:
        return []
    if held > end:
        message = f"实际换届日期 {fmt_iso(held)} 晚于应换届日期 {fmt_iso(end)}，且无上级批准延期记录。"
        return [Finding("TERM-02", ERROR, message)]
    if held < end:
        message = (
            f"实际换届日期 {fmt_iso(held)} 早于应换届日期 {fmt_iso(end)}，提前换届须经上级党组织批准，未见批准记录。"
        )
        return [Finding("TERM-02", WARNING, message)]
    return []


# --- TERM-04: the election meeting ---------------------------------------------------------


def election_is_valid(*, entitled: int, present: int) -> bool:
    """TERM-04: voters present exceed four fifths of those entitled (strictly)."""
    return entitled > 0 and present * 5 > entitled * 4


def is_elected(*, entitled: int, votes_for: int) -> bool:
    """TERM-04: votes in favour exceed half of those entitled to vote (strictly)."""
    return entitled > 0 and votes_for * 2 > entitled


def check_election(
    *, entitled: int, present: int, votes: Mapping[str, int] | None = None, declared_elected: Iterable[str] = ()
) -> list[Finding]:
    """TERM-04 findings of one election: impossible numbers, an invalid meeting, and a
    candidate declared elected without the majority."""
    votes = votes or {}
    if entitled <= 0 or present < 0 or present > entitled:
        return [Finding("TERM-04", ERROR, f"应到会有选举权党员 {entitled} 人、实到会 {present} 人，人数有误。")]
    findings = []
    if not election_is_valid(entitled=entitled, present=present):
        message = f"实到会有选举权党员 {present} 人，未超过应到会 {entitled} 人的五分之四，选举无效。"
        findings.append(Finding("TERM-04", ERROR, message))
    for name, count in votes.items():
        if count < 0 or count > present:
            findings.append(
                Finding("TERM-04", ERROR, f"{name}得票 {count} 票，超过实到会人数 {present} 或为负数，票数有误。")
            )
    for name in declared_elected:
        count = votes.get(name, 0)
        if not is_elected(entitled=entitled, votes_for=count):
            message = f"{name}得赞成票 {count} 票，未超过应到会有选举权党员 {entitled} 人的半数，不能当选。"
            findings.append(Finding("TERM-04", ERROR, message))
    return findings
