"""Reads for the home dashboard and the audit log, scoped to the user."""

from __future__ import annotations

from django.db.models import Count, Q

from core.models import AuditEntry
from orgs.models import PartyOrg
from people.models import PartyMember, UnionMember


def dashboard_counts(scope) -> dict:
    """Headline numbers for the scope: one aggregate query per tree."""
    counts = {"members": 0, "full": 0, "probationary": 0, "branches": 0, "union_members": 0}
    if scope.party_path and scope.role != "MEMBER":
        counts.update(
            PartyMember.objects.filter(left_on__isnull=True, branch__path__startswith=scope.party_path).aggregate(
                members=Count("id"),
                full=Count("id", filter=Q(status=PartyMember.FULL)),
                probationary=Count("id", filter=Q(status=PartyMember.PROBATIONARY)),
            )
        )
        counts["branches"] = PartyOrg.objects.filter(path__startswith=scope.party_path, kind=PartyOrg.BRANCH).count()
    if scope.union_path:
        counts["union_members"] = UnionMember.objects.filter(
            left_on__isnull=True, union_org__path__startswith=scope.union_path
        ).count()
    return counts


def members_by_child_org(scope, limit: int = 15, *, cached: bool = False) -> list[tuple[str, int]]:
    """Members under each child of the scope's organisation (the bar chart), largest first;
    ``cached``: from the counts a very large scope keeps for a minute. Only the ``limit``
    children shown are read (the bench district's root has 17,500)."""
    if not scope.party_path:
        return []
    child_length = len(scope.party_path) + PartyOrg.steplen
    if cached:  # the GROUP BY the windowed tree keeps for a minute
        from orgs.selectors import subtree_counts_by_child

        counts = subtree_counts_by_child(scope.party_path)
    else:
        from django.db.models.functions import Substr

        counts = dict(
            PartyMember.objects.filter(left_on__isnull=True, branch__path__startswith=scope.party_path)
            .annotate(child=Substr("branch__path", 1, child_length))
            .values_list("child")
            .annotate(n=Count("id"))
        )
    # every prefix of a branch's path is the path of one of its organisations
    top = sorted(((-n, path) for path, n in counts.items() if len(path) == child_length))[:limit]
    if not top:
        return []
    names = {
        path: short_name or name
        for path, name, short_name in PartyOrg.objects.filter(path__in=[p for _, p in top]).values_list(
            "path", "name", "short_name"
        )
    }
    return [(names[path], -n) for n, path in top if path in names]


def audit_log(*, search: str = "", action: str = "", object_type: str = ""):
    qs = AuditEntry.objects.select_related("actor")
    if search:
        qs = qs.filter(Q(object_repr__contains=search) | Q(actor_name__contains=search) | Q(request_id=search))
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs
