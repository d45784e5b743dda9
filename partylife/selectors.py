"""Reads on party life: rosters on a date, the meeting lists, and compliance.

Compliance is counted by the database (one GROUP BY per source: meetings by org,
kind and month; attendance by org; members by branch) and judged by the pure
rules in ``partylife.rules``; no Python loop runs over meetings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from core.findings import ERROR, Finding
from core.policies import VIEW
from orgs.models import OrgOfficer, PartyOrg
from partylife import policies, rules
from partylife.membership import Move, branch_on
from partylife.models import Attendance, Meeting
from people.models import PartyMember, Transfer

ROSTER_KINDS = (PartyOrg.BRANCH, PartyOrg.GENERAL_BRANCH, PartyOrg.COMMITTEE)
MEETING_ORG_KINDS = (*ROSTER_KINDS, PartyOrg.GROUP)
PARTY_OFFICER_ROLES = [code for code, _ in OrgOfficer.PARTY_ROLES]


# --- rosters -------------------------------------------------------------------------


def parent_of(org: PartyOrg) -> PartyOrg | None:
    return PartyOrg.objects.filter(path=org.path[: -PartyOrg.steplen]).first() if org.depth > 1 else None


def roster(org: PartyOrg, on: date, *, kind: str = "") -> list[PartyMember]:
    """The members of ``org`` on ``on``, sorted by pinyin: the attendance list of a meeting.

    Membership follows ``joined_org_on`` / ``left_on`` and the transfer history. A party
    group's roster is its members (group membership has no history: the current one)
    who were in the group's branch on that date. A 支委会's roster is the branch's
    officers in office on that date, when the branch has any recorded.
    """
    base = org
    if org.kind == PartyOrg.GROUP:
        base = parent_of(org) or org
    moved = Transfer.objects.filter(
        Q(from_branch__path__startswith=base.path) | Q(to_branch__path__startswith=base.path)
    ).values("member_id")
    candidates = list(
        PartyMember.objects.filter(Q(branch__path__startswith=base.path) | Q(pk__in=moved))
        .filter(joined_org_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .select_related("person")
    )
    moves = defaultdict(list)
    for member_id, on_, from_id, to_id in Transfer.objects.filter(member__in=[m.pk for m in candidates]).values_list(
        "member_id", "transferred_on", "from_branch_id", "to_branch_id"
    ):
        moves[member_id].append(Move(on_, from_id, to_id))
    inside = set(PartyOrg.objects.filter(path__startswith=base.path).values_list("id", flat=True))
    members = [
        m
        for m in candidates
        if branch_on(current_id=m.branch_id, joined_on=m.joined_org_on, left_on=m.left_on, moves=moves[m.pk], on=on)
        in inside
    ]
    if org.kind == PartyOrg.GROUP:
        members = [m for m in members if m.group_id == org.pk]
    if kind == rules.COMMITTEE_MEETING:
        officers = set(
            OrgOfficer.objects.filter(party_org=base, role__in=PARTY_OFFICER_ROLES, started_on__lte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
            .values_list("person_id", flat=True)
        )
        if officers:
            members = [m for m in members if m.person_id in officers]
    members.sort(key=lambda m: (m.person.name_pinyin, m.pk))
    return members


def member_labels(members: list[PartyMember]) -> dict[int, str]:
    """A name per member for messages; namesakes get the last four ID digits."""
    counts = defaultdict(int)
    for m in members:
        counts[m.person.name] += 1
    return {
        m.pk: m.person.name if counts[m.person.name] == 1 else f"{m.person.name}（{m.person.id_last4}）"
        for m in members
    }


# --- lists ---------------------------------------------------------------------------


def meetings(
    *, user, org: PartyOrg | None = None, kind: str = "", status: str = "", start=None, end=None, search: str = ""
) -> QuerySet:
    qs = policies.meetings.queryset(user, VIEW).select_related("org")
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if start:
        qs = qs.filter(held_on__gte=start)
    if end:
        qs = qs.filter(held_on__lte=end)
    if search:
        qs = qs.filter(Q(topic__contains=search) | Q(host__contains=search) | Q(speaker__contains=search))
    # Subqueries, not a join: the paginator's COUNT drops them and only the page's rows run them.
    per_meeting = Attendance.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
    return qs.annotate(
        n_total=Subquery(per_meeting.annotate(n=Count("id")).values("n")),
        n_present=Subquery(per_meeting.filter(status=rules.PRESENT).annotate(n=Count("id")).values("n")),
    )


def my_attendance(*, person_id: int) -> QuerySet:
    """我的组织生活: the member's attendance rows, newest meeting first."""
    return (
        Attendance.objects.filter(member__person_id=person_id, meeting__status=Meeting.HELD)
        .select_related("meeting", "meeting__org")
        .order_by("-meeting__held_on", "-meeting_id")
    )


