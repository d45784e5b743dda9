"""Reads on recruitment: querysets already restricted to the user's scope.

The overdue list is one query on the indexed ``next_due_on`` column (plus the
scope's prefix filter on the branch path); the ledgers are filters of the one
``Recruitment`` table, never copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from core.policies import VIEW
from orgs.models import PartyOrg
from people.selectors import name_search_q
from recruitment import policies, rules

DUE_SOON_DAYS = 30
OVERDUE = "overdue"
DUE_SOON = "soon"


@dataclass(frozen=True)
class LedgerSpec:
    """One of the three recruitment ledgers: which records it lists and by which year."""

    key: str
    title: str
    date_field: str  # the record enters the ledger on this date; the year filter uses it
    stages: tuple[str, ...]  # stages offered in its stage filter


LEDGERS = {
    "activists": LedgerSpec(
        "activists",
        "入党积极分子培养台账",
        "activist_on",
        (rules.ACTIVIST, rules.CANDIDATE, rules.PROBATIONARY, rules.FULL),
    ),
    "candidates": LedgerSpec(
        "candidates", "新党员发展台账（发展对象）", "candidate_on", (rules.CANDIDATE, rules.PROBATIONARY, rules.FULL)
    ),
    "admissions": LedgerSpec(
        "admissions", "新党员发展台账（接收预备党员）", "general_meeting_on", (rules.PROBATIONARY, rules.FULL)
    ),
    "conversions": LedgerSpec("conversions", "预备党员转正台账", "probation_end_on", (rules.PROBATIONARY, rules.FULL)),
}


def records(
    *,
    user,
    action: str = VIEW,
    org: PartyOrg | None = None,
    stage: str = "",
    year: int | None = None,
    search: str = "",
    due: str = "",
    today: date | None = None,
) -> QuerySet:
    """The record list: scope, then org subtree, stage, application year, name and due filters."""
    qs = policies.recruitments.queryset(user, action).select_related("person", "branch")
    if org is not None:
        qs = qs.filter(branch__in=_subtree(org))
    if stage:
        qs = qs.filter(stage=stage)
    if year:
        qs = qs.filter(application_on__year=year)
    if search:
        qs = qs.filter(name_search_q(search, "person__"))
    if due and today:
        qs = due_filter(qs, due, today)
    return qs


def _subtree(org: PartyOrg):
    return PartyOrg.objects.filter(path__startswith=org.path).values("pk")


def due_filter(qs: QuerySet, due: str, today: date) -> QuerySet:
    if due == OVERDUE:
        return qs.filter(next_due_on__lt=today)
    if due == DUE_SOON:
        return qs.filter(next_due_on__gte=today, next_due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
    return qs


def overdue(*, user, today: date) -> QuerySet:
    """Records with a deadline passed, earliest first: one query on the ``next_due_on`` index."""
    return (
        policies.recruitments.queryset(user, VIEW)
        .filter(next_due_on__lt=today)
        .select_related("person", "branch")
        .order_by("next_due_on", "pk")
    )


def ledger(
    spec: LedgerSpec,
    *,
    user,
    org: PartyOrg | None = None,
    stage: str = "",
    year: int | None = None,
    search: str = "",
) -> QuerySet:
    qs = policies.recruitments.queryset(user, VIEW).filter(**{f"{spec.date_field}__isnull": False})
    qs = qs.select_related("person", "branch", "approving_org")
    if org is not None:
        qs = qs.filter(branch__in=_subtree(org))
    if stage:
        qs = qs.filter(stage=stage)
    if year:
        qs = qs.filter(**{f"{spec.date_field}__year": year})
    if search:
        qs = qs.filter(name_search_q(search, "person__"))
    return qs


def due_counts(*, user, today: date) -> dict[str, int]:
    """Overdue and due-within-30-days counts in the user's scope (one query)."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    return policies.recruitments.queryset(user, VIEW).aggregate(
        overdue=Count("pk", filter=Q(next_due_on__lt=today)),
        soon=Count("pk", filter=Q(next_due_on__gte=today, next_due_on__lte=soon)),
    )


def pipeline(*, user) -> tuple[list[PartyOrg], dict[tuple[str, str], int]]:
    """Counts per stage per top-level organisation (the children of the district root) in
    the user's scope: two queries, the counting done by one GROUP BY."""
    step = PartyOrg.steplen
    orgs = list(PartyOrg.objects.filter(depth=2).order_by("path").only("id", "name", "short_name", "path"))
    counts: dict[tuple[str, str], int] = {}
    rows = (
        policies.recruitments.queryset(user, VIEW)
        .annotate(top=Substr("branch__path", 1, 2 * step))
        .values_list("top", "stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for prefix, stage, n in rows:
        counts[(prefix, stage)] = n
    return orgs, counts


def notices(*, user) -> QuerySet:
    return (
        policies.notices.queryset(user, VIEW)
        .select_related("org")
        .annotate(
            people=Count("recruitments", distinct=True),
            open_objections=Count("objections", filter=Q(objections__resolved_on__isnull=True), distinct=True),
        )
    )


def notice_candidates(*, user, org: PartyOrg | None = None) -> QuerySet:
    """Activists in scope who may be put on a notice (not yet listed as candidates)."""
    from core.policies import CHANGE

    qs = policies.recruitments.queryset(user, CHANGE).filter(stage=rules.ACTIVIST, candidate_on__isnull=True)
    if org is not None:
        qs = qs.filter(branch__in=_subtree(org))
    return qs.select_related("person", "branch").order_by("branch__path", "activist_on", "pk")


def full_members_for_choice(*, branch: PartyOrg, on: date | None = None) -> QuerySet:
    """Full members of the record's branch, for the mentor and sponsor pickers."""
    from people.models import PartyMember

    return (
        PartyMember.objects.filter(status=PartyMember.FULL, left_on__isnull=True, branch__path__startswith=branch.path)
        .select_related("person", "branch")
        .order_by("branch__path", "person__name_pinyin")
    )
