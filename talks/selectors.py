"""Reads on talks. Records only through the TALK-01 policy; everything else is a count."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from accounts.scope import scope_of
from core.policies import VIEW
from orgs.policies import PARTY_READERS
from people.selectors import name_search_q
from talks.models import Talk
from talks.policies import talks as talk_policy


def talks(*, user, search: str = "", kind: str = "", status: str = "") -> QuerySet:
    """The talk records ``user`` may see (TALK-01), filtered; search is by the person talked to."""
    qs = talk_policy.queryset(user, VIEW).select_related("org", "talker", "talked_to")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(name_search_q(search, "talked_to__"))
    return qs


def talk_counts(*, user) -> dict[str, dict[str, int]]:
    """Counts by kind of the talks in the user's party scope (TALK-01 allows counts).

    ``{kind: {"done": n, "due": n}}``; empty for users outside the party readers.
    """
    scope = scope_of(user)
    if scope is None or scope.role not in PARTY_READERS or not scope.party_path:
        return {}
    rows = (
        Talk.objects.filter(org__path__startswith=scope.party_path)
        .values_list("kind")
        .annotate(done=Count("id", filter=Q(status=Talk.DONE)), due=Count("id", filter=Q(status=Talk.DUE)))
        .order_by()
    )
    return {kind: {"done": done, "due": due} for kind, done, due in rows}


def heart_to_heart_counts(*, root, start: date, end: date) -> dict[int, int]:
    """LIFE-08: per responsible organisation, how many distinct people were talked to (a count)."""
    return dict(
        Talk.objects.filter(
            kind=Talk.HEART_TO_HEART,
            status=Talk.DONE,
            org__path__startswith=root.path,
            talked_on__gte=start,
            talked_on__lte=end,
        )
        .values_list("org_id")
        .annotate(n=Count("talked_to", distinct=True))
        .order_by()
    )


def due_alerts(*, user, today: date, soon_days: int = 7) -> dict[str, int]:
    """Counts for the dashboard over the talks the user may see: one query."""
    from datetime import timedelta

    qs = talk_policy.queryset(user, VIEW)
    soon = today + timedelta(days=soon_days)
    return qs.aggregate(
        appointment_overdue=Count("id", filter=Q(kind=Talk.APPOINTMENT, status=Talk.DUE, due_on__lt=today)),
        appointment_soon=Count(
            "id", filter=Q(kind=Talk.APPOINTMENT, status=Talk.DUE, due_on__gte=today, due_on__lte=soon)
        ),
        follow_up_overdue=Count(
            "id",
            filter=Q(kind=Talk.ADMONITION, status=Talk.DONE, follow_up_due__lt=today, followed_up_on__isnull=True),
        ),
        reminder_due=Count("id", filter=Q(kind=Talk.REMINDER, status=Talk.DUE)),
    )