# --- compliance ----------------------------------------------------------------------


@dataclass
class RuleCell:
    """Held vs required for one rule over the window (summed over its periods)."""

    held: int = 0
    required: int = 0
    short: int = 0
    due: int = 0

    @property
    def text(self) -> str:
        return f"{self.held}/{self.required}"

    @property
    def state(self) -> str:
        if self.short:
            return rules.SHORT
        return rules.DUE if self.due else rules.MET


@dataclass
class ComplianceRow:
    org: PartyOrg
    parent_name: str = ""
    members: int = 0
    has_committee: bool = False
    statuses: list[rules.PeriodStatus] = field(default_factory=list)
    cells: dict[str, RuleCell] = field(default_factory=dict)
    attendance_total: int = 0
    attendance_present: int = 0
    meetings: int = 0
    absent_streaks: int = 0
    heart_talked: int = 0
    heart_required: int = 0
    extra_findings: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return rules.findings_of(self.statuses) + self.extra_findings

    @property
    def missing(self) -> int:
        return sum(1 for s in self.statuses if s.state == rules.SHORT)

    @property
    def due(self) -> list[rules.PeriodStatus]:
        return [s for s in self.statuses if s.state == rules.DUE]

    @property
    def attendance_rate(self) -> float | None:
        return self.attendance_present / self.attendance_total if self.attendance_total else None

    @property
    def compliant(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)


@dataclass
class AbsentMember:
    member: PartyMember
    streak: int
    dates: list[date]


@dataclass
class ComplianceReport:
    root: PartyOrg
    start: date
    end: date
    today: date
    rows: list[ComplianceRow]
    heat: rules.HeatMap
    absentees: list[AbsentMember]

    @property
    def branches(self) -> list[ComplianceRow]:
        return [r for r in self.rows if r.org.kind != PartyOrg.GROUP]

    @property
    def compliant_count(self) -> int:
        return sum(1 for r in self.branches if r.compliant)

    @property
    def meeting_count(self) -> int:
        return sum(r.meetings for r in self.rows)

    @property
    def attendance_rate(self) -> float | None:
        total = sum(r.attendance_total for r in self.rows)
        return sum(r.attendance_present for r in self.rows) / total if total else None


RULE_COLUMNS = ("LIFE-01", "LIFE-02", "LIFE-03", "LIFE-04", "LIFE-05", "LIFE-06", "LIFE-07")


