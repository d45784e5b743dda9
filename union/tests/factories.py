"""Test data for the union and dues apps, built on core.testing's small district."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounts.models import Grant
from core.testing import TODAY, union_member, user_with_grant
from dues.models import PARTY, UNION, PayBase
from dues.services import roll_compute


def root_union_admin(district):
    """The 工会工委 administrator: UNION_ADMIN on the union root."""
    return user_with_grant("ghgw", Grant.UNION_ADMIN, union_org=district.union_root)


def members_of(union, names: list[str]) -> list:
    return [union_member(union, name) for name in names]


def pay_base(person, amount: str, *, scheme: str = PARTY, kind: str = "salary", start: date = date(2026, 1, 1)):
    return PayBase.objects.create(person=person, scheme=scheme, kind=kind, effective_from=start, amount=Decimal(amount))


def party_roll(district, month: date, by=None):
    return roll_compute(by=by or district.district_admin, scheme=PARTY, month=month, today=TODAY)


def union_roll(district, month: date, by=None):
    return roll_compute(by=by or district.district_admin, scheme=UNION, month=month, today=TODAY)


__all__ = ["TODAY", "UNION", "PARTY"]


def populate(district, n: int = 3) -> dict:
    """Records on every union and dues page, ``n`` members deep, all in union_a / branch_a."""
    from core.testing import party_member
    from core.testing import person as make_person
    from dues import services as dues_services
    from dues.models import DuesLine
    from people.models import UnionMember
    from union import rules, services
    from union.models import Disclosure, WelfareGrant, WorkersHome

    admin, root = district.union_admin, root_union_admin(district)
    own = UnionMember.objects.create(person=district.member_a.person, union_org=district.union_a,
                                     joined_on=date(2015, 1, 1), card_no="GH00000001")  # fmt: skip
    members = [own, *members_of(district.union_a, [f"会员{i}" for i in range(n)])]
    for i in range(n):
        pay_base(party_member(district.branch_a, f"党员{i}").person, "4000")
    pay_base(district.member_a.person, "4000")
    for m in members:
        pay_base(m.person, "3000", scheme=UNION)
    month = date(2026, 3, 1)
    party_roll(district, month)
    union_roll(district, month)
    dues_services.payment_record(by=district.district_admin, person=district.member_a.person, scheme=PARTY,
                                 months=[month], amount="40", paid_on=date(2026, 3, 5), today=TODAY)  # fmt: skip
    case = services.case_open(by=admin, member=members[1], data={"household_size": 3, "annual_income": "20000"},
                              applied_on=date(2026, 1, 1), today=TODAY)  # fmt: skip
    services.visit_add(by=admin, case=case, visited_on=date(2026, 1, 2), visitors="主席", findings="属实", today=TODAY)
    grant, _ = services.welfare_grant_record(
        by=admin, union_org=district.union_a, members=members, category=WelfareGrant.FESTIVAL, gift_kind=rules.GOODS,
        amount="300", granted_on=date(2026, 9, 20), title="中秋节慰问品", festival="中秋节", today=TODAY,
    )  # fmt: skip
    session = services.session_create(by=admin, union_org=district.union_a, title="职代会", held_on=date(2026, 3, 1),
                                      term_number=1, session_number=1, today=TODAY)  # fmt: skip
    services.delegates_add(by=admin, session=session, members=members)
    motion = None
    for i in range(n):
        motion = services.motion_submit(by=admin, session=session, proposer=session.delegates.first(),
                                        title=f"提案{i}", content="内容")  # fmt: skip
    disclosure = Disclosure(union_org=district.union_a, category="FINANCE", title="经费公开", body="内容")
    services.disclosure_save(by=admin, disclosure=disclosure, publish=True, today=TODAY)
    home_round = services.round_create(by=root, year=2026, today=TODAY)
    home = WorkersHome.objects.get(round=home_round, union_org=district.union_a)
    worker = make_person("申请人", unit=district.unit_a)
    application = services.application_submit(by=admin, person=worker, union_org=district.union_a, applied_on=TODAY,
                                              today=TODAY)  # fmt: skip
    reduction = dues_services.reduction_apply(
        by=district.district_admin, person=district.member_a.person, kind="EXEMPT", from_month=month, to_month=month,
        reason="困难", applied_on=date(2026, 2, 1), today=TODAY,
    )  # fmt: skip
    line = DuesLine.objects.filter(payment__isnull=True, scheme=PARTY, roll__party_org=district.branch_a).first()
    return {
        "root": root,
        "member": members[1],
        "own": own,
        "case": case,
        "grant": grant,
        "session": session,
        "motion": motion,
        "disclosure": disclosure,
        "round": home_round,
        "home": home,
        "application": application,
        "reduction": reduction,
        "line": line,
        "union": district.union_a,
    }
