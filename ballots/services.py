"""Writes on ballots: create, open, issue codes, cast, close, record paper totals.

Every write is validated (Chinese messages naming the rule), runs in one
transaction and is audited — except what a voter chose: casting a vote audits
only that a code was used, never by whom or how.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from ballots import rules, selectors
from ballots.models import Ballot, BallotItem, Vote, VoterReceipt
from ballots.policies import ballots as ballot_policy
from core import audit
from core.dates import fmt_iso
from core.policies import CHANGE, DELETE
from core.services import delete_audited, save_audited

# Ten characters from 31 unambiguous symbols (no 0/O, 1/I/L): about 49 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
MAX_ITEMS = 50
_random = secrets.SystemRandom()


# --- codes -------------------------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    """A keyed hash of the code: the code itself is never stored."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"ballot-code:{normalise_code(code)}".encode(), hashlib.sha256).hexdigest()


def format_code(code: str) -> str:
    """ABCDE23456 → ABCDE-23456 (easier to read out and type)."""
    return f"{code[:5]}-{code[5:]}"


# --- helpers -----------------------------------------------------------------------------


def _require(ballot: Ballot, *, statuses: Sequence[str], doing: str, mode: str | None = None) -> None:
    if mode and ballot.mode != mode:
        raise ValidationError(f"该票决为{ballot.get_mode_display()}，不能{doing}。")
    if ballot.status not in statuses:
        raise ValidationError(f"该票决{ballot.get_status_display()}，不能{doing}。")


def _locked(ballot: Ballot) -> Ballot:
    """The ballot row, locked until the end of the transaction (PostgreSQL)."""
    return Ballot.objects.select_for_update(of=("self",)).select_related("party_org", "union_org").get(pk=ballot.pk)


def _item_specs(items: Sequence[str | Mapping]) -> list[dict]:
    specs = []
    for item in items:
        spec = {"label": item, "subject_type": "", "subject_id": ""} if isinstance(item, str) else dict(item)
        spec["label"] = str(spec.get("label", "")).strip()
        if spec["label"]:
            specs.append(spec)
    labels = [s["label"] for s in specs]
    if not specs:
        raise ValidationError({"items": "请至少填写一个候选人或表决议题。"})
    if len(specs) > MAX_ITEMS:
        raise ValidationError({"items": f"一次票决最多 {MAX_ITEMS} 项，现有 {len(specs)} 项。"})
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise ValidationError({"items": f"候选人或议题重复：{'、'.join(duplicates)}。"})
    if any(len(label) > 100 for label in labels):
        raise ValidationError({"items": "每个候选人或议题不超过 100 个字。"})
    return specs


def _check_scope_and_rule(*, rule: str, party_org, union_org) -> None:
    if (party_org is None) == (union_org is None):
        raise ValidationError("请选择组织：党组织或工会组织（二选一）。")
    if union_org is not None and rule != rules.MAJORITY:
        raise ValidationError({"rule": f"{rule} 只适用于党组织的党员大会；工会组织的表决请选择一般表决事项。"})


def _entitled(*, party_org, union_org, meeting_on: date, disciplined: Iterable[int] = (), given: int | None) -> int:
    """Voters due: for a party ballot always computed (ORG-05); for a union ballot as given,
    else the union members on the meeting date."""
    if party_org is not None:
        count = len(selectors.voters_due(org=party_org, on=meeting_on, disciplined=disciplined))
        if count == 0:
            raise ValidationError(
                {"meeting_on": f"{party_org.name}在 {fmt_iso(meeting_on)} 没有有表决权的正式党员（ORG-05）。"}
            )
        return count
    count = given if given is not None else len(selectors.union_voters_due(org=union_org, on=meeting_on))
    if count <= 0:
        raise ValidationError({"entitled": "应到人数须大于 0。"})
    return count


def _create_items(ballot: Ballot, specs: list[dict], *, by) -> None:
    items = BallotItem.objects.bulk_create(
        [
            BallotItem(
                ballot=ballot,
                position=i,
                label=s["label"],
                subject_type=s.get("subject_type", ""),
                subject_id=str(s.get("subject_id", "")),
            )
            for i, s in enumerate(specs, 1)
        ]
    )
    if not items[0].pk:  # backends that do not return keys from bulk inserts
        items = list(ballot.items.all())
    audit.record_many(actor=by, action="ballots.ballotitem.create", objects=items)


# --- the ballot --------------------------------------------------------------------------


