"""Recruitment rules REC-01 … REC-25 (../shared/rules/recruitment.md). Pure functions.

Dates and numbers in, ``Finding``s out: no ORM, no settings, no clock. ``today``,
the working-day calendar and the local settings are arguments.

Each step is judged by the 细则 revision in force on its date (``rule_set_for``).
A step that has not happened yet can only happen from today on, so an overdue
step is judged by the revision in force today.

Severities (recruitment.md): **error** — broken, including a deadline passed as
of today with the step undone; **warning** — allowed only with a recorded reason,
or a tolerance used; **missing** — a required step has no date although a later
step has one. The ledger audit reports one finding per broken rule per person,
so every ``rec_*`` function returns at most one ``Finding``: when a rule is
broken in several ways, the most severe way leads and the others follow in the
same sentence.

Order: the ledger numbers the notice (step 8) after the listing (step 7), but
REC-07/REC-07L require the notice to end *before* the listing, so where "a later
step" matters the process order puts 8 before 7 (``PROCESS_ORDER``). REC-24
leaves step 8 out of the order check: REC-07/REC-07L place it.

"Before" and "after" in the rules are strict (same day fails); "in that order"
and "on or after" (REC-11, REC-24) allow the same day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise

from core import dates as _dates
from core.dates import age_on, fmt_iso
from core.findings import ERROR, MISSING, WARNING, Finding
from core.workdays import UnknownCalendarYear, WorkCalendar

# Calendar arithmetic is pure and a ledger repeats the same dates: cache it (a
# 100,000-record audit computes a few hundred thousand deadlines).
add_months = lru_cache(maxsize=16384)(_dates.add_months)


def add_years(d: date, years: int) -> date:
    """``core.dates.add_years`` through the cached ``add_months``."""
    return add_months(d, 12 * years)


# --- rule sets -------------------------------------------------------------

RULE_SET_2014 = "2014"
RULE_SET_2026 = "2026"
RULES_2026_FROM = date(2026, 5, 11)  # 中办 2026-05-11, 施行 on publication


def rule_set_for(d: date) -> str:
    """The 细则 revision in force on ``d``: "2014" before 2026-05-11, "2026" from then on."""
    return RULE_SET_2026 if d >= RULES_2026_FROM else RULE_SET_2014


# --- vocabulary --------------------------------------------------------------

APPLICANT = "APPLICANT"
ACTIVIST = "ACTIVIST"
CANDIDATE = "CANDIDATE"
PROBATIONARY = "PROBATIONARY"
FULL = "FULL"
STAGE_LABELS = {
    APPLICANT: "入党申请人",
    ACTIVIST: "入党积极分子",
    CANDIDATE: "发展对象",
    PROBATIONARY: "预备党员",
    FULL: "正式党员",
}

STEP_LABELS = {
    1: "递交入党申请书",
    2: "党组织派人谈话",
    3: "确定入党积极分子",
    4: "报上级党委备案",
    5: "指定培养联系人",
    6: "培养教育考察",
    7: "确定发展对象",
    8: "发展对象公示",
    9: "确定入党介绍人",
    10: "政治审查",
    11: "集中培训",
    12: "支部委员会审查",
    13: "上级党委预审",
    14: "填写入党志愿书",
    15: "支部党员大会讨论",
    16: "上级党委派人谈话",
    17: "上级党委审批",
    18: "报上级党委组织部门备案",
    19: "编入党支部和党小组",
    20: "入党宣誓",
    21: "继续教育考察",
    22: "提出转正申请",
    23: "支部党员大会讨论转正",
    24: "上级党委审批转正",
    25: "材料归档",
}
# The order the steps happen in: the notice (8) runs before the listing (7).
PROCESS_ORDER = (1, 2, 3, 4, 5, 6, 8, 7, *range(9, 26))

# Sanctions in their period of effect on the date a member acts (REC-08).
DISCIPLINE_WARNING = "WARNING"
DISCIPLINE_SERIOUS_WARNING = "SERIOUS_WARNING"
DISCIPLINE_REMOVAL_FROM_POST = "REMOVAL_FROM_POST"
DISCIPLINE_PARTY_PROBATION = "PARTY_PROBATION"  # 留党察看, not yet restored
DISCIPLINE_LABELS = {
    DISCIPLINE_WARNING: "警告",
    DISCIPLINE_SERIOUS_WARNING: "严重警告",
    DISCIPLINE_REMOVAL_FROM_POST: "撤销党内职务",
    DISCIPLINE_PARTY_PROBATION: "留党察看",
}

BALLOT_SECRET = "secret"  # 无记名投票
BALLOT_HANDS = "hands"  # 举手表决

# REC-16: only a party committee (a 工委 included) approves.
APPROVING_ORG_KINDS = frozenset({"WORKING_COMMITTEE", "COMMITTEE"})
ORG_KIND_LABELS = {
    "WORKING_COMMITTEE": "区直机关党工委",
    "COMMITTEE": "党委",
    "GENERAL_BRANCH": "党总支",
    "BRANCH": "党支部",
    "GROUP": "党小组",
    "PARTY_GROUP": "党组",
    "TEMPORARY": "临时党组织",
}

# REC-25: the file kept after conversion.
ARCHIVE_DOCUMENTS = {
    "APPLICATION_FORM": "入党志愿书",
    "APPLICATION": "入党申请书",
    "CULTIVATION_RECORD": "培养考察登记表",
    "POLITICAL_REVIEW": "政审材料",
    "PROBATION_RECORD": "教育考察登记表",
    "CONVERSION_APPLICATION": "转正申请书",
}

NOTICE_WORKDAYS_2026 = 5  # REC-07
ARCHIVE_DAYS = 60  # REC-25


# --- facts --------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRef:
    """A party member acting as mentor (培养联系人) or sponsor (入党介绍人).

    ``is_full_member_on_date`` and ``discipline`` are as of the date the member
    was assigned; ``discipline`` is the sanction then in its period of effect
    (``DISCIPLINE_*``), or None.
    """

    name: str
    is_full_member_on_date: bool = True
    discipline: str | None = None


@dataclass(frozen=True)
class BallotResult:
    """The vote of a branch general meeting (steps 15 and 23)."""

    due: int | None  # 应到会有表决权人数
    present: int | None  # 实到会有表决权人数
    in_favour: int | None  # 赞成票数
    written_in_favour: int = 0  # 书面意见赞成数 (absent voting members)
    method: str | None = None  # BALLOT_SECRET | BALLOT_HANDS

    @property
    def is_complete(self) -> bool:
        return None not in (self.due, self.present, self.in_favour)


@dataclass(frozen=True)
class RecruitmentSettings:
    """The local settings the rules use; the caller reads them and passes them in."""

    LOCAL_NOTICE_WORKDAYS: int = 5  # REC-07L
    CONVERSION_GRACE_DAYS: int = 30  # REC-19


@dataclass(frozen=True)
class RecruitmentFacts:
    """One person's recruitment record: the 25 steps and what the rules need to judge them.

    A date is None until recorded. ``recorded_reasons`` maps a rule ID to the
    reason recorded for an exception (REC-10 special case, REC-15 special
    circumstances, REC-19 postponement of a member transferred in).
    """

    birth_date: date | None = None
    transferred_in: bool = False
    mobile_member: bool = False  # 流动党员: notice in both places (REC-07)
    application_on: date | None = None  # 1
    talk_on: date | None = None  # 2
    activist_on: date | None = None  # 3
    activist_filed_on: date | None = None  # 4
    mentors_assigned_on: date | None = None  # 5
    mentors: tuple[MemberRef, ...] = ()
    evaluations: tuple[date, ...] = ()  # 6, every six months
    candidate_on: date | None = None  # 7
    candidate_agreed_by_superior: bool | None = None  # None: not recorded
    notice_start: date | None = None  # 8
    notice_end: date | None = None
    notice_in_both_places: bool = False
    sponsors_assigned_on: date | None = None  # 9
    sponsors: tuple[MemberRef, ...] = ()
    political_review_on: date | None = None  # 10
    training_start: date | None = None  # 11
    training_end: date | None = None
    training_hours: float | None = None
    committee_review_on: date | None = None  # 12
    pre_review_on: date | None = None  # 13
    application_form_on: date | None = None  # 14
    planned_leave_on: date | None = None  # known date of leaving the unit (REC-11)
    general_meeting_on: date | None = None  # 15
    admission_ballot: BallotResult | None = None
    superior_talk_on: date | None = None  # 16
    approved_on: date | None = None  # 17
    approving_org_kind: str | None = None
    approval_filed_on: date | None = None  # 18
    assigned_to_branch_on: date | None = None  # 19
    oath_on: date | None = None  # 20
    collective_oath: bool = False  # 七一 / 国庆 collective oath recorded (REC-17)
    probation_evaluations: tuple[date, ...] = ()  # 21
    extension_months: int | None = None  # REC-20
    conversion_application_on: date | None = None  # 22
    conversion_committee_review_on: date | None = None
    conversion_meeting_on: date | None = None  # 23
    conversion_ballot: BallotResult | None = None
    conversion_approved_on: date | None = None  # 24
    archived_on: date | None = None  # 25
    archive_checklist: frozenset[str] | None = None  # ARCHIVE_DOCUMENTS keys; None: not recorded
    recorded_full_member_on: date | None = None  # a 转正日期 typed in elsewhere (REC-23)
    recorded_reasons: Mapping[str, str] = field(default_factory=dict)


_STEP_FIELDS = {
    1: "application_on",
    2: "talk_on",
    3: "activist_on",
    4: "activist_filed_on",
    5: "mentors_assigned_on",
    7: "candidate_on",
    9: "sponsors_assigned_on",
    10: "political_review_on",
    12: "committee_review_on",
    13: "pre_review_on",
    14: "application_form_on",
    15: "general_meeting_on",
    16: "superior_talk_on",
    17: "approved_on",
    18: "approval_filed_on",
    19: "assigned_to_branch_on",
    20: "oath_on",
    22: "conversion_application_on",
    23: "conversion_meeting_on",
    24: "conversion_approved_on",
    25: "archived_on",
}


def step_date(facts: RecruitmentFacts, step: int) -> date | None:
    """The date of ``step`` (1..25); for a step that spans days, the day it began."""
    if step == 6:
        return min(facts.evaluations, default=None)
    if step == 8:
        return facts.notice_start or facts.notice_end
    if step == 11:
        return facts.training_start or facts.training_end
    if step == 21:
        return min(facts.probation_evaluations, default=None)
    return getattr(facts, _STEP_FIELDS[step])


def _is_done(facts: RecruitmentFacts, step: int) -> bool:
    # Mentors and sponsors are often recorded by name only (the ledger has no date).
    if step == 5 and facts.mentors:
        return True
    if step == 9 and facts.sponsors:
        return True
    return _process_dates(facts)[0][_POSITION[step]] is not None


_POSITION = {n: i for i, n in enumerate(PROCESS_ORDER)}


def _compute_process_dates(f: RecruitmentFacts) -> tuple[date | None, ...]:
    """``step_date`` of every step in ``PROCESS_ORDER`` (1–6, 8, 7, 9–25), spelled out."""
    ev, pe = f.evaluations, f.probation_evaluations
    return (
        f.application_on, f.talk_on, f.activist_on, f.activist_filed_on, f.mentors_assigned_on,
        min(ev) if ev else None, f.notice_start or f.notice_end, f.candidate_on,
        f.sponsors_assigned_on, f.political_review_on, f.training_start or f.training_end,
        f.committee_review_on, f.pre_review_on, f.application_form_on, f.general_meeting_on,
        f.superior_talk_on, f.approved_on, f.approval_filed_on, f.assigned_to_branch_on, f.oath_on,
        min(pe) if pe else None, f.conversion_application_on, f.conversion_meeting_on,
        f.conversion_approved_on, f.archived_on,
    )  # fmt: skip


def _process_dates(facts: RecruitmentFacts) -> tuple[tuple[date | None, ...], tuple[int | None, ...]]:
    """The date of every step in process order and, for each position, the position
    of the first dated step from there on; computed once per facts object.

    Facts are immutable, so the pair is kept on the instance (outside the
    dataclass fields: equality, ``repr`` and ``replace`` ignore it). Every rule
    asks "which later step has a date"; a ledger audit of 100,000 records asks it
    a few million times.
    """
    cached = facts.__dict__.get("_process_dates")
    if cached is None:
        dates = _compute_process_dates(facts)
        following: list[int | None] = [None] * (len(dates) + 1)
        for i in range(len(dates) - 1, -1, -1):
            following[i] = i if dates[i] is not None else following[i + 1]
        cached = (dates, tuple(following))
        object.__setattr__(facts, "_process_dates", cached)
    return cached


def _dated_from(facts: RecruitmentFacts, step: int) -> tuple[int, date] | None:
    """The first step at or after ``step`` (process order) that has a date."""
    dates, following = _process_dates(facts)
    i = following[_POSITION[step]]
    return None if i is None else (PROCESS_ORDER[i], dates[i])


def _dated_after(facts: RecruitmentFacts, step: int) -> tuple[int, date] | None:
    """The first step after ``step`` (process order) that has a date."""
    index = PROCESS_ORDER.index(step)
    return _dated_from(facts, PROCESS_ORDER[index + 1]) if index + 1 < len(PROCESS_ORDER) else None


# --- derived values -------------------------------------------------------------

_STAGE_FROM = ((24, FULL), (17, PROBATIONARY), (7, CANDIDATE), (3, ACTIVIST))


def stage_of(facts: RecruitmentFacts) -> str:
    """APPLICANT / ACTIVIST / CANDIDATE / PROBATIONARY / FULL from the furthest step reached.

    The furthest step rather than one milestone, so a record with a gap (a
    missing listing date but a recorded political review) still shows where the
    person is.
    """
    reached = [PROCESS_ORDER.index(n) for n in PROCESS_ORDER if _is_done(facts, n)]
    furthest = max(reached, default=-1)
    for step, stage in _STAGE_FROM:
        if furthest >= PROCESS_ORDER.index(step):
            return stage
    return APPLICANT


def probation_end(facts: RecruitmentFacts) -> date | None:
    """REC-18 (第三十一条): general meeting date + 1 year, + the extension in months.

    The extension runs from the end of the one-year probation. A positive
    extension is applied as recorded even when REC-20 finds it out of range.
    """
    if facts.general_meeting_on is None:
        return None
    end = add_years(facts.general_meeting_on, 1)
    if facts.extension_months and facts.extension_months > 0:
        end = add_months(end, facts.extension_months)
    return end


def full_member_on(facts: RecruitmentFacts) -> date | None:
    """REC-23 (第三十三条): once conversion is approved, full membership (and party age)
    counts from the day probation ends, not from the approval date."""
    if facts.conversion_approved_on is None:
        return None
    return probation_end(facts)


def party_age(full_member_on: date, on: date) -> int:
    """REC-23: completed years of party age on ``on`` (0 before full membership)."""
    return age_on(full_member_on, on) if on >= full_member_on else 0


# --- reporting helpers ---------------------------------------------------------------


@dataclass(frozen=True)
class _Problem:
    severity: str
    rule_set: str | None
    step: int | None
    message: str  # a clause, without the final 。


_RANK = {ERROR: 0, MISSING: 1, WARNING: 2}


def _report(rule: str, problems: list[_Problem]) -> list[Finding]:
    """At most one finding per rule: the most severe problem leads, the rest follow it."""
    if not problems:
        return []
    ordered = sorted(problems, key=lambda p: _RANK[p.severity])
    lead = ordered[0]
    message = "；".join(p.message for p in ordered) + "。"
    return [Finding(rule, lead.severity, message, lead.rule_set, lead.step)]


def _dated(step: int, d: date) -> str:
    return f"{STEP_LABELS[step]}日期 {fmt_iso(d)}"


def _missing(facts: RecruitmentFacts, step: int, *, after: int, what: str | None = None) -> list[_Problem]:
    """MISSING when ``step`` is not done although a step from ``after`` on has a date."""
    if _is_done(facts, step):
        return []
    later = _dated_from(facts, after)
    if later is None:
        return []
    what = what or f"{STEP_LABELS[step]}日期未录入"
    return [_Problem(MISSING, rule_set_for(later[1]), step, f"{what}，但{_dated(*later)} 已录入")]


def _overdue(
    facts: RecruitmentFacts,
    step: int,
    *,
    deadline: date,
    today: date,
    basis: str,
    severity: str = ERROR,
) -> list[_Problem]:
    """A deadline passed as of ``today`` with ``step`` still undone.

    A step followed by a dated later step is merely unrecorded: its owner rule
    reports it as missing instead.
    """
    if today <= deadline or _dated_from(facts, step) is not None or _is_done(facts, step):
        return []
    message = f"{basis}应完成{STEP_LABELS[step]}（不晚于 {fmt_iso(deadline)}），截至 {fmt_iso(today)} 尚未完成"
    return [_Problem(severity, rule_set_for(today), step, message)]


# --- REC-01 … REC-06 ---------------------------------------------------------------------


def rec_01_age(facts: RecruitmentFacts) -> list[Finding]:
    """REC-01 (第五条): the applicant is at least 18 years old on the application date."""
    problems = _missing(facts, 1, after=2)
    app, birth = facts.application_on, facts.birth_date
    if app and birth and age_on(birth, app) < 18:
        problems.append(
            _Problem(
                ERROR,
                rule_set_for(app),
                1,
                f"{_dated(1, app)} 时年龄 {age_on(birth, app)} 岁（出生日期 {fmt_iso(birth)}），未满18周岁",
            )
        )
    return _report("REC-01", problems)


def rec_02_talk(facts: RecruitmentFacts, *, today: date) -> list[Finding]:
    """REC-02 (第七条): the organisation talks with the applicant within one month of the application."""
    problems = _missing(facts, 2, after=3)
    app, talk = facts.application_on, facts.talk_on
    if app and talk:
        deadline = add_months(app, 1)
        if talk < app:
            problems.append(_Problem(ERROR, rule_set_for(talk), 2, f"{_dated(2, talk)} 早于{_dated(1, app)}"))
        elif talk > deadline:
            problems.append(
                _Problem(
                    ERROR,
                    rule_set_for(talk),
                    2,
                    f"{_dated(2, talk)} 超过{_dated(1, app)} 后一个月（应不晚于 {fmt_iso(deadline)}）",
                )
            )
    elif app:
        problems += _overdue(facts, 2, deadline=add_months(app, 1), today=today, basis=f"{_dated(1, app)} 后一个月内")
    return _report("REC-02", problems)


def rec_03_activist(facts: RecruitmentFacts) -> list[Finding]:
    """REC-03 (第八条): an activist is determined after the application and after the talk,
    and filed with the superior committee (step 4)."""
    problems = _missing(facts, 3, after=4) + _missing(facts, 4, after=5)
    activist = facts.activist_on
    if activist:
        for step in (1, 2):
            earlier = step_date(facts, step)
            if earlier and activist <= earlier:
                message = f"{_dated(3, activist)} 不晚于{_dated(step, earlier)}（应在其后确定入党积极分子）"
                problems.append(_Problem(ERROR, rule_set_for(activist), 3, message))
    return _report("REC-03", problems)


def rec_04_mentors(facts: RecruitmentFacts) -> list[Finding]:
    """REC-04 (第九条): one or two mentors, each a full member on the assignment date."""
    problems = _missing(facts, 5, after=6, what="未指定培养联系人")
    mentors = facts.mentors
    on = facts.mentors_assigned_on or facts.activist_on
    rule_set = rule_set_for(on) if on else None
    if len(mentors) > 2:
        names = "、".join(m.name for m in mentors)
        problems.append(_Problem(ERROR, rule_set, 5, f"培养联系人 {len(mentors)} 人（{names}），应为一至两名"))
    for mentor in mentors:
        if not mentor.is_full_member_on_date:
            when = f"（指定日期 {fmt_iso(on)}）" if on else ""
            problems.append(_Problem(ERROR, rule_set, 5, f"培养联系人{mentor.name}在指定时不是正式党员{when}"))
    return _report("REC-04", problems)


def rec_05_evaluations(facts: RecruitmentFacts, *, today: date) -> list[Finding]:
    """REC-05 (第十一条): an evaluation at least every six months from the activist date
    to the candidate date; no gap may end after its start + 6 months.

    While the person is still an activist, the gap up to ``today`` counts too
    (an evaluation overdue as of today is an error).
    """
    activist, candidate = facts.activist_on, facts.candidate_on
    if activist is None:
        return []
    points = [(_dated(3, activist), activist)]
    for d in sorted(facts.evaluations):
        if activist <= d and (candidate is None or d <= candidate):
            points.append((f"考察日期 {fmt_iso(d)}", d))
    problems = []
    if candidate is not None:
        points.append((_dated(7, candidate), candidate))
    for (label, start), (end_label, end) in pairwise(points):
        if end > add_months(start, 6):
            problems.append(
                _Problem(
                    ERROR,
                    rule_set_for(end),
                    6,
                    f"{label} 至{end_label} 间隔超过六个月（应不晚于 {fmt_iso(add_months(start, 6))} 考察）",
                )
            )
    if candidate is None and _dated_after(facts, 6) is None:
        label, last = points[-1]
        problems += _overdue_evaluation(label, last, today)
    return _report("REC-05", problems)


def _overdue_evaluation(label: str, last: date, today: date) -> list[_Problem]:
    deadline = add_months(last, 6)
    if today <= deadline:
        return []
    message = f"{label} 后六个月内应进行培养教育考察（不晚于 {fmt_iso(deadline)}），截至 {fmt_iso(today)} 尚未考察"
    return [_Problem(ERROR, rule_set_for(today), 6, message)]


def rec_06_cultivation_year(facts: RecruitmentFacts) -> list[Finding]:
    """REC-06 (第十三条): a candidate only after at least one year as an activist.

    Candidate date >= activist date + 1 year. Cultivation before a transfer counts
    (第十二条): the activist date stays the original one.
    """
    problems = _missing(facts, 7, after=9)
    activist, candidate = facts.activist_on, facts.candidate_on
    if activist and candidate:
        earliest = add_years(activist, 1)
        if candidate < earliest:
            problems.append(
                _Problem(
                    ERROR,
                    rule_set_for(candidate),
                    7,
                    f"{_dated(7, candidate)} 距{_dated(3, activist)} 不足一年（应不早于 {fmt_iso(earliest)}）",
                )
            )
    return _report("REC-06", problems)


# --- REC-07 / REC-07L: the notice before the listing -----------------------------------------


def rec_07_notice(facts: RecruitmentFacts, *, calendar: WorkCalendar) -> list[Finding]:
    """REC-07 (第十三条, 2026 only): before the listing, a public notice of at least five
    working days (in both places for a mobile person); the listing date is after the
    notice ends; the superior committee agreed to the listing.

    Judged by the listing date (step 7), the step the notice is a condition of.
    """
    candidate = facts.candidate_on
    if candidate is None or rule_set_for(candidate) != RULE_SET_2026:
        return []
    problems = _notice_problems(facts, calendar, NOTICE_WORKDAYS_2026, RULE_SET_2026)
    if facts.mobile_member and not facts.notice_in_both_places:
        problems.append(_Problem(ERROR, RULE_SET_2026, 8, "流动党员的发展对象公示应在流出地和流入地同时进行"))
    if facts.candidate_agreed_by_superior is False:
        problems.append(_Problem(ERROR, RULE_SET_2026, 7, f"{_dated(7, candidate)} 的确定未经上级党委同意"))
    return _report("REC-07", problems)


def rec_07l_local_notice(
    facts: RecruitmentFacts, *, calendar: WorkCalendar, settings: RecruitmentSettings
) -> list[Finding]:
    """REC-07L (local 公示票决制, 2014 only): the REC-07 notice is required as well, of at
    least ``LOCAL_NOTICE_WORKDAYS`` working days, ending before the listing date."""
    candidate = facts.candidate_on
    if candidate is None or rule_set_for(candidate) != RULE_SET_2014:
        return []
    problems = _notice_problems(facts, calendar, settings.LOCAL_NOTICE_WORKDAYS, RULE_SET_2014)
    return _report("REC-07L", problems)


def _notice_problems(facts: RecruitmentFacts, calendar: WorkCalendar, minimum: int, rule_set: str) -> list[_Problem]:
    start, end, candidate = facts.notice_start, facts.notice_end, facts.candidate_on
    if start is None or end is None:
        what = "发展对象公示日期未录入" if start is None and end is None else "发展对象公示起止日期不全"
        return [_Problem(MISSING, rule_set, 8, f"{what}，但{_dated(7, candidate)} 已录入")]
    period = f"发展对象公示 {fmt_iso(start)} 至 {fmt_iso(end)}"
    if end < start:
        return [_Problem(ERROR, rule_set, 8, f"{period}：结束日期早于开始日期")]
    problems = []
    try:
        days = calendar.count_workdays(start, end)
        if days < minimum:
            should_end = calendar.add_workdays(start, minimum)
            problems.append(
                _Problem(
                    ERROR,
                    rule_set,
                    8,
                    f"{period} 仅 {days} 个工作日，少于 {minimum} 个工作日（应至少公示到 {fmt_iso(should_end)}）",
                )
            )
    except UnknownCalendarYear as exc:
        problems.append(_Problem(MISSING, rule_set, 8, f"无法核对{period}的工作日数：{str(exc).rstrip('。')}"))
    if candidate <= end:
        problems.append(
            _Problem(
                ERROR, rule_set, 7, f"{_dated(7, candidate)} 不晚于公示结束日期 {fmt_iso(end)}（应在公示结束后确定）"
            )
        )
    return problems


# --- REC-08 … REC-12 --------------------------------------------------------------------------

_SHOULD_NOT_SPONSOR = frozenset({DISCIPLINE_WARNING, DISCIPLINE_SERIOUS_WARNING, DISCIPLINE_REMOVAL_FROM_POST})


def rec_08_sponsors(facts: RecruitmentFacts) -> list[Finding]:
    """REC-08 (第十四条): two sponsors, each a full member. Under 警告/严重警告/撤销党内职务
    in its period of effect → should not sponsor (warning); under 留党察看 not yet
    restored → cannot (error)."""
    problems = _missing(facts, 9, after=10, what="未确定入党介绍人")
    sponsors = facts.sponsors
    on = facts.sponsors_assigned_on or facts.candidate_on or facts.general_meeting_on
    rule_set = rule_set_for(on) if on else None
    if sponsors and len(sponsors) != 2:
        names = "、".join(s.name for s in sponsors)
        problems.append(_Problem(ERROR, rule_set, 9, f"入党介绍人 {len(sponsors)} 人（{names}），应为两名"))
    for sponsor in sponsors:
        if not sponsor.is_full_member_on_date:
            problems.append(_Problem(ERROR, rule_set, 9, f"入党介绍人{sponsor.name}不是正式党员"))
        elif sponsor.discipline == DISCIPLINE_PARTY_PROBATION:
            problems.append(
                _Problem(
                    ERROR, rule_set, 9, f"入党介绍人{sponsor.name}受留党察看处分、尚未恢复党员权利，不能担任入党介绍人"
                )
            )
        elif sponsor.discipline in _SHOULD_NOT_SPONSOR:
            label = DISCIPLINE_LABELS[sponsor.discipline]
            problems.append(
                _Problem(WARNING, rule_set, 9, f"入党介绍人{sponsor.name}处于{label}处分影响期内，不宜担任入党介绍人")
            )
    return _report("REC-08", problems)


def rec_09_political_review(facts: RecruitmentFacts) -> list[Finding]:
    """REC-09 (第十六条): political review concluded before the branch committee review."""
    problems = _missing(facts, 10, after=12)
    review, committee = facts.political_review_on, facts.committee_review_on
    if review and committee and review >= committee:
        problems.append(
            _Problem(
                ERROR,
                rule_set_for(committee),
                10,
                f"{_dated(10, review)} 不早于{_dated(12, committee)}（政治审查应在支部委员会审查前完成）",
            )
        )
    return _report("REC-09", problems)


def rec_10_training(facts: RecruitmentFacts) -> list[Finding]:
    """REC-10 (第十七条): intensive training of at least three days or 24 hours, finished
    before the general meeting. None (or too short) → error; with a reason recorded
    under "REC-10" → warning."""
    start, end, hours = facts.training_start, facts.training_end, facts.training_hours
    finished = end or start
    reason = facts.recorded_reasons.get("REC-10")
    exception = WARNING if reason else ERROR
    noted = f"（已记录特殊情况：{reason}）" if reason else ""
    if finished is None:
        admitted = _dated_from(facts, 15)
        if admitted is None:
            return []
        problem = _Problem(
            exception, rule_set_for(admitted[1]), 11, f"未参加集中培训，但{_dated(*admitted)} 已录入{noted}"
        )
        return _report("REC-10", [problem])
    rule_set = rule_set_for(finished)
    period = f"集中培训 {fmt_iso(start or end)} 至 {fmt_iso(finished)}"
    if start and end < start:
        return _report("REC-10", [_Problem(ERROR, rule_set, 11, f"{period}：结束日期早于开始日期")])
    problems = []
    # Calendar days, both ends included: a training may run over a weekend.
    days = (finished - start).days + 1 if start else 1
    if days < 3 and (hours is None or hours < 24):
        hours_text = f"{hours:g} 学时" if hours is not None else "学时未录入"
        problems.append(
            _Problem(exception, rule_set, 11, f"{period} 共 {days} 天、{hours_text}，不足三天且不足24学时{noted}")
        )
    meeting = facts.general_meeting_on
    if meeting and finished >= meeting:
        problems.append(_Problem(ERROR, rule_set, 11, f"{period} 未在{_dated(15, meeting)} 之前结束"))
    return _report("REC-10", problems)


def rec_11_review_order(facts: RecruitmentFacts) -> list[Finding]:
    """REC-11 (第十八条): branch committee review, then superior pre-review, then the
    application form, in that order (same day allowed). A candidate known to leave
    the unit within three months of the committee review is generally not admitted
    (warning)."""
    problems = _missing(facts, 12, after=13) + _missing(facts, 13, after=14) + _missing(facts, 14, after=15)
    dated = [(n, step_date(facts, n)) for n in (12, 13, 14) if step_date(facts, n)]
    for (prev, prev_on), (step, on) in pairwise(dated):
        if on < prev_on:
            problems.append(_Problem(ERROR, rule_set_for(on), step, f"{_dated(step, on)} 早于{_dated(prev, prev_on)}"))
    reference = facts.committee_review_on or facts.general_meeting_on
    leave = facts.planned_leave_on
    if reference and leave and reference <= leave <= add_months(reference, 3):
        step = 12 if facts.committee_review_on else 15
        problems.append(
            _Problem(
                WARNING,
                rule_set_for(reference),
                step,
                f"发展对象预计 {fmt_iso(leave)} 离开本单位，在{_dated(step, reference)} 后三个月内，一般不办理接收预备党员手续",
            )
        )
    return _report("REC-11", problems)


def rec_12_meeting_after_pre_review(facts: RecruitmentFacts, *, today: date) -> list[Finding]:
    """REC-12 (第十九条, 2026 only): the general meeting discusses a pre-reviewed candidate
    within one month of the pre-review. Judged by the meeting date (step 15)."""
    pre_review, meeting = facts.pre_review_on, facts.general_meeting_on
    if pre_review is None:
        return []
    deadline = add_months(pre_review, 1)
    problems = []
    if meeting:
        if rule_set_for(meeting) == RULE_SET_2026 and meeting > deadline:
            problems.append(
                _Problem(
                    ERROR,
                    RULE_SET_2026,
                    15,
                    f"{_dated(15, meeting)} 超过{_dated(13, pre_review)} 后一个月（应不晚于 {fmt_iso(deadline)}）",
                )
            )
    elif rule_set_for(today) == RULE_SET_2026:
        problems += _overdue(facts, 15, deadline=deadline, today=today, basis=f"{_dated(13, pre_review)} 后一个月内")
    return _report("REC-12", problems)


# --- REC-13 / REC-21: ballots -----------------------------------------------------------------


def _ballot_problems(ballot: BallotResult, *, step: int, meeting_on: date) -> list[_Problem]:
    """REC-13 / REC-21 arithmetic: quorum and majority over the voting members due."""
    rule_set = rule_set_for(meeting_on)
    where = _dated(step, meeting_on)
    due, present, yes, written = ballot.due, ballot.present, ballot.in_favour, ballot.written_in_favour
    impossible = []
    if due <= 0:
        impossible.append(f"应到会有表决权人数 {due} 有误")
    if min(present, yes, written) < 0:
        impossible.append("人数不能为负数")
    if present > due:
        impossible.append(f"实到会有表决权人数 {present} 超过应到会人数 {due}")
    if yes > present:
        impossible.append(f"赞成票数 {yes} 超过实到会有表决权人数 {present}")
    if written > max(due - present, 0):
        impossible.append(f"书面意见赞成数 {written} 超过未到会的有表决权人数 {max(due - present, 0)}")
    if impossible:
        return [_Problem(ERROR, rule_set, step, f"{where} 的表决人数有误：{'，'.join(impossible)}")]
    shortfalls = []
    if present * 2 <= due:
        shortfalls.append(f"实到会有表决权人数 {present} 未超过应到会人数 {due} 的半数")
    if (yes + written) * 2 <= due:
        shortfalls.append(
            f"赞成票 {yes} 加书面意见赞成 {written} 共 {yes + written} 票，未超过应到会有表决权人数 {due} 的半数"
        )
    return [_Problem(ERROR, rule_set, step, f"{where} {'，'.join(shortfalls)}")] if shortfalls else []


def _ballot_missing(ballot: BallotResult | None, *, step: int, meeting_on: date) -> list[_Problem]:
    if ballot is not None and ballot.is_complete:
        return []
    message = f"{_dated(step, meeting_on)} 已录入，但未录入完整的表决人数（应到、实到、赞成）"
    return [_Problem(MISSING, rule_set_for(meeting_on), step, message)]


def rec_13_admission_ballot(facts: RecruitmentFacts) -> list[Finding]:
    """REC-13 (第十九、二十条): at the general meeting, voting members present > half of
    those due, and votes in favour (plus written opinions of absent voting members)
    > half of those due. 2026: secret ballot required (show of hands → error);
    2014: either method."""
    meeting = facts.general_meeting_on
    if meeting is None:
        return []
    ballot = facts.admission_ballot
    problems = _ballot_missing(ballot, step=15, meeting_on=meeting)
    if not problems:
        problems = _ballot_problems(ballot, step=15, meeting_on=meeting)
    method = ballot.method if ballot else None
    if method not in (None, BALLOT_SECRET, BALLOT_HANDS):
        problems.append(_Problem(ERROR, rule_set_for(meeting), 15, f"表决方式“{method}”无法识别"))
    elif rule_set_for(meeting) == RULE_SET_2026:
        if method is None:
            problems.append(
                _Problem(
                    MISSING, RULE_SET_2026, 15, f"{_dated(15, meeting)} 未录入表决方式（2026年细则要求无记名投票）"
                )
            )
        elif method == BALLOT_HANDS:
            problems.append(
                _Problem(ERROR, RULE_SET_2026, 15, f"{_dated(15, meeting)} 采用举手表决，2026年细则要求无记名投票")
            )
    return _report("REC-13", problems)


def rec_21_conversion_ballot(facts: RecruitmentFacts) -> list[Finding]:
    """REC-21 (第三十二条): the conversion meeting has REC-13's quorum and majority, after
    a written application and a branch committee review."""
    problems = _missing(facts, 22, after=23)
    meeting = facts.conversion_meeting_on
    if meeting is None:
        return _report("REC-21", problems)
    application, review = facts.conversion_application_on, facts.conversion_committee_review_on
    rule_set = rule_set_for(meeting)
    if application and application >= meeting:
        problems.append(_Problem(ERROR, rule_set, 22, f"{_dated(22, application)} 不早于{_dated(23, meeting)}"))
    if review and review >= meeting:
        problems.append(
            _Problem(ERROR, rule_set, 23, f"支部委员会审查转正日期 {fmt_iso(review)} 不早于{_dated(23, meeting)}")
        )
    if review and application and review < application:
        problems.append(
            _Problem(ERROR, rule_set, 23, f"支部委员会审查转正日期 {fmt_iso(review)} 早于{_dated(22, application)}")
        )
    ballot = facts.conversion_ballot
    ballot_problems = _ballot_missing(ballot, step=23, meeting_on=meeting)
    problems += ballot_problems or _ballot_problems(ballot, step=23, meeting_on=meeting)
    return _report("REC-21", problems)


# --- REC-14 … REC-18 ---------------------------------------------------------------------------


def rec_14_superior_talk(facts: RecruitmentFacts) -> list[Finding]:
    """REC-14 (第二十三条): before approval the superior committee sends someone to talk
    with the candidate."""
    problems = _missing(facts, 16, after=17)
    talk, approved = facts.superior_talk_on, facts.approved_on
    if talk and approved and talk >= approved:
        problems.append(
            _Problem(
                ERROR, rule_set_for(talk), 16, f"{_dated(16, talk)} 不早于{_dated(17, approved)}（应在审批前谈话）"
            )
        )
    return _report("REC-14", problems)


def rec_15_approval(facts: RecruitmentFacts, *, today: date) -> list[Finding]:
    """REC-15 (第二十五条): the superior committee approves within three months of the
    general meeting; later but within six months → warning (special circumstances,
    to be recorded under "REC-15"); beyond six months → error."""
    problems = _missing(facts, 17, after=18)
    meeting, approved = facts.general_meeting_on, facts.approved_on
    if meeting is None:
        return _report("REC-15", problems)
    normal, latest = add_months(meeting, 3), add_months(meeting, 6)
    reason = facts.recorded_reasons.get("REC-15")
    noted = f"已记录特殊情况：{reason}" if reason else "须记录特殊情况"
    basis = f"{_dated(15, meeting)} 后"
    if approved and approved >= meeting:
        if approved > latest:
            problems.append(
                _Problem(
                    ERROR,
                    rule_set_for(approved),
                    17,
                    f"{_dated(17, approved)} 超过{basis}六个月（应不晚于 {fmt_iso(latest)}）",
                )
            )
        elif approved > normal:
            problems.append(
                _Problem(
                    WARNING,
                    rule_set_for(approved),
                    17,
                    f"{_dated(17, approved)} 超过{basis}三个月（{fmt_iso(normal)}），在六个月内（{noted}）",
                )
            )
    elif approved is None:
        problems += _overdue(facts, 17, deadline=latest, today=today, basis=f"{basis}六个月内") or _overdue(
            facts, 17, deadline=normal, today=today, basis=f"{basis}三个月内（{noted}）", severity=WARNING
        )
    return _report("REC-15", problems)


def rec_16_approving_org(facts: RecruitmentFacts) -> list[Finding]:
    """REC-16 (第二十二条): only a party committee (党委, a 工委 included) approves; a general
    branch, a branch, a 党组 or a temporary organisation cannot."""
    approved = facts.approved_on
    if approved is None:
        return []
    kind = facts.approving_org_kind
    if kind is None:
        problem = _Problem(MISSING, rule_set_for(approved), 17, f"{_dated(17, approved)} 已录入，但未录入审批党组织")
    elif kind not in APPROVING_ORG_KINDS:
        label = ORG_KIND_LABELS.get(kind, kind)
        problem = _Problem(
            ERROR, rule_set_for(approved), 17, f"审批党组织为{label}，只有党委（含工委）有权审批接收预备党员"
        )
    else:
        return []
    return _report("REC-16", [problem])


def rec_17_oath(facts: RecruitmentFacts, *, today: date) -> list[Finding]:
    """REC-17 (第二十九条, 2026 only): the oath within one month after approval, unless a
    collective oath on 七一 or 国庆 is recorded. Judged by the oath date (step 20)."""
    problems = [p for p in _missing(facts, 20, after=21) if p.rule_set == RULE_SET_2026]
    approved, oath = facts.approved_on, facts.oath_on
    if approved and not facts.collective_oath:
        deadline = add_months(approved, 1)
        if oath is None:
            if rule_set_for(today) == RULE_SET_2026:
                problems += _overdue(
                    facts, 20, deadline=deadline, today=today, basis=f"{_dated(17, approved)} 后一个月内"
                )
        elif rule_set_for(oath) == RULE_SET_2026 and oath > deadline:
            problems.append(
                _Problem(
                    ERROR,
                    RULE_SET_2026,
                    20,
                    f"{_dated(20, oath)} 超过{_dated(17, approved)} 后一个月（应不晚于 {fmt_iso(deadline)}），且无集体宣誓记录",
                )
            )
    return _report("REC-17", problems)


def rec_18_probation(facts: RecruitmentFacts) -> list[Finding]:
    """REC-18 (第三十一条): probation is one year from the general meeting date
    (``probation_end``); without that date it cannot be computed."""
    problems = _missing(facts, 15, after=16, what="支部党员大会讨论日期未录入，无法计算预备期")
    return _report("REC-18", problems)


# --- REC-19 … REC-25 ------------------------------------------------------------------------------


def _conversion_window(facts: RecruitmentFacts, end: date, settings: RecruitmentSettings) -> tuple[date, str]:
    """The last day the conversion meeting is prompt, and how that day was found."""
    reason = facts.recorded_reasons.get("REC-19")
    if facts.transferred_in and reason:
        return add_months(end, 6), f"六个月（转入的预备党员，已记录：{reason}）"
    return end + timedelta(days=settings.CONVERSION_GRACE_DAYS), f"{settings.CONVERSION_GRACE_DAYS}天"


def rec_19_conversion_meeting(facts: RecruitmentFacts, *, today: date, settings: RecruitmentSettings) -> list[Finding]:
    """REC-19 (第三十一、三十五条): at probation end the branch discusses conversion
    promptly: before the end → error; none within ``CONVERSION_GRACE_DAYS`` after it →
    warning; a member transferred in may be postponed up to six months with a record
    (under "REC-19")."""
    problems = _missing(facts, 23, after=24)
    end = probation_end(facts)
    if end is None:
        return _report("REC-19", problems)
    meeting = facts.conversion_meeting_on
    prompt_until, allowance = _conversion_window(facts, end, settings)
    basis = f"预备期满日期 {fmt_iso(end)} 后{allowance}内"
    if meeting and meeting < end:
        problems.append(
            _Problem(ERROR, rule_set_for(meeting), 23, f"{_dated(23, meeting)} 早于预备期满日期 {fmt_iso(end)}")
        )
    elif meeting and meeting > prompt_until:
        problems.append(
            _Problem(
                WARNING,
                rule_set_for(meeting),
                23,
                f"{basis}（至 {fmt_iso(prompt_until)}）未讨论转正，{_dated(23, meeting)}",
            )
        )
    elif meeting is None and facts.approved_on:
        problems += _overdue(facts, 23, deadline=prompt_until, today=today, basis=basis, severity=WARNING)
    return _report("REC-19", problems)


def rec_20_extension(facts: RecruitmentFacts) -> list[Finding]:
    """REC-20 (第三十一条): probation is extended at most once, by 6 to 12 months."""
    months = facts.extension_months
    if not months:
        return []
    if 6 <= months <= 12:
        return []
    on = facts.conversion_meeting_on or (add_years(facts.general_meeting_on, 1) if facts.general_meeting_on else None)
    rule_set = rule_set_for(on) if on else None
    return _report("REC-20", [_Problem(ERROR, rule_set, 23, f"延长预备期 {months} 个月，应不少于六个月、不超过一年")])


def rec_22_conversion_approval(facts: RecruitmentFacts, *, today: date) -> list[Finding]:
    """REC-22 (第三十三条): the superior committee approves the conversion within three
    months of the meeting's resolution."""
    problems = _missing(facts, 24, after=25)
    meeting, approved = facts.conversion_meeting_on, facts.conversion_approved_on
    if meeting:
        deadline = add_months(meeting, 3)
        if approved and approved > deadline:
            problems.append(
                _Problem(
                    ERROR,
                    rule_set_for(approved),
                    24,
                    f"{_dated(24, approved)} 超过{_dated(23, meeting)} 后三个月（应不晚于 {fmt_iso(deadline)}）",
                )
            )
        elif approved is None:
            problems += _overdue(facts, 24, deadline=deadline, today=today, basis=f"{_dated(23, meeting)} 后三个月内")
    return _report("REC-22", problems)


