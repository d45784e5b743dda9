from django.db.models import Q

from accounts.models import Grant
from accounts.scope import NOTHING, Scope
from core.policies import VIEW, Policy
from orgs.models import OrgOfficer, PartyOrg, Term, UnionOrg, Unit

PARTY_READERS = {Grant.DISTRICT_ADMIN, Grant.PARTY_ADMIN, Grant.DISCIPLINE}
PARTY_WRITERS = {Grant.DISTRICT_ADMIN, Grant.PARTY_ADMIN}


def _party(scope: Scope, action: str, prefix: str = "") -> Q:
    roles = PARTY_READERS if action == VIEW else PARTY_WRITERS
    return scope.party_q(prefix) if scope.role in roles else NOTHING


def _union(scope: Scope, action: str, prefix: str = "") -> Q:
    return scope.union_q(prefix) if scope.is_union_admin else NOTHING


def _either(a: Q, b: Q) -> Q:
    if a is NOTHING:
        return b
    if b is NOTHING:
        return a
    return a | b


class PartyOrgPolicy(Policy):
    model = PartyOrg

    def scope_q(self, scope, action):
        return _party(scope, action)


class UnionOrgPolicy(Policy):
    model = UnionOrg

    def scope_q(self, scope, action):
        return _union(scope, action)


class UnitPolicy(Policy):
    """A unit is in scope when its own organisation, or an organisation in scope located in it, is."""

    model = Unit

    def scope_q(self, scope, action):
        if action != VIEW and not scope.is_district_admin:
            return NOTHING
        party = _party(scope, action, "party_org__")
        if party is not NOTHING:
            party |= Q(pk__in=PartyOrg.objects.filter(scope.party_q()).values("unit_id"))
        union = _union(scope, action, "union_org__")
        if union is not NOTHING:
            union |= Q(pk__in=UnionOrg.objects.filter(scope.union_q()).values("unit_id"))
        return _either(party, union)


class OrgOfficerPolicy(Policy):
    model = OrgOfficer

    def scope_q(self, scope, action):
        return _either(_party(scope, action, "party_org__"), _union(scope, action, "union_org__"))


class TermPolicy(Policy):
    model = Term

    def scope_q(self, scope, action):
        return _party(scope, action, "org__")


party_orgs = PartyOrgPolicy()
union_orgs = UnionOrgPolicy()
units = UnitPolicy()
officers = OrgOfficerPolicy()
terms = TermPolicy()