def compliance(
    *, root: PartyOrg, start: date, end: date, today: date, lectures_per_year: int, streak: int = 3
) -> ComplianceReport:
    """LIFE-01 … LIFE-09 for every branch and party group of ``root``'s subtree.

    A fixed number of queries whatever the size of the subtree: orgs, officers,
    members, meetings by (org, kind, month), attendance by org, heart-to-heart talk
    counts, and the LIFE-09 candidates.
    """
    horizon = min(end, today)
    orgs = list(
        PartyOrg.objects.filter(path__startswith=root.path, kind__in=[PartyOrg.BRANCH, PartyOrg.GROUP])
        .order_by("path")
        .only("id", "path", "depth", "name", "short_name", "kind")
    )
    parent_paths = {o.path[: -PartyOrg.steplen] for o in orgs}
    names = {
        path: short or name
        for path, short, name in PartyOrg.objects.filter(path__in=parent_paths).values_list(
            "path", "short_name", "name"
        )
    }
    by_path = {o.path: o for o in orgs}
    committee_sizes = dict(
        OrgOfficer.objects.filter(
            party_org__path__startswith=root.path, role__in=PARTY_OFFICER_ROLES, started_on__lte=today
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .values_list("party_org_id")
        .annotate(n=Count("id"))
    )
    member_counts: dict[int, int] = defaultdict(int)
    group_counts: dict[int, int] = {}
    for branch_id, group_id, n in (  # one scan of the members for both (a group lies in its branch)
        PartyMember.objects.filter(branch__path__startswith=root.path, left_on__isnull=True)
        .values_list("branch_id", "group_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        member_counts[branch_id] += n
        if group_id is not None:
            group_counts[group_id] = n
    held = Meeting.objects.filter(
        org__path__startswith=root.path, status=Meeting.HELD, held_on__gte=start, held_on__lte=horizon
    )
    kind_months = defaultdict(lambda: defaultdict(list))
    meeting_counts = defaultdict(int)
    months: dict[tuple[int, int], date] = {}
    for org_id, kind, year, number, n in (
        held.annotate(y=ExtractYear("held_on"), m=ExtractMonth("held_on"))
        .values_list("org_id", "kind", "y", "m")
        .annotate(n=Count("id"))
        .order_by()
    ):
        month = months.get((year, number)) or months.setdefault((year, number), date(year, number, 1))
        # The rules count dates inside periods of a month or longer: the month stands for each meeting.
        kind_months[org_id][kind].extend([month] * n)
        meeting_counts[(org_id, month)] += n
    attendance = {
        org_id: (total, present)
        for org_id, total, present in Attendance.objects.filter(
            meeting__org__path__startswith=root.path,
            meeting__status=Meeting.HELD,
            meeting__held_on__gte=start,
            meeting__held_on__lte=horizon,
        )
        .values_list("meeting__org_id")
        .annotate(total=Count("id"), present=Count("id", filter=Q(status=rules.PRESENT)))
        .order_by()
    }
    from talks.selectors import heart_to_heart_counts

    hearts = heart_to_heart_counts(root=root, start=start, end=horizon)
    absentees = absent_members(root=root, start=start, end=horizon, threshold=streak)
    streaks = defaultdict(int)
    for a in absentees:
        streaks[a.member.branch_id] += 1

    rows: list[ComplianceRow] = []
    row_of: dict[int, ComplianceRow] = {}
    for org in orgs:
        is_group = org.kind == PartyOrg.GROUP
        parent_path = org.path[: -PartyOrg.steplen]
        parent_name = names.get(parent_path, "")
        has_committee = committee_sizes.get(org.pk, 0) >= 3
        statuses = rules.compliance(
            kind_months[org.pk],
            org_kind=org.kind,
            has_committee=has_committee,
            period_start=start,
            period_end=end,
            today=today,
            lectures_per_year=lectures_per_year,
            subject=(org.short_name or org.name) if is_group else None,
        )
        total, present = attendance.get(org.pk, (0, 0))
        row = ComplianceRow(
            org=org,
            parent_name=parent_name,
            members=group_counts.get(org.pk, 0) if is_group else member_counts.get(org.pk, 0),
            has_committee=has_committee,
            statuses=statuses,
            attendance_total=total,
            attendance_present=present,
            meetings=sum(len(v) for v in kind_months[org.pk].values()),
            absent_streaks=0 if is_group else streaks.get(org.pk, 0),
        )
        if not is_group:
            talked, required = hearts.get(org.pk, 0), member_counts.get(org.pk, 0)
            row.heart_talked, row.heart_required = talked, required
            row.extra_findings += _heart_findings(talked, required, start=start, end=end, today=today)
            if row.absent_streaks:
                row.extra_findings.append(
                    Finding(
                        "LIFE-09",
                        "warning",
                        f"有{row.absent_streaks}名党员连续{streak}次以上无故缺席党内组织生活，应进行提醒谈话。",
                    )
                )
        for status in statuses:
            cell = row.cells.setdefault(status.rule, RuleCell())
            cell.held += status.held
            cell.required += status.required
            cell.short += status.state == rules.SHORT
            cell.due += status.state == rules.DUE
        rows.append(row)
        row_of[org.pk] = row

    branch_rows = [o.pk for o in orgs if o.kind == PartyOrg.BRANCH] or [o.pk for o in orgs]
    branch_of = {}
    for org in orgs:
        parent = by_path.get(org.path[: -PartyOrg.steplen])
        branch_of[org.pk] = parent.pk if org.kind == PartyOrg.GROUP and parent is not None else org.pk
    counts = defaultdict(int)
    for (org_id, month), n in meeting_counts.items():
        if org_id in branch_of:
            counts[(branch_of[org_id], month)] += n
    heat = rules.heat_map(counts, first_month=start, last_month=max(start, horizon), orgs=branch_rows)
    return ComplianceReport(root=root, start=start, end=end, today=today, rows=rows, heat=heat, absentees=absentees)


def _heart_findings(talked: int, required: int, *, start: date, end: date, today: date) -> list[Finding]:
    """LIFE-08 per branch: a year that has ended with members not talked to."""
    found = []
    for period in rules.periods_between(start, min(end, today), rules.YEAR):
        if period.end < today and talked < required:
            found.append(
                Finding(
                    "LIFE-08",
                    ERROR,
                    f"{period.label}支部委员会与党员谈心谈话覆盖{talked}人，应覆盖全体党员{required}人。",
                )
            )
    return found


def absent_members(*, root: PartyOrg, start: date, end: date, threshold: int = 3) -> list[AbsentMember]:
    """LIFE-09: members of the subtree absent without excuse from ``threshold`` consecutive
    activities since their last reminder talk.

    The database narrows to members with at least ``threshold`` absences in the window;
    only their attendance sequences are read and judged by ``rules.absent_streaks``.
    """
    from talks.models import Talk

    # Plain joins from the absences (a partial index): as fast as semi-joins on PostgreSQL
    # (30 ms for the demo district), and SQLite, given "member IN (…) AND meeting IN (…)",
    # probed its index for every pair of the two lists (12 s for the demo district).
    absences = Attendance.objects.filter(
        status=rules.ABSENT,
        meeting__org__path__startswith=root.path,
        meeting__status=Meeting.HELD,
        meeting__held_on__gte=start,
        meeting__held_on__lte=end,
        member__branch__path__startswith=root.path,
        member__left_on__isnull=True,
    )
    candidates = list(
        absences.values_list("member_id")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
        .values_list("member_id", flat=True)
    )
    if not candidates:
        return []
    members = {m.pk: m for m in PartyMember.objects.filter(pk__in=candidates).select_related("person", "branch")}
    last_reminder = dict(
        Talk.objects.filter(kind=Talk.REMINDER, talked_to__party_member__in=candidates)
        .values_list("talked_to_id")
        .annotate(last=Max(Coalesce("talked_on", "due_on")))
    )
    sequences: dict[int, list[str]] = defaultdict(list)
    dates: dict[int, list[tuple[date, str]]] = defaultdict(list)
    # The candidates are in scope already: a plain join to their meetings lets every
    # database start from the candidates' attendance (SQLite took seconds on the semi-joins).
    in_window = Attendance.objects.filter(
        member_id__in=candidates,
        meeting__status=Meeting.HELD,
        meeting__held_on__gte=start,
        meeting__held_on__lte=end,
        meeting__org__path__startswith=root.path,
    )
    for member_id, status, held_on in in_window.order_by("member_id", "meeting__held_on", "meeting_id").values_list(
        "member_id", "status", "meeting__held_on"
    ):
        since = last_reminder.get(members[member_id].person_id)
        if since is not None and held_on <= since:
            continue
        sequences[member_id].append(status)
        dates[member_id].append((held_on, status))
    flagged = rules.absent_streaks(sequences, threshold=threshold)
    found = []
    for member_id, streak_len in flagged.items():
        absent_dates = [d for d, s in dates[member_id] if s == rules.ABSENT][-streak_len:]
        found.append(AbsentMember(member=members[member_id], streak=streak_len, dates=absent_dates))
    found.sort(key=lambda a: (a.member.branch.path, -a.streak, a.member.person.name_pinyin))
    return found


def heat_option(report: ComplianceReport, drill_url: str) -> dict:
    """The ECharts option of the heat map (branches × months); a click opens the meetings of the cell."""
    rows = {r.org.pk: r for r in report.rows}
    labels = [rows[o].org.short_name or rows[o].org.name for o in report.heat.orgs]
    months = [f"{m.year}-{m.month:02d}" for m in report.heat.months]
    data = [[x, y, count] for y, row in enumerate(report.heat.cells) for x, count in enumerate(row)]
    visible = min(len(labels), 25)
    option = {
        "tooltip": {"position": "top"},
        "grid": {"left": 150, "right": 70, "top": 20, "bottom": 95},
        "xAxis": {"type": "category", "data": months, "splitArea": {"show": True}},
        "yAxis": {
            "type": "category",
            "data": labels,
            "inverse": True,
            "axisLabel": {"width": 140, "overflow": "truncate"},
        },
        "visualMap": {
            "min": 0,
            "max": max(report.heat.max_count, 1),
            "calculable": True,
            "orient": "horizontal",
            "left": "center",
            "bottom": 5,
            "inRange": {"color": ["#fdecea", "#f5a39b", "#e0523f", "#b71c1c"]},
            "text": ["多", "少"],
        },
        "series": [
            {
                "name": "召开会议（次）",
                "type": "heatmap",
                "data": data,
                "label": {"show": len(labels) <= 40},
                "emphasis": {"itemStyle": {"borderColor": "#333", "borderWidth": 1}},
            }
        ],
        "dq": {"orgs": list(report.heat.orgs), "months": [m.isoformat() for m in report.heat.months], "url": drill_url},
    }
    if len(labels) > visible:
        option["dataZoom"] = [
            {"type": "slider", "yAxisIndex": 0, "right": 10, "width": 18, "startValue": 0, "endValue": visible - 1},
            {"type": "inside", "yAxisIndex": 0},
        ]
    return option
