"""Demo party life: this year's meetings with attendance for every branch and party group
(most branches keep every LIFE rule, some have gaps, a few members stay away), and one
published inspection circular. Bulk inserts, deterministic (``district.rng``)."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date, timedelta

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Count, Max, Q
from django.utils import timezone

from core.dates import add_months
from orgs.models import OrgOfficer, PartyOrg
from partylife import rules
from partylife.membership import Move, branch_on
from partylife.models import Attendance, CircularRecipient, Meeting
from people.models import PartyMember, Transfer

TOPICS = {
    rules.THEME_DAY: ["学习贯彻党的二十届四中全会精神", "重温入党誓词", "走进社区开展志愿服务", "参观红色教育基地",
                      "学习《中国共产党章程》", "开展“我为群众办实事”实践活动", "观看警示教育片", "学习身边先进典型"],
    rules.GENERAL_MEETING: ["研究部署季度党建工作", "讨论发展党员工作", "通报支部工作情况", "学习上级重要会议精神"],
    rules.COMMITTEE_MEETING: ["研究本月支部工作安排", "研究党员教育管理事项", "研究党费收缴情况", "研究主题党日方案"],
    rules.GROUP_MEETING: ["交流学习体会", "开展批评与自我批评", "学习党内法规", "讨论岗位建功措施"],
    rules.PARTY_LECTURE: ["以党的创新理论武装头脑", "弘扬伟大建党精神", "加强作风建设", "坚持全面从严治党"],
    rules.LIFE_MEETING: ["年度专题组织生活会"],
    rules.MEMBER_APPRAISAL: ["年度民主评议党员"],
}  # fmt: skip
EXCUSES = ["出差", "公务外出", "病假", "参加培训", "休假", "下乡驻村"]


def _members(today: date):
    """Active members with what the roster needs, and the transfer history of the few who moved."""
    rows = list(
        PartyMember.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=date(today.year, 1, 1))).values_list(
            "id", "branch_id", "group_id", "person_id", "joined_org_on", "left_on"
        )
    )
    moves = defaultdict(list)
    for member_id, on, from_id, to_id in Transfer.objects.values_list(
        "member_id", "transferred_on", "from_branch_id", "to_branch_id"
    ):
        moves[member_id].append(Move(on, from_id, to_id))
    return rows, moves


def _roster_index(rows, moves):
    """branch id → members whose branch might be it on some date this year."""
    by_branch = defaultdict(list)
    for row in rows:
        member_id, branch_id = row[0], row[1]
        by_branch[branch_id].append(row)
        for move in moves.get(member_id, ()):
            if move.from_id and move.from_id != branch_id:
                by_branch[move.from_id].append(row)
    return by_branch


def _on_roster(row, branch_id, on, moves) -> bool:
    member_id, current, _, _, joined, left = row
    history = moves.get(member_id)
    if not history:
        return current == branch_id and joined <= on and (left is None or left > on)
    return branch_on(current_id=current, joined_on=joined, left_on=left, moves=history, on=on) == branch_id


def extend(district) -> str:
    started = time.monotonic()
    rng = district.rng
    today = district.today
    year_start = date(today.year, 1, 1)
    rows, moves = _members(today)
    by_branch = _roster_index(rows, moves)
    chronic = {row[0] for row in rows if rng.random() < 0.004}  # members who mostly stay away (LIFE-09)
    committee = dict(
        OrgOfficer.objects.filter(party_org__kind=PartyOrg.BRANCH, ended_on__isnull=True)
        .values_list("party_org_id")
        .annotate(n=Count("id"))
    )
    officer_people = defaultdict(set)
    for org_id, person_id in OrgOfficer.objects.filter(party_org__kind=PartyOrg.BRANCH).values_list(
        "party_org_id", "person_id"
    ):
        officer_people[org_id].add(person_id)
    groups = defaultdict(list)
    for group in PartyOrg.objects.filter(kind=PartyOrg.GROUP).only("id", "path"):
        groups[group.path[: -PartyOrg.steplen]].append(group)
    secretary_names = dict(
        OrgOfficer.objects.filter(role=OrgOfficer.SECRETARY, party_org__kind=PartyOrg.BRANCH).values_list(
            "party_org_id", "person__name"
        )
    )

    meetings: list[tuple] = []  # rows for _insert, ids assigned here
    rosters: list[tuple[int, list]] = []  # (meeting id, roster rows)
    next_id = (Meeting.objects.aggregate(n=Max("id"))["n"] or 0) + 1
    now = timezone.now()
    months = [add_months(year_start, i) for i in range(today.month)]

    def add(org, branch_id, kind, on, *, roster_filter=None, profile_skip=0.0):
        if rng.random() < profile_skip:
            return
        planned = on > today
        topic = rng.choice(TOPICS[kind])
        host = secretary_names.get(branch_id, "")
        who = host or "支部书记"
        meeting_id = next_id + len(meetings)
        meetings.append(
            (meeting_id, org.pk, kind, Meeting.PLANNED if planned else Meeting.HELD, on, topic, who,
             who if kind == rules.PARTY_LECTURE else "", "机关会议室",
             "" if planned else f"会议由{who}主持，围绕“{topic}”进行了学习讨论。", now, now)
        )  # fmt: skip
        if not planned:
            members = [r for r in by_branch.get(branch_id, ()) if _on_roster(r, branch_id, on, moves)]
            if roster_filter is not None:
                members = [r for r in members if roster_filter(r)]
            rosters.append((meeting_id, members))

    for branch in district.branches:
        roll = rng.random()
        skip = 0.0 if roll < 0.8 else (0.3 if roll < 0.95 else 0.6)
        theme_day = rng.randint(5, 25)
        has_committee = committee.get(branch.pk, 0) >= 3
        officers = officer_people.get(branch.pk, set())
        for month in months:
            add(branch, branch.pk, rules.THEME_DAY, month.replace(day=theme_day), profile_skip=skip)
            if has_committee:
                add(branch, branch.pk, rules.COMMITTEE_MEETING, month.replace(day=rng.randint(1, 4)),
                    roster_filter=lambda r, o=officers: r[3] in o, profile_skip=skip)  # fmt: skip
            for group in groups.get(branch.path, ()):
                add(group, branch.pk, rules.GROUP_MEETING, month.replace(day=rng.randint(10, 20)),
                    roster_filter=lambda r, g=group.pk: r[2] == g, profile_skip=skip)  # fmt: skip
            if month.month in (2, 5, 8, 11):
                add(branch, branch.pk, rules.GENERAL_MEETING, month.replace(day=rng.randint(1, 20)), profile_skip=skip)
            if month.month in (3, 6, 9, 11):
                add(branch, branch.pk, rules.PARTY_LECTURE, month.replace(day=rng.randint(1, 20)), profile_skip=skip)
            if month.month == 2:
                add(
                    branch, branch.pk, rules.LIFE_MEETING, month.replace(day=rng.randint(20, 27)), profile_skip=skip / 2
                )
                add(branch, branch.pk, rules.MEMBER_APPRAISAL, month.replace(day=rng.randint(20, 27)),
                    profile_skip=skip / 2)  # fmt: skip
    _insert(Meeting, ("id", "org_id", "kind", "status", "held_on", "topic", "host", "speaker", "location", "minutes",
                      "created_at", "updated_at"), meetings)  # fmt: skip

    t_attendance = time.monotonic()
    statuses = (rules.PRESENT, rules.EXCUSED, rules.ABSENT)
    attendance = []
    for meeting_id, members in rosters:
        for row in members:
            p = rng.random()
            if row[0] in chronic:
                status = statuses[2] if p < 0.8 else statuses[0]
            else:
                status = statuses[0] if p < 0.92 else statuses[1] if p < 0.98 else statuses[2]
            attendance.append((meeting_id, row[0], status, rng.choice(EXCUSES) if status == rules.EXCUSED else ""))
    _insert(Attendance, ("meeting_id", "member_id", "status", "reason"), attendance)
    if connection.vendor == "postgresql":
        # Fresh statistics before the circular's aggregates: without them the planner takes
        # the new tables for empty and picks nested loops over 300,000 rows.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Meeting._meta.db_table}, {Attendance._meta.db_table}")
    t_circular = time.monotonic()
    n_meetings, n_attendance = len(meetings), len(attendance)
    circular_note = _circular(district, today)
    return (
        f"组织生活：会议 {n_meetings} 次（含计划 {n_meetings - len(rosters)} 次），出席登记 {n_attendance} 条；"
        f"{circular_note}；用时 {time.monotonic() - started:.1f} 秒"
        f"（会议 {t_attendance - started:.1f}，出席 {t_circular - t_attendance:.1f}，通报 {time.monotonic() - t_circular:.1f}）"
    )


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows as plain tuples: COPY on PostgreSQL, executemany elsewhere. At this volume the
    ORM's per-object cost is most of the time; the rows are valid by construction."""
    table = model._meta.db_table
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            if "id" in columns:
                for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                    cursor.execute(sql)
        else:
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['?'] * len(columns))})"
            cursor.cursor.executemany(sql, rows)  # the driver's cursor: no per-row wrapper


