"""The demo district: a deterministic synthetic 区直机关 with valid, rule-abiding data.

``generate(members=N)`` builds units, both organisation trees, people with
valid ID numbers, party and union memberships, officers, terms and demo
logins, with bulk inserts (N = 1,000,000 on PostgreSQL for the benchmarks).
Other apps add their content through ``<app>/demo_content.py`` modules that
define ``extend(district) -> str``; they run after the base, in app order.
"""

from __future__ import annotations

import importlib
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Grant, User
from core import audit, crypto, pinyin
from core.bulk import build, insert_rows
from core.dates import add_years
from core.demo.names import person_name, unit_names
from core.idnumber import check_char
from orgs.models import OrgOfficer, PartyOrg, Term, UnionOrg, Unit
from orgs.term_defaults import term_length_years
from people.models import PartyMember, Person, Transfer, UnionMember

DEMO_PASSWORD = "Dangqun@2026"
ADDRESS_CODE = "500101"  # 重庆市万州区
BATCH = 5000


@dataclass
class District:
    today: date
    rng: random.Random
    party_root: PartyOrg
    union_root: UnionOrg
    units: list[Unit]
    branches: list[PartyOrg]
    committees: list[PartyOrg]
    unions: list[UnionOrg]
    users: dict[str, User] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, username, description)


def _org_path(model, parent_path: str | None, step: int) -> str:
    depth = 1 if parent_path is None else len(parent_path) // model.steplen + 1
    return model._get_path(parent_path, depth, step)


class _TreeBuilder:
    """Collects nodes with materialised paths and inserts them level by level."""

    def __init__(self, model):
        self.model = model
        self.children: dict[str, int] = {}

    def node(self, parent, **fields):
        parent_path = parent.path if parent is not None else None
        key = parent_path or ""
        self.children[key] = self.children.get(key, 0) + 1
        path = _org_path(self.model, parent_path, self.children[key])
        node = self.model(path=path, depth=len(path) // self.model.steplen, numchild=0, **fields)
        node.name_pinyin = pinyin.full_pinyin(node.name)
        return node

    def save(self, nodes: list) -> None:
        for node in nodes:
            node.numchild = self.children.get(node.path, 0)
        for depth in sorted({n.depth for n in nodes}):
            self.model.objects.bulk_create([n for n in nodes if n.depth == depth], batch_size=BATCH)


def _id_number(rng: random.Random, birth: date, gender: str, used: set) -> str:
    while True:
        seq = rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)
        first17 = f"{ADDRESS_CODE}{birth:%Y%m%d}{seq:03d}"
        if first17 not in used:
            used.add(first17)
            return first17 + check_char(first17)


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(0, 10)}{rng.randrange(10**8):08d}"


def _birth(rng: random.Random, today: date, min_age: int, max_age: int) -> date:
    age_days = rng.randint(min_age * 365 + 30, max_age * 365 - 30)
    return today - timedelta(days=age_days)


def _education(rng: random.Random, retired: bool) -> str:
    if retired:
        return rng.choices(["21", "22", "41", "61", "71"], [30, 30, 15, 15, 10])[0]
    return rng.choices(["11", "12", "21", "2B", "22", "41", "61"], [2, 18, 55, 5, 14, 3, 3])[0]


def _job(rng: random.Random, unit: Unit) -> str:
    if unit.nature == "ORGAN":
        return rng.choices(["111", "116"], [92, 8])[0]
    return rng.choices(["112", "113", "116"], [30, 62, 8])[0]


