"""Reads for the statistics pages: reports restricted to the user's scope, drill-downs, charts.

Every organisation a report is computed for comes from the party-organisation
policy, and every drill-down list goes through the policy of the rows it lists
(members, recruitment records, organisations), so a cell's list never shows a
row outside the viewer's scope.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear, Substr

from accounts.scope import scope_of
from core import rule_settings
from core.policies import VIEW
from orgs import policies as org_policies
from orgs.models import PartyOrg
from people import policies as people_policies
from people.models import PartyMember
from stats import rules, sources, tables
from stats.membership import present_q, probationary_q, subtree_of


def report_orgs(user) -> QuerySet:
    """Organisations the user may report on (his scope's subtree)."""
    return org_policies.party_orgs.queryset(user, VIEW)


def scope_org(user) -> PartyOrg | None:
    """The organisation at the top of the user's scope (the default of every report)."""
    scope = scope_of(user)
    if scope is None or not scope.party_path:
        return None
    return report_orgs(user).filter(path=scope.party_path).first()


def report_for(*, org: PartyOrg, on: date) -> tables.Report:
    return tables.Report(
        org=org, on=on, subtree=subtree_of(org), split_2022=bool(rule_settings.value("SPLIT_2022_PERIOD"))
    )


def org_choices(*, user, org: PartyOrg) -> list[tuple[PartyOrg, str]]:
    """The ancestors of ``org`` inside the user's scope, ``org`` itself and its children (no groups), with depth."""
    scope = scope_of(user)
    top = len(scope.party_path) // PartyOrg.steplen if scope and scope.party_path else 1
    prefixes = [org.path[: PartyOrg.steplen * d] for d in range(top, org.depth + 1)]
    qs = (
        report_orgs(user)
        .filter(Q(path__in=prefixes) | Q(path__startswith=org.path, depth=org.depth + 1))
        .exclude(kind=PartyOrg.GROUP, depth__gt=org.depth)
        .order_by("path")
        .only("id", "name", "path", "depth", "kind")
    )
    return [(o, "\u3000" * (o.depth - top)) for o in qs]


# --- drill-down --------------------------------------------------------------------


@dataclass
class Drill:
    kind: str  # tables.MEMBERS / RECRUITS / ORGS / APPRAISALS
    queryset: QuerySet  # restricted to the viewer's scope
    counted: int | None  # how many the cell counts (None when not computed)


def drill(*, user, table: tables.StatTable, report: tables.Report, row: str, col: str) -> Drill:
    """The rows one cell counts, restricted to the user's scope. KeyError: no such cell."""
    qs = table.drill(report, row, col)
    if table.drill_kind == tables.MEMBERS:
        scoped = people_policies.party_members.queryset(user, VIEW, qs).select_related("person", "branch")
    elif table.drill_kind == tables.RECRUITS:
        from recruitment import policies as recruitment_policies

        scoped = recruitment_policies.recruitments.queryset(user, VIEW, qs).select_related("person", "branch")
    elif table.drill_kind == tables.APPRAISALS:
        scoped = qs.filter(member__in=people_policies.party_members.queryset(user, VIEW)).select_related(
            "member__person", "member__branch"
        )
    else:
        scoped = org_policies.party_orgs.queryset(user, VIEW, qs).select_related("unit")
    return Drill(kind=table.drill_kind, queryset=scoped, counted=None)


# --- the bulletin (公报) ----------------------------------------------------------------


@dataclass
class BulletinLine:
    label: str
    value: int
    share: float | None = None  # of the line's base, in %
    table: str = ""  # the table it comes from


@dataclass
class Bulletin:
    report: tables.Report
    members: int
    probationary: int
    female: int
    minority: int
    college: int
    recruits: int
    recruits_female: int
    recruits_35: int
    recruits_college: int
    ages: list[BulletinLine]
    admission: list[BulletinLine]
    jobs: list[BulletinLine]
    orgs: list[BulletinLine]
    pipeline: list[BulletinLine]
    results: dict

    pipeline_note: str = ""

    @staticmethod
    def pct(part: int, whole: int) -> str:
        return f"{part / whole * 100:.1f}%" if whole else "—"

    @property
    def female_pct(self) -> str:
        return self.pct(self.female, self.members)

    @property
    def minority_pct(self) -> str:
        return self.pct(self.minority, self.members)

    @property
    def college_pct(self) -> str:
        return self.pct(self.college, self.members)

    @property
    def recruits_female_pct(self) -> str:
        return self.pct(self.recruits_female, self.recruits)

    @property
    def recruits_35_pct(self) -> str:
        return self.pct(self.recruits_35, self.recruits)

    @property
    def recruits_college_pct(self) -> str:
        return self.pct(self.recruits_college, self.recruits)


def _share(lines: list[tuple[str, int]], whole: int, table: str) -> list[BulletinLine]:
    return [BulletinLine(label, n, (n / whole * 100) if whole else None, table) for label, n in lines]


def bulletin(report: tables.Report) -> Bulletin:
    """The one-page 党内统计公报 summary, derived from the same table queries (T02, T03, T04, T16, T24, T19, T20)."""
    results = {code: tables.TABLES[code].compute(report) for code in ("T02", "T03", "T04", "T16", "T24", "T19", "T20")}
    t02, t03, t04, t16, t24 = (results[c] for c in ("T02", "T03", "T04", "T16", "T24"))
    members = t02.value("total", "total")
    total_row = {c.key: v for c, v in zip(t02.columns, t02.rows[0].values, strict=True)}
    ages = [(label, sum(total_row[k] for k in keys)) for label, keys in rules.BULLETIN_AGE]
    t03_total = {c.key: v for c, v in zip(t03.columns, t03.rows[0].values, strict=True)}
    admission = [(label, sum(t03_total.get(k, 0) for k in keys)) for label, keys in rules.BULLETIN_ADMISSION]
    t02_rows = {r.row.key: r.values[0] for r in t02.rows}
    jobs = [(label, sum(t02_rows[c] for c in leaves)) for label, leaves in rules.BULLETIN_JOBS]
    t04_total = {c.key: v for c, v in zip(t04.columns, t04.rows[0].values, strict=True)}
    college = sum(t04_total[k.lower()] for k in rules.COLLEGE_OR_ABOVE)
    t16_total = {c.key: v for c, v in zip(t16.columns, t16.rows[0].values, strict=True)}
    recruits = t16_total["total"]
    t24_total = {c.key: v for c, v in zip(t24.columns, t24.rows[0].values, strict=True)}
    orgs = [
        BulletinLine("基层党委", t24_total["committees"], table="T24"),
        BulletinLine("党总支", t24_total["general_branches"], table="T24"),
        BulletinLine("党支部", t24_total["branches"], table="T24"),
    ]
    pipeline = [
        BulletinLine("入党申请人", results["T20"].value("total", "total"), table="T20"),
        BulletinLine("入党积极分子", results["T19"].value("total", "total"), table="T19"),
    ]
    return Bulletin(
        report=report,
        members=members,
        probationary=total_row["probationary"],
        female=total_row["female"],
        minority=total_row["minority"],
        college=college,
        recruits=recruits,
        recruits_female=t16_total["female"],
        recruits_35=t16_total["age_le25"] + t16_total["age_26_30"] + t16_total["age_31_35"],
        recruits_college=sum(t16_total[k.lower()] for k in rules.COLLEGE_OR_ABOVE),
        ages=_share(ages, members, "T02"),
        admission=_share(admission, members, "T03"),
        jobs=_share(jobs, members, "T02"),
        orgs=orgs,
        pipeline=pipeline,
        results=results,
        pipeline_note=sources.recruitment().note,
    )


# --- charts ------------------------------------------------------------------------------

RED = "#c0392b"
PALETTE = ["#c0392b", "#e67e22", "#f1c40f", "#27ae60", "#2980b9", "#8e44ad", "#16a085", "#7f8c8d"]


def _title(text: str) -> dict:
    return {"text": text, "left": "left", "textStyle": {"fontSize": 14}}


def bar_option(title: str, pairs: list[tuple[str, int]], *, horizontal: bool = True) -> str:
    labels, values = [p[0] for p in pairs], [p[1] for p in pairs]
    if horizontal:
        labels, values = labels[::-1], values[::-1]
        axes = {
            "xAxis": {"type": "value"},
            "yAxis": {"type": "category", "data": labels, "axisLabel": {"width": 110, "overflow": "truncate"}},
            "grid": {"left": 120, "right": 30, "top": 40, "bottom": 20},
        }
    else:
        axes = {
            "xAxis": {"type": "category", "data": labels, "axisLabel": {"interval": 0, "rotate": 30}},
            "yAxis": {"type": "value"},
            "grid": {"left": 50, "right": 20, "top": 40, "bottom": 60},
        }
    option = {"title": _title(title), "tooltip": {"trigger": "axis"}, **axes,
              "series": [{"type": "bar", "data": values, "itemStyle": {"color": RED}, "name": "人数"}]}  # fmt: skip
    return json.dumps(option, ensure_ascii=False)


def pie_option(title: str, pairs: list[tuple[str, int]]) -> str:
    option = {
        "title": _title(title),
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}人（{d}%）"},
        "legend": {"bottom": 0, "type": "scroll"},
        "color": PALETTE,
        "series": [{"type": "pie", "radius": ["38%", "65%"], "data": [{"name": n, "value": v} for n, v in pairs]}],
    }
    return json.dumps(option, ensure_ascii=False)


