"""The 党内统计 tables of formats/party-statistics.md, computed in the database.

Each table names its columns once (a header path for the merged headers and a
filter), its rows (the 职业 tree, the T01 items, units …) and its base rows (the
members, recruitment records or organisations it counts, for a subtree on a
date). ``compute`` runs one or a few aggregate queries —
``values(<row key>).annotate(<column>=Count("*", filter=Q(...)))`` — and the same
definitions give each cell's drill-down queryset, so a cell and its list can
never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, Substr

from core.dates import add_months
from orgs.models import PartyOrg, Term
from people import codes
from people.models import PartyMember, Transfer
from stats import rules, sources
from stats.membership import Subtree, internal_transfers, probationary_q

MEMBERS, RECRUITS, ORGS, APPRAISALS = "members", "recruits", "orgs", "appraisals"


# --- shapes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    key: str
    header: tuple[str, ...]  # merged header path, top first
    q: Q | None = None  # None: every base row


@dataclass(frozen=True)
class RowDef:
    key: str
    label: str
    level: int = 0
    number: str = ""  # 行次
    kind: str = "leaf"  # total | group | leaf | sub | derived
    drill: bool = True


@dataclass(frozen=True)
class HeaderCell:
    label: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class ResultRow:
    row: RowDef
    values: list[int | None]


@dataclass(frozen=True)
class Report:
    """What every table is computed for: an organisation subtree on an as-of date."""

    org: PartyOrg
    on: date
    subtree: Subtree
    split_2022: bool = False

    @property
    def period(self) -> rules.Period:
        return rules.period_of(self.on)


@dataclass
class TableResult:
    table: StatTable
    report: Report
    columns: list[Col]
    rows: list[ResultRow]
    checks: list[rules.Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.table.code

    @property
    def title(self) -> str:
        return self.table.title

    @property
    def header_rows(self) -> list[list[HeaderCell]]:
        return header_rows(self.columns)

    @property
    def header_depth(self) -> int:
        return max(len(c.header) for c in self.columns)

    @property
    def checks_ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def value(self, row_key: str, col_key: str) -> int | None:
        index = [c.key for c in self.columns].index(col_key)
        for r in self.rows:
            if r.row.key == row_key:
                return r.values[index]
        raise KeyError(row_key)


def header_rows(columns: list[Col]) -> list[list[HeaderCell]]:
    """The merged header: adjacent columns sharing a header prefix share its cell."""
    depth = max(len(c.header) for c in columns)
    levels: list[list[HeaderCell]] = []
    for level in range(depth):
        cells, j = [], 0
        while j < len(columns):
            head = columns[j].header
            if level >= len(head):
                j += 1
                continue
            k = j + 1
            while (
                k < len(columns)
                and len(columns[k].header) > level
                and columns[k].header[: level + 1] == head[: level + 1]
                and level < len(head) - 1
            ):
                k += 1
            rowspan = depth - level if level == len(head) - 1 else 1
            cells.append(HeaderCell(head[level], colspan=k - j, rowspan=rowspan))
            j = k
        levels.append(cells)
    return levels


def _count(q: Q | None, field: str = "pk"):
    """COUNT(*) / COUNT(field) FILTER (WHERE q). Member tables count ``person_id`` rather than the id: it is
    never null and lies in the proposed covering index, so PostgreSQL can answer from indexes alone."""
    return Count("*") if q is None else Count(field, filter=q)


MEMBER_COUNT = "person_id"


def aggregate_parts(qs: QuerySet, parts: list[Q], aggregates: dict) -> dict:
    """``qs.aggregate(**aggregates)`` once per disjoint part (see ``Subtree.parts``), counts added up."""
    total: dict = {}
    for part in parts:
        for key, value in qs.filter(part).aggregate(**aggregates).items():
            total[key] = total.get(key, 0) + (value or 0)
    return total


def grouped_parts(qs: QuerySet, parts: list[Q], values: dict, aggregates: dict) -> list[dict]:
    """The group rows of ``values(**values).annotate(**aggregates)`` of every part (callers add them up)."""
    rows: list[dict] = []
    for part in parts:
        rows.extend(qs.filter(part).values(**values).annotate(**aggregates).order_by())
    return rows


def _between(field_name: str, earliest_exclusive: date | None, latest_inclusive: date | None) -> Q:
    q = Q()
    if earliest_exclusive is not None:
        q &= Q(**{f"{field_name}__gt": earliest_exclusive})
    if latest_inclusive is not None:
        q &= Q(**{f"{field_name}__lte": latest_inclusive})
    return q


def _in_period(field_name: str, period: rules.Period) -> Q:
    return Q(**{f"{field_name}__gte": period.year_start, f"{field_name}__lte": period.on})


# --- column builders (``p`` is the path from the base row to its Person) ------------------


def age_cols(on: date, bands: Iterable[rules.Band], p: str = "person__") -> list[Col]:
    return [Col(b.key, ("年龄", b.label), _between(f"{p}birth_date", *rules.born_range(on, b))) for b in bands]


def education_cols(p: str = "person__", group: str = "学历") -> list[Col]:
    return [Col(key.lower(), (group, label), Q(**{f"{p}education__in": list(codes_)}))
            for key, label, codes_ in codes.EDUCATION_COLUMNS]  # fmt: skip


def female_q(p: str = "person__") -> Q:
    return Q(**{f"{p}gender": "F"})


def minority_q(p: str = "person__") -> Q:
    # 少数民族: the 55 recognised minorities (not 汉族, not 其他/未识别)
    return ~Q(**{f"{p}ethnicity__in": ["汉族", "其他"]})


# --- the 职业 tree rows -------------------------------------------------------------------


def _job_depth(code: str) -> int:
    depth = 0
    while codes.JOB_PARENTS[code]:
        code = codes.JOB_PARENTS[code]
        depth += 1
    return depth


def job_leaves(code: str) -> list[str]:
    """The leaf codes under ``code`` (itself when a leaf)."""
    result = []
    for leaf in codes.JOB_LEAVES:
        node = leaf
        while node:
            if node == code:
                result.append(leaf)
                break
            node = codes.JOB_PARENTS[node]
    return result


MIGRANT_LABEL = {"2": "其中：外出务工经商人员"}
TOP_JOB_GROUPS = [code for code, _, parent in codes.JOB_TREE if parent is None]


def job_tree_rows() -> list[RowDef]:
    rows = [RowDef("total", "总计", 0, kind="total")]
    for code, label, _parent in codes.JOB_TREE:
        depth = _job_depth(code)
        rows.append(RowDef(code, label, depth, kind="leaf" if code in codes.JOB_LEAVES else "group"))
        if code in codes.JOB_MIGRANT_SUBCOUNT:
            rows.append(RowDef(f"{code}m", MIGRANT_LABEL.get(code, "其中：农民工"), depth + 1, kind="sub"))
    return [RowDef(r.key, r.label, r.level, str(i), r.kind) for i, r in enumerate(rows, 1)]


def job_row_q(row_key: str, p: str = "person__") -> Q:
    if row_key == "total":
        return Q()
    if row_key.endswith("m"):
        code = row_key[:-1]
        return Q(**{f"{p}job_code": code, f"{p}is_migrant_worker": True})
    if row_key not in codes.JOB_LABEL:
        raise KeyError(row_key)
    return Q(**{f"{p}job_code__in": job_leaves(row_key)})


# --- tables -------------------------------------------------------------------------------


class StatTable:
    code = ""
    title = ""
    unit = "人"
    drill_kind = MEMBERS
    row_heading = "项目"

    def columns(self, report: Report) -> list[Col]:
        raise NotImplementedError

    def compute(self, report: Report) -> TableResult:
        raise NotImplementedError

    def drill(self, report: Report, row_key: str, col_key: str) -> QuerySet:
        """The rows a cell counts (not yet restricted to the viewer's scope). KeyError: no such cell."""
        raise NotImplementedError

    def _col(self, report: Report, col_key: str) -> Col:
        for c in self.columns(report):
            if c.key == col_key:
                return c
        raise KeyError(col_key)


class JobTreeTable(StatTable):
    """Rows: 总计 and the 职业 tree (subtotals per group, 其中农民工); one GROUP BY query."""

    person = "person__"
    band_checks: tuple[tuple[str, str], ...] = ()  # (label, header group) whose columns sum to the total

    def base(self, report: Report) -> QuerySet:
        raise NotImplementedError

    def unavailable_note(self) -> str:
        return ""

    def parts(self, report: Report) -> list[Q]:
        return [Q()]

    def grouped(self, report: Report, cols: list[Col]) -> list[dict]:
        """One row per (job code, migrant flag) with every column's count: conditional counts."""
        p = self.person
        aggregates = {c.key: _count(c.q, MEMBER_COUNT) for c in cols} | {"_all": _count(None)}
        job = {"job": F(f"{p}job_code"), "migrant": F(f"{p}is_migrant_worker")}
        return grouped_parts(self.base(report), self.parts(report), job, aggregates)

    def compute(self, report: Report) -> TableResult:
        cols = self.columns(report)
        rows = job_tree_rows()
        note = self.unavailable_note()
        if note:
            return TableResult(self, report, cols, [ResultRow(r, [0] * len(cols)) for r in rows], notes=[note])
        grouped = self.grouped(report, cols)
        keys = [c.key for c in cols] + ["_all"]
        zero = dict.fromkeys(keys, 0)

        def add(a: dict, b: dict) -> dict:
            return {k: a[k] + b[k] for k in keys}

        by_leaf: dict[str, dict] = {}
        migrant: dict[str, dict] = {}
        total = dict(zero)
        unknown: dict[str, int] = {}
        for g in grouped:
            total = add(total, g)
            if g["job"] in codes.JOB_LEAVES:
                by_leaf[g["job"]] = add(by_leaf.get(g["job"], zero), g)
                if g["migrant"]:
                    migrant[g["job"]] = add(migrant.get(g["job"], zero), g)
            else:
                unknown[g["job"]] = unknown.get(g["job"], 0) + g["_all"]

        def node(code: str) -> dict:
            result = dict(zero)
            for leaf in job_leaves(code):
                result = add(result, by_leaf.get(leaf, zero))
            return result

        values: dict[str, dict] = {"total": total}
        for r in rows[1:]:
            values[r.key] = migrant.get(r.key[:-1], zero) if r.kind == "sub" else node(r.key)
        result_rows = [ResultRow(r, [values[r.key][c.key] for c in cols]) for r in rows]
        groups_sum = sum(values[code]["_all"] for code in TOP_JOB_GROUPS)
        detail = "；".join(f"工作岗位代码“{k}”{n}人未列入职业分类" for k, n in sorted(unknown.items()))
        checks = [rules.Check("总计 = 一至六项之和", total["_all"], groups_sum, detail)]
        checks += self._band_checks(cols, total)
        return TableResult(self, report, cols, result_rows, checks=checks, notes=self.notes(report))

    def _band_checks(self, cols: list[Col], total: dict) -> list[rules.Check]:
        checks = []
        for label, group in self.band_checks:
            parts = [total[c.key] for c in cols if c.header[0] == group]
            checks.append(rules.sum_check(label, total["_all"], parts))
        return checks

    def notes(self, report: Report) -> list[str]:
        return []

    def drill(self, report: Report, row_key: str, col_key: str) -> QuerySet:
        col = self._col(report, col_key)
        q = job_row_q(row_key, self.person)
        if col.q is not None:
            q &= col.q
        return self.base(report).filter(q)


class MemberTreeTable(JobTreeTable):
    def base(self, report: Report) -> QuerySet:
        return PartyMember.objects.filter(report.subtree.member_on_q(report.on))

    def parts(self, report: Report) -> list[Q]:
        return report.subtree.parts()


class T02(MemberTreeTable):
    code = "T02"
    title = "党员基本情况"
    band_checks = (("年龄各栏之和 = 总数", "年龄"),)

    def columns(self, report):
        return [
            Col("total", ("总数",)),
            Col("probationary", ("预备党员",), probationary_q(report.on)),
            Col("female", ("女",), female_q()),
            Col("minority", ("少数民族",), minority_q()),
            Col("taiwan", ("台湾省籍",), Q(person__is_taiwanese=True)),
            *age_cols(report.on, rules.AGE_BANDS_MEMBERS),
        ]


class T03(MemberTreeTable):
    code = "T03"
    title = "党员入党时间情况"
    band_checks = (("入党时间各栏之和 = 党员总数", "入党时间"),)

    def columns(self, report):
        return [
            Col(b.key, ("入党时间", b.label), _between("admitted_on", None, b.end) & _from("admitted_on", b.start))
            for b in rules.admission_periods(split_2022=report.split_2022)
        ]

    def notes(self, report):
        return ["“2012年11月及以后”已按规则设置拆分为两段。"] if report.split_2022 else []


def _from(field_name: str, start: date | None) -> Q:
    return Q(**{f"{field_name}__gte": start}) if start else Q()


EDUCATION_COLUMN_OF = {code: key.lower() for key, _, codes_ in codes.EDUCATION_COLUMNS for code in codes_}


class T04(MemberTreeTable):
    code = "T04"
    title = "党员学历情况"
    band_checks = (("学历各栏之和 = 党员总数", "学历"),)

    def columns(self, report):
        return education_cols()

    def grouped(self, report, cols):
        """GROUP BY the education code too and map the codes to the six columns here: one hash key per
        member instead of six IN lists (the same numbers; a code outside the map fails the column check)."""
        job = {"job": F("person__job_code"), "migrant": F("person__is_migrant_worker"), "edu": F("person__education")}
        keys = [c.key for c in cols]
        rows = []
        for g in grouped_parts(self.base(report), self.parts(report), job, {"_all": _count(None)}):
            row = dict.fromkeys(keys, 0) | {"job": g["job"], "migrant": g["migrant"], "_all": g["_all"]}
            column = EDUCATION_COLUMN_OF.get(g["edu"])
            if column:
                row[column] = g["_all"]
            rows.append(row)
        return rows


def recruit_cols(on: date, p: str = "person__") -> list[Col]:
    """T16/T18/T19/T20: 总数 · 女 · 少数民族 · six age bands · the six 学历 columns."""
    return [
        Col("total", ("总数",)),
        Col("female", ("女",), female_q(p)),
        Col("minority", ("少数民族",), minority_q(p)),
        *age_cols(on, rules.AGE_BANDS_RECRUITS, p),
        *education_cols(p),
    ]


class T16(JobTreeTable):
    code = "T16"
    title = "发展党员情况（一）"
    band_checks = (("年龄各栏之和 = 总数", "年龄"), ("学历各栏之和 = 总数", "学历"))

    def columns(self, report):
        return recruit_cols(report.on)

    def parts(self, report):
        return report.subtree.parts()

    def base(self, report):
        return PartyMember.objects.filter(
            _in_period("admitted_on", report.period),
            report.subtree.initial_branch_q(),
            joined_way="RECRUITED",
        )

    def notes(self, report):
        p = report.period
        return [f"本年（{p.year_start}至{p.on}）接收的预备党员，按入党时所在党支部统计；与 T01 第3行一致。"]


class RecruitStageTable(JobTreeTable):
    """T18/T19/T20: people at one recruitment stage on the as-of date (from the step dates)."""

    drill_kind = RECRUITS
    stage_from = ""  # the date field that starts the stage
    stage_until = ""  # the date field that ends it
    band_checks = (("年龄各栏之和 = 总数", "年龄"), ("学历各栏之和 = 总数", "学历"))

    def columns(self, report):
        return recruit_cols(report.on)

    def unavailable_note(self) -> str:
        return sources.recruitment().note

    def base(self, report):
        model = sources.recruitment().model
        on = report.on
        return model.objects.filter(
            Q(**{f"{self.stage_from}__lte": on})
            & (Q(**{f"{self.stage_until}__isnull": True}) | Q(**{f"{self.stage_until}__gt": on})),
            branch__path__startswith=report.org.path,
        )

    def drill(self, report, row_key, col_key):
        if self.unavailable_note():
            raise KeyError(col_key)
        return super().drill(report, row_key, col_key)

    def notes(self, report):
        return ["按发展党员记录中各步骤日期判定截至日期时所处阶段，按当前所在党支部统计。"]


class T18(RecruitStageTable):
    code = "T18"
    title = "发展对象情况"
    stage_from, stage_until = "candidate_on", "approved_on"


class T19(RecruitStageTable):
    code = "T19"
    title = "入党积极分子情况"
    stage_from, stage_until = "activist_on", "candidate_on"


class T20(RecruitStageTable):
    code = "T20"
    title = "入党申请人情况"
    stage_from, stage_until = "application_on", "activist_on"


# --- T01 ------------------------------------------------------------------------------

T01_ROWS = [
    RowDef("r1", "上年底总数", 0, "1"),
    RowDef("r2", "本年增加", 0, "2", "derived"),
    RowDef("r3", "发展党员", 1, "3"),
    RowDef("r4", "其中：重新入党", 2, "4"),
    RowDef("r5", "恢复党籍", 1, "5"),
    RowDef("r6", "其中：停止党籍后恢复", 2, "6"),
    RowDef("r7", "转入组织关系", 1, "7"),
    RowDef("r8", "其中：整建制转入", 2, "8"),
    RowDef("r9", "本年减少", 0, "9", "derived"),
    RowDef("r10", "出党", 1, "10"),
    RowDef("r11", "停止党籍", 1, "11"),
    RowDef("r12", "死亡", 1, "12"),
    RowDef("r13", "转出组织关系", 1, "13"),
    RowDef("r14", "其中：整建制转出", 2, "14"),
    RowDef("r15", "本年底应有数", 0, "15", "derived", drill=False),
    RowDef("r16", "本年底实有数", 0, "16"),
    RowDef("r17", "实有数与应有数之差", 0, "17", "derived", drill=False),
]
NOT_RECORDED = {
    "r4": "第4行“其中：重新入党”：党员记录中没有“重新入党”的标记，按 0 统计。",
    "r6": "第6行“其中：停止党籍后恢复”：党员记录中没有恢复党籍前情形的记录，按 0 统计。",
}


class T01(StatTable):
    code = "T01"
    title = "党员数量变化情况"

    def columns(self, report):
        return [Col("n", ("人数",))]

    def _member_qs(self, report: Report) -> dict[str, Q]:
        s, period = report.subtree, report.period

        def joined(way: str) -> Q:
            return Q(joined_way=way) & _in_period("joined_org_on", period) & s.initial_branch_q()

        def left(reason: str) -> Q:
            return Q(left_reason=reason) & _in_period("left_on", period) & s.current_branch_q()

        whole_in = Q(pk__in=Transfer.objects.filter(kind=Transfer.IN, whole_org=True).values("member_id"))
        whole_out = Q(pk__in=Transfer.objects.filter(kind=Transfer.OUT, whole_org=True).values("member_id"))
        return {
            "r1": s.member_on_q(period.previous_year_end),
            "r3": joined("RECRUITED"),
            "r5": joined("RESTORED"),
            "r7": joined("TRANSFERRED_IN"),
            "r8": joined("TRANSFERRED_IN") & whole_in,
            "r10": left("EXPELLED"),
            "r11": left("SUSPENDED"),
            "r12": left("DECEASED"),
            "r13": left("TRANSFERRED_OUT"),
            "r14": left("TRANSFERRED_OUT") & whole_out,
            "r16": s.member_on_q(report.on),
        }

    def _moves(self, report: Report) -> QuerySet:
        p = report.period
        return internal_transfers().filter(transferred_on__gte=p.year_start, transferred_on__lte=p.on)

    def compute(self, report):
        s = report.subtree
        member_qs = self._member_qs(report)
        v = aggregate_parts(
            PartyMember.objects.all(), s.parts(), {k: _count(q, MEMBER_COUNT) for k, q in member_qs.items()}
        )
        moves = {"r7": 0, "r8": 0, "r13": 0, "r14": 0}
        if not s.whole_district:
            into, out, whole = s.moves_in_q(), s.moves_out_q(), Q(whole_org=True)
            moves = self._moves(report).aggregate(
                r7=_count(into), r8=_count(into & whole), r13=_count(out), r14=_count(out & whole)
            )
        for k, n in moves.items():
            v[k] += n
        v["r4"] = v["r6"] = 0
        v["r2"] = v["r3"] + v["r5"] + v["r7"]
        v["r9"] = v["r10"] + v["r11"] + v["r12"] + v["r13"]
        v["r15"] = v["r1"] + v["r2"] - v["r9"]
        v["r17"] = v["r16"] - v["r15"]
        rows = [ResultRow(r, [v[r.key]]) for r in T01_ROWS]
        p = report.period
        notes = [
            f"本年：{p.year_start} 至 {p.on}；上年底：{p.previous_year_end}。转入、转出含本组织范围内外之间的组织关系转接。",
            *NOT_RECORDED.values(),
        ]
        return TableResult(self, report, self.columns(report), rows, checks=rules.t01_identities(v), notes=notes)

    def drill(self, report, row_key, col_key):
        self._col(report, col_key)
        member_qs = self._member_qs(report)
        member_qs["r4"] = member_qs["r6"] = Q(pk__in=[])
        s = report.subtree
        if not s.whole_district:
            moves = self._moves(report)
            member_qs["r7"] |= Q(pk__in=moves.filter(s.moves_in_q()).values("member_id"))
            member_qs["r8"] |= Q(pk__in=moves.filter(s.moves_in_q(), whole_org=True).values("member_id"))
            member_qs["r13"] |= Q(pk__in=moves.filter(s.moves_out_q()).values("member_id"))
            member_qs["r14"] |= Q(pk__in=moves.filter(s.moves_out_q(), whole_org=True).values("member_id"))
        member_qs["r2"] = member_qs["r3"] | member_qs["r5"] | member_qs["r7"]
        member_qs["r9"] = member_qs["r10"] | member_qs["r11"] | member_qs["r12"] | member_qs["r13"]
        if row_key not in member_qs:
            raise KeyError(row_key)
        return PartyMember.objects.filter(member_qs[row_key])


# --- T08 ------------------------------------------------------------------------------


def child_rows(org: PartyOrg) -> list[tuple[str, str]]:
    """(path, name) of the organisation's direct children (not party groups)."""
    return list(
        PartyOrg.objects.filter(path__startswith=org.path, depth=org.depth + 1)
        .exclude(kind=PartyOrg.GROUP)
        .order_by("path")
        .values_list("path", "name")
    )


class T08(StatTable):
    code = "T08"
    title = "民主评议党员情况"
    drill_kind = APPRAISALS
    row_heading = "党组织"

    def columns(self, report):
        cols = [Col("appraised", ("参加评议党员数",))]
        cols += [Col(g.lower(), ("评议结果", label), Q(grade=g)) for g, label in sources.APPRAISAL_GRADES]
        return cols

    def _rows(self, report) -> list[RowDef]:
        rows = [RowDef("total", "总计", 0, "1", "total")]
        rows.append(RowDef("self", f"{report.org.name}（本级）", 1, "2"))
        for i, (path, name) in enumerate(child_rows(report.org), 3):
            rows.append(RowDef(path, name, 1, str(i)))
        return rows

    def base(self, report) -> QuerySet:
        model = sources.appraisal().model
        return model.objects.filter(
            _in_period("appraised_on", report.period), member__branch__path__startswith=report.org.path
        )

    def compute(self, report):
        cols = self.columns(report)
        rows = self._rows(report)
        source = sources.appraisal()
        if not source.available:
            return TableResult(self, report, cols, [ResultRow(r, [0] * len(cols)) for r in rows], notes=[source.note])
        step = len(report.org.path) + PartyOrg.steplen
        grouped = (
            self.base(report)
            .values(child=Substr("member__branch__path", 1, step))
            .annotate(**{c.key: _count(c.q) for c in cols})
            .order_by()
        )
        by_child = {g["child"]: g for g in grouped}
        zero = dict.fromkeys([c.key for c in cols], 0)
        total = {c.key: sum(g[c.key] for g in by_child.values()) for c in cols}
        children = {r.key for r in rows[2:]}
        own = {c.key: sum(g[c.key] for k, g in by_child.items() if k not in children) for c in cols}
        values = {"total": total, "self": own} | {k: by_child.get(k, zero) for k in children}
        result_rows = [ResultRow(r, [values[r.key][c.key] for c in cols]) for r in rows]
        checks = [
            rules.sum_check("参加评议党员数 = 各评议结果之和", total["appraised"], [total[c.key] for c in cols[1:]]),
            rules.sum_check("总计 = 各组织之和", total["appraised"], [values[r.key]["appraised"] for r in rows[1:]]),
        ]
        return TableResult(self, report, cols, result_rows, checks=checks,
                           notes=[f"本年（{report.period.year_start}至{report.on}）民主评议党员（LIFE-07）的结果。"])  # fmt: skip

    def drill(self, report, row_key, col_key):
        if not sources.appraisal().available:
            raise KeyError(col_key)
        col = self._col(report, col_key)
        qs = self.base(report)
        if row_key == "self":
            qs = qs.filter(member__branch__path=report.org.path)
        elif row_key != "total":
            if row_key not in {r.key for r in self._rows(report)}:
                raise KeyError(row_key)
            qs = qs.filter(member__branch__path__startswith=row_key)
        return qs.filter(col.q) if col.q is not None else qs


# --- T15 ------------------------------------------------------------------------------


class T15(StatTable):
    code = "T15"
    title = "预备党员转正情况"
    drill_kind = RECRUITS

    def columns(self, report):
        p = report.period
        on = report.on
        meeting_lo, meeting_hi = rules.inverse_month_shift(p.year_start, on, 12)
        no_ext = Q(extension_months__isnull=True) | Q(extension_months__lte=0)
        ext = Q(extension_months__gt=0)
        first_end_in = Q(
            general_meeting_on__gte=meeting_lo, general_meeting_on__lte=meeting_hi
        )  # E0 = meeting + 1 year
        end_in = _in_period("probation_end_on", p)  # the probation end in force (with the extension)
        converted = Q(conversion_approved_on__lte=on)
        postponed = self._postponed_q()
        due = (no_ext & first_end_in) | (ext & (first_end_in | end_in))
        nothing = Q(pk__in=[])
        return [
            Col("due", ("预备期满",), due),
            Col("converted", ("已审批", "转为正式党员"), no_ext & first_end_in & converted),
            Col("converted_after_ext", ("已审批", "延长预备期转正"), ext & end_in & converted),
            Col("postponed", ("已审批", "推迟讨论转正"), no_ext & first_end_in & ~converted & postponed),
            Col("extended", ("已审批", "延长预备期"), ext & first_end_in & Q(probation_end_on__gt=on) & ~converted),
            Col("cancelled", ("已审批", "取消资格"), nothing),
            Col("pending", ("尚未讨论或审批",),
                ~converted & ((no_ext & first_end_in & ~postponed) | (ext & end_in))),
            Col("cancelled_early", ("预备期未满被取消",), nothing),
        ]  # fmt: skip

    def _postponed_q(self) -> Q:
        override = sources.conversion_postponements()
        if override is None:
            return Q(pk__in=[])
        return Q(pk__in=override.objects.filter(rule="REC-19").values("recruitment_id"))

    def base(self, report) -> QuerySet:
        model = sources.conversion().model
        return model.objects.filter(general_meeting_on__isnull=False, branch__path__startswith=report.org.path)

    def compute(self, report):
        cols = self.columns(report)
        rows = [RowDef("total", "总计", 0, "1", "total")]
        source = sources.conversion()
        if not source.available:
            return TableResult(self, report, cols, [ResultRow(rows[0], [0] * len(cols))], notes=[source.note])
        v = self.base(report).aggregate(**{c.key: _count(c.q) for c in cols})
        checks = [rules.sum_check("预备期满 = 已审批各项 + 尚未讨论或审批", v["due"], [v[c.key] for c in cols[1:7]])]
        notes = [
            "按发展党员记录统计：预备期满之日（支部大会日期加一年，延长的加延长期）在本年内的预备党员。",
            "“取消资格”“预备期未满被取消”：发展党员记录中尚无取消预备党员资格的记录项，按 0 统计。",
        ]
        return TableResult(
            self, report, cols, [ResultRow(rows[0], [v[c.key] for c in cols])], checks=checks, notes=notes
        )

    def drill(self, report, row_key, col_key):
        if row_key != "total" or not sources.conversion().available:
            raise KeyError(row_key)
        col = self._col(report, col_key)
        return self.base(report).filter(col.q)


# --- T24 ------------------------------------------------------------------------------

NO_UNIT = "none"


class T24(StatTable):
    code = "T24"
    title = "党的基层组织数量情况和换届情况"
    unit = "个"
    drill_kind = ORGS
    row_heading = "单位"

    def columns(self, report):
        on, start = report.on, report.period.year_start
        due = Q(due_on__lte=on) & (Q(due_on__gte=start) | Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        return [
            Col("committees", ("党委",), Q(kind=PartyOrg.COMMITTEE)),
            Col("general_branches", ("党总支",), Q(kind=PartyOrg.GENERAL_BRANCH)),
            Col("branches", ("党支部", "计"), Q(kind=PartyOrg.BRANCH)),
            Col("joint_branches", ("党支部", "其中联合党支部"), Q(kind=PartyOrg.BRANCH, category_code="632")),
            Col("groups", ("党小组",), Q(kind=PartyOrg.GROUP)),
            Col("term_due", ("换届情况", "应换届"), due),
            Col("term_on_time", ("换届情况", "已按期换届"), due & Q(ended_on__lte=F("due_on")) & Q(ended_on__lte=on)),
            Col("term_overdue", ("换届情况", "逾期未换届"),
                due & Q(due_on__lt=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))),
        ]  # fmt: skip

    def _org_q(self, report, prefix: str = "") -> Q:
        """Basic organisations of the subtree that exist on the date (not the 工委 itself)."""
        on, p = report.on, prefix
        return (
            Q(**{f"{p}path__startswith": report.org.path})
            & (Q(**{f"{p}established_on__isnull": True}) | Q(**{f"{p}established_on__lte": on}))
            & (Q(**{f"{p}dissolved_on__isnull": True}) | Q(**{f"{p}dissolved_on__gt": on}))
            & ~Q(**{f"{p}kind": PartyOrg.WORKING_COMMITTEE})
        )

    def _orgs(self, report) -> QuerySet:
        return PartyOrg.objects.filter(self._org_q(report))

    def _terms(self, report) -> QuerySet:
        return Term.objects.filter(self._org_q(report, "org__")).annotate(
            due_on=Coalesce("postponed_to", "planned_end_on")
        )

    def compute(self, report):
        cols = self.columns(report)
        org_cols, term_cols = cols[:5], cols[5:]
        # unit names come with the GROUP BY, ordered by pinyin in SQL; tuples, not dicts (thousands of units)
        orgs = (
            self._orgs(report)
            .values_list("unit_id", "unit__name")
            .annotate(**{c.key: _count(c.q) for c in org_cols})
            .order_by("unit__name_pinyin", "unit_id")
        )
        terms = {
            unit_id: counts
            for unit_id, *counts in self._terms(report)
            .values_list("org__unit_id")
            .annotate(**{c.key: _count(c.q) for c in term_cols})
            .order_by()
        }
        no_terms = [0] * len(term_cols)
        rows, none_row = [], None
        for unit_id, name, *counts in orgs:
            values = [*counts, *terms.get(unit_id, no_terms)]
            if unit_id is None:
                none_row = values
            else:
                rows.append(ResultRow(RowDef(str(unit_id), name, 1, str(len(rows) + 2)), values))
        if none_row is not None:
            rows.append(ResultRow(RowDef(NO_UNIT, "（未关联单位）", 1, str(len(rows) + 2)), none_row))
        sums = [sum(column) for column in zip(*(r.values for r in rows), strict=True)] if rows else [0] * len(cols)
        total = {c.key: n for c, n in zip(cols, sums, strict=True)}
        rows.insert(0, ResultRow(RowDef("total", "总计", 0, "1", "total"), sums))
        checks = [
            rules.Check("已按期换届 + 逾期未换届 ≤ 应换届", 0,
                        max(0, total["term_on_time"] + total["term_overdue"] - total["term_due"])),
            rules.sum_check("党支部 ≥ 其中联合党支部", 0, [max(0, total["joint_branches"] - total["branches"])]),
        ]  # fmt: skip
        notes = [
            "组织数为截至日期已成立、未撤销的基层党组织（不含区直机关党工委本身）。",
            "应换届：应换届日期（批准延期的按延期后日期）在截至日期前、且本年初尚未换届的任期；"
            "已按期换届：在应换届日期前完成换届；逾期未换届：应换届日期已过、截至日期仍未换届。",
        ]
        return TableResult(self, report, cols, rows, checks=checks, notes=notes)

    def drill(self, report, row_key, col_key):
        col = self._col(report, col_key)
        orgs = self._orgs(report)
        if row_key == NO_UNIT:
            orgs = orgs.filter(unit__isnull=True)
        elif row_key != "total":
            if not row_key.isdigit():
                raise KeyError(row_key)
            orgs = orgs.filter(unit_id=int(row_key))
        if col.key.startswith("term_"):
            return PartyOrg.objects.filter(
                pk__in=self._terms(report).filter(col.q).values("org_id"), id__in=orgs.values("pk")
            )
        return orgs.filter(col.q)


# --- T43 ------------------------------------------------------------------------------


class T43(StatTable):
    code = "T43"
    title = "失去联系党员情况"

    def columns(self, report):
        on = report.on
        cols = [Col("total", ("总数",))]
        cols += age_cols(on, rules.AGE_BANDS_LOST)
        for band in rules.PARTY_AGE_BANDS_LOST:
            earliest, latest = rules.since_range(on, band)
            q = _between("full_member_on", earliest, latest)
            if band.low == 0:  # 1年以下 includes the probationary (no party age yet, REC-23)
                q = probationary_q(on) | Q(full_member_on__gt=earliest)
            cols.append(Col(band.key, ("党龄", band.label), q))
        for band in rules.LOST_BANDS:
            cols.append(Col(band.key, ("失联时间", band.label), _between("lost_since", *rules.lost_range(on, band))))
        return cols

    def base(self, report) -> QuerySet:
        latest = add_months(report.on, -rules.LOST_MINIMUM_MONTHS)
        s = report.subtree
        return PartyMember.objects.filter(s.member_on_q(report.on), is_lost=True, lost_since__lte=latest)

    def compute(self, report):
        cols = self.columns(report)
        v = aggregate_parts(self.base(report), report.subtree.parts(), {c.key: _count(c.q, MEMBER_COUNT) for c in cols})
        row = RowDef("total", "总计", 0, "1", "total")
        checks = [
            rules.sum_check(f"{group}各栏之和 = 总数", v["total"], [v[c.key] for c in cols if c.header[0] == group])
            for group in ("年龄", "党龄", "失联时间")
        ]
        notes = [
            "失联党员：截至日期已失去联系满 6 个月的党员；党龄自转为正式党员日期起算（REC-23），预备党员计入“1年以下”。",
            "失联状态按党员记录中的当前标记和失去联系日期统计（已恢复联系的不再计入历史日期）。",
        ]
        return TableResult(self, report, cols, [ResultRow(row, [v[c.key] for c in cols])], checks=checks, notes=notes)

    def drill(self, report, row_key, col_key):
        if row_key != "total":
            raise KeyError(row_key)
        col = self._col(report, col_key)
        return self.base(report).filter(col.q) if col.q is not None else self.base(report)


TABLES: dict[str, StatTable] = {t.code: t for t in (T01(), T02(), T03(), T04(), T08(), T15(), T16(), T18(), T19(), T20(), T24(), T43())}  # fmt: skip


def get_table(code: str) -> StatTable:
    return TABLES[code.upper()]
