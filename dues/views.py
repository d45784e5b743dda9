"""Pages of the dues area: thin — parse, authorise, call a service or selector, render."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_POST

from accounts.scope import scope_of
from core.dates import add_months
from core.excel import XLSX_CONTENT_TYPE, UploadError, read_upload, write_xlsx
from core.forms import apply_errors as _apply_errors
from core.listing import Action, Column, ListDefinition, ListPage
from core.policies import CHANGE, VIEW
from dues import forms, policies, rules, selectors, services
from dues.models import PARTY, UNION, DuesLine, DuesReduction, PayBase
from orgs import policies as org_policies
from orgs import selectors as org_selectors
from orgs.models import PartyOrg
from people import policies as people_policies
from people.models import PartyMember, UnionMember
from union.rules import union_dues

SCHEME_NAMES = {PARTY: "党费", UNION: "工会会费"}
CRUMB = ("党费会费", None)


def _money(value) -> str:
    return f"{value:,.2f}" if value is not None else ""


def _scope_or_403(request):
    scope = scope_of(request.user)
    if scope is None:
        raise PermissionDenied("您没有可用的身份。")
    return scope


def _readable_schemes(scope) -> list[str]:
    return [s for s in (PARTY, UNION) if policies.may_read(scope, s)]


def _require_manager(request, scheme: str):
    scope = _scope_or_403(request)
    if not policies.may_manage(scope, scheme):
        raise PermissionDenied(f"您无权管理{SCHEME_NAMES[scheme]}。")
    return scope


# ---------------------------------------------------------------- the roll


def _line_status(line: DuesLine) -> tuple[str, str]:
    if line.payment_id:
        return "已交", "tag-ok"
    if line.base_missing:
        return "未登记基数", "tag-danger"
    if line.due == 0:
        return "免交" if line.reduction_id else "无需交纳", "tag-muted"
    if line.excused_reason:
        return "未交（有原因）", "tag-info"
    return "未交", "tag-warning"


def _pay_url(line: DuesLine) -> str:
    if line.payment_id or line.due == 0:
        return ""
    return reverse("dues:payment_create") + f"?person={line.person_id}&scheme={line.scheme}&month={line.month:%Y-%m}"


ROLL_LIST = ListDefinition(
    name="收缴台账",
    columns=[
        Column("name", "姓名", lambda x: x.person.name, sort="person__name_pinyin"),
        Column("org", "所在组织", lambda x: services.org_label(x.roll.org), sort="roll__id"),
        Column("kind", "交费类别", lambda x: x.get_kind_display() if x.scheme == PARTY else "在职会员"),
        Column("base", "计算基数（元）", lambda x: _money(x.base), sort="base"),
        Column("due", "应交（元）", lambda x: _money(x.due), sort="due"),
        Column("paid", "实交（元）", lambda x: _money(x.paid)),
        Column("status", "交纳情况", lambda x: _line_status(x)[0], tag=lambda x: _line_status(x)[1]),
        Column("paid_on", "交纳日期", lambda x: x.payment.paid_on if x.payment_id else ""),
        Column("reason", "未交原因", lambda x: x.excused_reason),
    ],
    default_sort="person__name_pinyin",
    row_actions=[
        Action("登记交纳", _pay_url),
        Action("未交原因", lambda x: "" if x.payment_id else reverse("dues:excuse", args=[x.pk])),
    ],
    empty_text="本月台账尚未生成或没有符合条件的记录。管理员可点击“生成/更新本月台账”。",
)


@login_required
def roll(request):
    """收缴台账: one month's roll of the organisations in scope (左树右表)."""
    scope = _scope_or_403(request)
    schemes = _readable_schemes(scope)
    if not schemes:
        if scope.person_id:
            return redirect("dues:mine")
        raise PermissionDenied("您无权查看党费会费台账。")
    form = forms.RollFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    scheme = data.get("scheme") if data.get("scheme") in schemes else schemes[0]
    today = timezone.localdate()
    month = data.get("month") or today.replace(day=1)
    org = None
    if data.get("org"):
        org_qs = (org_policies.party_orgs if scheme == PARTY else org_policies.union_orgs).queryset(request.user, VIEW)
        org = org_qs.filter(pk=data["org"]).first()
    qs = selectors.roll_lines(user=request.user, scheme=scheme, month=month, org=org,
                              search=data.get("q", ""), status=data.get("status", ""))  # fmt: skip
    page = ListPage(request, ROLL_LIST, qs)
    if page.wants_export:
        return page.export(title=f"{month.year}年{month.month}月{SCHEME_NAMES[scheme]}收缴台账")
    totals = selectors.totals(selectors.roll_lines(user=request.user, scheme=scheme, month=month, org=org))
    nodes = (
        org_selectors.party_tree(user=request.user, current=org)
        if scheme == PARTY
        else org_selectors.union_tree(user=request.user, current=org)
    )
    for node in nodes:
        node.url = f"?scheme={scheme}&month={month:%Y-%m}&org={node.org.pk}"
    manage = policies.may_manage(scope, scheme)
    context = {
        "page_title": f"{SCHEME_NAMES[scheme]}收缴台账",
        "search_form": form if form.is_bound else forms.RollFilterForm(initial={"scheme": scheme, "month": month}),
        "scheme": scheme,
        "schemes": [(s, SCHEME_NAMES[s]) for s in schemes],
        "month": month,
        "prev_month": add_months(month, -1),
        "next_month": add_months(month, 1),
        "org": org,
        "nodes": nodes,
        "totals": totals,
        "manage": manage,
        "import_url": reverse("dues:import") if manage else "",
        "breadcrumbs": [CRUMB, ("收缴台账", None)],
        **page.context(),
    }
    return render(request, "dues/roll.html", context)


