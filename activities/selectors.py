"""Reads of the activities area: querysets restricted to the user's scope, and
the tables (counts by unit, training hours, exercise rates, the balance) each
built in a fixed number of queries."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accounts.scope import scope_of
from activities import balance, policies
from activities.models import Activity, Competition, ExerciseCheckIn, Official, Quiz, Registration
from core.policies import VIEW
from orgs import selectors as org_selectors

REG = Registration.REGISTERED
WAIT = Registration.WAITLISTED


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=tz),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=tz),
    )


def with_counts(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        n_registered=Count("registrations", filter=Q(registrations__status=REG)),
        n_waiting=Count("registrations", filter=Q(registrations__status=WAIT)),
        n_attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
    )


def activities(*, user, search: str = "", kind: str = "", year: int | None = None, org=None) -> QuerySet:
    qs = policies.activities.queryset(user, VIEW).select_related("union_org", "party_org")
    if search:
        qs = qs.filter(Q(title__contains=search) | Q(place__contains=search))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        start, end = year_bounds(year)
        qs = qs.filter(starts_at__gte=start, starts_at__lt=end)
    if org is not None:
        qs = qs.filter(org.subtree_q("union_org__" if org._meta.model_name == "unionorg" else "party_org__"))
    return with_counts(qs)


def open_for_signup(*, user, now: datetime) -> QuerySet:
    """Activities the member may still sign up for, soonest first."""
    place = policies.person_place(getattr(user, "person_id", None), cache_on=user)
    q = policies.eligible_q(place)
    if q is policies.NOTHING:
        return Activity.objects.none()
    qs = Activity.objects.filter(q, cancelled=False, starts_at__gt=now).filter(
        Q(signup_deadline__isnull=True) | Q(signup_deadline__gte=now)
    )
    if place is not None:
        qs = qs.exclude(
            pk__in=Registration.objects.filter(person_id=place.person_id)
            .exclude(status=Registration.CANCELLED)
            .values("activity_id")
        )
    return with_counts(qs.select_related("union_org", "party_org")).order_by("starts_at", "pk")


def my_registrations(*, user) -> QuerySet:
    if getattr(user, "person_id", None) is None:
        return Registration.objects.none()
    return (
        Registration.objects.filter(person_id=user.person_id)
        .exclude(status=Registration.CANCELLED)
        .select_related("activity", "activity__union_org", "activity__party_org")
        .order_by("-activity__starts_at")
    )


def waiting_position(registration: Registration) -> int | None:
    if registration.status != WAIT:
        return None
    return (
        Registration.objects.filter(activity_id=registration.activity_id, status=WAIT)
        .filter(
            Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


@dataclass(frozen=True)
class UnitCount:
    unit: str
    registered: int
    waiting: int
    attended: int


def counts_by_unit(activity: Activity) -> list[UnitCount]:
    """报名人数 by unit (the unit at the time of sign-up): one query."""
    rows = (
        activity.registrations.exclude(status=Registration.CANCELLED)
        .values("unit__name")
        .annotate(
            registered=Count("pk", filter=Q(status=REG)),
            waiting=Count("pk", filter=Q(status=WAIT)),
            attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
        )
        .order_by("-registered", "unit__name")
    )
    return [UnitCount(r["unit__name"] or "未填单位", r["registered"], r["waiting"], r["attended"]) for r in rows]


def registrations_of(activity: Activity) -> QuerySet:
    return activity.registrations.exclude(status=Registration.CANCELLED).select_related("person", "unit")


# Competitions ---------------------------------------------------------------


def competitions(*, user) -> QuerySet:
    visible = policies.competitions.queryset(user, VIEW)
    officiating = Official.objects.filter(user_id=user.pk).values("competition_id")
    from django.db.models import Exists, OuterRef

    return (
        Competition.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=officiating))
        .select_related("activity")
        .annotate(
            n_entries=Count("entries", distinct=True),
            is_official=Exists(Official.objects.filter(competition=OuterRef("pk"), user_id=user.pk)),
        )
    )


def quizzes(*, user) -> QuerySet:
    return (
        policies.quizzes.queryset(user, VIEW)
        .select_related("activity")
        .annotate(n_questions=Count("paper", distinct=True), n_participants=Count("participants", distinct=True))
    )


def open_quizzes(*, user) -> QuerySet:
    return (
        policies.quizzes.queryset(user, VIEW)
        .filter(status__in=[Quiz.OPEN, Quiz.RUNNING, Quiz.DRAFT])
        .select_related("activity")
        .order_by("-created_at")
    )


# Training -------------------------------------------------------------------


def training_registrations(*, user, year: int) -> QuerySet:
    """Attended training registrations in the user's scope (his own for a member)."""
    start, end = year_bounds(year)
    return policies.registrations.queryset(user, VIEW).filter(
        activity__kind=balance.TRAINING,
        activity__starts_at__gte=start,
        activity__starts_at__lt=end,
        checked_in_at__isnull=False,
    )


