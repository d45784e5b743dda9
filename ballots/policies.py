"""Who may see and run ballots: party ballots by the party staff of the organisation's
subtree, union ballots by the union administrators of theirs. Voters need no account:
their one-time code is their authorisation (``services.ballot_cast``)."""

from accounts.scope import NOTHING
from ballots.models import Ballot
from core.policies import VIEW, Policy
from orgs.policies import PARTY_READERS, PARTY_WRITERS, _either


class BallotPolicy(Policy):
    model = Ballot

    def scope_q(self, scope, action):
        roles = PARTY_READERS if action == VIEW else PARTY_WRITERS
        party = scope.party_q("party_org__") if scope.role in roles else NOTHING
        union = scope.union_q("union_org__") if scope.is_union_admin else NOTHING
        return _either(party, union)


ballots = BallotPolicy()
