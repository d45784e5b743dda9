"""Reads on ballots: voters due (ORG-05), scoped lists, receipts counts and results."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q, QuerySet

from ballots import rules
from ballots.models import Ballot
from ballots.policies import ballots as ballot_policy
from core.policies import VIEW
from orgs.models import PartyOrg, UnionOrg
from orgs.rules import may_vote
from people.models import PartyMember, UnionMember


def _member_on(on: date, prefix: str = "") -> Q:
    """A membership that had begun and not ended on ``on``."""
    return Q(**{f"{prefix}joined_org_on__lte": on}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})
    )


def status_on(member: PartyMember, on: date) -> str:
    """FULL once probation has ended by ``on`` (REC-23: 转正 from the end of probation)."""
    if member.full_member_on and member.full_member_on <= on:
        return PartyMember.FULL
    return PartyMember.PROBATIONARY


def voters_due(*, org: PartyOrg, on: date, disciplined: Iterable[int] = ()) -> list[PartyMember]:
    """The members of ``org`` (and below) who may vote on ``on`` (ORG-05).

    Full members on that date only: probationary members, members whose party
    membership is suspended and members under 留党察看 (``disciplined``: person
    ids) do not vote. One query.
    """
    disciplined = set(disciplined)
    members = (
        PartyMember.objects.filter(_member_on(on), branch__path__startswith=org.path, standing="NORMAL")
        .select_related("person")
        .order_by("person__name_pinyin", "id")
    )
    return [
        m for m in members if may_vote(status=status_on(m, on), under_probation_discipline=m.person_id in disciplined)
    ]


def union_voters_due(*, org: UnionOrg, on: date) -> list[UnionMember]:
    """The union members of ``org`` (and below) on ``on``: the default voters of a union ballot."""
    return list(
        UnionMember.objects.filter(union_org__path__startswith=org.path, joined_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .select_related("person")
        .order_by("person__name_pinyin", "id")
    )


def eligible_persons(ballot: Ballot) -> list:
    """The persons who may receive a code for ``ballot`` (two queries)."""
    if ballot.party_org_id:
        disciplined = ballot.disciplined.values_list("id", flat=True)
        return [m.person for m in voters_due(org=ballot.party_org, on=ballot.meeting_on, disciplined=disciplined)]
    return [m.person for m in union_voters_due(org=ballot.union_org, on=ballot.meeting_on)]


def ballot_list(*, user, search: str = "", status: str = "", mode: str = "") -> QuerySet:
    qs = ballot_policy.queryset(user, VIEW).select_related("party_org", "union_org")
    if search:
        qs = qs.filter(title__contains=search)
    if status:
        qs = qs.filter(status=status)
    if mode:
        qs = qs.filter(mode=mode)
    return qs


def receipt_counts(ballot: Ballot) -> dict:
    """How many codes were issued and how many were used — never how anyone voted."""
    return ballot.receipts.aggregate(issued=Count("id"), voted=Count("id", filter=Q(voted=True)))


def ballot_outcome(ballot: Ballot, items=None) -> rules.Outcome | None:
    """The result of a closed ballot with its arithmetic; None while it is not closed."""
    if ballot.status != Ballot.CLOSED:
        return None
    items = list(ballot.items.all()) if items is None else items
    return rules.outcome(
        rule=ballot.rule,
        meeting_on=ballot.meeting_on,
        entitled=ballot.entitled,
        present=ballot.present,
        written_count=ballot.written_count,
        items=[item_count(item) for item in items],
    )


def item_count(item) -> rules.ItemCount:
    return rules.ItemCount(
        label=item.label,
        in_favour=item.in_favour or 0,
        against=item.against or 0,
        abstain=item.abstain or 0,
        written_in_favour=item.written_in_favour,
    )


def ballots_for(*, subject_type: str, subject_id: str) -> QuerySet:
    """The ballots another app attached to one of its records (unscoped: the caller scopes)."""
    return Ballot.objects.filter(subject_type=subject_type, subject_id=str(subject_id))
