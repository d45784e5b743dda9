"""The scope a user acts in: one grant (role + organisation subtree) at a time.

The top bar lets a user with several grants switch; the choice is kept in the
session and applied by ``ActingGrantMiddleware``. Code outside requests (tests,
commands) gets the user's first grant.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q

from accounts.models import Grant

NOTHING = Q(pk__in=[])
ADMIN_ROLES = {Grant.DISTRICT_ADMIN, Grant.PARTY_ADMIN}


@dataclass(frozen=True)
class Scope:
    grant_id: int
    role: str
    party_path: str | None
    union_path: str | None
    person_id: int | None
    org_name: str
    own_branch_path: str | None = None  # the user's own party branch, when known

    @property
    def own_member_in_party_scope(self) -> bool:
        """True when the user's own membership lies in the party subtree anyway: lists
        need no "or my own record" then (an OR that keeps a database from using the
        subtree's index — a full scan at 1,000,000 members)."""
        return bool(self.party_path and self.own_branch_path and self.own_branch_path.startswith(self.party_path))

    @property
    def is_district_admin(self) -> bool:
        return self.role == Grant.DISTRICT_ADMIN

    @property
    def is_party_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def is_union_admin(self) -> bool:
        return self.role == Grant.UNION_ADMIN or (self.role == Grant.DISTRICT_ADMIN and self.union_path is not None)

    @property
    def is_district_level(self) -> bool:
        """The 工委 administrator, or the 工会工委's (a union grant at the root of the
        union tree): the users who see district-wide pages such as the audit log."""
        from orgs.models import UnionOrg

        return self.is_district_admin or (
            self.role == Grant.UNION_ADMIN and bool(self.union_path) and len(self.union_path) == UnionOrg.steplen
        )

    @property
    def is_member(self) -> bool:
        return self.role == Grant.MEMBER

    def party_q(self, prefix: str = "") -> Q:
        """Rows whose party organisation (reached through ``prefix``) is in scope."""
        if self.party_path is None:
            return NOTHING
        return Q(**{f"{prefix}path__startswith": self.party_path})

    def union_q(self, prefix: str = "") -> Q:
        if self.union_path is None:
            return NOTHING
        return Q(**{f"{prefix}path__startswith": self.union_path})

    def self_q(self, prefix: str = "") -> Q:
        if self.person_id is None:
            return NOTHING
        return Q(**{f"{prefix}id": self.person_id}) if prefix else Q(pk=self.person_id)


def scope_from_grant(grant: Grant) -> Scope:
    from orgs.models import UnionOrg

    party_path = grant.party_org.path if grant.party_org_id else None
    union_path = grant.union_org.path if grant.union_org_id else None
    if grant.role == Grant.DISTRICT_ADMIN and union_path is None:
        # The 工委 administrator oversees the whole district, union tree included.
        root = UnionOrg.objects.get_root_nodes().first()
        union_path = root.path if root else None
    if grant.role == Grant.UNION_ADMIN:
        party_path = None
    if grant.role == Grant.MEMBER:
        party_path = union_path = None
    org = grant.party_org or grant.union_org
    return Scope(
        grant_id=grant.pk,
        role=grant.role,
        party_path=party_path,
        union_path=union_path,
        person_id=grant.user.person_id,
        org_name=org.name if org else "本人",
        own_branch_path=_own_branch_path(grant.user),
    )


def _own_branch_path(user) -> str | None:
    if user.person_id is None:
        return None
    try:
        member = user.person.party_member
    except ObjectDoesNotExist:
        return None
    return member.branch.path if member.branch_id else None


def scope_of(user) -> Scope | None:
    """The scope the user acts in now, or None (anonymous or no grant)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_dangqun_scope", None)
    if cached is not None:
        return cached
    grant = (
        Grant.objects.select_related("party_org", "union_org", "user__person__party_member__branch")
        .filter(user=user)
        .order_by("id")
        .first()
    )
    scope = scope_from_grant(grant) if grant else None
    user._dangqun_scope = scope
    return scope


def act_as(user, grant: Grant) -> Scope:
    """Switch the user (this request) to one of his grants."""
    scope = scope_from_grant(grant)
    user._dangqun_scope = scope
    user.__dict__.pop("_dangqun_org_count", None)  # counted for the previous scope
    return scope
