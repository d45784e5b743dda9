"""Reads on people: querysets already restricted to the user's scope."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from core import crypto
from core.idnumber import normalise
from core.policies import VIEW
from people import policies

_LATIN = re.compile(r"^[a-z]+$")


def name_search_q(text: str, prefix: str = "") -> Q:
    """BASE-04: a name, its full pinyin, its initials, the last 4 of the ID number, or a whole ID number."""
    text = normalise(text).lower() if text else ""
    if not text:
        return Q()
    p = prefix
    if len(text) in (15, 18) and text[:-1].isdigit():
        return Q(**{f"{p}id_number_hash": crypto.lookup_hash(text.upper())})
    if len(text) == 4 and (text.isdigit() or (text[:3].isdigit() and text[3] == "x")):
        return Q(**{f"{p}id_last4": text.upper()})
    if _LATIN.match(text):
        return Q(**{f"{p}name_initials__startswith": text}) | Q(**{f"{p}name_pinyin__startswith": text})
    return Q(**{f"{p}name__contains": text})


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
