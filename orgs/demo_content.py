"""Demo content of the terms ledger (党组织换届台账).

The base district gives every committee and branch one current term with fixed
lengths. Here the terms are refreshed through the service (TERM-01/02/03 with the
settings in force), about 40 % of organisations get their previous term and its
re-election (TERM-04 numbers; terms begun before 2018-07-01 with the older local
lengths), and one overdue term gets an approved postponement.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count

from core import audit
from core.dates import add_years
from orgs import services, term_rules
from orgs.models import PartyOrg, Reelection, Term
from people.models import PartyMember


def _full_members_by_org(orgs) -> dict[int, int]:
    """Full members in each organisation's subtree (one GROUP BY, summed by path)."""
    by_branch = dict(
        PartyMember.objects.filter(status=PartyMember.FULL, left_on__isnull=True)
        .values_list("branch__path")
        .annotate(n=Count("id"))
    )
    return {o.pk: sum(n for path, n in by_branch.items() if path.startswith(o.path)) for o in orgs}


def _previous_term(kind: str, started_on):
    """(start, recorded length) of the term that ended when one began on ``started_on``,
    re-elected on time: the statutory length from 2018-07-01, the older local length
    before (recorded on the term, TERM-01)."""
    statutory = term_rules.STATUTORY_TERM_YEARS[kind]
    start = add_years(started_on, -statutory)
    if start >= term_rules.TERM_RULES_FROM:
        return start, None
    legacy = term_rules.DEFAULT_LEGACY_TERM_YEARS[kind]
    legacy_start = add_years(started_on, -legacy)
    if legacy_start < term_rules.TERM_RULES_FROM:
        return legacy_start, legacy
    return start, statutory  # begun just before the 任期意见 with the length it later fixed


def extend(district) -> str:
    rng, today = district.rng, district.today
    current = list(Term.objects.filter(ended_on__isnull=True).select_related("org").order_by("org__path"))
    members = _full_members_by_org([t.org for t in current])

    past = []
    for term in current:
        if rng.random() >= 0.4 or term.number < 2:
            continue
        start, length = _previous_term(term.org.kind, term.started_on)
        past.append(
            Term(org=term.org, number=term.number - 1, started_on=start, length_years=length,
                 planned_end_on=add_years(start, length or term_rules.STATUTORY_TERM_YEARS[term.org.kind]),
                 ended_on=term.started_on, next_due_on=None)
        )  # fmt: skip
    Term.objects.bulk_create(past, batch_size=2000)
    if past and past[0].pk is None:  # backends that return no keys from bulk inserts
        past = list(Term.objects.filter(ended_on__isnull=False).select_related("org"))

    elections = []
    for term in past:
        entitled = max(members.get(term.org_id, 0), 3)
        present = entitled - rng.randint(0, entitled // 6)  # above four fifths (TERM-04)
        elections.append(
            Reelection(closed_term=term, held_on=term.ended_on, entitled=entitled, present=present,
                       approval_ref=f"区直机关党工委〔{term.ended_on.year}〕{rng.randint(3, 60)}号")
        )  # fmt: skip
    Reelection.objects.bulk_create(elections, batch_size=2000)
    audit.record_many(actor=None, action="orgs.demo.reelection", objects=elections)

    # One overdue branch term with the superior's approval to postpone (TERM-02, within a year).
    postponed = ""
    for term in current:
        if term.org.kind == PartyOrg.BRANCH and term.planned_end_on < today <= add_years(term.planned_end_on, 1):
            term.postponed_to = min(add_years(term.planned_end_on, 1), today + timedelta(days=rng.randint(30, 90)))
            term.approval_note = f"区直机关党工委〔{today.year}〕{rng.randint(61, 90)}号批复同意延期换届"
            Term.objects.filter(pk=term.pk).update(postponed_to=term.postponed_to, approval_note=term.approval_note)
            postponed = term.org.name
            break

    refreshed = services.terms_refresh(today=today)
    return f"换届台账：重新计算任期 {refreshed} 个，历次换届 {len(elections)} 条，批准延期 1 个（{postponed}）"
