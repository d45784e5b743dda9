"""Reads on people: querysets already restricted to the user's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from core.policies import VIEW
from people import policies
from people.search import name_search_q, name_search_window

__all__ = ["name_search_q", "name_search_window", "party_members", "union_members"]


def party_members(*, user, search: str = "", org=None, status: str = "", include_left: bool = False) -> QuerySet:
    """The member list: scope, then the optional org subtree, status and name filters."""
    qs = policies.party_members.queryset(user, VIEW).select_related("person", "person__unit", "branch", "group")
    if not include_left:
        qs = qs.filter(left_on__isnull=True)
    if org is not None:
        qs = qs.filter(branch__path__startswith=org.path)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(name_search_q(search, "person__"))
    return qs


def union_members(*, user, search: str = "", org=None) -> QuerySet:
    qs = policies.union_members.queryset(user, VIEW).select_related("person", "person__unit", "union_org")
    qs = qs.filter(left_on__isnull=True)
    if org is not None:
        qs = qs.filter(union_org__path__startswith=org.path)
    if search:
        qs = qs.filter(name_search_q(search, "person__"))
    return qs