def _build_orgs(rng: random.Random, n_members: int, today: date) -> tuple:
    n_units = 150 if n_members >= 5000 else max(12, n_members // 60)
    n_units = max(n_units, round(n_members / 67))
    n_branches = max(8, round(n_members / 25))
    names = unit_names(n_units)
    units = []
    for i, name in enumerate(names):
        unit = Unit(
            name=name,
            short_name=name.removeprefix("区")[:20],
            nature="ORGAN" if i < 60 else "PUBLIC_INSTITUTION",
            credit_code=f"11500101{i:09d}X"[:18],
            staff_count=0,
        )
        unit.name_pinyin = pinyin.full_pinyin(name)
        units.append(unit)
    Unit.objects.bulk_create(units, batch_size=BATCH)

    party = _TreeBuilder(PartyOrg)
    union = _TreeBuilder(UnionOrg)
    established = date(2008, 3, 1)
    root = party.node(None, name="中共万州区区直机关工作委员会", short_name="区直机关党工委", code="DGW",
                      kind=PartyOrg.WORKING_COMMITTEE, category_code="611", unit_relation="LEGAL_ENTITY", established_on=established)  # fmt: skip
    union_root = union.node(None, name="万州区区直机关工会工作委员会", short_name="区直机关工会工委", code="GHGW",
                            kind=UnionOrg.WORKING_COMMITTEE, established_on=established)  # fmt: skip
    party_nodes, union_nodes = [root], [union_root]
    n_committees = max(1, n_units // 15)
    n_general = max(1, n_units // 7)
    per_rest = max(1.0, (n_branches - 15 * n_committees - 5 * n_general) / max(1, n_units - n_committees - n_general))
    branches, committees, unit_party = [], [], {}
    carry = 0.0
    for i, unit in enumerate(units):
        short = unit.name.removeprefix("区")
        if i < n_committees:
            top = party.node(root, name=f"中共{unit.name}机关委员会", short_name=f"{short}机关党委", code=f"P{i + 1:05d}",
                             kind=PartyOrg.COMMITTEE, category_code="611", unit=unit, established_on=established)  # fmt: skip
            committees.append(top)
            count = 15
        elif i < n_committees + n_general:
            top = party.node(root, name=f"中共{unit.name}机关总支部委员会", short_name=f"{short}机关总支", code=f"P{i + 1:05d}",
                             kind=PartyOrg.GENERAL_BRANCH, category_code="621", unit=unit, established_on=established)  # fmt: skip
            committees.append(top)
            count = 5
        else:
            top = root
            carry += per_rest
            count = max(1, int(carry))
            carry -= count
        if top is not root:
            party_nodes.append(top)
        for b in range(count):
            suffix = f"第{b + 1}支部" if count > 1 else "支部"
            branch = party.node(top, name=f"中共{unit.name}机关{suffix}委员会" if count > 1 else f"中共{unit.name}机关支部委员会",
                                short_name=f"{short}{suffix}", code=f"P{i + 1:05d}{b + 1:03d}",
                                kind=PartyOrg.BRANCH, category_code="631", unit=unit,
                                unit_relation="SAME_AS_PARENT" if top is not root else "LEGAL_ENTITY", established_on=established)  # fmt: skip
            branches.append(branch)
            party_nodes.append(branch)
        unit_party[unit.name] = top if top is not root else branches[-1]
    party.save(party_nodes)

    unions = []
    for i, unit in enumerate(units):
        u = union.node(union_root, name=f"{unit.name}工会委员会", short_name=f"{unit.name.removeprefix('区')}工会",
                       code=f"U{i + 1:05d}", kind=UnionOrg.GRASSROOTS, unit=unit, established_on=established)  # fmt: skip
        unions.append(u)
        union_nodes.append(u)
    union.save(union_nodes)
    for unit, u in zip(units, unions, strict=True):
        unit.party_org = unit_party[unit.name]
        unit.union_org = u
    Unit.objects.bulk_update(units, ["party_org", "union_org"], batch_size=BATCH)
    return units, root, union_root, branches, committees, unions


def _create_people(rng, today, units, branches, unions, n_members):
    """Persons, party members (staff and retirees, spread over the party groups) and union
    members, in batches: unsaved rows built with ``core.bulk.build`` and inserted with
    ``insert_rows`` (COPY on PostgreSQL) — what makes a 1,000,000-member district fast."""
    used_ids: set = set()
    unit_union = {u.unit_id: u for u in unions}
    # branch sizes: mostly 10–40, a few tiny (ORG-01) and a few oversized (ORG-02)
    weights = [
        rng.choices([2, rng.randint(8, 20), rng.randint(20, 40), rng.randint(52, 58)], [3, 40, 54, 3])[0]
        for _ in branches
    ]
    n_staff_party = int(n_members * 0.9)
    n_non_party = int(n_members * 0.6)
    branch_of = rng.choices(branches, weights, k=n_members)
    groups_of = _party_groups(branches, Counter(b.pk for b in branch_of))
    placed: dict[int, int] = {}  # members so far per branch: the next one goes to group n % k
    unit_weights = [1 + rng.random() for _ in units]
    staff_units = rng.choices(units, unit_weights, k=n_non_party)
    plan = [("party", b) for b in branch_of[:n_staff_party]]
    plan += [("retired", b) for b in branch_of[n_staff_party:]]
    plan += [("staff", u) for u in staff_units]
    unit_by_id = {u.pk: u for u in units}
    staff_counts: dict[int, int] = {}
    totals = {"persons": 0, "party": 0, "union": 0, "groups": sum(len(g) for g in groups_of.values())}
    now = timezone.now()
    streets = ["高笋塘", "太白", "牌楼", "钟鼓楼", "百安坝", "周家坝", "双河口", "龙都"]
    positions = ["科员", "科员", "副科长", "科长", "主任科员", "办事员", "专业技术人员"]
    ranks = ["一级科员", "四级主任科员", "二级主任科员", "三级调研员", "一级主任科员", ""]
    minorities = ["土家族", "苗族", "回族", "满族", "彝族"]
    for start in range(0, len(plan), BATCH * 4):
        chunk = plan[start : start + BATCH * 4]
        persons, meta = [], []
        for kind, target in chunk:
            unit = unit_by_id[target.unit_id] if kind != "staff" else target
            gender = "M" if rng.random() < 0.56 else "F"
            retired = kind == "retired"
            birth = _birth(rng, today, 61, 88) if retired else _birth(rng, today, 23, 59)
            name = person_name(rng, gender)
            number = _id_number(rng, birth, gender, used_ids)
            phone = _phone(rng)
            name_pinyin, name_initials = pinyin.name_keys(name)
            persons.append(
                build(
                    Person,
                    name=name,
                    name_pinyin=name_pinyin,
                    name_initials=name_initials,
                    gender=gender,
                    ethnicity="汉族" if rng.random() < 0.93 else rng.choice(minorities),
                    birth_date=birth,
                    id_number_enc=crypto.encrypt(number),
                    id_number_hash=crypto.lookup_hash(number),
                    id_number_masked=crypto.mask_id_number(number),
                    id_last4=number[-4:],
                    phone_enc=crypto.encrypt(phone),
                    phone_hash=crypto.lookup_hash(phone),
                    phone_masked=crypto.mask_phone(phone),
                    education=_education(rng, retired),
                    job_code="5" if retired else _job(rng, unit),
                    unit_id=unit.pk,
                    position="退休" if retired else rng.choice(positions),
                    rank="" if retired else rng.choice(ranks),
                    address=f"重庆市万州区{rng.choice(streets)}街道{rng.randint(1, 300)}号",
                    created_at=now,
                    updated_at=now,
                )
            )
            meta.append((kind, target, unit, birth))
        insert_rows(Person, persons)
        members, union_members = [], []
        for p, (kind, target, unit, birth) in zip(persons, meta, strict=True):
            if kind in ("party", "retired"):
                earliest = max(add_years(birth, 19), date(1960, 1, 1))
                latest = min(add_years(birth, 45), today - timedelta(days=30))
                probationary = kind == "party" and rng.random() < 0.03
                if probationary:
                    admitted = today - timedelta(days=rng.randint(20, 360))
                else:
                    admitted = earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
                    if admitted > today - timedelta(days=400):
                        admitted = today - timedelta(days=400 + rng.randint(0, 2000))
                groups = groups_of.get(target.pk)
                n = placed.get(target.pk, 0)
                placed[target.pk] = n + 1
                fields = dict(
                    person_id=p.pk,
                    status=PartyMember.PROBATIONARY if probationary else PartyMember.FULL,
                    branch_id=target.pk,
                    group_id=groups[n % len(groups)] if groups else None,
                    admitted_on=admitted,
                    full_member_on=None if probationary else add_years(admitted, 1),
                    joined_org_on=admitted,
                    is_floating=rng.random() < 0.01,
                    is_lost=rng.random() < 0.002,
                )
                if fields["is_floating"]:
                    fields["floating_since"] = today - timedelta(days=rng.randint(30, 900))
                    fields["floating_province"], fields["floating_city"] = rng.choice(
                        [("广东省", "深圳市"), ("四川省", "成都市"), ("浙江省", "杭州市")]
                    )
                if fields["is_lost"]:
                    fields["lost_since"] = (today - timedelta(days=rng.randint(200, 3000))).replace(day=1)
                members.append(build(PartyMember, **fields))
            if kind != "retired":
                joined = add_years(birth, 23) + timedelta(days=rng.randint(0, 400))
                union_members.append(
                    build(UnionMember, person_id=p.pk, union_org_id=unit_union[unit.pk].pk,
                          joined_on=min(joined, today), card_no=f"GH{p.pk:08d}")
                )  # fmt: skip
                staff_counts[unit.pk] = staff_counts.get(unit.pk, 0) + 1
        insert_rows(PartyMember, members)
        insert_rows(UnionMember, union_members)
        totals["persons"] += len(persons)
        totals["party"] += len(members)
        totals["union"] += len(union_members)
    for unit in units:
        # a few staff are not union members, so membership rates differ (UNION-11)
        unit.staff_count = int(staff_counts.get(unit.pk, 0) * (1 + rng.choice([0.0, 0.02, 0.05, 0.15])))
    Unit.objects.bulk_update(units, ["staff_count"], batch_size=BATCH)
    return totals


def _party_groups(branches, sizes: Counter) -> dict[int, list[int]]:
    """党小组 for branches of more than 15 members (2, or 3 above 30): branch id → group ids."""
    builder = _TreeBuilder(PartyOrg)
    groups, assign = [], []
    for branch in branches:
        n = sizes.get(branch.pk, 0)
        if n <= 15:
            continue
        builder.children[branch.path] = 0
        k = 2 if n <= 30 else 3
        mine = [builder.node(branch, name=f"第{i + 1}党小组", short_name=f"第{i + 1}党小组", code=f"{branch.code}G{i + 1}",
                             kind=PartyOrg.GROUP, category_code="641", unit_id=branch.unit_id,
                             unit_relation="SAME_AS_PARENT", established_on=branch.established_on) for i in range(k)]  # fmt: skip
        groups.extend(mine)
        assign.append((branch, mine))
    PartyOrg.objects.bulk_create(groups, batch_size=BATCH)
    for branch, _ in assign:
        branch.numchild = builder.children[branch.path]
    PartyOrg.objects.bulk_update([b for b, _ in assign], ["numchild"], batch_size=BATCH)
    return {branch.pk: [g.pk for g in mine] for branch, mine in assign}


def _officers_and_terms(rng, today, branches, committees, unions) -> tuple[int, int]:
    officers, terms = [], []
    full = {}
    for branch_id, person_id in (
        PartyMember.objects.filter(status=PartyMember.FULL, person__job_code__in=["111", "112", "113", "116"])
        .order_by("branch_id", "-person__birth_date")
        .values_list("branch_id", "person_id")
    ):
        full.setdefault(branch_id, []).append(person_id)
    roles_small = [OrgOfficer.SECRETARY]
    roles_committee = [
        OrgOfficer.SECRETARY,
        OrgOfficer.ORGANISER,
        OrgOfficer.PUBLICITY,
        OrgOfficer.DEPUTY_SECRETARY,
        OrgOfficer.DISCIPLINE,
    ]
    first_branch_of = {}
    for b in branches:
        first_branch_of.setdefault(b.path[: -PartyOrg.steplen], b)
    for org in [*committees, *branches]:
        source = org if org.kind == PartyOrg.BRANCH else first_branch_of.get(org.path, org)
        people = full.get(source.pk, [])
        if not people:
            continue
        # Term start: most recent, some overdue (TERM-02), some due soon (TERM-03).
        roll = rng.random()
        length = term_length_years(org.kind)
        if roll < 0.12:
            start = add_years(today, -length) - timedelta(days=rng.randint(20, 300))  # overdue
        elif roll < 0.25:
            start = add_years(today, -length) + timedelta(days=rng.randint(10, 170))  # ends within 6 months
        else:
            start = today - timedelta(days=rng.randint(60, length * 365 - 200))
        planned_end = add_years(start, length)
        terms.append(Term(org=org, number=rng.randint(2, 6), started_on=start, length_years=length, planned_end_on=planned_end,
                          next_due_on=planned_end))  # fmt: skip
        roles = roles_committee[: rng.randint(3, 5)] if len(people) >= 7 else roles_small[:1]
        for role, person_id in zip(roles, people, strict=False):
            officers.append(OrgOfficer(party_org=org, person_id=person_id, role=role, started_on=start))
    union_people = {}
    for union_id, person_id in UnionMember.objects.order_by("union_org_id", "id").values_list(
        "union_org_id", "person_id"
    ):
        union_people.setdefault(union_id, []).append(person_id)
    for u in unions:
        people = union_people.get(u.pk, [])
        for role, person_id in zip([OrgOfficer.UNION_CHAIR, OrgOfficer.UNION_VICE_CHAIR], people[1:3], strict=False):
            officers.append(
                OrgOfficer(
                    union_org=u,
                    person_id=person_id,
                    role=role,
                    started_on=today - timedelta(days=rng.randint(100, 1500)),
                )
            )
    Term.objects.bulk_create(terms, batch_size=BATCH)
    OrgOfficer.objects.bulk_create(officers, batch_size=BATCH)
    return len(officers), len(terms)


def _users(district: District) -> None:
    password = make_password(DEMO_PASSWORD)
    secretary = (
        OrgOfficer.objects.filter(role=OrgOfficer.SECRETARY, party_org__kind=PartyOrg.BRANCH, party_org__numchild__gt=0)
        .select_related("party_org", "person")
        .order_by("party_org__path")
        .first()
    ) or OrgOfficer.objects.filter(role=OrgOfficer.SECRETARY, party_org__kind=PartyOrg.BRANCH).select_related(
        "party_org", "person"
    ).first()
    chair = (
        OrgOfficer.objects.filter(role=OrgOfficer.UNION_CHAIR)
        .select_related("union_org", "person")
        .order_by("union_org__path")
        .first()
    )
    member = (
        PartyMember.objects.filter(branch=secretary.party_org, status=PartyMember.FULL)
        .exclude(person=secretary.person)
        .select_related("person")
        .order_by("id")
        .first()
    )
    specs = [
        ("gwadmin", "工委管理员", "区直机关党工委组织科", None, Grant.DISTRICT_ADMIN, district.party_root, None),
        ("zbsj", "支部书记", secretary.person.name, secretary.person, Grant.PARTY_ADMIN, secretary.party_org, None),
        ("ghzx", "工会主席", chair.person.name, chair.person, Grant.UNION_ADMIN, None, chair.union_org),
        ("dangyuan", "党员", member.person.name, member.person, Grant.MEMBER, None, None),
    ]
    for username, label, display, person, role, party_org, union_org in specs:
        user = User.objects.create(username=username, display_name=display, person=person, password=password)
        Grant.objects.create(user=user, role=role, party_org=party_org, union_org=union_org)
        district.users[username] = user
        org = party_org or union_org
        district.logins.append((label, username, f"{display}（{org.name if org else '本人'}）"))


def generate(*, members: int, today: date, seed: int = 2026, extend: bool = True, log=print) -> District:
    rng = random.Random(seed)
    with transaction.atomic():
        units, root, union_root, branches, committees, unions = _build_orgs(rng, members, today)
        log(
            f"组织：{len(units)} 个单位，{len(branches)} 个党支部，{len(committees)} 个党委/总支，{len(unions)} 个基层工会"
        )
        totals = _create_people(rng, today, units, branches, unions, members)
        n_groups = totals["groups"]
        log(f"人员：{totals['persons']} 人，党员 {totals['party']} 名，工会会员 {totals['union']} 名")
        n_officers, n_terms = _officers_and_terms(rng, today, branches, committees, unions)
        _transfers(rng, today, branches)
        log(f"党小组 {n_groups} 个，班子成员 {n_officers} 人，任期 {n_terms} 个")
        district = District(today=today, rng=rng, party_root=root, union_root=union_root, units=units,
                            branches=branches, committees=committees, unions=unions)  # fmt: skip
        _users(district)
        audit.record(actor=None, action="core.demo.generate", object_type="core.demo", object_repr="演示数据",
                     after={"members": members, "seed": seed, "today": today.isoformat()})  # fmt: skip
    if extend:
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo_content")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo_content":
                    raise
                continue
            with transaction.atomic():
                log(module.extend(district))
    return district


def _transfers(rng, today, branches) -> None:
    """A little 组织关系转接 history: 1 % of members moved once between branches."""
    moved = list(
        PartyMember.objects.filter(status=PartyMember.FULL)
        .order_by("id")
        .values_list("id", "branch_id", "admitted_on")[::100]
    )
    rows = []
    for member_id, branch_id, admitted in moved:
        source = rng.choice(branches)
        if source.pk == branch_id:
            continue
        on = admitted + timedelta(days=rng.randint(400, max(401, (today - admitted).days - 1)))
        if on >= today:
            continue
        rows.append(
            Transfer(
                member_id=member_id,
                kind=Transfer.INTERNAL,
                from_branch=source,
                to_branch_id=branch_id,
                transferred_on=on,
            )
        )
    Transfer.objects.bulk_create(rows, batch_size=BATCH)