def ballot_create(
    *,
    by,
    title: str,
    meeting_on: date,
    mode: str,
    rule: str,
    items: Sequence[str | Mapping],
    party_org=None,
    union_org=None,
    entitled: int | None = None,
    subject_type: str = "",
    subject_id: str = "",
    today: date,
) -> Ballot:
    """A ballot in DRAFT with its items (one per candidate or motion, voted one by one).

    For a party organisation the voters due are the full members of its subtree on
    the meeting date (ORG-05), computed here; for a union organisation the caller
    may give them (default: the union members on that date).
    """
    _check_scope_and_rule(rule=rule, party_org=party_org, union_org=union_org)
    specs = _item_specs(items)
    with transaction.atomic():
        ballot = Ballot(
            title=(title or "").strip(),
            party_org=party_org,
            union_org=union_org,
            meeting_on=meeting_on,
            mode=mode,
            rule=rule,
            subject_type=subject_type,
            subject_id=str(subject_id or ""),
            entitled=_entitled(party_org=party_org, union_org=union_org, meeting_on=meeting_on, given=entitled),
        )
        save_audited(ballot, by=by, policy=ballot_policy)
        _create_items(ballot, specs, by=by)
    return ballot


def ballot_update(
    *,
    by,
    ballot: Ballot,
    title: str,
    meeting_on: date,
    mode: str,
    rule: str,
    items: Sequence[str | Mapping],
    disciplined: Iterable = (),
    entitled: int | None = None,
    today: date,
) -> Ballot:
    """Change a DRAFT ballot before any code is issued; the voters due are recomputed."""
    _check_scope_and_rule(rule=rule, party_org=ballot.party_org, union_org=ballot.union_org)
    specs = _item_specs(items)
    with transaction.atomic():
        ballot = _locked(ballot)
        ballot_policy.require(by, CHANGE, ballot)
        _require(ballot, statuses=[Ballot.DRAFT], doing="修改")
        if ballot.receipts.exists() and (mode != ballot.mode or meeting_on != ballot.meeting_on):
            raise ValidationError("已发放表决码，不能再修改表决方式或会议日期。")
        disciplined_ids = [getattr(p, "pk", p) for p in disciplined]
        ballot.title, ballot.meeting_on, ballot.mode, ballot.rule = (title or "").strip(), meeting_on, mode, rule
        ballot.entitled = _entitled(
            party_org=ballot.party_org,
            union_org=ballot.union_org,
            meeting_on=meeting_on,
            disciplined=disciplined_ids,
            given=entitled if entitled is not None else (None if ballot.party_org_id else ballot.entitled),
        )
        if ballot.present > ballot.entitled:
            raise ValidationError(
                {"disciplined": f"已向 {ballot.present} 人发放表决码，超过应到会有表决权人数 {ballot.entitled}。"}
            )
        save_audited(ballot, by=by, policy=ballot_policy)
        before = sorted(ballot.disciplined.values_list("id", flat=True))
        ballot.disciplined.set(disciplined_ids)
        if before != sorted(disciplined_ids):
            audit.record(actor=by, action="ballots.ballot.disciplined", obj=ballot,
                         before={"disciplined": before}, after={"disciplined": sorted(disciplined_ids)})  # fmt: skip
        old = [(i.label, i.subject_type, i.subject_id) for i in ballot.items.all()]
        new = [(s["label"], s.get("subject_type", ""), str(s.get("subject_id", ""))) for s in specs]
        if old != new:
            for item in list(ballot.items.all()):
                delete_audited(item, by=by, policy=None)
            _create_items(ballot, specs, by=by)
    return ballot


def ballot_delete(*, by, ballot: Ballot, today: date) -> None:
    """Delete a DRAFT ballot on which no code has been issued."""
    with transaction.atomic():
        ballot = _locked(ballot)
        ballot_policy.require(by, DELETE, ballot)
        _require(ballot, statuses=[Ballot.DRAFT], doing="删除")
        if ballot.receipts.exists():
            raise ValidationError("已发放表决码的票决不能删除。")
        delete_audited(ballot, by=by, policy=ballot_policy)


def ballot_record_written(
    *, by, ballot: Ballot, written_count: int, written_in_favour: Mapping[int, int], today: date
) -> Ballot:
    """Written opinions in favour from absent voting members (REC-13), before an online ballot closes."""
    with transaction.atomic():
        ballot = _locked(ballot)
        ballot_policy.require(by, CHANGE, ballot)
        _require(ballot, statuses=[Ballot.DRAFT, Ballot.OPEN], doing="录入书面意见", mode=Ballot.ONLINE)
        items = list(ballot.items.all())
        counts = [
            rules.ItemCount(label=i.label, in_favour=0, written_in_favour=written_in_favour.get(i.pk, 0)) for i in items
        ]
        errors = rules.number_errors(
            rule=ballot.rule,
            entitled=ballot.entitled,
            present=ballot.present,
            written_count=written_count,
            items=counts,
            meeting_on=ballot.meeting_on,
        )
        if errors:
            raise ValidationError(_field_errors(errors, items))
        ballot.written_count = written_count
        save_audited(ballot, by=by, policy=ballot_policy)
        for item, count in zip(items, counts, strict=True):
            if item.written_in_favour != count.written_in_favour:
                item.written_in_favour = count.written_in_favour
                save_audited(item, by=by, policy=None)
    return ballot