@login_required
@require_POST
def roll_compute(request):
    scheme = request.POST.get("scheme", PARTY)
    if scheme not in (PARTY, UNION):
        raise Http404
    _require_manager(request, scheme)
    today = timezone.localdate()
    try:
        month = services.parse_month(request.POST.get("month")) or today.replace(day=1)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("dues:roll")
    org = None
    if request.POST.get("org"):
        org_qs = (org_policies.party_orgs if scheme == PARTY else org_policies.union_orgs).queryset(
            request.user, CHANGE
        )
        org = get_object_or_404(org_qs, pk=request.POST["org"])
    try:
        result = services.roll_compute(by=request.user, scheme=scheme, month=month, org=org, today=today)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        text = (
            f"{month.year}年{month.month}月{SCHEME_NAMES[scheme]}台账已生成：{result.lines}人计算应交，"
            f"合计{result.due:,.2f}元；已交纳的{result.kept_paid}人保持不变。"
        )
        messages.success(request, text)
        if result.missing_base:
            messages.warning(request, f"{result.missing_base}人未登记计算基数，应交暂按0元计，请登记基数后重新生成。")
    query = f"?scheme={scheme}&month={month:%Y-%m}" + (f"&org={org.pk}" if org else "")
    return redirect(reverse("dues:roll") + query)


# ---------------------------------------------------------------- pay bases


BASE_LIST = ListDefinition(
    name="计算基数",
    columns=[
        Column("name", "姓名", lambda b: b.person.name, sort="person__name_pinyin"),
        Column("scheme", "类别", lambda b: b.get_scheme_display(), sort="scheme"),
        Column("kind", "交费类别", lambda b: b.get_kind_display() if b.scheme == PARTY else "—"),
        Column("from", "起始月份", lambda b: f"{b.effective_from:%Y-%m}", sort="effective_from"),
        Column("amount", "计算基数（元）", lambda b: _money(b.amount), sort="amount"),
        Column("dues", "每月应交（元）", lambda b: _money(_dues_of(b))),
        Column("note", "备注", lambda b: b.note),
    ],
    default_sort="-effective_from",
    empty_text="没有符合条件的计算基数记录。点击“新增”登记党员或会员的计算基数。",
)


