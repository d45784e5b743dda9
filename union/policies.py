"""Permission policies of the union area (one per model).

Union records belong to one union; its administrators (工会管理员 of that union or
above, the 工会工委 and the 工委 administrator) see and change them. Hardship cases
are confidential: besides those administrators only the case owner (经办人) sees one.
A member sees his own application and the published 政务公开 items of his union.
"""

from django.db.models import Q

from accounts.scope import NOTHING, Scope
from core.policies import VIEW, Policy
from orgs.models import UnionOrg
from orgs.policies import _either
from union.models import (
    AssistanceAid,
    AssistanceCase,
    AssistanceVisit,
    CongressSession,
    Disclosure,
    HomeEvidence,
    MembershipApplication,
    MembershipChange,
    Motion,
    WelfareGrant,
    WorkersHome,
)

DECIDE = "decide"  # workflow decisions that only the union's administrators take


def union_q(scope: Scope, prefix: str = "union_org__") -> Q:
    return scope.union_q(prefix) if scope.is_union_admin and scope.union_path else NOTHING


def is_union_root_admin(scope: Scope | None) -> bool:
    """The 工会工委 administrator: a union administrator whose grant covers the union root."""
    return bool(scope and scope.is_union_admin and scope.union_path and len(scope.union_path) == UnionOrg.steplen)


def ancestor_paths(path: str) -> list[str]:
    step = UnionOrg.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


class _UnionRecordPolicy(Policy):
    prefix = "union_org__"

    def scope_q(self, scope, action):
        return union_q(scope, self.prefix)


class MembershipApplicationPolicy(_UnionRecordPolicy):
    model = MembershipApplication

    def scope_q(self, scope, action):
        own = Q(person_id=scope.person_id) if scope.person_id and action == VIEW else NOTHING
        return _either(union_q(scope), own)


class MembershipChangePolicy(Policy):
    model = MembershipChange

    def scope_q(self, scope, action):
        return _either(
            _either(union_q(scope, "member__union_org__"), union_q(scope, "from_union__")), union_q(scope, "to_union__")
        )


class AssistanceCasePolicy(Policy):
    model = AssistanceCase

    def scope_q(self, scope, action):
        owner = Q(owner_id=scope.person_id) if scope.person_id and action != DECIDE else NOTHING
        return _either(union_q(scope), owner)


class _CaseChildPolicy(Policy):
    def scope_q(self, scope, action):
        owner = Q(case__owner_id=scope.person_id) if scope.person_id else NOTHING
        return _either(union_q(scope, "case__union_org__"), owner)


class AssistanceVisitPolicy(_CaseChildPolicy):
    model = AssistanceVisit


class AssistanceAidPolicy(_CaseChildPolicy):
    model = AssistanceAid


class WelfareGrantPolicy(_UnionRecordPolicy):
    model = WelfareGrant


class CongressSessionPolicy(_UnionRecordPolicy):
    model = CongressSession


class MotionPolicy(_UnionRecordPolicy):
    model = Motion
    prefix = "session__union_org__"


class DisclosurePolicy(Policy):
    model = Disclosure

    def scope_q(self, scope, action):
        return union_q(scope)


def published_for_member_q(union_path: str) -> Q:
    """政务公开 items a member of the union at ``union_path`` sees: published by his union or one above."""
    return Q(published_on__isnull=False, union_org__path__in=ancestor_paths(union_path))


class WorkersHomePolicy(Policy):
    model = WorkersHome

    def scope_q(self, scope, action):
        if action == DECIDE:
            return Q() if is_union_root_admin(scope) else NOTHING
        return union_q(scope)


class HomeEvidencePolicy(Policy):
    model = HomeEvidence

    def scope_q(self, scope, action):
        return union_q(scope, "home__union_org__")


applications = MembershipApplicationPolicy()
changes = MembershipChangePolicy()
cases = AssistanceCasePolicy()
visits = AssistanceVisitPolicy()
aids = AssistanceAidPolicy()
grants = WelfareGrantPolicy()
sessions = CongressSessionPolicy()
motions = MotionPolicy()
disclosures = DisclosurePolicy()
homes = WorkersHomePolicy()
evidence = HomeEvidencePolicy()
