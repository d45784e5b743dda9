"""Ballot services: voters due (ORG-05), the state machine, one-time codes, secrecy, paper totals."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from ballots import rules, selectors, services
from ballots.models import Ballot, BallotItem, Vote, VoterReceipt
from ballots.tests.factories import choose, make_ballot, open_with_codes
from core.models import AuditEntry
from core.testing import TODAY, party_member
from people.models import PartyMember

pytestmark = pytest.mark.django_db


# --- voters due (ORG-05) --------------------------------------------------------------------------------


def names(members):
    return sorted(m.person.name for m in members)


def test_voters_due_are_the_full_members_on_the_meeting_date(district, voters):
    due = selectors.voters_due(org=district.branch_a, on=TODAY)
    assert names(due) == sorted(["王小明", "刘书记", "陈一", "林二", "黄三"])  # 周预备 is probationary


def test_voters_due_exclude_members_under_party_probation(district, voters):
    due = selectors.voters_due(org=district.branch_a, on=TODAY, disciplined=[voters[1].person_id])
    assert "陈一" not in names(due) and len(due) == 4


def test_voters_due_follow_the_meeting_date(district, voters):
    # Became full after the meeting date: probationary on that day, no vote.
    late = party_member(district.branch_a, "新转正", admitted_on=date(2025, 12, 1))
    late.full_member_on = date(2026, 12, 1)
    late.save()
    gone = party_member(district.branch_a, "已转出")
    gone.left_on, gone.left_reason = TODAY - timedelta(days=1), "TRANSFERRED_OUT"
    gone.save()
    joined = party_member(district.branch_a, "新转入")
    joined.joined_org_on = TODAY + timedelta(days=1)
    joined.save()
    suspended = party_member(district.branch_a, "停止党籍")
    suspended.standing = "SUSPENDED"
    suspended.save()
    due = names(selectors.voters_due(org=district.branch_a, on=TODAY))
    assert not {"新转正", "已转出", "新转入", "停止党籍"} & set(due)
    assert "已转出" in names(selectors.voters_due(org=district.branch_a, on=TODAY - timedelta(days=2)))


def test_voters_due_of_a_committee_cover_its_subtree(district, voters):
    assert len(selectors.voters_due(org=district.committee, on=TODAY)) == 5
    assert len(selectors.voters_due(org=district.root, on=TODAY)) == 6  # + 赵大海 of branch B


# --- create -----------------------------------------------------------------------------------------------


def test_create_computes_voters_due_and_audits(district, voters):
    ballot = make_ballot(district, items=("张三", "李四"))
    assert ballot.entitled == 5 and ballot.status == Ballot.DRAFT
    assert list(ballot.items.values_list("position", "label")) == [(1, "张三"), (2, "李四")]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"ballots.ballot.create", "ballots.ballotitem.create"} <= actions


def test_create_out_of_scope_is_refused_and_saves_nothing(district, voters):
    with pytest.raises(PermissionDenied):
        make_ballot(district, org=district.branch_a, by=district.secretary_b)
    assert not Ballot.objects.exists() and not BallotItem.objects.exists()


def test_create_needs_items_without_duplicates(district, voters):
    with pytest.raises(ValidationError) as exc:
        make_ballot(district, items=("张三", "张三"))
    assert "重复" in str(exc.value)
    with pytest.raises(ValidationError):
        make_ballot(district, items=("  ",))


def test_union_ballot_takes_the_callers_number_and_only_a_plain_majority(district):
    ballot = services.ballot_create(
        by=district.union_admin, title="职代会议案", union_org=district.union_a, meeting_on=TODAY,
        mode=Ballot.PAPER, rule=rules.MAJORITY, items=["议案一"], entitled=40, today=TODAY,
    )  # fmt: skip
    assert ballot.entitled == 40 and ballot.union_org == district.union_a
    with pytest.raises(ValidationError):
        services.ballot_create(
            by=district.union_admin, title="x", union_org=district.union_a, meeting_on=TODAY,
            mode=Ballot.PAPER, rule=rules.REC_13, items=["x"], entitled=40, today=TODAY,
        )  # fmt: skip


def test_update_recomputes_voters_due_with_party_probation(district, voters):
    ballot = make_ballot(district)
    services.ballot_update(
        by=district.secretary_a, ballot=ballot, title="表决", meeting_on=TODAY, mode=Ballot.ONLINE,
        rule=rules.REC_13, items=["张三", "李四"], disciplined=[voters[1].person], today=TODAY,
    )  # fmt: skip
    ballot.refresh_from_db()
    assert ballot.entitled == 4
    assert list(ballot.items.values_list("label", flat=True)) == ["张三", "李四"]


# --- the online state machine -----------------------------------------------------------------------------


def test_codes_work_only_once(district, online, voters):
    codes = open_with_codes(district, online, [v.person for v in voters[:3]])
    ballot = services.ballot_cast(code=codes["王小明"], choices=choose(online, rules.YES))
    assert ballot.pk == online.pk
    with pytest.raises(ValidationError, match="已使用"):
        services.ballot_cast(code=codes["王小明"], choices=choose(online, rules.NO))
    assert Vote.objects.count() == 1


def test_code_before_opening_and_after_closing_is_refused(district, online, voters):
    issued = services.ballot_issue_codes(
        by=district.secretary_a, ballot=online, persons=[voters[0].person], today=TODAY
    )
    code = issued[0][1]
    with pytest.raises(ValidationError, match="尚未开始"):
        services.ballot_cast(code=code, choices=choose(online, rules.YES))
    services.ballot_open(by=district.secretary_a, ballot=online, today=TODAY)
    services.ballot_close(by=district.secretary_a, ballot=online, today=TODAY)
    with pytest.raises(ValidationError, match="已经结束"):
        services.ballot_cast(code=code, choices=choose(online, rules.YES))
    assert not VoterReceipt.objects.filter(voted=True).exists()


def test_unknown_code_and_incomplete_choices_are_refused(district, online, voters):
    codes = open_with_codes(district, online, [voters[0].person])
    with pytest.raises(ValidationError, match="无效"):
        services.ballot_cast(code="AAAAA22222", choices=choose(online, rules.YES))
    with pytest.raises(ValidationError, match="每一项"):
        services.ballot_cast(code=codes["王小明"], choices={})
    # The refused attempt did not use up the code.
    services.ballot_cast(code=codes["王小明"].lower(), choices=choose(online, rules.ABSTAIN))


def test_results_are_hidden_until_closed(district, online, voters):
    codes = open_with_codes(district, online, [v.person for v in voters[:3]])
    for name in ("王小明", "陈一"):
        services.ballot_cast(code=codes[name], choices=choose(online, rules.YES))
    online.refresh_from_db()
    assert selectors.ballot_outcome(online) is None
    assert list(online.items.values_list("in_favour", "against", "abstain")) == [(None, None, None)]
    assert selectors.receipt_counts(online) == {"issued": 3, "voted": 2}
    result = services.ballot_close(by=district.secretary_a, ballot=online, today=TODAY)
    assert (result.present, result.entitled) == (3, 5)
    assert (result.items[0].count.in_favour, result.items[0].count.against) == (2, 0)
    assert result.quorum_ok and not result.items[0].passed  # 2 of 5 is not more than half


def test_opening_in_advance_of_the_meeting_is_refused(district, voters):
    ballot = make_ballot(district, meeting_on=TODAY + timedelta(days=3))
    with pytest.raises(ValidationError, match="不能提前"):
        services.ballot_open(by=district.secretary_a, ballot=ballot, today=TODAY)


def test_codes_only_for_voters_due(district, online, voters):
    probationary = PartyMember.objects.get(person__name="周预备").person
    with pytest.raises(ValidationError, match="ORG-05"):
        services.ballot_issue_codes(by=district.secretary_a, ballot=online, persons=[probationary], today=TODAY)
    with pytest.raises(ValidationError, match="ORG-05"):
        services.ballot_issue_codes(
            by=district.secretary_a, ballot=online, persons=[district.member_b.person], today=TODAY
        )
    assert not VoterReceipt.objects.exists()


def test_reissue_replaces_a_lost_code_but_never_a_used_one(district, online, voters):
    person = voters[0].person
    codes = open_with_codes(district, online, [person])
    with pytest.raises(ValidationError, match="补发"):
        services.ballot_issue_codes(by=district.secretary_a, ballot=online, persons=[person], today=TODAY)
    [(_, new)] = services.ballot_issue_codes(
        by=district.secretary_a, ballot=online, persons=[person], reissue=True, today=TODAY
    )
    with pytest.raises(ValidationError, match="无效"):
        services.ballot_cast(code=codes["王小明"], choices=choose(online, rules.YES))
    services.ballot_cast(code=new, choices=choose(online, rules.YES))
    with pytest.raises(ValidationError, match="已投票"):
        services.ballot_issue_codes(by=district.secretary_a, ballot=online, persons=[person], reissue=True, today=TODAY)
    online.refresh_from_db()
    assert online.present == 1


def test_only_a_hash_of_the_code_is_stored(district, online, voters):
    codes = open_with_codes(district, online, [voters[0].person])
    code = codes["王小明"]
    receipt = VoterReceipt.objects.get()
    stored = [str(getattr(receipt, f.attname)) for f in VoterReceipt._meta.concrete_fields]
    assert not any(code in value for value in stored)
    assert receipt.code_hash == services.code_hash(code)
    assert not AuditEntry.objects.filter(after__icontains=code).exists()


# --- secrecy: nothing links a vote to a voter ------------------------------------------------------------


def test_vote_and_receipt_share_no_field_time_or_sequence():
    vote_fields = {f.name: f for f in Vote._meta.get_fields()}
    assert set(vote_fields) == {"id", "item", "choice"}
    assert isinstance(vote_fields["id"], models.UUIDField) and vote_fields["id"].default.__name__ == "uuid4"
    assert Vote._meta.ordering == []
    receipt_fields = {f.name for f in VoterReceipt._meta.get_fields()}
    assert receipt_fields == {"id", "ballot", "person", "code_hash", "voted"}
    for model in (Vote, VoterReceipt):
        for field in model._meta.get_fields():
            assert not isinstance(field, (models.DateField, models.DateTimeField, models.TimeField))
            related = getattr(field, "related_model", None)
            assert related not in (Vote, VoterReceipt) or related is model
    # A vote reaches no person: its only relation is the item, whose only relation up is the ballot.
    assert {f.related_model for f in BallotItem._meta.concrete_fields if f.is_relation} == {Ballot}


def test_closing_rewrites_the_votes_with_new_keys(district, online, voters):
    codes = open_with_codes(district, online, [v.person for v in voters[:3]])
    for name, choice in zip(("王小明", "陈一", "林二"), (rules.YES, rules.NO, rules.ABSTAIN), strict=True):
        services.ballot_cast(code=codes[name], choices=choose(online, choice))
    before = set(Vote.objects.values_list("id", flat=True))
    services.ballot_close(by=district.secretary_a, ballot=online, today=TODAY)
    after = set(Vote.objects.values_list("id", flat=True))
    assert len(after) == 3 and not before & after
    assert sorted(Vote.objects.values_list("choice", flat=True)) == sorted([rules.YES, rules.NO, rules.ABSTAIN])


def test_casting_audits_only_that_a_code_was_used(district, online, voters):
    codes = open_with_codes(district, online, [voters[0].person])
    services.ballot_cast(code=codes["王小明"], choices=choose(online, rules.NO))
    entry = AuditEntry.objects.get(action="ballots.receipt.use")
    assert (entry.object_type, entry.object_id) == ("ballots.ballot", str(online.pk))
    assert entry.actor_id is None and entry.before is None and entry.after is None
    assert "王小明" not in entry.object_repr
    text = str(list(AuditEntry.objects.values_list("before", "after", "object_repr")))
    assert rules.NO not in text and "反对" not in text


# --- paper ballots --------------------------------------------------------------------------------------


def paper_counts(ballot, *rows):
    keys = ("in_favour", "against", "abstain", "written_in_favour")
    return {
        pk: dict(zip(keys, row, strict=True))
        for pk, row in zip(ballot.items.values_list("id", flat=True), rows, strict=True)
    }


def test_paper_totals_close_the_ballot_with_the_rec_13_arithmetic(district, voters):
    ballot = make_ballot(district, mode=Ballot.PAPER, items=("张三", "李四"))
    result = services.ballot_record_paper(
        by=district.secretary_a, ballot=ballot, present=4, written_count=1,
        counts=paper_counts(ballot, (2, 1, 1, 1), (1, 3, 0, 0)), today=TODAY,
    )  # fmt: skip
    ballot.refresh_from_db()
    assert ballot.status == Ballot.CLOSED and ballot.present == 4
    assert [(i.count.label, i.total_for, i.passed) for i in result.items] == [("张三", 3, True), ("李四", 1, False)]


@pytest.mark.parametrize(
    ("present", "written", "row", "field", "text"),
    [
        (6, 0, (3, 0, 0, 0), "present", "REC-13：实到会有表决权人数 6 超过应到会人数 5"),
        (4, 0, (3, 1, 1, 0), "item", "REC-13：“张三”赞成 3、反对 1、弃权 1 共 5 票，超过实到会人数 4"),
        (4, 2, (3, 0, 0, 0), "written_count", "超过未到会的有表决权人数 1"),
        (4, 1, (3, 0, 0, 2), "item", "书面意见赞成 2 份，超过书面意见总数 1 份"),
    ],
)
def test_impossible_paper_numbers_are_refused_and_nothing_saved(district, voters, present, written, row, field, text):
    ballot = make_ballot(district, mode=Ballot.PAPER)
    with pytest.raises(ValidationError) as exc:
        services.ballot_record_paper(
            by=district.secretary_a, ballot=ballot, present=present, written_count=written,
            counts=paper_counts(ballot, row), today=TODAY,
        )  # fmt: skip
    messages = exc.value.message_dict
    key = f"item_{ballot.items.get().pk}" if field == "item" else field
    assert any(text in m for m in messages[key])
    ballot.refresh_from_db()
    assert ballot.status == Ballot.DRAFT and ballot.present == 0
    assert ballot.items.get().in_favour is None


def test_paper_mode_cannot_issue_codes_and_online_cannot_take_paper_totals(district, voters):
    paper = make_ballot(district, mode=Ballot.PAPER)
    with pytest.raises(ValidationError, match="纸质票"):
        services.ballot_issue_codes(by=district.secretary_a, ballot=paper, persons=[voters[0].person], today=TODAY)
    online = make_ballot(district)
    with pytest.raises(ValidationError, match="网上"):
        services.ballot_record_paper(
            by=district.secretary_a, ballot=online, present=3, written_count=0, counts={}, today=TODAY
        )


def test_written_opinions_of_an_online_ballot(district, online, voters):
    open_with_codes(district, online, [v.person for v in voters[:3]])
    item = online.items.get()
    with pytest.raises(ValidationError):
        services.ballot_record_written(
            by=district.secretary_a, ballot=online, written_count=3, written_in_favour={item.pk: 1}, today=TODAY
        )
    services.ballot_record_written(
        by=district.secretary_a, ballot=online, written_count=2, written_in_favour={item.pk: 2}, today=TODAY
    )
    services.ballot_close(by=district.secretary_a, ballot=online, today=TODAY)
    online.refresh_from_db()
    result = selectors.ballot_outcome(online)
    assert result.items[0].total_for == 2 and result.written_count == 2


def test_delete_only_a_draft_without_codes(district, online, voters):
    open_with_codes(district, online, [voters[0].person])
    with pytest.raises(ValidationError):
        services.ballot_delete(by=district.secretary_a, ballot=online, today=TODAY)
    draft = make_ballot(district)
    services.ballot_delete(by=district.secretary_a, ballot=draft, today=TODAY)
    assert not Ballot.objects.filter(pk=draft.pk).exists()