def _dues_of(base: PayBase) -> Decimal | None:
    try:
        return union_dues(base.amount) if base.scheme == UNION else rules.monthly_dues(base.kind, base.amount)
    except ValueError:
        return None


@login_required
def base_list(request):
    scope = _scope_or_403(request)
    schemes = _readable_schemes(scope)
    if not schemes:
        raise PermissionDenied("您无权查看计算基数。")
    search = request.GET.get("q", "").strip()
    qs = policies.pay_bases.queryset(request.user, VIEW).filter(scheme__in=schemes).select_related("person")
    if search:
        from people.selectors import name_search_q

        qs = qs.filter(name_search_q(search, "person__"))
    page = ListPage(request, BASE_LIST, qs)
    if page.wants_export:
        return page.export()
    can_add = any(policies.may_manage(scope, s) for s in schemes)
    return render(request, "dues/base_list.html", {
        "page_title": "计算基数", "q": search, "add_url": reverse("dues:base_create") if can_add else "",
        "breadcrumbs": [CRUMB, ("计算基数", None)], **page.context(),
    })  # fmt: skip


def _member_qs(request, scheme: str, action=CHANGE):
    if scheme == PARTY:
        return people_policies.party_members.queryset(request.user, action).filter(left_on__isnull=True)
    return people_policies.union_members.queryset(request.user, action).filter(left_on__isnull=True)


def _initial_member(request) -> dict:
    """Prefill the member fields from ``?person=`` (a link from the roll)."""
    person_id = request.GET.get("person", "")
    if person_id.isdigit():
        person = people_policies.persons.queryset(request.user, VIEW).filter(pk=person_id).first()
        if person:
            return {"member": person.name, "person": person.pk}
    return {}


def _pick_member(request, data: dict, scheme: str):
    """The member chosen on a form: the hidden person id when it is in scope, else the text."""
    qs = _member_qs(request, scheme).select_related("person")
    if data.get("person"):
        member = qs.filter(person_id=data["person"]).first()
        if member is not None and member.person.name == data["member"].strip():
            return member
    try:
        return forms.resolve_one(data["member"], qs)
    except ValidationError as exc:
        raise ValidationError({"member": exc.messages}) from None


@login_required
def base_create(request):
    scope = _scope_or_403(request)
    if not any(policies.may_manage(scope, s) for s in (PARTY, UNION)):
        raise PermissionDenied("您无权登记计算基数。")
    today = timezone.localdate()
    form = forms.PayBaseForm(
        request.POST or None,
        initial={"effective_from": today.replace(day=1), "scheme": request.GET.get("scheme", PARTY),
                 **_initial_member(request)},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scheme = data["scheme"]
        try:
            if not policies.may_manage(scope, scheme):
                raise ValidationError({"scheme": f"您无权登记{SCHEME_NAMES[scheme]}基数。"})
            member = _pick_member(request, data, scheme)
            base = services.pay_base_record(
                by=request.user, person=member.person, scheme=scheme, amount=data["amount"],
                effective_from=data["effective_from"], kind=data["kind"], note=data["note"], today=today,
            )  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"已登记{base.person.name}自{base.effective_from:%Y年%m月}起的{SCHEME_NAMES[scheme]}计算基数{base.amount:,.2f}元。",
            )
            return redirect("dues:base_list")
    return render(request, "dues/form.html", {"page_title": "登记计算基数", "form": form,
                  "breadcrumbs": [CRUMB, ("计算基数", reverse("dues:base_list")), ("登记", None)]})  # fmt: skip


# ---------------------------------------------------------------- payments


