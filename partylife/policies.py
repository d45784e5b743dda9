"""Who may see and change meetings, attachments and circulars."""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Grant
from accounts.scope import NOTHING
from core.policies import ADD, CHANGE, DELETE, VIEW, Policy
from orgs.policies import PARTY_READERS, PARTY_WRITERS, _either
from partylife.models import Attendance, Circular, CircularRecipient, Meeting


class MeetingPolicy(Policy):
    """Party readers see the meetings of their subtree; writers record them; a member
    sees the meetings on whose attendance list he stands (我的组织生活)."""

    model = Meeting

    def scope_q(self, scope, action):
        roles = PARTY_READERS if action == VIEW else PARTY_WRITERS
        party = scope.party_q("org__") if scope.role in roles and scope.party_path else NOTHING
        own = NOTHING
        if action == VIEW and scope.person_id:
            own = Q(pk__in=Attendance.objects.filter(member__person_id=scope.person_id).values("meeting_id"))
        return _either(party, own)


class CircularPolicy(Policy):
    """The 工委 administrator drafts and publishes; a published circular is seen by the
    party readers of every organisation on whose notice board it stands."""

    model = Circular

    def scope_q(self, scope, action):
        if scope.role not in PARTY_READERS or not scope.party_path:
            return NOTHING
        author = scope.party_q("scope_org__") if scope.role == Grant.DISTRICT_ADMIN else NOTHING
        if action in (ADD, CHANGE, DELETE):
            return author
        received = Q(
            status=Circular.PUBLISHED,
            pk__in=CircularRecipient.objects.filter(scope.party_q("org__")).values("circular_id"),
        )
        return _either(author, received)


class CircularRecipientPolicy(Policy):
    model = CircularRecipient

    def scope_q(self, scope, action):
        if scope.role not in PARTY_READERS or not scope.party_path:
            return NOTHING
        return scope.party_q("org__") & Q(circular__status=Circular.PUBLISHED)


meetings = MeetingPolicy()
circulars = CircularPolicy()
recipients = CircularRecipientPolicy()
