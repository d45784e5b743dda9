"""Reads on organisations: trees with member counts, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from core.policies import VIEW
from orgs import policies
from orgs.models import PartyOrg
from people.models import PartyMember, UnionMember


@dataclass
class TreeNode:
    org: object
    depth: int
    count: int
    url: str = ""
    is_current: bool = False
    has_children: bool = False
    expanded: bool = False

    @property
    def name(self) -> str:
        return self.org.name

    @property
    def key(self) -> str:
        return str(self.org.pk)


def _subtree_counts(orgs: list, direct: dict[int, int]) -> dict[int, int]:
    """Members of each node including its descendants, from the per-node direct counts.

    Sums over organisations (hundreds), never over members: the counting itself
    is one GROUP BY in the database.
    """
    by_path = sorted(orgs, key=lambda o: o.path, reverse=True)
    totals = {o.pk: direct.get(o.pk, 0) for o in orgs}
    by_path_index = {o.path: o for o in orgs}
    for org in by_path:  # children (longer paths) before parents
        if getattr(org, "kind", None) == "GROUP":
            continue  # a party group's members are already counted in its branch
        parent_path = org.path[: -org.steplen]
        parent = by_path_index.get(parent_path)
        if parent is not None:
            totals[parent.pk] += totals[org.pk]
    return totals


def party_tree(*, user, current=None, max_depth: int | None = None) -> list[TreeNode]:
    orgs_qs = policies.party_orgs.queryset(user, VIEW).order_by("path")
    if max_depth:
        orgs_qs = orgs_qs.filter(depth__lte=max_depth)
    orgs = list(orgs_qs.only("id", "path", "depth", "name", "kind", "numchild"))
    if not orgs:
        return []
    root_path = orgs[0].path
    active = PartyMember.objects.filter(left_on__isnull=True, branch__path__startswith=root_path)
    direct = dict(active.values_list("branch_id").annotate(n=Count("id")))
    direct.update(active.filter(group__isnull=False).values_list("group_id").annotate(n=Count("id")))
    totals = _subtree_counts(orgs, direct)
    base_depth = orgs[0].depth
    return [
        TreeNode(
            org=o,
            depth=o.depth - base_depth,
            count=totals[o.pk],
            is_current=current is not None and o.pk == current.pk,
            has_children=o.numchild > 0,
        )
        for o in orgs
    ]


def union_tree(*, user, current=None) -> list[TreeNode]:
    orgs = list(
        policies.union_orgs.queryset(user, VIEW)
        .order_by("path")
        .only("id", "path", "depth", "name", "kind", "numchild")
    )
    if not orgs:
        return []
    direct = dict(
        UnionMember.objects.filter(left_on__isnull=True, union_org__path__startswith=orgs[0].path)
        .values_list("union_org_id")
        .annotate(n=Count("id"))
    )
    totals = _subtree_counts(orgs, direct)
    base_depth = orgs[0].depth
    return [
        TreeNode(
            org=o,
            depth=o.depth - base_depth,
            count=totals[o.pk],
            is_current=current is not None and o.pk == current.pk,
            has_children=o.numchild > 0,
        )
        for o in orgs
    ]


def org_member_counts(org: PartyOrg) -> dict:
    """Members, full members and probationary members in the subtree (one query)."""
    return PartyMember.objects.filter(left_on__isnull=True, branch__path__startswith=org.path).aggregate(
        members=Count("id"),
        full=Count("id", filter=Q(status=PartyMember.FULL)),
        probationary=Count("id", filter=Q(status=PartyMember.PROBATIONARY)),
    )


def current_officers(org, *, on):
    """The officers of ``org`` in office on ``on`` (party or union organisation)."""
    return (
        org.officers.filter(started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .select_related("person")
        .order_by("role", "started_on")
    )