def hours_by_member(*, user, year: int) -> QuerySet:
    """学时 per member in the year: one aggregate query (sortable, exportable)."""
    return (
        training_registrations(user=user, year=year)
        .values("person_id", "person__name", "person__name_pinyin", "unit__name")
        .annotate(hours=Sum("activity__hours"), courses=Count("pk"))
    )


def hours_by_unit(*, user, year: int) -> list[dict]:
    rows = (
        training_registrations(user=user, year=year)
        .values("unit__name")
        .annotate(
            hours=Sum("activity__hours"),
            courses=Count("activity", distinct=True),
            people=Count("person", distinct=True),
        )
        .order_by("-hours", "unit__name")
    )
    result = []
    for r in rows:
        hours = r["hours"] or Decimal(0)
        per = (hours / r["people"]).quantize(Decimal("0.1")) if r["people"] else Decimal(0)
        result.append({**r, "unit": r["unit__name"] or "未填单位", "per_person": per})
    return result


def certificates(*, user, year: int) -> QuerySet:
    return (
        training_registrations(user=user, year=year)
        .exclude(certificate_no="")
        .select_related("person", "unit", "activity")
    )


# Work-break exercise --------------------------------------------------------


def exercise_units(*, user) -> QuerySet:
    """Units whose 工间操 the user may check in or watch."""
    from orgs import policies as org_policies

    return org_policies.units.queryset(user, VIEW)


@dataclass(frozen=True)
class ExerciseRow:
    unit_id: int
    unit: str
    days: int  # days the unit checked in
    workdays: int  # working days of the month so far
    taps: int  # members' own check-ins
    staff: int

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.days, self.workdays) if self.workdays else None

    @property
    def rate_percent(self) -> str:
        return "—" if self.rate is None else f"{float(self.rate) * 100:.1f}%"

    @property
    def member_rate_percent(self) -> str:
        if not self.workdays or not self.staff:
            return "—"
        return f"{self.taps / (self.workdays * self.staff) * 100:.1f}%"


def workdays_in(year: int, month: int, *, today: date) -> int:
    from core.workdays import UnknownCalendarYear
    from core.workdays_db import work_calendar

    first = date(year, month, 1)
    last = min(date(year, month, calendar.monthrange(year, month)[1]), today)
    if last < first:
        return 0
    try:
        return work_calendar().count_workdays(first, last)
    except UnknownCalendarYear:
        return sum(1 for i in range((last - first).days + 1) if (first + timedelta(days=i)).weekday() < 5)


def exercise_month(*, user, year: int, month: int, today: date) -> list[ExerciseRow]:
    """参与率 of every unit in scope for one month: days checked in over working
    days so far, and the members' own taps. Three queries whatever the size."""
    units = list(exercise_units(user=user).values_list("pk", "name", "staff_count"))
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    counts = (
        ExerciseCheckIn.objects.filter(unit_id__in=[u[0] for u in units], day__gte=first, day__lte=last)
        .values("unit_id")
        .annotate(
            days=Count("day", filter=Q(person__isnull=True), distinct=True),
            taps=Count("pk", filter=Q(person__isnull=False)),
        )
    )
    by_unit = {r["unit_id"]: r for r in counts}
    workdays = workdays_in(year, month, today=today)
    rows = [
        ExerciseRow(pk, name, by_unit.get(pk, {}).get("days", 0), workdays, by_unit.get(pk, {}).get("taps", 0), staff)
        for pk, name, staff in units
    ]
    rows.sort(key=lambda r: (-(r.rate or 0), r.unit))
    return rows