def funnel_option(title: str, pairs: list[tuple[str, int]]) -> str:
    option = {
        "title": _title(title),
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}人"},
        "color": PALETTE,
        "series": [
            {
                "type": "funnel",
                "sort": "none",
                "top": 40,
                "bottom": 10,
                "minSize": "20%",
                # ECharts sizes a funnel between 0 and 100 unless told: a district with
                # hundreds at each stage would draw every stage at full width
                "min": 0,
                "max": max((v for _, v in pairs), default=0) or 1,
                "label": {"formatter": "{b}\n{c}人"},
                "data": [{"name": n, "value": v} for n, v in pairs],
            }
        ],
    }
    return json.dumps(option, ensure_ascii=False)


def trend_option(title: str, years: list[int], members: list[int], recruits: list[int]) -> str:
    option = {
        "title": _title(title),
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "data": ["年底党员数", "当年发展党员"]},
        "grid": {"left": 60, "right": 50, "top": 45, "bottom": 55},
        "xAxis": {"type": "category", "data": [str(y) for y in years]},
        "yAxis": [{"type": "value"}, {"type": "value", "splitLine": {"show": False}}],
        "series": [
            {"name": "年底党员数", "type": "line", "data": members, "itemStyle": {"color": RED}, "smooth": True},
            {
                "name": "当年发展党员",
                "type": "bar",
                "yAxisIndex": 1,
                "data": recruits,
                "itemStyle": {"color": "#e67e22"},
            },
        ],
    }
    return json.dumps(option, ensure_ascii=False)