def rec_23_party_age(facts: RecruitmentFacts) -> list[Finding]:
    """REC-23 (第三十三条): party age counts from the day probation ends; a 转正日期 typed
    in elsewhere that differs from it is an error (it is computed, never typed)."""
    recorded, computed = facts.recorded_full_member_on, full_member_on(facts)
    if recorded is None or computed is None or recorded == computed:
        return []
    message = f"录入的转正日期 {fmt_iso(recorded)} 与预备期满之日 {fmt_iso(computed)} 不符，党龄应从预备期满之日起算"
    return _report("REC-23", [_Problem(ERROR, rule_set_for(computed), 24, message)])


def rec_24_step_order(facts: RecruitmentFacts) -> list[Finding]:
    """REC-24 (细则 order): every step's date is on or after the previous dated step's.

    Spanning steps (6, 11, 21) count from the day they began; the notice (8) is
    placed by REC-07/REC-07L instead.
    """
    problems = []
    previous: tuple[int, date] | None = None
    for step, on in zip(PROCESS_ORDER, _process_dates(facts)[0], strict=True):
        if step == 8 or on is None:
            continue
        if previous and on < previous[1]:
            problems.append(_Problem(ERROR, rule_set_for(on), step, f"{_dated(step, on)} 早于{_dated(*previous)}"))
        previous = (step, on)
    return _report("REC-24", problems)


