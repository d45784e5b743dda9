"""TALK-01: a talk record is seen only by the talker, the secretary of the responsible
organisation and holders of the discipline role (over their subtree).

Everyone else — other secretaries, administrators, the person talked to — gets no row
at all, in lists, details, search and exports. Party administrators may *schedule* a
talk in their subtree (ADD), e.g. the LIFE-09 reminder, and read counts through
``talks.selectors.talk_counts``, never the records.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Grant
from accounts.scope import NOTHING
from core.policies import ADD, Policy
from orgs.models import OrgOfficer
from orgs.policies import PARTY_WRITERS, _either
from talks import rules
from talks.models import Talk


def confidential_q(scope) -> Q:
    """Rows ``scope`` may see under TALK-01 (``rules.may_see_talk`` as a filter)."""
    talker = secretary = discipline = NOTHING
    if scope.person_id:
        talker = Q(talker_id=scope.person_id)
        secretary = Q(
            org_id__in=OrgOfficer.objects.filter(
                person_id=scope.person_id, role=OrgOfficer.SECRETARY, party_org__isnull=False, ended_on__isnull=True
            ).values("party_org_id")
        )
    if scope.role == Grant.DISCIPLINE and scope.party_path:
        discipline = scope.party_q("org__")
    allowed = NOTHING
    for part in (talker, secretary, discipline):
        allowed = _either(allowed, part)
    return allowed


def may_see(scope, *, talk: Talk, secretary_org_ids: set[int]) -> bool:
    """The same decision for one loaded row (used where the row is already at hand)."""
    in_discipline = scope.role == Grant.DISCIPLINE and scope.party_path and talk.org.path.startswith(scope.party_path)
    return rules.may_see_talk(
        is_talker=bool(scope.person_id) and talk.talker_id == scope.person_id,
        is_responsible_secretary=talk.org_id in secretary_org_ids,
        has_discipline_role=bool(in_discipline),
    )


class TalkPolicy(Policy):
    model = Talk

    def scope_q(self, scope, action):
        allowed = confidential_q(scope)
        if action == ADD and scope.role in PARTY_WRITERS and scope.party_path:
            return _either(allowed, scope.party_q("org__"))
        return allowed


talks = TalkPolicy()