@login_required
def payment_create(request):
    scope = _scope_or_403(request)
    if not any(policies.may_manage(scope, s) for s in (PARTY, UNION)):
        raise PermissionDenied("您无权登记交纳。")
    today = timezone.localdate()
    initial = {"paid_on": today, "scheme": request.GET.get("scheme", PARTY), "month_count": 1,
               **_initial_member(request)}  # fmt: skip
    try:
        initial["from_month"] = services.parse_month(request.GET.get("month")) or today.replace(day=1)
    except ValueError:
        initial["from_month"] = today.replace(day=1)
    form = forms.PaymentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scheme = data["scheme"]
        try:
            if not policies.may_manage(scope, scheme):
                raise ValidationError({"scheme": f"您无权登记{SCHEME_NAMES[scheme]}。"})
            member = _pick_member(request, data, scheme)
            months = [add_months(data["from_month"], i) for i in range(data["month_count"])]
            result = services.payment_record(
                by=request.user, person=member.person, scheme=scheme, months=months, amount=data["amount"],
                paid_on=data["paid_on"], method=data["method"], note=data["note"], today=today,
            )  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            payment = result.payment
            messages.success(request, f"已登记{payment.person.name}交纳{SCHEME_NAMES[scheme]}{payment.amount:,.2f}元。")
            for finding in result.findings:
                messages.warning(request, f"{finding.rule}：{finding.message}")
            return redirect(reverse("dues:roll") + f"?scheme={scheme}&month={data['from_month']:%Y-%m}")
    return render(request, "dues/form.html", {"page_title": "登记交纳", "form": form,
                  "breadcrumbs": [CRUMB, ("收缴台账", reverse("dues:roll")), ("登记交纳", None)]})  # fmt: skip