def rec_25_archive(facts: RecruitmentFacts, *, today: date) -> list[Finding]:
    """REC-25 (第三十六条): after conversion the file is archived; no archive date, or an
    incomplete checklist, 60 days after the conversion approval is a warning."""
    approved = facts.conversion_approved_on
    if approved is None:
        return []
    deadline = approved + timedelta(days=ARCHIVE_DAYS)
    archived = facts.archived_on
    basis = f"{_dated(24, approved)} 后{ARCHIVE_DAYS}天（至 {fmt_iso(deadline)}）"
    problems = []
    if archived and archived > deadline:
        problems.append(_Problem(WARNING, rule_set_for(archived), 25, f"{_dated(25, archived)} 晚于{basis}"))
    elif archived is None and today > deadline:
        problems.append(_Problem(WARNING, rule_set_for(today), 25, f"{basis}仍未归档（截至 {fmt_iso(today)}）"))
    checklist = facts.archive_checklist
    if checklist is not None and today > deadline:
        absent = [label for key, label in ARCHIVE_DOCUMENTS.items() if key not in checklist]
        if absent:
            problems.append(
                _Problem(WARNING, rule_set_for(archived or today), 25, f"归档材料不全，缺少{'、'.join(absent)}")
            )
    return _report("REC-25", problems)


