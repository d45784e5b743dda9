"""Who may see and change what in the activities area.

An Activity belongs to its organiser (a UnionOrg or a PartyOrg): the
administrators of that organisation's subtree manage it. Members see the
activities open to them (the organiser is above their union or branch, or
their unit is named) and those they signed up for. Competitions, quizzes and
everything below them follow their Activity; referees and judges may record
results of the competitions they are assigned to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from accounts.models import Grant
from accounts.scope import NOTHING, Scope, scope_of
from activities.models import (
    Activity,
    ActivityPhoto,
    Competition,
    Entry,
    ExerciseCheckIn,
    Fixture,
    Official,
    Question,
    Quiz,
    Registration,
)
from core.policies import VIEW, Policy
from orgs.policies import PARTY_READERS, PARTY_WRITERS, _either

PATH_STEP = 4
EDIT = "edit"  # results and marks: organisers and the competition's officials


def ancestors(path: str | None) -> list[str]:
    """The path of every node from the root down to ``path`` itself."""
    if not path:
        return []
    return [path[:i] for i in range(PATH_STEP, len(path) + 1, PATH_STEP)]


@dataclass(frozen=True)
class PersonPlace:
    """Where a person belongs, for eligibility: unit, union and party branch paths."""

    person_id: int
    unit_id: int | None
    union_path: str | None
    branch_path: str | None


def person_place(person_id: int | None, *, cache_on=None) -> PersonPlace | None:
    """One query; cached on ``cache_on`` (a user) for the rest of the request."""
    if person_id is None:
        return None
    cached = getattr(cache_on, "_dq_person_place", None) if cache_on is not None else None
    if cached is not None and cached.person_id == person_id:
        return cached
    from people.models import Person

    row = (
        Person.objects.filter(pk=person_id)
        .values(
            "unit_id",
            "union_member__union_org__path",
            "union_member__left_on",
            "party_member__branch__path",
            "party_member__left_on",
        )
        .first()
    )
    if row is None:
        return None
    place = PersonPlace(
        person_id=person_id,
        unit_id=row["unit_id"],
        union_path=row["union_member__union_org__path"] if row["union_member__left_on"] is None else None,
        branch_path=row["party_member__branch__path"] if row["party_member__left_on"] is None else None,
    )
    if cache_on is not None:
        cache_on._dq_person_place = place
    return place


def eligible_q(place: PersonPlace | None, prefix: str = "") -> Q:
    """Activities (through ``prefix``) this person may sign up for."""
    if place is None:
        return NOTHING
    p = prefix
    q = NOTHING
    if place.union_path:
        q = _either(q, Q(**{f"{p}open_to": Activity.SUBTREE, f"{p}union_org__path__in": ancestors(place.union_path)}))
    if place.branch_path:
        q = _either(q, Q(**{f"{p}open_to": Activity.SUBTREE, f"{p}party_org__path__in": ancestors(place.branch_path)}))
    if place.unit_id:
        named = Activity.units.through.objects.filter(unit_id=place.unit_id).values("activity_id")
        q = _either(q, Q(**{f"{p}open_to": Activity.UNITS, f"{p}pk__in": named}))
    return q


def organiser_q(scope: Scope, action: str, prefix: str = "") -> Q:
    """Activities (through ``prefix``) whose organiser lies in the administrator's subtree."""
    union = scope.union_q(f"{prefix}union_org__") if scope.is_union_admin else NOTHING
    roles = PARTY_READERS if action == VIEW else PARTY_WRITERS
    party = scope.party_q(f"{prefix}party_org__") if scope.role in roles else NOTHING
    return _either(union, party)


def _own_registrations_q(scope: Scope, prefix: str = "") -> Q:
    if scope.person_id is None:
        return NOTHING
    return Q(**{f"{prefix}pk__in": Registration.objects.filter(person_id=scope.person_id).values("activity_id")})


class _UserPolicy(Policy):
    """A policy whose filter needs the user as well as his scope (the person's
    place, the competitions he officiates); stateless, so safe across threads."""

    def user_q(self, user, scope: Scope, action: str) -> Q:
        raise NotImplementedError

    def scope_q(self, scope, action):
        return self.user_q(None, scope, action)

    def queryset(self, user, action=VIEW, qs=None):
        qs = self.model._default_manager.all() if qs is None else qs
        scope = scope_of(user)
        if scope is None:
            return qs.none()
        q = self.user_q(user, scope, action)
        return qs.none() if q is NOTHING else qs.filter(q)


