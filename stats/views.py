from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path

from accounts.scope import scope_of
from core.excel import XLSX_CONTENT_TYPE
from core.listing import Column, ListDefinition, ListPage
from stats import exports, rules, selectors, tables
from stats.forms import ReportForm

CRUMB = ("统计分析", None)


def _require_party_reader(request):
    scope = scope_of(request.user)
    if scope is None or not scope.party_path or scope.role not in {"DISTRICT_ADMIN", "PARTY_ADMIN", "DISCIPLINE"}:
        raise PermissionDenied("仅党组织管理员、工委管理员和纪检委员可以查看党内统计。")
    return scope


def _parse(request):
    """The report the request asks for: (form, report or None). An organisation outside the scope is a 404."""
    _require_party_reader(request)
    today = timezone.localdate()
    raw_org = request.GET.get("org", "")
    if raw_org:
        if not raw_org.isdigit():
            raise Http404("没有这个组织。")
        org = selectors.report_orgs(request.user).filter(pk=int(raw_org)).first()
        if org is None:
            raise Http404("该组织不存在或不在您的管理范围内。")
    else:
        org = selectors.scope_org(request.user)
        if org is None:
            raise Http404("没有可统计的组织。")
    form = ReportForm(request.GET or None, today=today, org=org)
    if request.GET and not form.is_valid():
        return form, org, None
    on = form.cleaned_data["on"] if form.is_bound else today
    return form, org, selectors.report_for(org=org, on=on)


def _query(report: tables.Report, **extra) -> str:
    return urlencode({"org": report.org.pk, "on": report.on.isoformat(), **extra})


def _base_context(request, form, org, report, title: str) -> dict:
    today = timezone.localdate()
    return {
        "page_title": title,
        "form": form,
        "org": org,
        "report": report,
        "org_choices": selectors.org_choices(user=request.user, org=org),
        "today": today,
        "last_year_end": rules.period_of(today).previous_year_end,
        "query": _query(report) if report else "",
        "tables": list(tables.TABLES.values()),
    }


@login_required
def index(request):
    """统计概览: headline numbers and charts of the chosen organisation on the chosen date, and the tables."""
    form, org, report = _parse(request)
    context = _base_context(request, form, org, report, "统计概览")
    if report is not None:
        overview = selectors.overview_counts(report)
        context["charts"] = selectors.charts(report, overview=overview)
        context["counts"] = overview["values"]
    context["breadcrumbs"] = [CRUMB, ("统计概览", None)]
    return render(request, "stats/index.html", context)


@login_required
def table_list(request):
    form, org, report = _parse(request)
    context = _base_context(request, form, org, report, "党内统计报表")
    context["breadcrumbs"] = [CRUMB, ("党内统计报表", None)]
    return render(request, "stats/table_list.html", context)


def _table_or_404(code: str) -> tables.StatTable:
    try:
        return tables.get_table(code)
    except KeyError:
        raise Http404("没有这张统计表。") from None


def _cell_rows(result: tables.TableResult) -> list[dict]:
    """Rows for the template: each value with its drill-down link (none for zero or derived cells)."""
    url = reverse("stats:cell", args=[result.code])
    rows = []
    for r in result.rows:
        cells = []
        for col, value in zip(result.columns, r.values, strict=True):
            link = None
            if value and r.row.drill and (r.row.kind != "derived" or result.code == "T01"):
                link = f"{url}?{_query(result.report, row=r.row.key, col=col.key)}"
            cells.append({"value": value, "link": link})
        rows.append({"row": r.row, "cells": cells})
    return rows


@login_required
def table(request, code: str):
    t = _table_or_404(code)
    form, org, report = _parse(request)
    context = _base_context(request, form, org, report, f"{t.code} {t.title}")
    context["table"] = t
    if report is not None:
        result = t.compute(report)
        context.update(result=result, rows=_cell_rows(result))
    context["breadcrumbs"] = [CRUMB, ("党内统计报表", reverse("stats:table_list")), (f"{t.code} {t.title}", None)]
    return render(request, "stats/table.html", context)


def _status_on(member, on) -> str:
    return "正式党员" if member.full_member_on is not None and member.full_member_on <= on else "预备党员"


def _member_list(report: tables.Report) -> ListDefinition:
    return ListDefinition(
        name="统计明细",
        columns=[
            Column(
                "name",
                "姓名",
                lambda m: m.person.name,
                sort="person__name_pinyin",
                link=lambda m: reverse("people:member_detail", args=[m.pk]),
            ),  # fmt: skip
            Column("gender", "性别", lambda m: m.person.get_gender_display()),
            Column("birth", "出生日期", lambda m: m.person.birth_date, sort="person__birth_date"),
            Column("ethnicity", "民族", lambda m: m.person.ethnicity),
            Column("education", "学历", lambda m: m.person.get_education_display()),
            Column("job", "工作岗位", lambda m: m.person.get_job_code_display()),
            Column("status", f"人员类别（{report.on}）", lambda m: _status_on(m, report.on)),
            Column("branch", "现所在党支部", lambda m: m.branch.short_name or m.branch.name, sort="branch__path"),
            Column("admitted", "加入党组织日期", lambda m: m.admitted_on, sort="admitted_on"),
            Column("full", "转为正式党员日期", lambda m: m.full_member_on, sort="full_member_on"),
            Column("left", "离开日期", lambda m: m.left_on),
        ],
        default_sort="person__name_pinyin",
        empty_text="该单元格没有可列出的党员。",
    )