def members_by_child(report: tables.Report, limit: int = 15) -> list[tuple[str, int]]:
    """Members on the as-of date under each child organisation (by the current branch), largest first."""
    org = report.org
    step = len(org.path) + PartyOrg.steplen
    children = {
        path: short or name
        for path, short, name in PartyOrg.objects.filter(path__startswith=org.path, depth=org.depth + 1)
        .exclude(kind=PartyOrg.GROUP)
        .values_list("path", "short_name", "name")
    }
    if not children:
        return []
    rows = (
        PartyMember.objects.filter(present_q(report.on), report.subtree.current_branch_q())
        .annotate(child=Substr("branch__path", 1, step))
        .values("child")
        .annotate(n=Count("*"))
        .order_by("-n")
    )
    return [(children[r["child"]], r["n"]) for r in rows if r["child"] in children][:limit]


def overview_counts(report: tables.Report) -> dict:
    """Age bands, education columns, status and sex of the members on the date: one aggregate query."""
    on = report.on
    cols = [
        tables.Col("total", ("总数",)),
        tables.Col("probationary", ("预备党员",), probationary_q(on)),
        tables.Col("female", ("女",), tables.female_q()),
        *tables.age_cols(on, rules.AGE_BANDS_MEMBERS),
        *tables.education_cols(),
    ]
    values = tables.aggregate_parts(
        PartyMember.objects.filter(report.subtree.member_on_q(on)),
        report.subtree.parts(),
        {c.key: tables._count(c.q, tables.MEMBER_COUNT) for c in cols},
    )
    return {"values": values, "ages": [(b.label, values[b.key]) for b in rules.AGE_BANDS_MEMBERS],
            "education": [(c.header[-1], values[c.key]) for c in cols if c.header[0] == "学历"]}  # fmt: skip


