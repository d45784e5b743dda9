"""Reads on organisations: trees with member counts, scoped to the user."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Q
from django.db.models.functions import Substr

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
        return getattr(self.org, "tree_key", "") or str(self.org.pk)


def _subtree_counts(orgs: list, direct: dict[int, int]) -> dict[int, int]:
    """Members of each node including its descendants, from the per-node direct counts.

    Sums over organisations (hundreds), never over members: the counting itself
    is one GROUP BY in the database.
    """
    by_path = sorted(orgs, key=lambda o: o.path, reverse=True)
    totals = {o.pk: direct.get(o.pk, 0) for o in orgs}
    by_path_index = {o.path: o for o in orgs}
    for org in by_path:  # children (longer paths) before parents
        if isinstance(org, PartyOrg) and org.kind == PartyOrg.GROUP:
            continue  # a party group's members are already counted in its branch (a union
            # group's belong to the group alone, and count in its union)
        parent_path = org.path[: -org.steplen]
        parent = by_path_index.get(parent_path)
        if parent is not None:
            totals[parent.pk] += totals[org.pk]
    return totals


TREE_FULL_LIMIT = 2000  # organisations; a larger scope shows a window of its tree


def party_tree(*, user, current=None, max_depth: int | None = None) -> list[TreeNode]:
    """The party tree of the user's scope with member counts, in tree order.

    Up to ``TREE_FULL_LIMIT`` organisations (a real district has about 1,200) the whole
    tree is sent and opened in the browser. A larger scope (the 1,000,000-member bench
    district has 118,000) gets a window: the top two levels, the path down to
    ``current`` and the children of ``current`` — the rest is a click away.
    """
    orgs_qs = policies.party_orgs.queryset(user, VIEW).order_by("path")
    if max_depth:
        orgs_qs = orgs_qs.filter(depth__lte=max_depth)
    if (orgs_qs.count() if max_depth else _scope_org_count(user)) > TREE_FULL_LIMIT:
        return _party_tree_window(orgs_qs, current)
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


TREE_WINDOW_CHILDREN = 200  # children listed per open node of a windowed tree
COUNT_CACHE_SECONDS = 60
_COUNT_VERSION = "dq:member-counts:version"


def members_changed() -> None:
    """Forget the cached member counts of large trees (any write to the member roll)."""
    try:
        cache.incr(_COUNT_VERSION)
    except ValueError:
        cache.set(_COUNT_VERSION, 1, None)


def cached_counts(key: str, compute):
    """``compute()``, cached for a minute under ``key`` and dropped on any write to the
    rolls or the trees (the version of members_changed): for the figures of very large
    scopes only, where each is a scan of a million members."""
    full_key = f"dq:counts:{cache.get_or_set(_COUNT_VERSION, 1, None)}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, COUNT_CACHE_SECONDS)
    return value


def subtree_counts_by_child(path: str, *, union: bool = False) -> dict[str, int]:
    """Active members below ``path`` by the path of the child their branch lies in (the
    node's own members under ``path`` itself); ``union``: union members, by their union. Cached for a minute and dropped on any
    write to the roll: in a very large scope this GROUP BY reads every member (a second
    at 1,000,000), and the windowed tree and the member list's total share it. The cache
    is Django's default one: per process unless a shared cache is configured, so another
    process may show counts up to a minute old (only in scopes above TREE_FULL_LIMIT)."""
    model, field = (UnionMember, "union_org__path") if union else (PartyMember, "branch__path")

    def compute() -> dict[str, int]:
        return dict(
            model.objects.filter(left_on__isnull=True, **{f"{field}__startswith": path})
            .annotate(prefix=Substr(field, 1, len(path) + PartyOrg.steplen))  # both trees step alike
            .values_list("prefix")
            .annotate(n=Count("id"))
        )

    return cached_counts(f"member-counts:{'union:' if union else ''}{path}", compute)


def _scope_org_count(user) -> int:
    """Party organisations the user may view; counted once per request (kept on the
    request's user object, like the scope itself)."""
    count = getattr(user, "_dangqun_org_count", None)
    if count is None:
        # and cached for a minute across requests (a count of 115,000 organisations takes
        # 20 ms of every page of a 工委 user; it only decides how the tree is drawn)
        queryset = policies.party_orgs.queryset(user, VIEW)
        try:
            sql = str(queryset.query)
        except EmptyResultSet:  # a scope without party organisations (a union's)
            user._dangqun_org_count = 0
            return 0
        count = cached_counts("org-count:" + hashlib.sha1(sql.encode()).hexdigest(), queryset.count)
        user._dangqun_org_count = count
    return count


def is_large(user) -> bool:
    return _scope_org_count(user) > TREE_FULL_LIMIT


@dataclass
class _More:
    """The line that stands for the children a windowed tree does not list (shown
    unlinked; its pk is the parent's, so that views can build their usual links)."""

    pk: int
    name: str
    path: str = ""
    depth: int = 0

    @property
    def tree_key(self) -> str:  # the parent's own node keeps the plain id
        return f"more-{self.pk}"


def _party_tree_window(orgs_qs, current) -> list[TreeNode]:
    return _tree_window(orgs_qs, current, _party_counts, PartyMember.objects.filter(left_on__isnull=True), "branch")


def _party_counts(parent, children) -> dict[int, int]:
    """Members of the parent's subtree and of each listed child's."""
    active = PartyMember.objects.filter(left_on__isnull=True)
    if parent.kind == PartyOrg.GROUP:
        return {parent.pk: active.filter(group_id=parent.pk).count()}
    if parent.kind == PartyOrg.BRANCH:  # its children are party groups, counted within it
        by_group = dict(
            active.filter(branch_id=parent.pk, group__isnull=False).values_list("group_id").annotate(n=Count("id"))
        )
        return {
            **{o.pk: by_group.get(o.pk, 0) for o in children},
            parent.pk: active.filter(branch_id=parent.pk).count(),
        }
    # members below the parent by the child their branch lies in (the parent's own
    # members, in a 党总支, fall under the parent's path itself)
    by_prefix = subtree_counts_by_child(parent.path)
    return {**{o.pk: by_prefix.get(o.path, 0) for o in children}, parent.pk: sum(by_prefix.values())}


def _union_counts(parent, children) -> dict[int, int]:
    by_prefix = subtree_counts_by_child(parent.path, union=True)
    return {**{o.pk: by_prefix.get(o.path, 0) for o in children}, parent.pk: sum(by_prefix.values())}


def _tree_window(orgs_qs, current, counts, active, org_field: str) -> list[TreeNode]:
    """The window of a large tree: the top, the path down to ``current``, and the first
    ``TREE_WINDOW_CHILDREN`` children of the top and of ``current``; ``counts(parent,
    children)`` gives their member counts, ``active`` (the members, linked by ``org_field``)
    those of the path between."""
    fields = ("id", "path", "depth", "name", "kind", "numchild")
    root = orgs_qs.only(*fields).first()
    steplen = orgs_qs.model.steplen
    if current is None or not current.path.startswith(root.path):
        current = root
    chain = [current.path[:i] for i in range(len(root.path), len(current.path) + 1, steplen)]
    orgs = {o.pk: o for o in orgs_qs.filter(path__in=chain).only(*fields)}
    parents = [root] if current.pk == root.pk else [root, current]
    for parent in parents:
        children = orgs_qs.filter(path__startswith=parent.path, depth=parent.depth + 1).only(*fields)
        orgs.update({o.pk: o for o in children[:TREE_WINDOW_CHILDREN]})
    orgs = sorted(orgs.values(), key=lambda o: o.path)
    totals: dict[int, int] = {}
    for parent in parents:
        totals.update(
            counts(parent, [o for o in orgs if o.depth == parent.depth + 1 and o.path.startswith(parent.path)])
        )
    missing = [o for o in orgs if o.pk not in totals]  # the chain between the top and ``current``
    if missing:
        path = f"{org_field}__path__startswith"
        found = active.filter(**{path: missing[0].path}).aggregate(
            **{f"n{o.pk}": Count("id", filter=Q(**{path: o.path})) for o in missing}
        )
        totals.update({int(k[1:]): v for k, v in found.items()})
    nodes = [
        TreeNode(org=o, depth=o.depth - root.depth, count=totals.get(o.pk, 0), is_current=o.pk == current.pk,
                 has_children=o.numchild > 0, expanded=o.path in chain)
        for o in orgs
    ]  # fmt: skip
    for parent in parents:
        hidden = parent.numchild - TREE_WINDOW_CHILDREN
        if hidden > 0:  # after the parent's last listed child
            last = max(
                i for i, n in enumerate(nodes) if n.org.path.startswith(parent.path) and n.org.depth == parent.depth + 1
            )
            more = _More(pk=parent.pk, name=f"……另有 {hidden:,} 个下级组织未列出")
            nodes.insert(last + 1, TreeNode(org=more, depth=parent.depth + 1 - root.depth, count=None))
    return nodes


def union_tree(*, user, current=None) -> list[TreeNode]:
    """The union tree of the user's scope with member counts; windowed like the party
    tree above ``TREE_FULL_LIMIT`` organisations (15,000 基层工会 at 1,000,000 members)."""
    orgs_qs = policies.union_orgs.queryset(user, VIEW).order_by("path")
    orgs = list(orgs_qs.only("id", "path", "depth", "name", "kind", "numchild")[: TREE_FULL_LIMIT + 1])
    if len(orgs) > TREE_FULL_LIMIT:
        return _tree_window(
            orgs_qs, current, _union_counts, UnionMember.objects.filter(left_on__isnull=True), "union_org"
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
    """Members, full members and probationary members in the subtree (one query; for a
    subtree of more than ``TREE_FULL_LIMIT`` organisations cached like the tree counts)."""

    def compute():
        return PartyMember.objects.filter(left_on__isnull=True, branch__path__startswith=org.path).aggregate(
            members=Count("id"),
            full=Count("id", filter=Q(status=PartyMember.FULL)),
            probationary=Count("id", filter=Q(status=PartyMember.PROBATIONARY)),
        )

    if PartyOrg.objects.filter(path__startswith=org.path).count() <= TREE_FULL_LIMIT:
        return compute()
    return cached_counts(f"member-counts:status:{org.path}", compute)


def current_officers(org, *, on):
    """The officers of ``org`` in office on ``on`` (party or union organisation)."""
    return (
        org.officers.filter(started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .select_related("person")
        .order_by("role", "started_on")
    )
