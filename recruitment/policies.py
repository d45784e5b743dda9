"""Who may see and change recruitment records, notices and objections.

Everything is scoped through the record's branch (``branch__path``): the 工委 and a
committee see their subtree, a branch secretary his branch. Letting a step through
despite a rule's error (``OVERRIDE``) is for the 工委 administrator and the
administrators of a party committee (党委) — the level that approves admissions —
never for the branch itself.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Grant
from accounts.scope import NOTHING
from core.policies import VIEW, Policy
from orgs.models import PartyOrg
from orgs.policies import PARTY_READERS, PARTY_WRITERS
from recruitment.models import Objection, PublicNotice, Recruitment

OVERRIDE = "override"
COMMITTEE_KINDS = (PartyOrg.WORKING_COMMITTEE, PartyOrg.COMMITTEE)


def _party(scope, action: str, prefix: str):
    if not scope.party_path:
        return NOTHING
    if action == OVERRIDE:
        if scope.role == Grant.DISTRICT_ADMIN:
            return scope.party_q(prefix)
        if scope.role == Grant.PARTY_ADMIN and _is_committee(scope.party_path):
            return scope.party_q(prefix)
        return NOTHING
    roles = PARTY_READERS if action == VIEW else PARTY_WRITERS
    return scope.party_q(prefix) if scope.role in roles else NOTHING


def _is_committee(path: str) -> bool:
    return PartyOrg.objects.filter(path=path, kind__in=COMMITTEE_KINDS).exists()


def _orgs_in(scope, action: str, field: str):
    """``field`` in the scope's organisations, as a semi-join on the ids of the subtree.

    A subquery rather than a join on the path: the planner then walks an index of
    the scoped table (``next_due_on`` for the overdue list) and probes a small hash
    of organisation ids, whatever its estimate of the path prefix.
    """
    q = _party(scope, action, "")
    return q if q is NOTHING else Q(**{f"{field}__in": PartyOrg.objects.filter(q).values("pk")})


class RecruitmentPolicy(Policy):
    model = Recruitment

    def scope_q(self, scope, action):
        return _orgs_in(scope, action, "branch")


class PublicNoticePolicy(Policy):
    model = PublicNotice

    def scope_q(self, scope, action):
        return _orgs_in(scope, action, "org")


class ObjectionPolicy(Policy):
    model = Objection

    def scope_q(self, scope, action):
        return _orgs_in(scope, action, "notice__org")


recruitments = RecruitmentPolicy()
notices = PublicNoticePolicy()
objections = ObjectionPolicy()
