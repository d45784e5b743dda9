"""Reads of the union area, restricted to the user's scope; counts and sums in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from accounts.scope import scope_of
from core.policies import VIEW
from dues.models import UNION as UNION_SCHEME
from dues.models import DuesLine
from orgs import policies as org_policies
from orgs.models import UnionOrg, Unit
from people import policies as people_policies
from people.models import UnionMember
from people.selectors import name_search_q
from union import policies, rules
from union.models import (
    AssistanceAid,
    AssistanceCase,
    CongressSession,
    Disclosure,
    WelfareGrant,
    WelfareGrantLine,
    WorkersHome,
)

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _sum(field: str, **filters) -> Coalesce:
    expr = Sum(field, filter=Q(**filters)) if filters else Sum(field)
    return Coalesce(expr, Value(ZERO), output_field=_MONEY)


# ---------------------------------------------------------------- membership


def union_members(*, user, search: str = "", org=None, include_left: bool = False) -> QuerySet:
    qs = people_policies.union_members.queryset(user, VIEW).select_related("person", "person__unit", "union_org")
    if not include_left:
        qs = qs.filter(left_on__isnull=True)
    if org is not None:
        qs = qs.filter(union_org__path__startswith=org.path)
    if search:
        qs = qs.filter(name_search_q(search, "person__"))
    return qs


def grassroots_unions(*, user) -> QuerySet:
    return org_policies.union_orgs.queryset(user, VIEW).filter(kind=UnionOrg.GRASSROOTS).order_by("path")


@dataclass
class RateRow:
    union: UnionOrg
    members: int
    staff: int

    @property
    def rate(self) -> Decimal | None:
        """UNION-11 membership rate (members ÷ staff of the union's units); None when it
        cannot be computed (no staff recorded, or more members than staff)."""
        if self.staff < 1 or self.members > self.staff:
            return None
        return rules.membership_rate(member_count=self.members, staff_count=self.staff)


def membership_rates(*, user) -> list[RateRow]:
    """Members ÷ staff per union in scope (each union counts its subtree): three queries."""
    unions = list(org_policies.union_orgs.queryset(user, VIEW).order_by("path").only("id", "path", "name", "kind"))
    if not unions:
        return []
    root = unions[0].path
    members = dict(
        UnionMember.objects.filter(left_on__isnull=True, union_org__path__startswith=root)
        .values_list("union_org_id")
        .annotate(n=Count("id"))
    )
    staff = dict(
        Unit.objects.filter(union_org__path__startswith=root).values_list("union_org_id").annotate(n=Sum("staff_count"))
    )
    by_path = {u.path: u for u in unions}
    member_totals = {u.pk: members.get(u.pk, 0) for u in unions}
    staff_totals = {u.pk: staff.get(u.pk, 0) or 0 for u in unions}
    for union in sorted(unions, key=lambda u: u.path, reverse=True):
        parent = by_path.get(union.path[: -UnionOrg.steplen])
        if parent is not None:
            member_totals[parent.pk] += member_totals[union.pk]
            staff_totals[parent.pk] += staff_totals[union.pk]
    return [RateRow(u, member_totals[u.pk], staff_totals[u.pk]) for u in unions]


def union_member_and_staff(union: UnionOrg) -> tuple[int, int]:
    """Members and staff of one union's subtree (two queries)."""
    members = UnionMember.objects.filter(left_on__isnull=True, union_org__path__startswith=union.path).count()
    staff = Unit.objects.filter(union_org__path__startswith=union.path).aggregate(n=Sum("staff_count"))["n"] or 0
    return members, staff


# ---------------------------------------------------------------- hardship


def cases(*, user, state: str = "", category: str = "", search: str = "", open_only: bool = False) -> QuerySet:
    qs = policies.cases.queryset(user, VIEW).select_related("member__person", "union_org", "owner")
    if state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(category=category)
    if open_only:
        qs = qs.exclude(state__in=[rules.RESOLVED, rules.EXITED])
    if search:
        qs = qs.filter(name_search_q(search, "member__person__"))
    return qs


def case_register_counts(*, user, today: date) -> dict:
    """The district register's counts: open cases by category, by state, overdue rechecks,
    and this year's aid (two queries)."""
    qs = policies.cases.queryset(user, VIEW)
    open_q = ~Q(state__in=[rules.RESOLVED, rules.EXITED])
    counts = qs.aggregate(
        total=Count("id"),
        open=Count("id", filter=open_q),
        deep=Count("id", filter=open_q & Q(category=AssistanceCase.DEEP)),
        relative=Count("id", filter=open_q & Q(category=AssistanceCase.RELATIVE)),
        accident=Count("id", filter=open_q & Q(category=AssistanceCase.ACCIDENT)),
        unclassified=Count("id", filter=open_q & Q(category="")),
        overdue=Count("id", filter=Q(state__in=rules.RECHECK_STATES, recheck_due_on__lt=today)),
        resolved=Count("id", filter=Q(state=rules.RESOLVED)),
        exited=Count("id", filter=Q(state=rules.EXITED)),
    )
    counts.update(
        AssistanceAid.objects.filter(case__in=qs, given_on__year=today.year).aggregate(
            aids=Count("id"), aid_total=_sum("amount")
        )
    )
    return counts


# ---------------------------------------------------------------- welfare


def grants(*, user, year: int | None = None, category: str = "", org=None) -> QuerySet:
    qs = policies.grants.queryset(user, VIEW).select_related("union_org")
    if year:
        qs = qs.filter(year=year)
    if category:
        qs = qs.filter(category=category)
    if org is not None:
        qs = qs.filter(union_org__path__startswith=org.path)
    return qs


@dataclass
class WelfareRow:
    union: UnionOrg
    members: int
    recipients: int
    festival: Decimal
    care: Decimal
    grants: int

    @property
    def total(self) -> Decimal:
        return self.festival + self.care

    @property
    def per_member(self) -> Decimal:
        return rules.round_money(self.total / self.members) if self.members else ZERO


def welfare_summary(*, user, year: int) -> tuple[list[WelfareRow], WelfareRow | None]:
    """The yearly welfare summary per grassroots union in scope, with a total row.
    Three queries whatever the size (sums per union in SQL)."""
    scope = scope_of(user)
    if scope is None or not scope.is_union_admin or not scope.union_path:
        return [], None
    unions = list(
        UnionOrg.objects.filter(path__startswith=scope.union_path, kind=UnionOrg.GRASSROOTS)
        .order_by("path")
        .only("id", "path", "name", "short_name")
    )
    sums = {
        r["union_org_id"]: r
        for r in WelfareGrantLine.objects.filter(year=year, union_org__path__startswith=scope.union_path)
        .values("union_org_id")
        .annotate(
            festival=_sum("amount", category=WelfareGrant.FESTIVAL),
            care=_sum("amount", category=WelfareGrant.CARE),
            recipients=Count("person_id", distinct=True),
            grants=Count("grant_id", distinct=True),
        )
        .order_by()
    }
    members = dict(
        UnionMember.objects.filter(left_on__isnull=True, union_org__path__startswith=scope.union_path)
        .values_list("union_org_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = []
    for union in unions:
        s = sums.get(union.pk, {})
        rows.append(
            WelfareRow(
                union=union,
                members=members.get(union.pk, 0),
                recipients=s.get("recipients", 0),
                festival=s.get("festival", ZERO),
                care=s.get("care", ZERO),
                grants=s.get("grants", 0),
            )  # fmt: skip
        )
    if not rows:
        return [], None
    total = WelfareRow(
        union=UnionOrg(name="合计"), members=sum(r.members for r in rows), recipients=sum(r.recipients for r in rows),
        festival=sum((r.festival for r in rows), ZERO), care=sum((r.care for r in rows), ZERO),
        grants=sum(r.grants for r in rows),
    )  # fmt: skip
    return rows, total


def welfare_by_member(*, user, union: UnionOrg, year: int) -> QuerySet:
    """Per member of ``union`` (in scope): festival and care received in ``year``, one query."""
    return (
        union_members(user=user, org=union)
        .annotate(
            festival=_sum(
                "person__welfare_lines__amount",
                person__welfare_lines__year=year,
                person__welfare_lines__category=WelfareGrant.FESTIVAL,
            ),
            care=_sum(
                "person__welfare_lines__amount",
                person__welfare_lines__year=year,
                person__welfare_lines__category=WelfareGrant.CARE,
            ),
        )  # fmt: skip
        .order_by("person__name_pinyin", "id")
    )


def member_welfare_lines(*, person_id: int, year: int) -> QuerySet:
    return WelfareGrantLine.objects.filter(person_id=person_id, year=year).select_related("grant", "union_org")


# ---------------------------------------------------------------- congress, openness


def sessions(*, user) -> QuerySet:
    return (
        policies.sessions.queryset(user, VIEW)
        .select_related("union_org")
        .annotate(delegate_count=Count("delegates", distinct=True), motion_count=Count("motions", distinct=True))
    )


def disclosures(*, user) -> QuerySet:
    return policies.disclosures.queryset(user, VIEW).select_related("union_org")


def published_for(member: UnionMember) -> QuerySet:
    return (
        Disclosure.objects.filter(policies.published_for_member_q(member.union_org.path))
        .select_related("union_org")
        .order_by("-published_on", "-id")
    )


# ---------------------------------------------------------------- workers' home


def evidence_counts(home: WorkersHome) -> dict[str, str]:
    """Evidence the system already holds for a union in the round's year, per source:
    a fixed handful of queries (one per source), whatever the union's size."""
    union, year = home.union_org, home.round.year
    sources = set(home.round.criteria.exclude(evidence_source="").values_list("evidence_source", flat=True))
    subtree = Q(union_org__path__startswith=union.path)
    out: dict[str, str] = {}
    if "MEMBERSHIP" in sources:
        members, staff = union_member_and_staff(union)
        rate = RateRow(union, members, staff).rate
        out["MEMBERSHIP"] = f"会员{members}人，职工{staff}人，入会率{rate if rate is not None else '—'}%"
    if "CONGRESS" in sources:
        n = CongressSession.objects.filter(subtree, held_on__year=year).aggregate(
            n=Count("id", distinct=True), motions=Count("motions")
        )
        out["CONGRESS"] = f"本年度召开职工代表大会{n['n']}次，提案{n['motions']}件"
    if "DISCLOSURE" in sources:
        n = Disclosure.objects.filter(subtree, published_on__year=year).count()
        out["DISCLOSURE"] = f"本年度公开政务事项{n}项"
    if "HARDSHIP" in sources:
        n = AssistanceCase.objects.filter(subtree).aggregate(
            cases=Count("id", distinct=True), aids=Count("aids", filter=Q(aids__given_on__year=year))
        )
        out["HARDSHIP"] = f"困难职工帮扶档案{n['cases']}份，本年度帮扶{n['aids']}次"
    if "WELFARE" in sources:
        n = WelfareGrant.objects.filter(subtree, year=year).aggregate(n=Count("id"), total=_sum("total"))
        out["WELFARE"] = f"本年度慰问福利发放{n['n']}次，共{n['total']:,.2f}元"
    if "ACTIVITIES" in sources:
        from activities.models import Activity

        n = Activity.objects.filter(subtree, starts_at__year=year, cancelled=False).aggregate(
            n=Count("id", distinct=True), people=Count("registrations")
        )
        out["ACTIVITIES"] = f"本年度主办文体活动{n['n']}次，报名{n['people']}人次"
    if "DUES" in sources:
        n = DuesLine.objects.filter(
            scheme=UNION_SCHEME, month__year=year, roll__union_org__path__startswith=union.path
        ).aggregate(due_sum=_sum("due"), paid_sum=_sum("due", payment__isnull=False))
        rate = rules.round_money(n["paid_sum"] * 100 / n["due_sum"]) if n["due_sum"] else None
        out["DUES"] = f"本年度应收会费{n['due_sum']:,.2f}元，实收{n['paid_sum']:,.2f}元" + (
            f"，收缴率{rate}%" if rate is not None else ""
        )
    return out


def ranking(home_round) -> list[tuple[int, WorkersHome]]:
    """Reviewed homes of a round by review score, ties sharing a rank (1, 2, 2, 4)."""
    homes = list(
        home_round.homes.filter(status=WorkersHome.REVIEWED)
        .select_related("union_org")
        .order_by("-review_total", "union_org__path")
    )
    ranked, last_score, rank = [], None, 0
    for index, home in enumerate(homes, start=1):
        if home.review_total != last_score:
            rank, last_score = index, home.review_total
        ranked.append((rank, home))
    return ranked


def online_vote_totals(votes) -> dict[int, dict]:
    """For online votes (``ballot_id`` set): the ballot's status and, once it is closed, its
    totals — one query for all of them."""
    from ballots.models import BallotItem

    ids = [v.ballot_id for v in votes if v.ballot_id]
    if not ids:
        return {}
    out = {}
    for item in BallotItem.objects.filter(ballot_id__in=ids).select_related("ballot").order_by("position"):
        ballot = item.ballot
        closed = ballot.status == ballot.CLOSED and item.in_favour is not None
        out.setdefault(ballot.pk, {
            "status": ballot.get_status_display(), "closed": closed, "yes": item.in_favour, "no": item.against,
            "abstain": item.abstain, "passed": closed and item.in_favour * 2 > ballot.entitled,
        })  # fmt: skip
    return out
