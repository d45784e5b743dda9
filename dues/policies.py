"""Permission policies of the dues area (one per model).

Party dues follow the party tree (党组织管理员 of the branch or above; 纪检委员 reads),
union dues the union tree (工会管理员). A member sees his own records.
"""

from django.db.models import Q

from accounts.scope import NOTHING, Scope
from core.policies import VIEW, Policy
from dues.models import PARTY, UNION, DuesLine, DuesPayment, DuesPublication, DuesReduction, DuesRoll, PayBase
from orgs.policies import PARTY_READERS, PARTY_WRITERS, _either


def _party(scope: Scope, action: str, prefix: str) -> Q:
    roles = PARTY_READERS if action == VIEW else PARTY_WRITERS
    return scope.party_q(prefix) if scope.role in roles and scope.party_path else NOTHING


def _union(scope: Scope, prefix: str) -> Q:
    return scope.union_q(prefix) if scope.is_union_admin and scope.union_path else NOTHING


def _and(a: Q, b: Q) -> Q:
    return NOTHING if b is NOTHING else a & b


def _own(scope: Scope, action: str, field: str = "person_id") -> Q:
    return Q(**{field: scope.person_id}) if action == VIEW and scope.person_id else NOTHING


def _by_person(scope: Scope, action: str) -> Q:
    party = _and(Q(scheme=PARTY), _party(scope, action, "person__party_member__branch__"))
    union = _and(Q(scheme=UNION), _union(scope, "person__union_member__union_org__"))
    return _either(_either(party, union), _own(scope, action))


def may_manage(scope: Scope | None, scheme: str) -> bool:
    """Whether the scope may compute rolls and record payments of ``scheme`` at all."""
    if scope is None:
        return False
    if scheme == PARTY:
        return scope.role in PARTY_WRITERS and scope.party_path is not None
    return scope.is_union_admin and scope.union_path is not None


def may_read(scope: Scope | None, scheme: str) -> bool:
    if scope is None:
        return False
    if scheme == PARTY:
        return scope.role in PARTY_READERS and scope.party_path is not None
    return scope.is_union_admin and scope.union_path is not None


class PayBasePolicy(Policy):
    model = PayBase

    def scope_q(self, scope, action):
        return _by_person(scope, action)


class DuesPaymentPolicy(Policy):
    model = DuesPayment

    def scope_q(self, scope, action):
        return _by_person(scope, action)


class DuesRollPolicy(Policy):
    model = DuesRoll

    def scope_q(self, scope, action):
        return _either(
            _and(Q(scheme=PARTY), _party(scope, action, "party_org__")),
            _and(Q(scheme=UNION), _union(scope, "union_org__")),
        )


class DuesLinePolicy(Policy):
    model = DuesLine

    def scope_q(self, scope, action):
        rolls = _either(
            _and(Q(scheme=PARTY), _party(scope, action, "roll__party_org__")),
            _and(Q(scheme=UNION), _union(scope, "roll__union_org__")),
        )
        return _either(rolls, _own(scope, action))


class DuesReductionPolicy(Policy):
    model = DuesReduction

    def scope_q(self, scope, action):
        return _either(_party(scope, action, "branch__"), _own(scope, action))


class DuesPublicationPolicy(Policy):
    model = DuesPublication

    def scope_q(self, scope, action):
        own = (
            Q(branch__members__person_id=scope.person_id, branch__members__left_on__isnull=True)
            if action == VIEW and scope.person_id
            else NOTHING
        )
        return _either(_party(scope, action, "branch__"), own)


pay_bases = PayBasePolicy()
payments = DuesPaymentPolicy()
rolls = DuesRollPolicy()
lines = DuesLinePolicy()
reductions = DuesReductionPolicy()
publications = DuesPublicationPolicy()
