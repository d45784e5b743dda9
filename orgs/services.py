"""Writes on terms (届 / 任期): create, refresh the derived dates, record a re-election or
an approved postponement. TERM-01 … TERM-04 come from ``orgs.term_rules``; the local
settings from ``orgs.rule_settings``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from core import audit
from core.dates import add_years, fmt_iso
from core.findings import ERROR, Finding
from core.policies import CHANGE
from core.services import save_audited
from orgs import policies, term_rules
from orgs.models import PartyOrg, Reelection, Term
from orgs.rule_settings import term_settings

# Kinds that have terms (a 党小组 has none).
TERM_KINDS = (PartyOrg.WORKING_COMMITTEE, PartyOrg.COMMITTEE, PartyOrg.GENERAL_BRANCH, PartyOrg.BRANCH)


def term_facts(term: Term, *, kind: str | None = None) -> term_rules.TermFacts:
    return term_rules.TermFacts(
        org_kind=kind or term.org.kind,
        started_on=term.started_on,
        length_years=term.length_years,
        postponed_to=term.postponed_to,
        approval_note=term.approval_note,
        ended_on=term.ended_on,
    )


def _derived(term: Term, *, kind: str, settings: term_rules.TermSettings, today: date) -> tuple[date, date | None]:
    """TERM-01/02/03: (planned end, next due) of ``term``; ValueError when no length is known."""
    facts = term_facts(term, kind=kind)
    return (
        term_rules.planned_end(facts, settings=settings),
        term_rules.term_next_due(facts, today=today, settings=settings),
    )


def term_status(term: Term, *, today: date, settings: term_rules.TermSettings | None = None) -> term_rules.TermStatus:
    """The state of ``term`` today with its TERM findings (pure rules, settings in force)."""
    return term_rules.term_status(term_facts(term), today=today, settings=settings or term_settings())


def terms_refresh(*, today: date, terms: Iterable[Term] | None = None, settings=None, by=None) -> int:
    """Recompute ``planned_end_on`` and ``next_due_on`` of many terms (bulk; after a settings
    change, by the demo, by a nightly job). Returns how many rows changed.

    A term whose length cannot be known (a 工委 term without a recorded length) keeps
    its recorded planned end.
    """
    settings = settings or term_settings()
    if terms is None:
        terms = Term.objects.select_related("org").only(
            "id", "org__kind", "started_on", "length_years", "planned_end_on", "postponed_to", "approval_note",
            "ended_on", "next_due_on",
        )  # fmt: skip
    changed = []
    for term in terms:
        try:
            end, due = _derived(term, kind=term.org.kind, settings=settings, today=today)
        except ValueError:
            continue
        if (end, due) != (term.planned_end_on, term.next_due_on):
            term.planned_end_on, term.next_due_on = end, due
            changed.append(term)
    if changed:
        with transaction.atomic():
            Term.objects.bulk_update(changed, ["planned_end_on", "next_due_on"], batch_size=1000)
            audit.record(actor=by, action="orgs.term.refresh", object_type="orgs.term",
                         object_repr=f"按规则重新计算 {len(changed)} 个任期的应换届日期", after={"terms": len(changed)})  # fmt: skip
    return len(changed)


def term_refresh(*, term: Term, today: date, settings=None) -> Term:
    """Set the derived dates of one term in memory (the caller saves it)."""
    try:
        term.planned_end_on, term.next_due_on = _derived(
            term, kind=term.org.kind, settings=settings or term_settings(), today=today
        )
    except ValueError as exc:
        raise ValidationError({"length_years": str(exc)}) from exc
    return term


def term_create(
    *, by, org: PartyOrg, number: int, started_on: date, length_years: int | None = None, today: date
) -> Term:
    """Register the current term of an organisation that has none open (TERM-01)."""
    if org.kind not in TERM_KINDS:
        raise ValidationError(f"{org.get_kind_display()}不设任期。")
    if started_on > today:
        raise ValidationError({"started_on": "本届起始日期不能晚于今天。"})
    with transaction.atomic():
        if Term.objects.filter(org=org, ended_on__isnull=True).exists():
            raise ValidationError("该组织已有未换届的本届任期，请登记换届。")
        term = Term(org=org, number=number, started_on=started_on, length_years=length_years)
        term_refresh(term=term, today=today)
        return save_audited(term, by=by, policy=policies.terms)


def _open_term(term: Term) -> Term:
    locked = Term.objects.select_for_update().select_related("org").get(pk=term.pk)
    if locked.ended_on is not None:
        raise ValidationError(f"该任期已于 {fmt_iso(locked.ended_on)} 换届。")
    return locked


def term_record_reelection(
    *,
    by,
    term: Term,
    held_on: date,
    entitled: int,
    present: int,
    approval_ref: str = "",
    notes: str = "",
    next_length_years: int | None = None,
    today: date,
) -> tuple[Term, list[Finding]]:
    """换届: the election meeting closes ``term`` and opens the next one.

    TERM-04: a meeting whose numbers are impossible, or with no more than four fifths
    of those entitled present, is refused (nothing saved). TERM-02 findings on the
    timing of the election (late without approval, early …) are returned to be shown.
    """
    with transaction.atomic():
        term = _open_term(term)
        policies.terms.require(by, CHANGE, term)
        if held_on < term.started_on:
            raise ValidationError({"held_on": f"选举日期不能早于本届起始日期 {fmt_iso(term.started_on)}。"})
        if held_on > today:
            raise ValidationError({"held_on": "选举日期不能晚于今天。"})
        errors = [f for f in term_rules.check_election(entitled=entitled, present=present) if f.severity == ERROR]
        if errors:
            raise ValidationError({"present": [f"TERM-04：{f.message}" for f in errors]})
        settings = term_settings()
        term.ended_on = held_on
        term_refresh(term=term, today=today, settings=settings)
        save_audited(term, by=by, policy=policies.terms, action="orgs.term.close")
        reelection = Reelection(closed_term=term, held_on=held_on, entitled=entitled, present=present,
                                approval_ref=approval_ref.strip(), notes=notes.strip())  # fmt: skip
        save_audited(reelection, by=by, policy=None)
        following = Term(org=term.org, number=term.number + 1, started_on=held_on, length_years=next_length_years)
        term_refresh(term=following, today=today, settings=settings)
        save_audited(following, by=by, policy=policies.terms)
        findings = [f for f in term_rules.term_status(term_facts(term), today=today, settings=settings).findings]
    return following, findings


def term_record_postponement(*, by, term: Term, postponed_to: date, approval_note: str, today: date) -> Term:
    """An approved postponement (or advance) of the re-election (TERM-02): recorded with the
    superior's approval, and by no more than one year from the planned end."""
    approval_note = (approval_note or "").strip()
    if not approval_note:
        raise ValidationError({"approval_note": "请填写上级党组织的批准情况（批复文号或日期）。"})
    with transaction.atomic():
        term = _open_term(term)
        policies.terms.require(by, CHANGE, term)
        settings = term_settings()
        end = term_rules.planned_end(term_facts(term), settings=settings)
        shift = term_rules.MAX_SHIFT_YEARS
        if not add_years(end, -shift) <= postponed_to <= add_years(end, shift):
            raise ValidationError(
                {"postponed_to": f"TERM-02：批准的换届日期 {fmt_iso(postponed_to)} 与应换届日期 {fmt_iso(end)} "
                                 f"相差超过一年；延期或提前换届不得超过一年。"}
            )  # fmt: skip
        term.postponed_to, term.approval_note = postponed_to, approval_note
        term_refresh(term=term, today=today, settings=settings)
        return save_audited(term, by=by, policy=policies.terms, action="orgs.term.postpone")
