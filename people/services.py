"""Writes on people and memberships: validated, scoped, audited, in one transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import audit, crypto, pinyin
from core.policies import CHANGE, REVEAL
from core.services import save_audited
from orgs.models import PartyOrg
from people import policies
from people.models import PartyMember, Person, Transfer, UnionMember
from people.rules import full_member_on, member_dates_errors, person_field_errors

PERSON_FIELDS = (
    "name", "gender", "ethnicity", "is_taiwanese", "birth_date", "education", "job_code",
    "is_migrant_worker", "unit", "position", "rank", "address",
)  # fmt: skip


def check_person_identity(
    *, id_number: str, gender: str | None, birth_date: date | None, today: date, exclude_pk=None
) -> dict:
    """BASE-01 and uniqueness; ValidationError by field, else the derived values."""
    errors, derived = person_field_errors(id_number=id_number, gender=gender, birth_date=birth_date, today=today)
    if "id_number" not in errors:
        duplicate = Person.objects.filter(id_number_hash=crypto.lookup_hash(derived["id_number"]))
        if exclude_pk:
            duplicate = duplicate.exclude(pk=exclude_pk)
        if duplicate.exists():
            errors["id_number"] = "该公民身份号码已登记，不能重复录入。"
    if errors:
        raise ValidationError(errors)
    return derived


def _fill_person(person: Person, data: dict, derived: dict) -> None:
    for field in PERSON_FIELDS:
        if field in data:
            setattr(person, field, data[field])
    person.name = person.name.strip()
    person.gender = derived["gender"]
    person.birth_date = derived["birth_date"]
    person.id_number = derived["id_number"]
    if "phone" in data:
        person.phone = data["phone"] or ""
    person.name_pinyin = pinyin.full_pinyin(person.name)
    person.name_initials = pinyin.initials(person.name)


def person_create(*, by, data: dict, today: date) -> Person:
    """Create a person (BASE-01 checked, encrypted, pinyin indexed)."""
    derived = check_person_identity(
        id_number=data.get("id_number", ""), gender=data.get("gender"), birth_date=data.get("birth_date"), today=today
    )
    person = Person()
    _fill_person(person, data, derived)
    return save_audited(person, by=by, policy=None)


def person_update(*, by, person: Person, data: dict, today: date) -> Person:
    policies.persons.require(by, CHANGE, person)
    derived = check_person_identity(
        id_number=data.get("id_number") or person.id_number,
        gender=data.get("gender", person.gender),
        birth_date=data.get("birth_date", person.birth_date),
        today=today,
        exclude_pk=person.pk,
    )
    _fill_person(person, data, derived)
    return save_audited(person, by=by, policy=policies.persons)


def member_fields_check(*, status: str, admitted_on, full_on, birth_date, today: date) -> None:
    errors = member_dates_errors(
        status=status, admitted_on=admitted_on, full_on=full_on, birth_date=birth_date, today=today
    )
    if errors:
        raise ValidationError(errors)


def party_member_register(
    *,
    by,
    person_data: dict,
    branch: PartyOrg,
    status: str,
    admitted_on: date,
    extension_months: int = 0,
    group: PartyOrg | None = None,
    extra: dict | None = None,
    today: date,
) -> PartyMember:
    """Register an existing party member (a person and his membership) in one step."""
    if branch.kind not in (PartyOrg.BRANCH, PartyOrg.GENERAL_BRANCH, PartyOrg.COMMITTEE):
        raise ValidationError({"branch": "党员应编入党支部（或直属党总支、党委）。"})
    full_on = full_member_on(admitted_on, extension_months) if status == PartyMember.FULL else None
    member_fields_check(
        status=status, admitted_on=admitted_on, full_on=full_on, birth_date=person_data.get("birth_date"), today=today
    )
    with transaction.atomic():
        person = person_create(by=by, data=person_data, today=today)
        member = PartyMember(
            person=person,
            status=status,
            branch=branch,
            group=group,
            admitted_on=admitted_on,
            probation_extension_months=extension_months,
            full_member_on=full_on,
            joined_org_on=admitted_on,
            **(extra or {}),
        )
        save_audited(member, by=by, policy=policies.party_members)
        # the person became reachable only through the membership: re-check now
        policies.persons.require(by, CHANGE, person)
    return member


def party_member_update(*, by, member: PartyMember, data: dict, today: date) -> PartyMember:
    policies.party_members.require(by, CHANGE, member)
    for field, value in data.items():
        setattr(member, field, value)
    if member.status == PartyMember.FULL:
        # REC-23: never typed in — the day probation ends
        member.full_member_on = full_member_on(member.admitted_on, member.probation_extension_months)
    else:
        member.full_member_on = None
    member_fields_check(
        status=member.status,
        admitted_on=member.admitted_on,
        full_on=member.full_member_on,
        birth_date=member.person.birth_date,
        today=today,
    )
    return save_audited(member, by=by, policy=policies.party_members)


def member_transfer(*, by, member: PartyMember, to_branch: PartyOrg, on: date, note: str = "", today: date) -> Transfer:
    """组织关系转接 inside the district; the history row and the move are one write.

    The destination must lie in the actor's scope as well (the saved row is
    re-checked): a transfer between two branches is made by an administrator of
    an organisation above both.
    """
    if to_branch.pk == member.branch_id:
        raise ValidationError({"to_branch": "转入党组织与当前所在党支部相同。"})
    if on > today:
        raise ValidationError({"transferred_on": "转接日期不能晚于今天。"})
    if on < member.joined_org_on:
        raise ValidationError({"transferred_on": f"转接日期不能早于进入本组织日期 {member.joined_org_on}。"})
    with transaction.atomic():
        policies.party_members.require(by, CHANGE, member)
        transfer = Transfer(
            member=member,
            kind=Transfer.INTERNAL,
            from_branch=member.branch,
            to_branch=to_branch,
            transferred_on=on,
            note=note,
        )
        save_audited(transfer, by=by, policy=policies.transfers)
        member.branch = to_branch
        member.group = None
        save_audited(member, by=by, policy=policies.party_members, action="people.partymember.transfer")
    return transfer


def union_member_register(*, by, person: Person, union_org, joined_on: date, card_no: str = "") -> UnionMember:
    member = UnionMember(person=person, union_org=union_org, joined_on=joined_on, card_no=card_no)
    return save_audited(member, by=by, policy=policies.union_members)


def reveal_sensitive(*, by, person: Person, field: str) -> str:
    """Show one ID number or phone in clear: allowed roles only, and logged."""
    if field not in ("id_number", "phone"):
        raise ValueError(field)
    if not policies.persons.may(by, REVEAL, person):
        raise PermissionDenied("您无权查看该人员的完整信息。")
    audit.record(actor=by, action=f"people.person.reveal_{field}", obj=person)
    return getattr(person, field)
