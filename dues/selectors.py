"""Reads of the dues area, restricted to the user's scope. Totals are summed in SQL."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from core.dates import add_months
from core.findings import Finding
from core.policies import VIEW
from dues import policies, rules
from dues.models import PARTY, DuesLine, DuesPayment, DuesReduction
from people.selectors import name_search_q

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def roll_lines(
    *, user, scheme: str, month: date, org=None, search: str = "", status: str = "", action: str = VIEW
) -> QuerySet:
    """The lines of ``month``'s rolls in scope (under ``org`` when given)."""
    qs = policies.lines.queryset(user, action).filter(scheme=scheme, month=month)
    if org is not None:
        prefix = "roll__party_org__" if scheme == PARTY else "roll__union_org__"
        qs = qs.filter(**{f"{prefix}path__startswith": org.path})
    if search:
        qs = qs.filter(name_search_q(search, "person__"))
    if status == "paid":
        qs = qs.filter(payment__isnull=False)
    elif status == "unpaid":
        qs = qs.filter(payment__isnull=True, due__gt=0)
    elif status == "missing":
        qs = qs.filter(base__isnull=True).exclude(kind__in=rules.FLAT_KINDS)
    return qs.select_related("person", "roll__party_org", "roll__union_org", "payment", "reduction")


@dataclass(frozen=True)
class Totals:
    count: int
    due: Decimal
    paid: Decimal
    unpaid_count: int
    missing_base: int

    @property
    def arrears(self) -> Decimal:
        return self.due - self.paid


def totals(qs: QuerySet) -> Totals:
    """Due, paid (due of the settled lines) and arrears of a line queryset, in one query."""
    row = qs.order_by().aggregate(
        count=Count("id"),
        due_sum=Coalesce(Sum("due"), Value(ZERO), output_field=_MONEY),
        paid_sum=Coalesce(Sum("due", filter=Q(payment__isnull=False)), Value(ZERO), output_field=_MONEY),
        unpaid=Count("id", filter=Q(payment__isnull=True, due__gt=0)),
        missing=Count("id", filter=Q(base__isnull=True) & ~Q(kind__in=rules.FLAT_KINDS)),
    )
    return Totals(row["count"], row["due_sum"], row["paid_sum"], row["unpaid"], row["missing"])


def payments_total(*, user, scheme: str, month: date | None = None, batch: str = "") -> Decimal:
    """Sum of payment amounts less voluntary extras (what settles dues), for reconciliation."""
    qs = policies.payments.queryset(user, VIEW).filter(scheme=scheme)
    if batch:
        qs = qs.filter(batch=batch)
    if month is not None:
        qs = qs.filter(lines__month=month).distinct()
    row = qs.aggregate(
        amount=Coalesce(Sum("amount"), Value(ZERO), output_field=_MONEY),
        extra=Coalesce(Sum("voluntary_extra"), Value(ZERO), output_field=_MONEY),
    )
    return row["amount"] - row["extra"]


@dataclass
class ArrearsCase:
    person_id: int
    name: str
    org_name: str
    months: int
    amount: Decimal
    finding: Finding


def arrears_streaks(*, user, scheme: str = PARTY, today: date, lookback_months: int = 24) -> list[ArrearsCase]:
    """DUES-09: members with six or more consecutive completed months unpaid and no recorded
    reason. Only unsettled lines are read (one query): a month with no roll line, a paid
    month and a month with nothing due all count as settled."""
    start = add_months(today.replace(day=1), -lookback_months)
    rows = (
        policies.lines.queryset(user, VIEW)
        .filter(scheme=scheme, month__gte=start, month__lt=today.replace(day=1), payment__isnull=True, due__gt=0)
        .order_by()
        .values_list("person_id", "person__name", "roll__party_org__name", "roll__union_org__name", "month",
                     "excused_reason", "due")
    )  # fmt: skip
    by_person: dict[int, dict] = defaultdict(lambda: {"unpaid": {}, "excused": set(), "name": "", "org": ""})
    for person_id, name, party_org, union_org, month, excused, due in rows:
        entry = by_person[person_id]
        entry["name"], entry["org"] = name, party_org or union_org
        if excused:
            entry["excused"].add(month)
        else:
            entry["unpaid"][month] = due
    cases = []
    for person_id, entry in by_person.items():
        unpaid = entry["unpaid"]
        if len(unpaid) < rules.UNPAID_MONTHS_LIMIT:
            continue
        first = min(unpaid)
        settled = [m for m in rules.due_months(first_due=first, until=today) if m not in unpaid]
        findings = rules.check_unpaid_streaks(
            first_due=first, paid_months=settled, excused_months=entry["excused"], today=today
        )
        for finding in findings:
            streak = [date.fromisoformat(m) for m in finding.extra["months"]]
            amount = sum((unpaid[m] for m in streak), ZERO)
            cases.append(ArrearsCase(person_id, entry["name"], entry["org"], len(streak), amount, finding))
    cases.sort(key=lambda c: (-c.months, c.org_name, c.name))
    return cases


@dataclass(frozen=True)
class ReportLine:
    person_id: int
    name: str
    months: int
    due: Decimal
    paid: Decimal

    @property
    def arrears(self) -> Decimal:
        return self.due - self.paid


def collection_report(*, user, branch, year: int) -> tuple[rules.CollectionReport, list[ReportLine], dict]:
    """DUES-11: the yearly collection report of one branch: one line per member (one
    GROUP BY query), aggregated by the pure ``rules.collection_report`` so it reconciles;
    plus voluntary extras and money remitted in full (DUES-10)."""
    qs = (
        policies.lines.queryset(user, VIEW)
        .filter(scheme=PARTY, roll__party_org=branch, month__year=year)
        .order_by()
        .values("person_id", "person__name", "person__name_pinyin")
        .annotate(
            n=Count("id"),
            due_sum=Coalesce(Sum("due"), Value(ZERO), output_field=_MONEY),
            paid_sum=Coalesce(Sum("due", filter=Q(payment__isnull=False)), Value(ZERO), output_field=_MONEY),
        )
        .order_by("person__name_pinyin", "person_id")
    )
    lines = [ReportLine(r["person_id"], r["person__name"], r["n"], r["due_sum"], r["paid_sum"]) for r in qs]
    report = rules.collection_report(
        [rules.DuesRow(member=f"{line.name}#{line.person_id}", due=line.due, paid=line.paid) for line in lines],
        branch=branch.name,
        year=year,
    )
    extras = (
        DuesPayment.objects.filter(scheme=PARTY, lines__roll__party_org=branch, paid_on__year=year)
        .distinct()
        .aggregate(
            extra=Coalesce(Sum("voluntary_extra"), Value(ZERO), output_field=_MONEY),
            remit=Coalesce(Sum("voluntary_extra", filter=Q(remit_in_full=True)), Value(ZERO), output_field=_MONEY),
        )
    )
    return report, lines, extras


def reductions(*, user, status: str = "") -> QuerySet:
    qs = policies.reductions.queryset(user, VIEW).select_related("person", "branch")
    if status:
        qs = qs.filter(status=status)
    return qs


def member_lines(*, person_id: int, scheme: str, year: int) -> QuerySet:
    return (
        DuesLine.objects.filter(person_id=person_id, scheme=scheme, month__year=year)
        .select_related("payment")
        .order_by("month")
    )


def reduction_open_count(*, user) -> int:
    return (
        policies.reductions.queryset(user, VIEW)
        .filter(status__in=[DuesReduction.PENDING, DuesReduction.STUDIED])
        .count()
    )