def _recruit_list(report: tables.Report) -> ListDefinition:
    return ListDefinition(
        name="统计明细",
        columns=[
            Column("name", "姓名", lambda r: r.person.name, sort="person__name_pinyin"),
            Column("gender", "性别", lambda r: r.person.get_gender_display()),
            Column("birth", "出生日期", lambda r: r.person.birth_date, sort="person__birth_date"),
            Column("education", "学历", lambda r: r.person.get_education_display()),
            Column("branch", "所在党支部", lambda r: r.branch.short_name or r.branch.name, sort="branch__path"),
            Column("stage", "当前阶段", lambda r: r.get_stage_display() if hasattr(r, "get_stage_display") else ""),
            Column("application", "申请日期", lambda r: getattr(r, "application_on", None)),
            Column("meeting", "支部大会日期", lambda r: getattr(r, "general_meeting_on", None)),
        ],
        default_sort="person__name_pinyin",
        empty_text="该单元格没有可列出的人员。",
    )


def _org_list(report: tables.Report) -> ListDefinition:
    return ListDefinition(
        name="统计明细",
        columns=[
            Column(
                "name",
                "组织名称",
                lambda o: o.name,
                sort="path",
                link=lambda o: reverse("orgs:party_org_detail", args=[o.pk]),
            ),  # fmt: skip
            Column("kind", "组织类型", lambda o: o.get_kind_display(), sort="kind"),
            Column("category", "组织类别", lambda o: o.get_category_code_display()),
            Column("unit", "所在单位", lambda o: o.unit.name if o.unit_id else ""),
            Column("established", "成立日期", lambda o: o.established_on, sort="established_on"),
        ],
        default_sort="path",
        empty_text="该单元格没有可列出的组织。",
    )


def _appraisal_list(report: tables.Report) -> ListDefinition:
    return ListDefinition(
        name="统计明细",
        columns=[
            Column("name", "姓名", lambda a: a.member.person.name, sort="member__person__name_pinyin"),
            Column("branch", "所在党支部", lambda a: a.member.branch.name),
            Column(
                "grade", "评议结果", lambda a: a.get_grade_display() if hasattr(a, "get_grade_display") else a.grade
            ),
            Column("date", "评议日期", lambda a: a.appraised_on, sort="appraised_on"),
        ],
        default_sort="member__person__name_pinyin",
        empty_text="该单元格没有可列出的党员。",
    )


LISTS = {tables.MEMBERS: _member_list, tables.RECRUITS: _recruit_list, tables.ORGS: _org_list,
         tables.APPRAISALS: _appraisal_list}  # fmt: skip


@login_required
def cell(request, code: str):
    """The drill-down of one cell: the members (or records, organisations) it counts, in the viewer's scope."""
    t = _table_or_404(code)
    form, org, report = _parse(request)
    if report is None:
        raise Http404("统计条件无效。")
    row_key, col_key = request.GET.get("row", ""), request.GET.get("col", "")
    try:
        result = t.compute(report)
        value = result.value(row_key, col_key)
        found = selectors.drill(user=request.user, table=t, report=report, row=row_key, col=col_key)
    except (KeyError, ValueError):
        raise Http404("没有这个统计单元格。") from None
    row_label = next(r.row.label for r in result.rows if r.row.key == row_key)
    col_label = " · ".join(next(c.header for c in result.columns if c.key == col_key))
    page = ListPage(request, LISTS[t.drill_kind](report), found.queryset)
    title = f"{t.code} {t.title}：{row_label} · {col_label}"
    if page.wants_export:
        return page.export(title=f"{title}（{report.org.name}，截至 {report.on}）")
    context = _base_context(request, form, org, report, title)
    listed = page.page().paginator.count
    context.update(
        table=t,
        value=value,
        listed=listed,
        hidden=max(0, (value or 0) - listed),
        row_label=row_label,
        col_label=col_label,
        back_url=f"{reverse('stats:table', args=[t.code])}?{_query(report)}",
        **page.context(),
    )
    context["breadcrumbs"] = [
        CRUMB,
        ("党内统计报表", reverse("stats:table_list")),
        (f"{t.code} {t.title}", context["back_url"]),
        (f"{row_label} · {col_label}", None),
    ]
    return render(request, "stats/cell.html", context)


@login_required
def bulletin(request):
    form, org, report = _parse(request)
    context = _base_context(request, form, org, report, "党内统计公报")
    if report is not None:
        context["b"] = selectors.bulletin(report)
    context["breadcrumbs"] = [CRUMB, ("党内统计公报", None)]
    template = "stats/bulletin_print.html" if request.GET.get("print") else "stats/bulletin.html"
    return render(request, template, context)


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


@login_required
def export_table(request, code: str):
    t = _table_or_404(code)
    _form, _org, report = _parse(request)
    if report is None:
        raise Http404("统计条件无效。")
    data = exports.workbook([t.compute(report)])
    return _xlsx(data, f"{t.code}{t.title}-{report.org.short_name or report.org.name}-{report.on:%Y%m%d}.xlsx")


@login_required
def export_all(request):
    _form, _org, report = _parse(request)
    if report is None:
        raise Http404("统计条件无效。")
    data = exports.workbook([t.compute(report) for t in tables.TABLES.values()])
    return _xlsx(data, f"党内统计报表-{report.org.short_name or report.org.name}-{report.on:%Y%m%d}.xlsx")