class ActivityPolicy(_UserPolicy):
    model = Activity

    def user_q(self, user, scope, action):
        admin = organiser_q(scope, action)
        if action != VIEW:
            return admin
        place = person_place(scope.person_id, cache_on=user)
        return _either(_either(admin, eligible_q(place)), _own_registrations_q(scope))


class _ThroughActivity(_UserPolicy):
    """Rows that follow their Activity (through ``activity_prefix``)."""

    activity_prefix = "activity__"

    def user_q(self, user, scope, action):
        q = organiser_q(scope, action, self.activity_prefix)
        if action == VIEW:
            visible = activities.queryset(user, VIEW).values("pk")
            q = _either(q, Q(**{f"{self.activity_prefix}pk__in": visible}))
        return q


class RegistrationPolicy(Policy):
    """Organisers see and manage every registration; a person sees and cancels his own."""

    model = Registration

    def scope_q(self, scope, action):
        own = scope.self_q("person_") if scope.person_id else NOTHING
        return _either(organiser_q(scope, action, "activity__"), own)


class PhotoPolicy(_ThroughActivity):
    model = ActivityPhoto


class CompetitionPolicy(_ThroughActivity):
    model = Competition

    def user_q(self, user, scope, action):
        if action == EDIT:
            q = organiser_q(scope, action, "activity__")
            if user is not None and user.pk:
                q = _either(q, Q(pk__in=Official.objects.filter(user_id=user.pk).values("competition_id")))
            return q
        return super().user_q(user, scope, action)


class EntryPolicy(_ThroughActivity):
    model = Entry
    activity_prefix = "competition__activity__"


class FixturePolicy(_ThroughActivity):
    model = Fixture
    activity_prefix = "competition__activity__"


class QuizPolicy(_ThroughActivity):
    model = Quiz


class QuestionPolicy(Policy):
    """The question bank: an organisation's own questions and those of the
    organisations above it (a district bank is shared downwards); changed only
    by the owner's administrators."""

    model = Question

    def scope_q(self, scope, action):
        own = organiser_q(scope, action)
        if action != VIEW or own is NOTHING:
            return own
        above = NOTHING
        if scope.is_union_admin and scope.union_path:
            above = Q(union_org__path__in=ancestors(scope.union_path))
        if scope.role in PARTY_READERS and scope.party_path:
            above = _either(above, Q(party_org__path__in=ancestors(scope.party_path)))
        return _either(own, above)


class ExercisePolicy(Policy):
    """工间操: a unit's check-ins belong to the unit's union (and party organisation);
    a member sees his own taps."""

    model = ExerciseCheckIn

    def scope_q(self, scope, action):
        union = scope.union_q("unit__union_org__") if scope.is_union_admin else NOTHING
        roles = PARTY_READERS if action == VIEW else PARTY_WRITERS
        party = scope.party_q("unit__party_org__") if scope.role in roles else NOTHING
        own = scope.self_q("person_") if scope.person_id else NOTHING
        return _either(_either(union, party), own)


def may_organise(user, org) -> bool:
    """Whether ``user`` administers ``org`` (a UnionOrg or PartyOrg) and so may
    organise activities, competitions and question banks for it."""
    from orgs.models import UnionOrg

    scope = scope_of(user)
    if scope is None or org is None:
        return False
    if isinstance(org, UnionOrg):
        return scope.is_union_admin and bool(scope.union_path) and org.path.startswith(scope.union_path)
    return scope.role in PARTY_WRITERS and bool(scope.party_path) and org.path.startswith(scope.party_path)


def is_organiser(scope: Scope | None) -> bool:
    """Roles that organise activities (the menu and the 新增 buttons)."""
    return scope is not None and (scope.is_union_admin or scope.role in PARTY_WRITERS)


activities = ActivityPolicy()
registrations = RegistrationPolicy()
photos = PhotoPolicy()
competitions = CompetitionPolicy()
entries = EntryPolicy()
fixtures = FixturePolicy()
quizzes = QuizPolicy()
questions = QuestionPolicy()
exercise = ExercisePolicy()
__all__ = ["Grant"]