# --- the whole record -------------------------------------------------------------------------------


def audit(
    facts: RecruitmentFacts, *, today: date, calendar: WorkCalendar, settings: RecruitmentSettings
) -> list[Finding]:
    """Every REC rule on one person's record, in rule order (at most one finding per rule).

    A working-day count that needs an unknown year becomes a MISSING finding of
    REC-07/REC-07L naming the year, so one record cannot stop a ledger audit.
    """
    return [
        *rec_01_age(facts),
        *rec_02_talk(facts, today=today),
        *rec_03_activist(facts),
        *rec_04_mentors(facts),
        *rec_05_evaluations(facts, today=today),
        *rec_06_cultivation_year(facts),
        *rec_07_notice(facts, calendar=calendar),
        *rec_07l_local_notice(facts, calendar=calendar, settings=settings),
        *rec_08_sponsors(facts),
        *rec_09_political_review(facts),
        *rec_10_training(facts),
        *rec_11_review_order(facts),
        *rec_12_meeting_after_pre_review(facts, today=today),
        *rec_13_admission_ballot(facts),
        *rec_14_superior_talk(facts),
        *rec_15_approval(facts, today=today),
        *rec_16_approving_org(facts),
        *rec_17_oath(facts, today=today),
        *rec_18_probation(facts),
        *rec_19_conversion_meeting(facts, today=today, settings=settings),
        *rec_20_extension(facts),
        *rec_21_conversion_ballot(facts),
        *rec_22_conversion_approval(facts, today=today),
        *rec_23_party_age(facts),
        *rec_24_step_order(facts),
        *rec_25_archive(facts, today=today),
    ]


