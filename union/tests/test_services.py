"""Union services through the real writes: membership, hardship, welfare, congress,
openness, workers' home, and the union-owned settings. Each test names its rule."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Grant
from core.models import AuditEntry, RuleSettingValue
from core.testing import TODAY, person, union_member, user_with_grant
from people.models import UnionMember
from union import policies, rules, selectors, services
from union.models import (
    AssistanceCase,
    HomeRound,
    MembershipApplication,
    MembershipChange,
    Motion,
    WelfareGrant,
    WelfareGrantLine,
    WorkersHome,
)
from union.tests.factories import members_of, root_union_admin

pytestmark = pytest.mark.django_db
D = Decimal


# ------------------------------------------------------------ membership (point 1)


def test_worker_applies_union_approves_member_gets_card(district):
    worker = person("周新人", unit=district.unit_a)
    user = user_with_grant("zxr", Grant.MEMBER, person_obj=worker)
    application = services.application_submit(by=user, person=worker, union_org=district.union_a,
                                              applied_on=TODAY, today=TODAY)  # fmt: skip
    with pytest.raises(ValidationError, match="待审批"):
        services.application_submit(by=user, person=worker, union_org=district.union_a, applied_on=TODAY, today=TODAY)
    with pytest.raises(PermissionDenied):  # another union's administrator
        b_admin = user_with_grant("gh_b", Grant.UNION_ADMIN, union_org=district.union_b)
        services.application_decide(by=b_admin, application=application, approve=True, decided_on=TODAY, today=TODAY)
    services.application_decide(by=district.union_admin, application=application, approve=True, decided_on=TODAY,
                                today=TODAY)  # fmt: skip
    member = UnionMember.objects.get(person=worker)
    assert member.union_org == district.union_a and member.joined_on == TODAY
    assert member.card_no == f"GH{worker.pk:08d}"
    assert MembershipChange.objects.filter(member=member, kind=MembershipChange.JOIN).exists()
    assert application.status == MembershipApplication.APPROVED


def test_rejection_needs_a_reason(district):
    worker = person("周新人", unit=district.unit_a)
    application = services.application_submit(by=district.union_admin, person=worker, union_org=district.union_a,
                                              applied_on=TODAY, today=TODAY)  # fmt: skip
    with pytest.raises(ValidationError, match="审批意见"):
        services.application_decide(by=district.union_admin, application=application, approve=False,
                                    decided_on=TODAY, today=TODAY)  # fmt: skip
    assert not UnionMember.objects.filter(person=worker).exists()


def test_transfer_between_unions_then_leave(district):
    (member,) = members_of(district.union_a, ["会员甲"])
    services.member_transfer(by=district.union_admin, member=member, to_union=district.union_b, on=TODAY, today=TODAY)
    member.refresh_from_db()
    assert member.union_org == district.union_b
    with pytest.raises(PermissionDenied):  # the sending union no longer administers him
        services.member_leave(by=district.union_admin, member=member, on=TODAY, reason="RETIRED", today=TODAY)
    services.member_leave(by=root_union_admin(district), member=member, on=TODAY, reason="RETIRED", today=TODAY)
    member.refresh_from_db()
    assert member.left_on == TODAY
    kinds = list(MembershipChange.objects.filter(member=member).values_list("kind", flat=True))
    assert sorted(kinds) == ["LEAVE", "TRANSFER"]


def test_transfer_to_same_union_or_future_date_refused(district):
    (member,) = members_of(district.union_a, ["会员甲"])
    with pytest.raises(ValidationError):
        services.member_transfer(
            by=district.union_admin, member=member, to_union=district.union_a, on=TODAY, today=TODAY
        )
    with pytest.raises(ValidationError):
        services.member_transfer(by=district.union_admin, member=member, to_union=district.union_b,
                                 on=date(2026, 12, 1), today=TODAY)  # fmt: skip
    member.refresh_from_db()
    assert member.union_org == district.union_a


def test_union11_membership_rate_members_over_staff(district):
    members_of(district.union_a, [f"会员{i}" for i in range(18)])  # unit_a has 20 staff
    rows = {r.union.pk: r for r in selectors.membership_rates(user=district.district_admin)}
    assert rows[district.union_a.pk].rate == D("90.00")
    assert rows[district.union_root.pk].members == 18 and rows[district.union_root.pk].staff == 40
    assert rows[district.union_b.pk].rate == D("0.00")


# ------------------------------------------------------------ hardship (UNION-07…09)


def _case(district, size=3, income="30000.00", rigid="1200.00", **extra):
    (member,) = members_of(district.union_a, ["困难甲"])
    data = {"household_size": size, "annual_income": income, "rigid_expenses": rigid, **extra}
    return services.case_open(by=district.union_admin, member=member, data=data, applied_on=date(2026, 1, 5),
                              today=TODAY)  # fmt: skip


@pytest.mark.parametrize(
    ("income", "category"),
    [("28800.00", "RELATIVE"), ("28799.64", "DEEP"), ("57600.00", ""), ("57599.64", "RELATIVE")],
)  # per capita = income / 12 / 3: 800.00 is not below the 800 line; 799.99 is
def test_union07_category_boundaries_through_the_service(district, income, category):
    case = _case(district, income=income, rigid="0")
    assert case.category == category


def test_union08_accident_category_when_income_is_not_low(district):
    case = _case(district, income="100000", rigid="0", accident_costs="80000.01")
    assert case.category == AssistanceCase.ACCIDENT
    AssistanceCase.objects.all().delete()
    assert _case(district, income="100000", rigid="0", accident_costs="80000.00").category == ""


@pytest.mark.parametrize("size", [0, -1, None])
def test_household_size_zero_refused_nothing_saved(district, size):
    with pytest.raises(ValidationError) as info:
        _case(district, size=size)
    assert "household_size" in info.value.message_dict
    assert not AssistanceCase.objects.exists()


def test_union09_workflow_order_visits_aids_recheck_and_exit(district):
    case = _case(district)
    admin = district.union_admin
    with pytest.raises(ValidationError, match="走访"):
        services.case_transition(by=admin, case=case, to_state=rules.VERIFIED, on=date(2026, 1, 10), today=TODAY)
    with pytest.raises(ValidationError, match="只能转为"):
        services.case_transition(by=admin, case=case, to_state=rules.FILED, on=date(2026, 1, 10), today=TODAY)
    services.visit_add(by=admin, case=case, visited_on=date(2026, 1, 9), visitors="主席", findings="属实", today=TODAY)
    for state, day in ((rules.VERIFIED, 10), (rules.REVIEWED, 15), (rules.FILED, 20)):
        services.case_transition(by=admin, case=case, to_state=state, on=date(2026, 1, day), today=TODAY)
    assert case.recheck_due_on == date(2027, 1, 20)
    with pytest.raises(ValidationError, match="大于0|有效"):
        services.aid_add(by=admin, case=case, kind="MONEY", amount="0", source="UPPER", given_on=date(2026, 2, 1),
                         today=TODAY)  # fmt: skip
    services.aid_add(by=admin, case=case, kind="MONEY", amount="3000.00", source="UPPER", given_on=date(2026, 2, 1),
                     today=TODAY)  # fmt: skip
    assert case.state == rules.AIDED
    services.case_recheck(by=admin, case=case, data={"household_size": 3, "annual_income": "90000", "rigid_expenses": "0"},
                          on=date(2026, 11, 1), today=TODAY)  # fmt: skip
    assert case.state == rules.RECHECKED and case.category == ""  # no longer qualifies
    services.case_transition(by=admin, case=case, to_state=rules.RESOLVED, on=TODAY, note="已解困", today=TODAY)
    assert not case.is_open and case.recheck_due_on is None
    assert [s.state for s in case.steps.all()] == ["APPLIED", "VERIFIED", "REVIEWED", "FILED", "AIDED", "RECHECKED",
                                                  "RESOLVED"]  # fmt: skip


def test_union09_filing_refused_without_category(district):
    case = _case(district, income="150000", rigid="0")
    services.visit_add(by=district.union_admin, case=case, visited_on=date(2026, 1, 9), visitors="a", findings="b",
                       today=TODAY)  # fmt: skip
    services.case_transition(
        by=district.union_admin, case=case, to_state=rules.VERIFIED, on=date(2026, 1, 10), today=TODAY
    )
    services.case_transition(
        by=district.union_admin, case=case, to_state=rules.REVIEWED, on=date(2026, 1, 11), today=TODAY
    )
    with pytest.raises(ValidationError, match="不符合困难职工认定条件"):
        services.case_transition(by=district.union_admin, case=case, to_state=rules.FILED, on=date(2026, 1, 12),
                                 today=TODAY)  # fmt: skip


def test_union09_overdue_recheck_counted_in_register(district):
    case = _case(district)
    AssistanceCase.objects.filter(pk=case.pk).update(state=rules.AIDED, filed_on=date(2025, 10, 1),
                                                     recheck_due_on=date(2026, 10, 1))  # fmt: skip
    counts = selectors.case_register_counts(user=district.union_admin, today=TODAY)
    assert counts["overdue"] == 1 and counts["relative"] + counts["deep"] == 1


def test_hardship_case_is_confidential(district):
    case = _case(district)
    owner_person = union_member(district.union_a, "经办人").person
    owner = user_with_grant("jbr", Grant.MEMBER, person_obj=owner_person)
    b_admin = user_with_grant("gh_b", Grant.UNION_ADMIN, union_org=district.union_b)
    visible = lambda user: policies.cases.queryset(user).filter(pk=case.pk).exists()  # noqa: E731
    assert visible(district.union_admin) and visible(root_union_admin(district))
    assert not visible(b_admin) and not visible(owner) and not visible(district.secretary_a)
    assert not visible(district.member_user)
    case.owner = owner_person
    case.save()
    assert visible(owner)
    assert not policies.cases.may(owner, policies.DECIDE, case)  # the owner records, the union decides


# ------------------------------------------------------------ welfare (UNION-03…06)


def _grant(
    district, members, amount, *, festival="中秋节", gift_kind="goods", allow_partial=False, on=date(2026, 9, 20)
):
    return services.welfare_grant_record(
        by=district.union_admin, union_org=district.union_a, members=members, category=WelfareGrant.FESTIVAL,
        gift_kind=gift_kind, amount=amount, granted_on=on, title=f"{festival}慰问品", festival=festival,
        allow_partial=allow_partial, today=TODAY,
    )  # fmt: skip


def test_union05_grant_landing_exactly_on_the_cap_is_allowed(district):
    a, b = members_of(district.union_a, ["会员甲", "会员乙"])
    _grant(district, [a], "800.00", festival="春节", on=date(2026, 2, 1))
    grant, check = _grant(district, [a, b], "400.00")
    assert grant.member_count == 2 and grant.total == D("800.00")
    assert check.members[0].remaining == D("400.00")
    total = sum(WelfareGrantLine.objects.filter(person=a.person, year=2026).values_list("amount", flat=True))
    assert total == D("1200.00")


def test_union05_one_fen_over_the_cap_refused_with_remaining_and_nothing_saved(district):
    a, b = members_of(district.union_a, ["会员甲", "会员乙"])
    _grant(district, [a], "800.00", festival="春节", on=date(2026, 2, 1))
    with pytest.raises(services.GrantRefused) as info:
        _grant(district, [a, b], "400.01")
    refused = info.value.check.refused_members
    assert [m.member.person.name for m in refused] == ["会员甲"]
    assert refused[0].remaining == D("400.00")
    assert "剩余额度400.00元" in refused[0].findings[0].message
    assert WelfareGrant.objects.count() == 1  # all or nothing: b got nothing either


def test_union05_chair_confirms_the_grant_for_the_others(district):
    a, b = members_of(district.union_a, ["会员甲", "会员乙"])
    _grant(district, [a], "1000.00", festival="春节", on=date(2026, 2, 1))
    grant, _ = _grant(district, [a, b], "400.00", allow_partial=True)
    assert grant.member_count == 1 and grant.total == D("400.00")
    assert grant.refused[0]["name"] == "会员甲" and grant.refused[0]["remaining"] == "200.00"
    assert not grant.lines.filter(member=a).exists()


def test_union05_cap_follows_the_setting(district):
    (a,) = members_of(district.union_a, ["会员甲"])
    RuleSettingValue.objects.create(key="UNION_FESTIVAL_ANNUAL_CAP", value="1800.00")
    grant, _ = _grant(district, [a], "1800.00")
    assert grant.total == D("1800.00")


@pytest.mark.parametrize(("festival", "gift", "rule"), [("三八妇女节", "goods", "UNION-03"), ("圣诞节", "goods", "UNION-03"),
                                                         ("中秋节", "cash", "UNION-04"), ("春节", "card", "UNION-04")])  # fmt: skip
def test_union03_04_festival_and_form_refused_whole(district, festival, gift, rule):
    (a,) = members_of(district.union_a, ["会员甲"])
    with pytest.raises(services.GrantRefused) as info:
        _grant(district, [a], "100", festival=festival, gift_kind=gift)
    assert any(f.rule == rule for f in info.value.check.grant_findings)
    assert not WelfareGrant.objects.exists()


@pytest.mark.parametrize(("event", "amount", "ok"), [("wedding", "1000.00", True), ("wedding", "1000.01", False),
                                                      ("birthday", "300.00", True), ("birthday", "300.01", False)])  # fmt: skip
def test_union06_care_caps(district, event, amount, ok):
    (a,) = members_of(district.union_a, ["会员甲"])
    kwargs = dict(by=district.union_admin, union_org=district.union_a, members=[a], category=WelfareGrant.CARE,
                  gift_kind="cake" if event == "birthday" else "goods", amount=amount, granted_on=TODAY,
                  title="慰问", event=event, today=TODAY)  # fmt: skip
    if ok:
        grant, _ = services.welfare_grant_record(**kwargs)
        assert grant.total == D(amount)
    else:
        with pytest.raises(services.GrantRefused, match="UNION-06|超过每次"):
            services.welfare_grant_record(**kwargs)


def test_grant_to_member_of_another_union_refused(district):
    (b,) = members_of(district.union_b, ["会员乙"])
    with pytest.raises(ValidationError, match="不是本工会在册会员"):
        _grant(district, [b], "100")


def test_welfare_summary_reconciles_per_union_and_member(district):
    a, b = members_of(district.union_a, ["会员甲", "会员乙"])
    (c,) = members_of(district.union_b, ["会员丙"])
    _grant(district, [a, b], "300.00", festival="春节", on=date(2026, 2, 1))
    services.welfare_grant_record(by=district.district_admin, union_org=district.union_b, members=[c],
                                  category=WelfareGrant.CARE, gift_kind="cash", amount="500.50", granted_on=TODAY,
                                  title="住院慰问", event="illness", today=TODAY)  # fmt: skip
    rows, total = selectors.welfare_summary(user=district.district_admin, year=2026)
    by_union = {r.union.pk: r for r in rows}
    assert by_union[district.union_a.pk].festival == D("600.00") and by_union[district.union_a.pk].per_member == D(
        "300.00"
    )
    assert by_union[district.union_b.pk].care == D("500.50")
    assert total.total == D("1100.50") == sum((g.total for g in WelfareGrant.objects.all()), D("0"))
    per_member = {m.person.name: m.festival + m.care for m in selectors.welfare_by_member(
        user=district.union_admin, union=district.union_a, year=2026)}  # fmt: skip
    assert per_member == {"会员甲": D("300.00"), "会员乙": D("300.00")}
    rows, _ = selectors.welfare_summary(user=district.union_admin, year=2026)
    assert [r.union.pk for r in rows] == [district.union_a.pk]  # scoped


# ------------------------------------------------------------ congress and openness (point 5)


def test_congress_motion_handling_and_paper_vote(district):
    members = members_of(district.union_a, ["代表一", "代表二", "代表三", "代表四", "代表五"])
    session = services.session_create(by=district.union_admin, union_org=district.union_a, title="一届一次职代会",
                                      held_on=date(2026, 3, 1), term_number=1, session_number=1, today=TODAY)  # fmt: skip
    assert services.delegates_add(by=district.union_admin, session=session, members=members) == 5
    assert services.delegates_add(by=district.union_admin, session=session, members=members[:2]) == 0
    proposer = session.delegates.first()
    motion = services.motion_submit(by=district.union_admin, session=session, proposer=proposer, title="食堂",
                                    content="改善伙食")  # fmt: skip
    with pytest.raises(ValidationError, match="只能转为"):
        services.motion_advance(by=district.union_admin, motion=motion, to_status=Motion.HANDLED, on=TODAY, today=TODAY)
    services.motion_advance(by=district.union_admin, motion=motion, to_status=Motion.ACCEPTED, on=TODAY, today=TODAY)
    with pytest.raises(ValidationError, match="承办部门"):
        services.motion_advance(
            by=district.union_admin, motion=motion, to_status=Motion.REFERRED, on=TODAY, today=TODAY
        )
    with pytest.raises(ValidationError, match="超过职工代表人数"):
        services.vote_record(by=district.union_admin, motion=motion, voted_on=date(2026, 3, 1), yes=4, no=2, abstain=0,
                             today=TODAY)  # fmt: skip
    vote = services.vote_record(by=district.union_admin, motion=motion, voted_on=date(2026, 3, 1), yes=3, no=1,
                                abstain=1, today=TODAY)  # fmt: skip
    assert vote.passed and vote.entitled == 5
    vote = services.vote_record(by=district.union_admin, motion=motion, voted_on=date(2026, 3, 1), yes=2, no=0,
                                abstain=0, today=TODAY)  # fmt: skip
    assert not vote.passed  # 2 of 5 delegates is not more than half of all delegates


def test_disclosure_published_to_members_of_the_union_and_below(district):
    (member,) = members_of(district.union_a, ["会员甲"])
    from union.models import Disclosure

    draft = Disclosure(union_org=district.union_a, category="FINANCE", title="经费收支", body="...")
    services.disclosure_save(by=district.union_admin, disclosure=draft, publish=False, today=TODAY)
    assert not selectors.published_for(member).exists()
    services.disclosure_save(by=district.union_admin, disclosure=draft, publish=True, today=TODAY)
    root = root_union_admin(district)
    root_item = Disclosure(union_org=district.union_root, category="AFFAIRS", title="通知", body="...")
    services.disclosure_save(by=root, disclosure=root_item, publish=True, today=TODAY)
    other = Disclosure(union_org=district.union_b, category="AFFAIRS", title="乙工会", body="...")
    services.disclosure_save(by=root, disclosure=other, publish=True, today=TODAY)
    assert {d.title for d in selectors.published_for(member)} == {"经费收支", "通知"}


# ------------------------------------------------------------ workers' home (UNION-10/11)


def _full(home_round, factor=D(1)):  # noqa: B008 - an immutable Decimal
    return {c.code: str((c.weight * factor).quantize(D("0.01"))) for c in home_round.criteria.all()}


def test_workers_home_round_self_assessment_review_and_rating(district):
    root = root_union_admin(district)
    with pytest.raises(PermissionDenied):
        services.round_create(by=district.union_admin, year=2026, today=TODAY)
    home_round = services.round_create(by=root, year=2026, today=TODAY)
    assert home_round.criteria.count() == len(rules.DEFAULT_CHECKLIST)
    home = WorkersHome.objects.get(round=home_round, union_org=district.union_a)
    members_of(district.union_a, [f"会员{i}" for i in range(19)])  # 19 of 20 staff = 95 %
    with pytest.raises(ValidationError, match="满意率"):
        services.home_self_assess(by=district.union_admin, home=home, scores=_full(home_round), satisfaction="",
                                  declared_lower_title=False, submit=True, today=TODAY)  # fmt: skip
    services.home_self_assess(by=district.union_admin, home=home, scores=_full(home_round), satisfaction="92",
                              declared_lower_title=False, submit=True, today=TODAY)  # fmt: skip
    with pytest.raises(PermissionDenied):  # the union does not review itself
        services.home_review(by=district.union_admin, home=home, scores=_full(home_round), today=TODAY)
    services.home_review(by=root, home=home, scores=_full(home_round, D("0.95")), today=TODAY)
    assert home.rating == rules.ADVANCED  # rates met, but no lower title yet (UNION-11)
    assert any("下一级" in f["message"] for f in home.findings)
    home.refresh_from_db()
    assert home.review_percent == D("95.00")


def test_workers_home_model_needs_hard_conditions_and_score(district):
    root = root_union_admin(district)
    last = services.round_create(by=root, year=2025, today=TODAY)
    WorkersHome.objects.filter(round=last, union_org=district.union_a).update(rating=rules.ADVANCED,
                                                                               status=WorkersHome.REVIEWED)  # fmt: skip
    HomeRound.objects.filter(pk=last.pk).update(status=HomeRound.CLOSED)
    home_round = services.round_create(by=root, year=2026, today=TODAY)
    home = WorkersHome.objects.get(round=home_round, union_org=district.union_a)
    members_of(district.union_a, [f"会员{i}" for i in range(18)])  # exactly 90 %
    services.home_self_assess(by=district.union_admin, home=home, scores=_full(home_round), satisfaction="90",
                              declared_lower_title=False, submit=True, today=TODAY)  # fmt: skip
    services.home_review(by=root, home=home, scores=_full(home_round, D("0.90")), today=TODAY)
    assert home.rating == rules.MODEL
    UnionMember.objects.filter(union_org=district.union_a).first().delete()  # 17 of 20 = 85 %
    WorkersHome.objects.filter(pk=home.pk).update(status=WorkersHome.SUBMITTED)
    home.refresh_from_db()
    services.home_review(by=root, home=home, scores=_full(home_round, D("0.90")), today=TODAY)
    assert home.rating == rules.NONE and "入会率85.00%" in home.findings[0]["message"]


def test_workers_home_ranking_ties_share_a_rank(district):
    root = root_union_admin(district)
    home_round = services.round_create(by=root, year=2026, today=TODAY)
    WorkersHome.objects.filter(round=home_round).update(status=WorkersHome.REVIEWED, review_total=D("88"))
    ranks = [rank for rank, _ in selectors.ranking(home_round)]
    assert ranks == [1, 1]


def test_criterion_weight_must_be_positive(district):
    root = root_union_admin(district)
    home_round = services.round_create(by=root, year=2026, today=TODAY)
    criterion = home_round.criteria.first()
    criterion.weight = D("0")
    with pytest.raises(ValidationError):
        services.criterion_save(by=root, criterion=criterion)


# ------------------------------------------------------------ settings owned by the union


def test_union_settings_are_listed_and_editable_by_the_union_root_admin_only(client, district):
    from core import rule_settings as rs

    keys = [s.key for s in rs.all_settings() if s.owner == "union"]
    assert {"UNION_FESTIVAL_ANNUAL_CAP", "UNION_LOW_INCOME_LINE", "UNION_MODEL_MEMBERSHIP_RATE"} <= set(keys)
    root = root_union_admin(district)
    client.force_login(root)
    page = client.get(reverse("core:settings")).content.decode()
    for key in keys:
        assert key in page
    assert (
        client.post(reverse("core:settings"), {"key": "UNION_FESTIVAL_ANNUAL_CAP", "value": "1800"}).status_code == 302
    )
    assert rs.value("UNION_FESTIVAL_ANNUAL_CAP") == D("1800.00")
    entry = AuditEntry.objects.get(action="core.setting.update", object_id="UNION_FESTIVAL_ANNUAL_CAP")
    assert entry.before == {"value": "1200.00"} and entry.after == {"value": "1800.00"}
    response = client.post(reverse("core:settings"), {"key": "UNION_FESTIVAL_ANNUAL_CAP", "value": "-5"})
    assert "无效" in response.content.decode()
    assert client.post(reverse("core:settings"), {"key": "DUES_BASE_POLICY", "value": "monthly"}).status_code == 403
    client.force_login(district.union_admin)  # a grassroots union's administrator
    assert client.post(reverse("core:settings"), {"key": "UNION_FESTIVAL_ANNUAL_CAP", "value": "1"}).status_code == 403
    assert rs.value("UNION_FESTIVAL_ANNUAL_CAP") == D("1800.00")


def test_online_vote_reuses_the_ballots_app(district):
    from ballots.models import Ballot

    members = members_of(district.union_a, ["代表一", "代表二", "代表三"])
    session = services.session_create(by=district.union_admin, union_org=district.union_a, title="职代会",
                                      held_on=date(2026, 3, 1), term_number=1, session_number=1, today=TODAY)  # fmt: skip
    services.delegates_add(by=district.union_admin, session=session, members=members)
    motion = services.motion_submit(by=district.union_admin, session=session, proposer=session.delegates.first(),
                                    title="食堂", content="改善伙食")  # fmt: skip
    vote = services.motion_online_vote(by=district.union_admin, motion=motion, voted_on=TODAY, today=TODAY)
    ballot = Ballot.objects.get(pk=vote.ballot_id)
    assert ballot.union_org == district.union_a and ballot.entitled == 3 and ballot.mode == Ballot.ONLINE
    assert ballot.subject_type == "union.motion" and ballot.subject_id == str(motion.pk)
    totals = selectors.online_vote_totals([vote])
    assert totals[ballot.pk]["closed"] is False
    item = ballot.items.get()
    Ballot.objects.filter(pk=ballot.pk).update(status=Ballot.CLOSED)
    type(item).objects.filter(pk=item.pk).update(in_favour=2, against=1, abstain=0)
    totals = selectors.online_vote_totals([vote])
    assert totals[ballot.pk]["passed"] is True and totals[ballot.pk]["yes"] == 2