# Balance --------------------------------------------------------------------


@dataclass(frozen=True)
class BalanceRow:
    union_id: int
    union: str
    mix: balance.KindMix
    findings: list
    members: int
    participations: int

    @property
    def per_member(self) -> str:
        return f"{self.participations / self.members:.1f}" if self.members else "—"

    @property
    def share_percent(self) -> str:
        share = self.mix.education_share
        return "—" if share is None else f"{float(share) * 100:.1f}%"


def balance_rows(*, scope, year: int, min_share: Fraction) -> list[BalanceRow]:
    """For each grassroots union in the scope (or the scope's own union when it is
    one), the year's mix of activity kinds (ACT-08/09) and attendance per member.
    Four queries whatever the size (three, from a cache, in a scope above TREE_FULL_LIMIT unions)."""
    from orgs.models import UnionOrg
    from people.models import UnionMember

    if scope is None or not scope.is_union_admin or not scope.union_path:
        return []
    unions = list(
        UnionOrg.objects.filter(path__startswith=scope.union_path, kind=UnionOrg.GRASSROOTS)
        .order_by("path")
        .values_list("pk", "name", "path")
    )
    if not unions:
        return []
    start, end = year_bounds(year)
    activity_rows = Activity.objects.filter(
        union_org__path__startswith=scope.union_path, cancelled=False, starts_at__gte=start, starts_at__lt=end
    ).values_list("union_org__path", "kind", "starts_at")
    records: dict[str, list[balance.ActivityRecord]] = {}
    depth = len(unions[0][2])
    for path, kind, starts_at in activity_rows:
        records.setdefault(path[:depth], []).append(
            balance.ActivityRecord(kind=kind, held_on=timezone.localtime(starts_at).date())
        )

    def count_members() -> dict[str, int]:
        return dict(
            UnionMember.objects.filter(union_org__path__startswith=scope.union_path, left_on__isnull=True)
            .values("union_org__path")
            .annotate(n=Count("pk"))
            .values_list("union_org__path", "n")
        )

    # a scope of thousands of unions (the 1,500,000 union members of the bench district)
    # counts its members once a minute: that GROUP BY alone took 0.2 s of every home page
    if len(unions) > org_selectors.TREE_FULL_LIMIT:
        members = org_selectors.cached_counts(f"union-members-by-union:{scope.union_path}", count_members)
    else:
        members = count_members()
    attended = dict(
        Registration.objects.filter(
            activity__union_org__path__startswith=scope.union_path,
            activity__starts_at__gte=start,
            activity__starts_at__lt=end,
            checked_in_at__isnull=False,
        )
        .values("activity__union_org__path")
        .annotate(n=Count("pk"))
        .values_list("activity__union_org__path", "n")
    )

    # Each count goes to the union whose path is a prefix of its own: one pass per table
    # (a sum over the table per union was quadratic: 48 s at 15,000 unions).
    lengths = {len(path) for _, _, path in unions}

    def rolled_up(table: dict) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for path, n in table.items():
            for length in lengths:
                if len(path) >= length:
                    totals[path[:length]] += n
        return totals

    member_totals, attended_totals = rolled_up(members), rolled_up(attended)
    rows = []
    for pk, name, path in unions:
        held = records.get(path, [])
        mix = balance.kind_mix(held, year=year)
        findings = balance.balance_findings(held, year=year, min_education_share=min_share)
        rows.append(BalanceRow(pk, name, mix, findings, member_totals.get(path, 0), attended_totals.get(path, 0)))
    return rows


def min_education_share() -> Fraction:
    from activities.rule_settings import MIN_EDUCATION_SHARE
    from core.rule_settings import value

    return Fraction(str(value(MIN_EDUCATION_SHARE))) / 100


def scope_for(user):
    return scope_of(user)
