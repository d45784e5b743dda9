"""Factories and personas shared by every app's tests.

Data is built through the real models (and, where it matters, the services);
personas are the users a permission test needs: the 工委 administrator, a
branch secretary in scope, the secretary of another branch, a union
administrator, a plain member and an anonymous visitor.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import factory

from accounts.models import Grant, User
from core import crypto, pinyin
from core.idnumber import check_char
from orgs.models import PartyOrg, UnionOrg, Unit
from people.models import PartyMember, Person, UnionMember

TODAY = date(2026, 11, 23)
_seq = itertools.count(1)


def make_id_number(birth: date, gender: str = "M") -> str:
    """A valid, unique 18-digit ID number for a birth date and gender."""
    n = next(_seq)
    seq = (n * 2 + (1 if gender == "M" else 0)) % 1000
    first17 = f"{500101 + n // 500:06d}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"区测试局{n}")
    name_pinyin = factory.LazyAttribute(lambda o: pinyin.full_pinyin(o.name))
    staff_count = 20


def party_org(
    parent: PartyOrg | None, *, name: str, kind: str, code: str | None = None, unit: Unit | None = None, **extra
) -> PartyOrg:
    """A node of the party tree (treebeard keeps the materialised path)."""
    category = {
        "WORKING_COMMITTEE": "611",
        "COMMITTEE": "611",
        "GENERAL_BRANCH": "621",
        "BRANCH": "631",
        "GROUP": "641",
    }[kind]
    fields = dict(name=name, kind=kind, category_code=category, code=code or f"T{next(_seq)}", unit=unit,
                  name_pinyin=pinyin.full_pinyin(name), **extra)  # fmt: skip
    return PartyOrg.objects.add_root(fields) if parent is None else PartyOrg.objects.add_child(parent, fields)


def union_org(parent: UnionOrg | None, *, name: str, kind: str, unit: Unit | None = None) -> UnionOrg:
    fields = dict(name=name, kind=kind, code=f"U{next(_seq)}", unit=unit, name_pinyin=pinyin.full_pinyin(name))
    return UnionOrg.objects.add_root(fields) if parent is None else UnionOrg.objects.add_child(parent, fields)


def person(
    name: str = "张三",
    *,
    gender: str = "M",
    birth: date = date(1985, 6, 1),
    unit: Unit | None = None,
    phone: str = "13800001234",
    **extra,
) -> Person:
    p = Person(name=name, gender=gender, birth_date=birth, unit=unit, name_pinyin=pinyin.full_pinyin(name),
               name_initials=pinyin.initials(name), **extra)  # fmt: skip
    p.id_number = make_id_number(birth, gender)
    p.phone = phone
    p.save()
    return p


def party_member(
    branch: PartyOrg,
    name: str = "张三",
    *,
    status: str = PartyMember.FULL,
    admitted_on: date = date(2010, 7, 1),
    **person_kwargs,
) -> PartyMember:
    from people.rules import full_member_on

    p = person(name, unit=branch.unit, **person_kwargs)
    return PartyMember.objects.create(
        person=p,
        status=status,
        branch=branch,
        admitted_on=admitted_on,
        full_member_on=full_member_on(admitted_on) if status == PartyMember.FULL else None,
        joined_org_on=admitted_on,
    )


def union_member(org: UnionOrg, name: str = "李四", **person_kwargs) -> UnionMember:
    p = person(name, unit=org.unit, **person_kwargs)
    return UnionMember.objects.create(person=p, union_org=org, joined_on=date(2015, 3, 1))


def user_with_grant(username: str, role: str, *, party_org=None, union_org=None, person_obj=None) -> User:
    user = User.objects.create_user(
        username=username, password="pw-Dangqun-1", display_name=username, person=person_obj
    )
    Grant.objects.create(user=user, role=role, party_org=party_org, union_org=union_org)
    return user


@dataclass
class SmallDistrict:
    """A hand-built district: root → committee → branches A and B (A has a group), unions."""

    root: PartyOrg
    committee: PartyOrg
    branch_a: PartyOrg
    branch_b: PartyOrg
    group_a: PartyOrg
    union_root: UnionOrg
    union_a: UnionOrg
    union_b: UnionOrg
    unit_a: Unit
    unit_b: Unit
    member_a: PartyMember
    member_b: PartyMember
    district_admin: User
    secretary_a: User
    secretary_b: User
    union_admin: User
    member_user: User


def small_district() -> SmallDistrict:
    unit_a = UnitFactory(name="区财政局")
    unit_b = UnitFactory(name="区税务局")
    root = party_org(None, name="区直机关党工委", kind=PartyOrg.WORKING_COMMITTEE, code="ROOT")
    committee = party_org(root, name="区财政局机关党委", kind=PartyOrg.COMMITTEE, code="C1", unit=unit_a)
    branch_a = party_org(committee, name="区财政局第一支部", kind=PartyOrg.BRANCH, code="BA", unit=unit_a)
    branch_a.refresh_from_db()
    group_a = party_org(branch_a, name="第一党小组", kind=PartyOrg.GROUP, code="GA", unit=unit_a)
    root.refresh_from_db()
    branch_b = party_org(root, name="区税务局支部", kind=PartyOrg.BRANCH, code="BB", unit=unit_b)
    union_root = union_org(None, name="区直机关工会工委", kind=UnionOrg.WORKING_COMMITTEE)
    union_a = union_org(union_root, name="区财政局工会", kind=UnionOrg.GRASSROOTS, unit=unit_a)
    union_root.refresh_from_db()
    union_b = union_org(union_root, name="区税务局工会", kind=UnionOrg.GRASSROOTS, unit=unit_b)
    for org in (root, committee, branch_a, branch_b, union_root):
        org.refresh_from_db()
    unit_a.party_org, unit_a.union_org = committee, union_a
    unit_a.save()
    unit_b.party_org, unit_b.union_org = branch_b, union_b
    unit_b.save()
    member_a = party_member(branch_a, "王小明", phone="13912345678")
    member_b = party_member(branch_b, "赵大海", gender="M")
    secretary_person = party_member(branch_a, "刘书记", gender="F", birth=date(1980, 3, 3)).person
    return SmallDistrict(
        root=root, committee=committee, branch_a=branch_a, branch_b=branch_b, group_a=group_a,
        union_root=union_root, union_a=union_a, union_b=union_b, unit_a=unit_a, unit_b=unit_b,
        member_a=member_a, member_b=member_b,
        district_admin=user_with_grant("gw", Grant.DISTRICT_ADMIN, party_org=root),
        secretary_a=user_with_grant("sec_a", Grant.PARTY_ADMIN, party_org=branch_a, person_obj=secretary_person),
        secretary_b=user_with_grant("sec_b", Grant.PARTY_ADMIN, party_org=branch_b),
        union_admin=user_with_grant("gh", Grant.UNION_ADMIN, union_org=union_a),
        member_user=user_with_grant("dy", Grant.MEMBER, person_obj=member_a.person),
    )  # fmt: skip


def browser_login(page, live_server, username: str, password: str = "pw-Dangqun-1") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


__all__ = [
    "crypto",
    "TODAY",
    "small_district",
    "SmallDistrict",
    "party_member",
    "union_member",
    "person",
    "party_org",
    "union_org",
    "user_with_grant",
    "make_id_number",
    "UnitFactory",
]
