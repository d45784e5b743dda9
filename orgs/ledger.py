"""党组织换届台账: every organisation in scope with its current term, planned end,
status and past re-elections — a view over ``Term`` / ``Reelection``, never a copy.

The status (正常 / 即将到期 / 已逾期 / 已批准延期, TERM-02 / TERM-03) is computed in
SQL from the stored ``planned_end_on`` and ``postponed_to`` so that the page, its
filter, its export and the dashboard count the same rows. It agrees with
``orgs.term_rules.term_status`` (tested at the boundaries).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse

from core.dates import add_months
from core.listing import Column, ListDefinition
from core.policies import VIEW
from orgs import policies, term_rules
from orgs.models import PartyOrg, Reelection, Term
from orgs.services import TERM_KINDS

NORMAL, DUE_SOON, OVERDUE, POSTPONED = term_rules.NORMAL, term_rules.DUE_SOON, term_rules.OVERDUE, term_rules.POSTPONED
NO_TERM = "NO_TERM"
STATUS_LABELS = {
    NORMAL: "正常",
    DUE_SOON: "即将到期",
    OVERDUE: "已逾期",
    POSTPONED: "已批准延期",
    NO_TERM: "未登记任期",
}
STATUS_TAGS = {
    NORMAL: "tag-ok",
    DUE_SOON: "tag-warning",
    OVERDUE: "tag-danger",
    POSTPONED: "tag-info",
    NO_TERM: "tag-muted",
}


def due_soon_limit(today: date, warning_months: int) -> date:
    """The last re-election date already inside the TERM-03 warning window on ``today``:
    the largest d with add_months(d, -warning_months) <= today (month ends clamp, so a
    few days past add_months(today, warning_months) may still qualify)."""
    limit = add_months(today, warning_months)
    while add_months(limit + timedelta(days=1), -warning_months) <= today:
        limit += timedelta(days=1)
    return limit


def _due(prefix: str, op: str, value) -> Q:
    """The re-election date (approved date, else planned end) compared with ``value``."""
    return Q(**{f"{prefix}postponed_to__{op}": value}) | Q(
        **{f"{prefix}postponed_to__isnull": True, f"{prefix}planned_end_on__{op}": value}
    )


def status_q(status: str, *, today: date, limit: date, prefix: str = "") -> Q:
    """The rows of an open term in ``status`` on ``today`` (TERM-02 / TERM-03)."""
    if status == OVERDUE:
        return _due(prefix, "lt", today)
    if status == POSTPONED:
        return _due(prefix, "gte", today) & Q(**{f"{prefix}planned_end_on__lt": today})
    if status == DUE_SOON:
        return _due(prefix, "gte", today) & Q(**{f"{prefix}planned_end_on__gte": today}) & _due(prefix, "lte", limit)
    if status == NORMAL:
        return Q(**{f"{prefix}planned_end_on__gte": today}) & _due(prefix, "gt", limit)
    raise ValueError(status)


def status_case(*, today: date, limit: date, prefix: str = "") -> Case:
    return Case(
        When(Q(**{f"{prefix}id__isnull": True}), then=Value(NO_TERM)),
        *(When(status_q(s, today=today, limit=limit, prefix=prefix), then=Value(s)) for s in (OVERDUE, POSTPONED, DUE_SOON)),
        default=Value(NORMAL),
        output_field=CharField(),
    )  # fmt: skip


def ledger(
    *,
    user,
    today: date,
    warning_months: int,
    org: PartyOrg | None = None,
    status: str = "",
    year: int | None = None,
    search: str = "",
) -> QuerySet:
    """Organisations in the user's scope, each annotated with its current term (``cur_*``)
    and ``term_status``, past terms prefetched (``past_terms``, with their re-election)."""
    limit = due_soon_limit(today, warning_months)
    qs = (
        policies.party_orgs.queryset(user, VIEW)
        .filter(kind__in=TERM_KINDS)
        .annotate(cur=FilteredRelation("terms", condition=Q(terms__ended_on__isnull=True)))
        .annotate(
            cur_id=F("cur__id"),
            cur_number=F("cur__number"),
            cur_started_on=F("cur__started_on"),
            cur_planned_end_on=F("cur__planned_end_on"),
            cur_postponed_to=F("cur__postponed_to"),
            cur_approval_note=F("cur__approval_note"),
            term_status=status_case(today=today, limit=limit, prefix="cur__"),
        )
        .prefetch_related(
            Prefetch(
                "terms",
                queryset=Term.objects.filter(ended_on__isnull=False)
                .select_related("reelection")
                .order_by("-started_on"),
                to_attr="past_terms",
            )
        )
    )
    if org is not None:
        qs = qs.filter(path__startswith=org.path)
    if search:
        qs = qs.filter(
            Q(name__contains=search) | Q(short_name__contains=search) | Q(name_pinyin__startswith=search.lower())
        )
    if status in STATUS_LABELS:
        qs = qs.filter(term_status=status)
    if year:
        held = Reelection.objects.filter(closed_term__org=OuterRef("pk"), held_on__year=year)
        qs = qs.filter(
            Q(cur__postponed_to__year=year)
            | Q(cur__postponed_to__isnull=True, cur__planned_end_on__year=year)
            | Exists(held)
        )
    return qs


def term_counts(*, scope, today: date, warning_months: int) -> dict[str, int]:
    """Open terms in the scope that are overdue or due soon (one query). The indexed
    ``next_due_on`` narrows it first: it is never later than the re-election date, so
    every term due by ``limit`` has ``next_due_on <= limit``."""
    limit = due_soon_limit(today, warning_months)
    qs = Term.objects.filter(ended_on__isnull=True, next_due_on__lte=limit, org__path__startswith=scope.party_path)
    return qs.aggregate(
        overdue=Count("id", filter=status_q(OVERDUE, today=today, limit=limit)),
        due_soon=Count("id", filter=status_q(DUE_SOON, today=today, limit=limit)),
    )


# --- the list definition: page, export and print share these columns ---------------------------------------


def _years(org) -> str:
    if not org.cur_id:
        return ""
    return str(org.cur_planned_end_on.year - org.cur_started_on.year)


def past_reelections(org) -> str:
    parts = []
    for term in org.past_terms:
        election = getattr(term, "reelection", None)
        if election is not None:
            parts.append(f"{election.held_on.isoformat()}（应到{election.entitled}人，实到{election.present}人）")
        else:
            parts.append(term.ended_on.isoformat())
    return "；".join(parts)


def _approved(org) -> str:
    """The approved re-election date with the superior's approval (TERM-02)."""
    if not org.cur_postponed_to:
        return ""
    note = f"（{org.cur_approval_note}）" if org.cur_approval_note else ""
    return f"{org.cur_postponed_to.isoformat()}{note}"


def _number(org) -> str:
    return f"第{org.cur_number}届" if org.cur_id else ""


TERM_LEDGER = ListDefinition(
    name="党组织换届台账",
    columns=[
        Column(
            "name",
            "党组织",
            lambda o: o.short_name or o.name,
            sort="path",
            link=lambda o: reverse("orgs:org_terms", args=[o.pk]),
        ),
        Column("kind", "组织类型", lambda o: o.get_kind_display(), sort="kind"),
        Column("number", "届次", _number, sort="cur_number"),
        Column("started", "本届起始日期", lambda o: o.cur_started_on, sort="cur_started_on"),
        Column("years", "任期（年）", _years),
        Column("planned_end", "应换届日期", lambda o: o.cur_planned_end_on, sort="cur_planned_end_on"),
        Column("postponed", "批准延期（提前）至", _approved, sort="cur_postponed_to"),
        Column(
            "status",
            "状态",
            lambda o: STATUS_LABELS[o.term_status],
            sort="term_status",
            tag=lambda o: STATUS_TAGS[o.term_status],
        ),
        Column("past", "历次换届", past_reelections),
    ],
    default_sort="path",
    empty_text="没有符合条件的党组织。可调整查询条件，或在组织的换届页登记本届任期。",
)