def _field_errors(errors: dict[str, str], items: list[BallotItem]) -> dict[str, str]:
    """number_errors keys → form field names (item-<index> → item_<pk>)."""
    result = {}
    for key, message in errors.items():
        if key.startswith("item-"):
            key = f"item_{items[int(key[5:])].pk}"
        result[key] = message
    return result


def ballot_open(*, by, ballot: Ballot, today: date) -> Ballot:
    """DRAFT → OPEN: codes work from now on (online ballots only)."""
    with transaction.atomic():
        ballot = _locked(ballot)
        ballot_policy.require(by, CHANGE, ballot)
        _require(ballot, statuses=[Ballot.DRAFT], doing="开始投票", mode=Ballot.ONLINE)
        if ballot.meeting_on > today:
            raise ValidationError(f"会议日期为 {fmt_iso(ballot.meeting_on)}，不能提前开始投票。")
        if not ballot.items.exists():
            raise ValidationError("请先填写候选人或表决议题。")
        ballot.status = Ballot.OPEN
        save_audited(ballot, by=by, policy=ballot_policy, action="ballots.ballot.open")
    return ballot


def ballot_issue_codes(*, by, ballot: Ballot, persons: Iterable, today: date, reissue: bool = False) -> list[tuple]:
    """One-time codes for present voters: [(person, code)], the codes shown once only.

    A person who already holds an unused code gets a new one only with
    ``reissue`` (the old one stops working); a used code is never replaced. The
    number present is the number of people holding a code.
    """
    with transaction.atomic():
        ballot = _locked(ballot)
        ballot_policy.require(by, CHANGE, ballot)
        _require(ballot, statuses=[Ballot.DRAFT, Ballot.OPEN], doing="发放表决码", mode=Ballot.ONLINE)
        wanted = {getattr(p, "pk", p) for p in persons}
        if not wanted:
            raise ValidationError("请选择到会的表决人。")
        eligible = {p.pk: p for p in selectors.eligible_persons(ballot)}
        outsiders = wanted - set(eligible)
        if outsiders:
            raise ValidationError(
                f"所选人员中有 {len(outsiders)} 人在会议日期没有表决权（ORG-05：只有正式党员有表决权，"
                "预备党员和受留党察看处分的党员没有表决权）。"
            )
        held = {r.person_id: r for r in ballot.receipts.filter(person_id__in=wanted)}
        used = [eligible[pid].name for pid, r in held.items() if r.voted]
        if used:
            raise ValidationError(f"{'、'.join(used)}已投票，不能再发放表决码。")
        if held and not reissue:
            names = "、".join(eligible[pid].name for pid in held)
            raise ValidationError(f"{names}已领取表决码；如遗失请使用“补发”，原表决码随即作废。")
        issued, new_receipts = [], []
        for pid in sorted(wanted, key=lambda pid: (eligible[pid].name_pinyin, pid)):
            code = new_code()
            receipt = held.get(pid)
            if receipt is not None:
                receipt.code_hash = code_hash(code)
                receipt.save(update_fields=["code_hash"])
                audit.record(actor=by, action="ballots.receipt.reissue", obj=receipt)
            else:
                new_receipts.append(VoterReceipt(ballot=ballot, person_id=pid, code_hash=code_hash(code)))
            issued.append((eligible[pid], code))
        if new_receipts:
            VoterReceipt.objects.bulk_create(new_receipts)
            saved = list(
                ballot.receipts.filter(person_id__in=[r.person_id for r in new_receipts]).select_related("person")
            )
            audit.record_many(actor=by, action="ballots.receipt.issue", objects=saved)
        present = ballot.receipts.count()
        errors = rules.number_errors(
            rule=ballot.rule,
            entitled=ballot.entitled,
            present=present,
            written_count=ballot.written_count,
            items=[],
            meeting_on=ballot.meeting_on,
        )
        if errors:
            raise ValidationError(" ".join(errors.values()))
        if present != ballot.present:
            ballot.present = present
            save_audited(ballot, by=by, policy=ballot_policy)
    return issued


def receipt_for_code(code: str) -> VoterReceipt | None:
    return (
        VoterReceipt.objects.select_related("ballot", "ballot__party_org", "ballot__union_org")
        .filter(code_hash=code_hash(code))
        .first()
    )