@login_required
def excuse(request, pk: int):
    line = get_object_or_404(policies.lines.queryset(request.user, CHANGE).select_related("person"), pk=pk)
    form = forms.ExcuseForm(request.POST or None, initial={"reason": line.excused_reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.excuse_record(by=request.user, line=line, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已登记{line.person.name}{line.month:%Y年%m月}的未交原因。")
            return redirect(reverse("dues:roll") + f"?scheme={line.scheme}&month={line.month:%Y-%m}")
    return render(request, "dues/form.html", {
        "page_title": f"未交原因：{line.person.name} {line.month:%Y年%m月}", "form": form,
        "breadcrumbs": [CRUMB, ("收缴台账", reverse("dues:roll")), ("未交原因", None)],
    })  # fmt: skip


# ---------------------------------------------------------------- payroll import


def _import_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "dues-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@login_required
def payroll_import(request):
    """导入工资代扣表: check every row first; save only when the whole sheet is right."""
    scope = _scope_or_403(request)
    if not any(policies.may_manage(scope, s) for s in (PARTY, UNION)):
        raise PermissionDenied("您无权导入交纳记录。")
    today = timezone.localdate()
    form = forms.ImportForm(request.POST or None, request.FILES or None,
                            initial={"paid_on": today, "month": today.replace(day=1)})  # fmt: skip
    report, token = None, ""
    if request.method == "POST" and request.POST.get("token"):
        token = request.POST["token"]
        try:
            path = _import_dir() / f"{request.user.pk}-{uuid.UUID(token).hex}.xlsx"
            month = services.parse_month(request.POST.get("month"))
            paid_on = date.fromisoformat(request.POST.get("paid_on", ""))
        except ValueError:
            raise Http404 from None
        if not path.exists():
            messages.error(request, "导入文件已过期，请重新上传。")
            return redirect("dues:import")
        report = services.payroll_import(by=request.user, data=path.read_bytes(), month=month, paid_on=paid_on,
                                         today=today, dry_run=False)  # fmt: skip
        if report.ok:
            path.unlink()
            messages.success(
                request, f"已导入{report.imported}笔代扣记录，合计{report.total:,.2f}元（批次 {report.batch}）。"
            )
            return redirect("dues:roll")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            raw = read_upload(data["file"])
            report = services.payroll_import(by=request.user, data=raw, month=data["month"], paid_on=data["paid_on"],
                                             today=today, dry_run=True)  # fmt: skip
        except UploadError as exc:
            form.add_error("file", str(exc))
        else:
            if report.ok:
                token = uuid.uuid4().hex
                (_import_dir() / f"{request.user.pk}-{token}.xlsx").write_bytes(raw)
    return render(request, "dues/import.html", {
        "page_title": "导入工资代扣表", "form": form, "report": report, "token": token,
        "month": form.cleaned_data.get("month") if form.is_bound and form.is_valid() else None,
        "paid_on": form.cleaned_data.get("paid_on") if form.is_bound and form.is_valid() else None,
        "breadcrumbs": [CRUMB, ("收缴台账", reverse("dues:roll")), ("导入工资代扣表", None)],
    })  # fmt: skip


@login_required
def import_template(request):
    data = write_xlsx(sheet_title="工资代扣", headers=["序号", "姓名", "公民身份号码", "月份", "党费", "会费"],
                      rows=[], title="党费会费工资代扣表")  # fmt: skip
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path('党费会费工资代扣表模板.xlsx')}"
    return response


# ---------------------------------------------------------------- reductions (DUES-08)


REDUCTION_TAG = {DuesReduction.APPROVED: "tag-ok", DuesReduction.REJECTED: "tag-muted"}
REDUCTION_LIST = ListDefinition(
    name="少交免交党费",
    columns=[
        Column("name", "党员", lambda r: r.person.name, link=lambda r: reverse("dues:reduction_detail", args=[r.pk])),
        Column("branch", "所在党支部", lambda r: services.org_label(r.branch)),
        Column("kind", "类型", lambda r: r.get_kind_display()),
        Column(
            "amount", "每月交纳（元）", lambda r: _money(r.monthly_amount) if r.kind == DuesReduction.REDUCE else "0.00"
        ),
        Column("period", "期间", lambda r: f"{r.from_month:%Y-%m} 至 {r.to_month:%Y-%m}"),
        Column("applied", "申请日期", lambda r: r.applied_on, sort="applied_on"),
        Column(
            "status", "状态", lambda r: r.get_status_display(), tag=lambda r: REDUCTION_TAG.get(r.status, "tag-warning")
        ),
    ],
    default_sort="-applied_on",
    row_actions=[Action("查看", lambda r: reverse("dues:reduction_detail", args=[r.pk]))],
    empty_text="暂无少交或免交党费的申请。",
)


@login_required
def reduction_list(request):
    scope = _scope_or_403(request)
    if not policies.may_read(scope, PARTY):
        raise PermissionDenied("您无权查看少交免交党费。")
    qs = selectors.reductions(user=request.user, status=request.GET.get("status", ""))
    page = ListPage(request, REDUCTION_LIST, qs)
    if page.wants_export:
        return page.export()
    return render(request, "dues/list.html", {
        "page_title": "少交免交党费（DUES-08）", "add_url": reverse("dues:reduction_create") if policies.may_manage(scope, PARTY) else "",
        "add_label": "登记申请", "breadcrumbs": [CRUMB, ("少交免交党费", None)], **page.context(),
    })  # fmt: skip


@login_required
def reduction_create(request):
    _require_manager(request, PARTY)
    today = timezone.localdate()
    form = forms.ReductionForm(request.POST or None, initial={"applied_on": today, "from_month": today.replace(day=1),
                                                             "to_month": add_months(today.replace(day=1), 11)})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = _pick_member(request, data, PARTY)
            reduction = services.reduction_apply(
                by=request.user, person=member.person, kind=data["kind"], from_month=data["from_month"],
                to_month=data["to_month"], reason=data["reason"], applied_on=data["applied_on"],
                monthly_amount=data["monthly_amount"], today=today,
            )  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, f"已登记{reduction.person.name}的{reduction.get_kind_display()}申请，待支部研究。"
            )
            return redirect("dues:reduction_detail", reduction.pk)
    return render(request, "dues/form.html", {"page_title": "登记少交免交党费申请", "form": form,
                  "breadcrumbs": [CRUMB, ("少交免交党费", reverse("dues:reduction_list")), ("登记申请", None)]})  # fmt: skip


@login_required
def reduction_detail(request, pk: int):
    reduction = get_object_or_404(
        policies.reductions.queryset(request.user, VIEW).select_related("person", "branch"), pk=pk
    )
    scope = scope_of(request.user)
    today = timezone.localdate()
    form = forms.ReductionStepForm(request.POST or None, initial={"on": today})
    may_change = policies.reductions.may(request.user, CHANGE, reduction)
    above = bool(scope and scope.party_path and reduction.branch.path.startswith(scope.party_path)
                 and scope.party_path != reduction.branch.path and may_change)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        data = form.cleaned_data
        try:
            if action == "study" and may_change:
                services.reduction_study(by=request.user, reduction=reduction, studied_on=data["on"], today=today)
                messages.success(request, "已记录支部研究，待上一级党委审批。")
            elif action in ("approve", "reject"):
                services.reduction_decide(by=request.user, reduction=reduction, approve=action == "approve",
                                          decided_on=data["on"], note=data["note"], today=today)  # fmt: skip
                messages.success(request, "已审批。" + ("请重新生成相关月份的台账。" if action == "approve" else ""))
            else:
                raise PermissionDenied
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("dues:reduction_detail", reduction.pk)
    findings = rules.check_reduction(applied_on=reduction.applied_on, branch_studied_on=reduction.branch_studied_on,
                                     approved_on=reduction.approved_on, exemption=reduction.kind == DuesReduction.EXEMPT)  # fmt: skip
    return render(request, "dues/reduction_detail.html", {
        "page_title": f"{reduction.get_kind_display()}：{reduction.person.name}", "reduction": reduction, "form": form,
        "may_study": may_change and reduction.status == DuesReduction.PENDING,
        "may_decide": above and reduction.status == DuesReduction.STUDIED, "findings": findings,
        "breadcrumbs": [CRUMB, ("少交免交党费", reverse("dues:reduction_list")), (reduction.person.name, None)],
    })  # fmt: skip


# ---------------------------------------------------------------- arrears (DUES-09)


@login_required
def arrears(request):
    scope = _scope_or_403(request)
    schemes = _readable_schemes(scope)
    if not schemes:
        raise PermissionDenied("您无权查看欠交情况。")
    scheme = request.GET.get("scheme") if request.GET.get("scheme") in schemes else schemes[0]
    cases = selectors.arrears_streaks(user=request.user, scheme=scheme, today=timezone.localdate())
    return render(request, "dues/arrears.html", {
        "page_title": f"连续6个月未交{SCHEME_NAMES[scheme]}（DUES-09）", "cases": cases, "scheme": scheme,
        "schemes": [(s, SCHEME_NAMES[s]) for s in schemes],
        "breadcrumbs": [CRUMB, ("欠交预警", None)],
    })  # fmt: skip


# ---------------------------------------------------------------- yearly report (DUES-11)


@login_required
def report(request):
    scope = _scope_or_403(request)
    if not policies.may_read(scope, PARTY):
        raise PermissionDenied("您无权查看党费收缴情况。")
    today = timezone.localdate()
    branches = org_policies.party_orgs.queryset(request.user, VIEW).filter(kind=PartyOrg.BRANCH).order_by("path")
    form = forms.ReportForm(request.GET or None, branches=branches, initial={"year": today.year})
    context = {"page_title": "党费收缴情况年度报告（DUES-11）", "form": form,
               "breadcrumbs": [CRUMB, ("年度收缴报告", None)]}  # fmt: skip
    if form.is_bound and form.is_valid():
        branch, year = form.cleaned_data["branch"], form.cleaned_data["year"]
        collected, lines, extras = selectors.collection_report(user=request.user, branch=branch, year=year)
        if request.GET.get("export") == "xlsx":
            rows = [(i, line.name, line.months, _money(line.due), _money(line.paid), _money(line.arrears))
                    for i, line in enumerate(lines, 1)]  # fmt: skip
            rows.append(("", "合计", sum(x.months for x in lines), _money(collected.due), _money(collected.paid),
                         _money(collected.arrears)))  # fmt: skip
            data = write_xlsx(sheet_title="党费收缴", headers=["序号", "姓名", "月数", "应交（元）", "实交（元）", "欠交（元）"],
                              rows=rows, title=f"{branch.name}{year}年党费收缴情况")  # fmt: skip
            response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
            name = f"{branch.short_name or branch.name}{year}年党费收缴情况.xlsx"
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
            return response
        publication = policies.publications.queryset(request.user, VIEW).filter(branch=branch, year=year).first()
        publish_form = forms.PublishForm(request.POST or None)
        may_publish = policies.may_manage(scope, PARTY) and org_policies.party_orgs.may(request.user, CHANGE, branch)
        if request.method == "POST" and may_publish and publish_form.is_valid():
            try:
                services.publication_publish(by=request.user, branch=branch, year=year, due=collected.due,
                                             paid=collected.paid, used=publish_form.cleaned_data["used"] or "0",
                                             note=publish_form.cleaned_data["note"], today=today)  # fmt: skip
            except ValidationError as exc:
                _apply_errors(publish_form, exc)
            else:
                messages.success(request, f"已向{branch.short_name or branch.name}党员公布{year}年党费收缴情况。")
                return redirect(request.get_full_path())
        context.update(branch=branch, year=year, collected=collected, lines=lines, extras=extras,
                       publication=publication, publish_form=publish_form, may_publish=may_publish)  # fmt: skip
    return render(request, "dues/report.html", context)


# ---------------------------------------------------------------- calculator and member page


@login_required
def calculator(request):
    """党费/会费计算器 (the same rules as ``manage.py dues_calc``)."""
    form = forms.CalculatorForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        kind, base = form.cleaned_data["kind"], form.cleaned_data["base"].strip()
        try:
            if base:
                rules.parse_amount(base, label="计算基数")
            party = rules.monthly_dues(kind, base or None)
            rate = None
            if kind in (rules.SALARY, rules.ANNUAL, rules.SELF_EMPLOYED):
                rate = rules.salary_rate(base)
            elif kind == rules.RETIRED:
                rate = rules.retired_rate(base)
            result = {"party": party, "rate": rate * 100 if rate is not None else None,
                      "union": union_dues(base) if base else None}  # fmt: skip
        except ValueError as exc:
            form.add_error("base", str(exc))
    template = "dues/calculator_result.html" if request.htmx else "dues/calculator.html"
    return render(request, template, {"page_title": "党费会费计算器", "form": form, "result": result,
                                      "breadcrumbs": [CRUMB, ("计算器", None)]})  # fmt: skip


@login_required
def mine(request):
    """我的党费会费: a member's own dues this year, payments and his branch's report."""
    person = request.user.person
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    context = {"page_title": "我的党费会费", "year": year, "person": person, "breadcrumbs": [("我的党费会费", None)]}
    if person is not None:
        party_lines = list(selectors.member_lines(person_id=person.pk, scheme=PARTY, year=year))
        union_lines = list(selectors.member_lines(person_id=person.pk, scheme=UNION, year=year))
        member = PartyMember.objects.filter(person=person, left_on__isnull=True).first()
        context.update(
            party_lines=party_lines,
            union_lines=union_lines,
            party_due=sum((x.due for x in party_lines), Decimal("0.00")),
            party_paid=sum((x.paid for x in party_lines), Decimal("0.00")),
            union_due=sum((x.due for x in union_lines), Decimal("0.00")),
            union_paid=sum((x.paid for x in union_lines), Decimal("0.00")),
            is_union_member=UnionMember.objects.filter(person=person, left_on__isnull=True).exists(),
            publications=policies.publications.model.objects.filter(branch_id=member.branch_id).order_by("-year")[:5]
            if member
            else [],
        )
    return render(request, "dues/mine.html", context)