def next_due(facts: RecruitmentFacts, *, today: date) -> tuple[date | None, str]:
    """The earliest open deadline of the record and what is due then, for the indexed
    "next due" column; an overdue deadline is still open (it sorts first).

    ``(None, "")`` when nothing with a deadline is open (e.g. an activist's year of
    cultivation has no end date, only a start).
    """
    return min(_open_deadlines(facts, today), default=(None, ""))


def _open_deadlines(facts: RecruitmentFacts, today: date) -> list[tuple[date, str]]:
    def open_(step: int) -> bool:
        return _dated_from(facts, step) is None and not _is_done(facts, step)

    rules_2026 = rule_set_for(today) == RULE_SET_2026
    due: list[tuple[date, str]] = []
    if facts.application_on and open_(2):
        due.append((add_months(facts.application_on, 1), "党组织派人谈话（REC-02）"))
    if facts.activist_on and _dated_after(facts, 6) is None and facts.candidate_on is None:
        last = max([facts.activist_on, *facts.evaluations])
        due.append((add_months(last, 6), "培养教育考察（REC-05）"))
    if facts.pre_review_on and open_(15) and rules_2026:
        due.append((add_months(facts.pre_review_on, 1), "支部党员大会讨论（REC-12）"))
    if facts.general_meeting_on and open_(17):
        due.append((add_months(facts.general_meeting_on, 3), "上级党委审批（REC-15）"))
    if facts.approved_on and open_(20) and rules_2026 and not facts.collective_oath:
        due.append((add_months(facts.approved_on, 1), "入党宣誓（REC-17）"))
    end = probation_end(facts)
    if facts.approved_on and end and open_(23):
        due.append((end, "预备期满，支部党员大会讨论转正（REC-19）"))
    if facts.conversion_meeting_on and open_(24):
        due.append((add_months(facts.conversion_meeting_on, 3), "上级党委审批转正（REC-22）"))
    if facts.conversion_approved_on and facts.archived_on is None:
        due.append((facts.conversion_approved_on + timedelta(days=ARCHIVE_DAYS), "材料归档（REC-25）"))
    return due