def ballot_cast(*, code: str, choices: Mapping[int, str]) -> Ballot:
    """A voter's secret ballot: one choice for every item, with a code that works once.

    The receipt is marked used and one ``Vote`` per item is written; nothing
    written links the two. The audit says only that a code of this ballot was
    used.
    """
    with transaction.atomic():
        receipt = receipt_for_code(code)
        if receipt is None:
            raise ValidationError("表决码无效，请核对后重新扫码或输入。")
        ballot = _locked(receipt.ballot)
        if ballot.status == Ballot.DRAFT:
            raise ValidationError("投票尚未开始，请等待主持人宣布开始投票。")
        if ballot.status == Ballot.CLOSED:
            raise ValidationError("投票已经结束。")
        items = list(ballot.items.all())
        missing = [i.label for i in items if choices.get(i.pk) not in rules.CHOICE_LABELS]
        if missing:
            raise ValidationError(f"请对每一项作出选择（赞成、反对或弃权）：{'、'.join(missing)}。")
        # The conditional update is the "works once": of two requests with the same code, one wins.
        if not VoterReceipt.objects.filter(pk=receipt.pk, voted=False).update(voted=True):
            raise ValidationError("此表决码已使用，每人只能投票一次。")
        Vote.objects.bulk_create([Vote(item=item, choice=choices[item.pk]) for item in items])
        audit.record(actor=None, action="ballots.receipt.use", object_type="ballots.ballot",
                     object_id=str(ballot.pk), object_repr=f"{ballot.title}：一张表决码已使用")  # fmt: skip
    return ballot


def ballot_close(*, by, ballot: Ballot, today: date) -> rules.Outcome:
    """OPEN → CLOSED: count the votes, store the totals, and release the result.

    The votes are rewritten in a random order with new keys, so that their
    storage order says nothing about the order in which people voted.
    """
    with transaction.atomic():
        ballot = _locked(ballot)
        ballot_policy.require(by, CHANGE, ballot)
        _require(ballot, statuses=[Ballot.OPEN], doing="结束投票", mode=Ballot.ONLINE)
        votes = list(Vote.objects.filter(item__ballot=ballot).values_list("item_id", "choice"))
        Vote.objects.filter(item__ballot=ballot).delete()
        _random.shuffle(votes)
        Vote.objects.bulk_create([Vote(item_id=item_id, choice=choice) for item_id, choice in votes])
        tally = Counter(votes)
        items = list(ballot.items.all())
        for item in items:
            item.in_favour = tally[(item.pk, rules.YES)]
            item.against = tally[(item.pk, rules.NO)]
            item.abstain = tally[(item.pk, rules.ABSTAIN)]
            save_audited(item, by=by, policy=None, action="ballots.ballotitem.count")
        ballot.present = ballot.receipts.count()
        ballot.status = Ballot.CLOSED
        save_audited(ballot, by=by, policy=ballot_policy, action="ballots.ballot.close")
        return selectors.ballot_outcome(ballot, items)


def ballot_record_paper(
    *, by, ballot: Ballot, present: int, written_count: int, counts: Mapping[int, Mapping[str, int]], today: date
) -> rules.Outcome:
    """The totals of a paper ballot, entered after the meeting; the ballot is then CLOSED.

    ``counts``: {item id: {"in_favour", "against", "abstain", "written_in_favour"}}.
    Impossible numbers are refused (ValidationError by field, naming the rule);
    nothing is saved then. A closed paper ballot may be corrected the same way.
    """
    with transaction.atomic():
        ballot = _locked(ballot)
        ballot_policy.require(by, CHANGE, ballot)
        _require(ballot, statuses=[Ballot.DRAFT, Ballot.OPEN, Ballot.CLOSED], doing="录入纸质票结果", mode=Ballot.PAPER)
        if ballot.meeting_on > today:
            raise ValidationError(f"会议日期为 {fmt_iso(ballot.meeting_on)}，会议召开后才能录入表决结果。")
        items = list(ballot.items.all())
        item_counts = []
        for item in items:
            c = counts.get(item.pk, {})
            item_counts.append(
                rules.ItemCount(
                    label=item.label,
                    in_favour=c.get("in_favour") or 0,
                    against=c.get("against") or 0,
                    abstain=c.get("abstain") or 0,
                    written_in_favour=c.get("written_in_favour") or 0,
                )
            )
        errors = rules.number_errors(
            rule=ballot.rule,
            entitled=ballot.entitled,
            present=present,
            written_count=written_count,
            items=item_counts,
            meeting_on=ballot.meeting_on,
        )
        if errors:
            raise ValidationError(_field_errors(errors, items))
        for item, c in zip(items, item_counts, strict=True):
            item.in_favour, item.against, item.abstain = c.in_favour, c.against, c.abstain
            item.written_in_favour = c.written_in_favour
            save_audited(item, by=by, policy=None, action="ballots.ballotitem.count")
        ballot.present, ballot.written_count, ballot.status = present, written_count, Ballot.CLOSED
        save_audited(ballot, by=by, policy=ballot_policy, action="ballots.ballot.paper")
        return selectors.ballot_outcome(ballot, items)
