"""Who belonged to an organisation subtree on a date, as ORM filters over the dated facts.

A ``PartyMember`` row holds the member's *current* branch; ``Transfer`` rows hold
where he was before (the same reading as ``partylife.membership.branch_on``):

- a member is in the district on D when ``joined_org_on ≤ D`` and he has not left
  (``left_on`` empty or after D);
- his branch on D is the ``from_branch`` of his first internal transfer after D,
  or his current branch when none follows (a transfer takes effect on its date);
- he is a full member on D when ``full_member_on ≤ D``.

Everything here returns ``Q`` objects (or querysets used as ``IN`` subqueries), so a
table is still one aggregate query: the filters become ``FILTER (WHERE …)`` clauses
and hashed sub-plans, never a loop over members.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from orgs.models import PartyOrg
from people.models import Transfer


def internal_transfers() -> QuerySet:
    """Moves between two branches of the district (转入 from / 转出 to outside happen at join / leave)."""
    return Transfer.objects.filter(from_branch__isnull=False, to_branch__isnull=False).order_by()


def _first_of_each_member(moves: QuerySet) -> QuerySet:
    """Of ``moves``, each member's earliest (by date, then id)."""
    earlier = moves.filter(member_id=OuterRef("member_id")).filter(
        Q(transferred_on__lt=OuterRef("transferred_on")) | Q(transferred_on=OuterRef("transferred_on"), pk__lt=OuterRef("pk"))
    )  # fmt: skip
    return moves.filter(~Exists(earlier))


def present_q(on: date) -> Q:
    """In the district on ``on``: joined by then and not yet left."""
    return Q(joined_org_on__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gt=on))


def probationary_q(on: date) -> Q:
    """预备党员 on ``on``: probation not yet ended (REC-23: full membership from 转为正式党员日期)."""
    return Q(full_member_on__isnull=True) | Q(full_member_on__gt=on)


@dataclass(frozen=True)
class Subtree:
    """An organisation subtree and the facts that decide how its members on a date are selected.

    ``whole_district``: the organisation is the only root, so every member of the
    district is in it whatever his branch. ``moves_after``: the dates for which
    some internal transfer happened later (only then does the branch on a date
    differ from the current branch).
    """

    org: PartyOrg
    whole_district: bool
    last_move_on: date | None
    moved_ids: tuple[int, ...] = ()  # members with an internal transfer into or out of the subtree

    @property
    def path(self) -> str:
        return self.org.path

    def moved_after(self, on: date) -> bool:
        return self.last_move_on is not None and self.last_move_on > on

    # --- members ------------------------------------------------------------------
    def orgs(self) -> QuerySet:
        """Ids of the subtree's organisations (an indexed ``path LIKE 'prefix%'``), for ``IN`` filters."""
        return PartyOrg.objects.filter(path__startswith=self.path).values("pk")

    def _in(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__in": self.orgs()})

    def current_branch_q(self) -> Q:
        return Q() if self.whole_district else self._in("branch_id")

    def branch_on_q(self, on: date) -> Q:
        """The member's branch on ``on`` lies in the subtree."""
        if self.whole_district:
            return Q()
        here = self._in("branch_id")
        if not self.moved_after(on):
            return here
        later = internal_transfers().filter(transferred_on__gt=on)
        first_later = _first_of_each_member(later).filter(self._in("from_branch_id"))
        return (here & ~Q(pk__in=later.values("member_id"))) | Q(pk__in=first_later.values("member_id"))

    def member_on_q(self, on: date) -> Q:
        """A member of the subtree on ``on``."""
        return present_q(on) & self.branch_on_q(on)

    def initial_branch_q(self) -> Q:
        """The branch the member joined (before his first internal transfer) lies in the subtree."""
        if self.whole_district:
            return Q()
        here = self._in("branch_id")
        if self.last_move_on is None:
            return here
        moves = internal_transfers()
        first = _first_of_each_member(moves).filter(self._in("from_branch_id"))
        return (here & ~Q(pk__in=moves.values("member_id"))) | Q(pk__in=first.values("member_id"))

    def _moved_here(self) -> QuerySet:
        return internal_transfers().filter(self._in("from_branch_id") | self._in("to_branch_id")).values("member_id")

    def touched_q(self) -> Q:
        """Every member who was ever in the subtree (for lists; aggregates use ``parts``)."""
        if self.whole_district:
            return Q()
        here = self._in("branch_id")
        return here if self.last_move_on is None else here | Q(pk__in=self._moved_here())

    def parts(self) -> list[Q]:
        """Disjoint filters that together cover every member ever in the subtree.

        An aggregate runs once per part and the parts' counts are added: the first
        part (the members now in the subtree) is driven by the branch index, the
        second (members moved in or out, now elsewhere) by the primary key, so a
        small subtree never scans the whole member table. One ``OR`` of both would
        make PostgreSQL scan all members.
        """
        if self.whole_district:
            return [Q()]
        here = self._in("branch_id")
        if not self.moved_ids:
            return [here]
        return [here, ~here & ids_q(self.moved_ids)]

    # --- transfers across the subtree's boundary ------------------------------------
    def moves_in_q(self) -> Q:
        return self._in("to_branch_id") & ~self._in("from_branch_id")

    def moves_out_q(self) -> Q:
        return self._in("from_branch_id") & ~self._in("to_branch_id")


def ids_q(ids) -> Q:
    """``pk IN ids`` as one array parameter on PostgreSQL (so the planner drives by primary key,
    and psycopg does not quote thousands of placeholders), a plain list elsewhere."""
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (list(ids),)))
    return Q(pk__in=list(ids))


def subtree_of(org: PartyOrg) -> Subtree:
    """The subtree of ``org``: the roots and the latest internal transfer (two small queries), and for
    a part of the district with transfers, the members moved into or out of it (one more)."""
    whole = org.depth == 1 and not PartyOrg.objects.filter(depth=1).exclude(pk=org.pk).exists()
    last_move = internal_transfers().order_by("-transferred_on").values_list("transferred_on", flat=True).first()
    subtree = Subtree(org=org, whole_district=whole, last_move_on=last_move)
    if whole or last_move is None:
        return subtree
    moved = tuple(sorted(set(subtree._moved_here().values_list("member_id", flat=True))))
    return Subtree(org=org, whole_district=whole, last_move_on=last_move, moved_ids=moved)
