from accounts.models import Grant
from accounts.scope import NOTHING
from core.policies import REVEAL, VIEW, Policy
from orgs.policies import PARTY_READERS, PARTY_WRITERS, _either
from people.models import PartyMember, Person, Transfer, UnionMember


class PersonPolicy(Policy):
    """A person is in scope through his party branch, his union, or his unit's organisations."""

    model = Person

    def scope_q(self, scope, action):
        party_roles = PARTY_READERS if action == VIEW else PARTY_WRITERS
        party = (
            scope.party_q("party_member__branch__") | scope.party_q("unit__party_org__")
            if scope.role in party_roles and scope.party_path
            else NOTHING
        )
        union = (
            scope.union_q("union_member__union_org__") | scope.union_q("unit__union_org__")
            if scope.is_union_admin and scope.union_path
            else NOTHING
        )
        own = scope.self_q() if action in (VIEW, REVEAL) else NOTHING
        return _either(_either(party, union), own)


class PartyMemberPolicy(Policy):
    model = PartyMember

    def scope_q(self, scope, action):
        roles = PARTY_READERS if action == VIEW else PARTY_WRITERS
        party = scope.party_q("branch__") if scope.role in roles and scope.party_path else NOTHING
        own_needed = (
            action == VIEW and scope.person_id and not (party is not NOTHING and scope.own_member_in_party_scope)
        )
        own = scope.self_q("person_") if own_needed else NOTHING
        return _either(party, own)


class UnionMemberPolicy(Policy):
    model = UnionMember

    def scope_q(self, scope, action):
        union = scope.union_q("union_org__") if scope.is_union_admin and scope.union_path else NOTHING
        own = scope.self_q("person_") if action == VIEW and scope.person_id else NOTHING
        return _either(union, own)


class TransferPolicy(Policy):
    model = Transfer

    def scope_q(self, scope, action):
        roles = PARTY_READERS if action == VIEW else PARTY_WRITERS
        if scope.role not in roles or not scope.party_path:
            return NOTHING
        return scope.party_q("member__branch__") | scope.party_q("from_branch__") | scope.party_q("to_branch__")


persons = PersonPolicy()
party_members = PartyMemberPolicy()
union_members = UnionMemberPolicy()
transfers = TransferPolicy()
__all__ = ["persons", "party_members", "union_members", "transfers", "Grant"]