def pipeline_counts(report: tables.Report) -> list[tuple[str, int]] | None:
    """入党申请人 → 入党积极分子 → 发展对象 on the date (from the recruitment records); None when not recorded."""
    source = sources.recruitment()
    if not source.available:
        return None
    stages = [
        (t.title.removesuffix("情况"), t) for t in (tables.TABLES["T20"], tables.TABLES["T19"], tables.TABLES["T18"])
    ]
    qs = source.model.objects.filter(branch__path__startswith=report.org.path)
    on = report.on
    values = qs.aggregate(
        **{
            t.code: Count(
                "pk",
                filter=Q(**{f"{t.stage_from}__lte": on})
                & (Q(**{f"{t.stage_until}__isnull": True}) | Q(**{f"{t.stage_until}__gt": on})),
            )
            for _, t in stages
        }
    )
    return [(label, values[t.code]) for label, t in stages]


def trend(report: tables.Report, years: int = 10) -> tuple[list[int], list[int], list[int]]:
    """Members at each year end (the current year: the as-of date) and recruits per year:
    two queries per part of the subtree (Subtree.parts)."""
    last = report.on.year
    span = list(range(last - years + 1, last + 1))
    ends = {y: (date(y, 12, 31) if y < last else report.on) for y in span}
    s = report.subtree
    counts = tables.aggregate_parts(
        PartyMember.objects.all(),
        s.parts(),
        {f"y{y}": tables._count(s.member_on_q(d), tables.MEMBER_COUNT) for y, d in ends.items()},
    )
    recruited = Counter()
    for row in tables.grouped_parts(  # per part: an OR across them would scan every member
        PartyMember.objects.filter(
            s.initial_branch_q(),
            joined_way="RECRUITED",
            admitted_on__gte=date(span[0], 1, 1),
            admitted_on__lte=report.on,
        ),
        s.parts(),
        {"year": ExtractYear("admitted_on")},
        {"n": Count("*")},
    ):
        recruited[row["year"]] += row["n"]
    return span, [counts[f"y{y}"] for y in span], [recruited.get(y, 0) for y in span]


def charts(report: tables.Report, *, overview: dict | None = None, by_org: bool = True) -> list[str]:
    """The overview charts of a report: by organisation, age, education, pipeline, trend (ECharts options)."""
    result = []
    by_child = members_by_child(report) if by_org else []
    if by_child:
        result.append(bar_option("各下级组织党员人数", by_child))
    overview = overview or overview_counts(report)
    if overview["values"]["total"]:
        result.append(bar_option("党员年龄结构", overview["ages"], horizontal=False))
        result.append(pie_option("党员学历结构", overview["education"]))
    pipeline = pipeline_counts(report)
    if pipeline is not None:
        pipeline.append(("预备党员", overview["values"]["probationary"]))
        result.append(funnel_option("发展党员梯队", pipeline))
    years, members, recruits = trend(report)
    result.append(trend_option("近十年党员数量与发展党员", years, members, recruits))
    return result


def dashboard_charts(scope, today: date, *, by_org: bool = True) -> list[str]:
    """Charts for the home page of a party reader: the scope's organisation as of ``today``.

    Members by organisation (unless ``by_org`` is False: the home page may draw its
    own), by age band, by education, the recruitment pipeline (when recorded) and
    the ten-year trend. A fixed number of aggregate queries (about eight) whatever
    the district's size.
    """
    if scope is None or not scope.party_path or scope.is_member:
        return []
    org = PartyOrg.objects.filter(path=scope.party_path).first()
    if org is None:
        return []
    return charts(report_for(org=org, on=today), by_org=by_org)
