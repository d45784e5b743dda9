"""Demo content of the ballots: a few past general-meeting ballots (paper and online) and
one online ballot ready to run today in the demo secretary's branch."""

from __future__ import annotations

import uuid
from datetime import timedelta

from ballots import rules, selectors
from ballots.models import Ballot, BallotItem, Vote, VoterReceipt
from ballots.services import CODE_ALPHABET, CODE_LENGTH, code_hash
from core import audit
from core.demo.names import person_name
from orgs.models import PartyOrg


def _numbers(rng, entitled: int) -> tuple[int, int]:
    """A realistic attendance: (present, written opinions) with REC-13's quorum met."""
    present = max(entitled // 2 + 1, entitled - rng.randint(0, max(1, entitled // 5)))
    written = rng.randint(0, entitled - present)
    return present, written


def _code(rng) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def extend(district) -> str:
    rng, today = district.rng, district.today
    secretary = district.users.get("zbsj")
    home = secretary.grants.first().party_org if secretary else district.branches[0]
    others = [b for b in district.branches if b.pk != home.pk]
    branches = [home, *rng.sample(others, min(5, len(others)))]
    ballots, items, receipts, votes = [], [], [], []
    for n, branch in enumerate(branches):
        on = today - timedelta(days=rng.randint(20, 330))
        due = selectors.voters_due(org=branch, on=on)
        if len(due) < 3:
            continue
        online = n % 3 == 0
        present, written = _numbers(rng, len(due))
        if online:
            written = 0
        names = [person_name(rng, rng.choice("MF")) for _ in range(rng.randint(1, 3))]
        rule = rules.REC_13 if n % 2 == 0 else rules.REC_21
        who = "、".join(names)
        title = f"接收{who}为预备党员" if rule == rules.REC_13 else f"讨论{who}转为正式党员"
        ballot = Ballot(title=title, party_org=branch, meeting_on=on, mode=Ballot.ONLINE if online else Ballot.PAPER,
                        status=Ballot.CLOSED, rule=rule, entitled=len(due), present=present, written_count=written)  # fmt: skip
        ballots.append((ballot, names, due, present, written))
    Ballot.objects.bulk_create([b for b, *_ in ballots])
    for ballot, names, due, present, written in ballots:
        voters = rng.sample(due, present)
        for position, name in enumerate(names, 1):
            yes = present - rng.randint(0, max(0, present // 4))
            against = rng.randint(0, present - yes)
            item = BallotItem(ballot=ballot, position=position, label=name, in_favour=yes, against=against,
                              abstain=present - yes - against, written_in_favour=written)  # fmt: skip
            items.append(item)
            if ballot.is_online:
                choices = [rules.YES] * yes + [rules.NO] * against + [rules.ABSTAIN] * (present - yes - against)
                rng.shuffle(choices)
                votes += [Vote(id=uuid.UUID(int=rng.getrandbits(128), version=4), item=item, choice=c) for c in choices]
        if ballot.is_online:
            receipts += [VoterReceipt(ballot=ballot, person=m.person, code_hash=code_hash(_code(rng)), voted=True)
                         for m in voters]  # fmt: skip
    BallotItem.objects.bulk_create(items)
    Vote.objects.bulk_create(votes)
    VoterReceipt.objects.bulk_create(receipts)

    # Today's ballot, ready for the demo secretary: codes are issued on its page.
    ready = None
    if home.kind == PartyOrg.BRANCH and selectors.voters_due(org=home, on=today):
        name = person_name(rng, rng.choice("MF"))
        ready = Ballot.objects.create(title=f"接收{name}为预备党员", party_org=home, meeting_on=today, mode=Ballot.ONLINE,
                                      rule=rules.REC_13, entitled=len(selectors.voters_due(org=home, on=today)))  # fmt: skip
        BallotItem.objects.create(ballot=ready, position=1, label=name)
    created = [b for b, *_ in ballots] + ([ready] if ready else [])
    audit.record_many(actor=None, action="ballots.demo.create", objects=created)
    return f"票决：已结束 {len(ballots)} 次（网上投票 {sum(b.is_online for b, *_ in ballots)} 次），今日待表决 {1 if ready else 0} 次"