def _circular(district, today: date) -> str:
    """One published circular of the last half-year that has ended, for the whole district,
    issued two weeks after the half-year (or today, if sooner), partly read."""
    from partylife import services

    admin = district.users.get("gwadmin")
    if admin is None:
        return "未生成督查通报"
    if today >= date(today.year, 7, 1):
        start, end, half = date(today.year, 1, 1), date(today.year, 6, 30), "上半年"
    else:
        start, end, half = date(today.year - 1, 7, 1), date(today.year - 1, 12, 31), "下半年"
    issued = min(today, end + timedelta(days=15))
    draft = services.circular_draft(
        by=admin, root=district.party_root, start=start, end=end,
        title=f"关于{start.year}年{half}区直机关基层党组织“三会一课”等制度落实情况的通报", today=issued,
    )  # fmt: skip
    circular = services.circular_publish(by=admin, circular=draft, today=issued, with_pdf=False)
    recipients = list(circular.recipients.order_by("id").values_list("id", flat=True))
    read = [pk for pk in recipients if district.rng.random() < 0.7]
    CircularRecipient.objects.filter(pk__in=read).update(read_at=timezone.now() - timedelta(days=20))
    return f"督查通报 {circular.doc_number}（送达 {len(recipients)} 个党组织，已阅 {len(read)} 个）"
