"""Pages of the recruitment area: thin — parse, authorise (policies), call a service, render."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_POST

from accounts.scope import scope_of
from core import audit
from core.dates import fmt_iso
from core.excel import XLSX_CONTENT_TYPE, UploadError, read_upload
from core.findings import ERROR
from core.forms import apply_errors as _apply_errors
from core.listing import Action, Column, ListDefinition, ListPage
from core.policies import CHANGE, DELETE, VIEW
from core.workdays_db import work_calendar
from orgs import policies as org_policies
from orgs.models import PartyOrg
from orgs.selectors import party_tree
from recruitment import ledger as ledger_layout
from recruitment import notices as notice_docs
from recruitment import policies, rules, selectors, services
from recruitment.facts import facts_of, with_related
from recruitment.forms import (
    ImportForm,
    NoticeForm,
    ObjectionForm,
    ReasonForm,
    RecordCreateForm,
    RecordSearchForm,
    ResolveForm,
    StepForm,
)
from recruitment.importer import import_ledger
from recruitment.models import Evaluation, Objection, PublicNotice, Recruitment
from recruitment.rule_settings import current as current_settings
from recruitment.steps import BASIC, PHASES, STEP_FIELDS, STEP_TITLES

STAGE_TAG = {
    rules.APPLICANT: "tag-muted",
    rules.ACTIVIST: "tag-info",
    rules.CANDIDATE: "tag-info",
    rules.PROBATIONARY: "tag-probationary",
    rules.FULL: "tag-full",
}
SEVERITY_CLASS = {"error": "danger", "warning": "warning", "missing": "secondary"}
BREAD = ("发展党员", None)


def _today():
    return timezone.localdate()


def _due_tag(record, today) -> str | None:
    if record.next_due_on is None:
        return None
    if record.next_due_on < today:
        return "tag-overdue"
    if record.next_due_on <= today + timedelta(days=selectors.DUE_SOON_DAYS):
        return "tag-warning"
    return "tag-muted"


def _detail_url(r) -> str:
    return reverse("recruitment:record_detail", args=[r.pk])


def _require_reader(request):
    scope = scope_of(request.user)
    if scope is None or policies.recruitments.scope_q(scope, VIEW) is policies.NOTHING:
        raise PermissionDenied("您无权查看发展党员工作。")
    return scope


def _may_write(scope) -> bool:
    return scope is not None and policies.recruitments.scope_q(scope, CHANGE) is not policies.NOTHING


def _tree(request, current, base_url: str, count_qs) -> list:
    """The party tree of the user's scope with the records of each subtree counted (2 queries)."""
    nodes = party_tree(user=request.user, current=current)
    direct = dict(count_qs.values_list("branch_id").annotate(n=Count("pk")).order_by())
    totals = {n.org.pk: direct.get(n.org.pk, 0) for n in nodes}
    by_path = {n.org.path: n.org.pk for n in nodes}
    for node in sorted(nodes, key=lambda n: n.org.path, reverse=True):
        parent = by_path.get(node.org.path[: -PartyOrg.steplen])
        if parent is not None:
            totals[parent] += totals[node.org.pk]
    for node in nodes:
        node.count = totals[node.org.pk]
        node.url = f"{base_url}?org={node.org.pk}"
    return nodes


def _org_from(request, form_data) -> PartyOrg | None:
    org_id = form_data.get("org")
    if not org_id:
        return None
    return org_policies.party_orgs.queryset(request.user, VIEW).filter(pk=org_id).first()


def _export(request, qs, *, title: str, scope) -> HttpResponse:
    """The ledger layout of formats/recruitment-ledger.md for exactly the filtered rows."""
    reveal = _may_write(scope)
    qs = qs.prefetch_related("evaluations", "mentors", "sponsors")
    count = qs.count()
    subtitle = f"{scope.org_name}  导出时间：{timezone.localtime():%Y-%m-%d %H:%M}  共 {count} 人"
    data = ledger_layout.export_workbook(qs.iterator(chunk_size=1000), title=title, subtitle=subtitle, reveal=reveal)
    audit.record(
        actor=request.user, action="recruitment.ledger.export", object_type="recruitment.ledger",
        object_repr=title, after={"rows": count, "id_numbers": "clear" if reveal else "masked"},
    )  # fmt: skip
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    filename = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


# --- the record list -----------------------------------------------------------------------------


def _record_list(today) -> ListDefinition:
    return ListDefinition(
        name="发展党员名册",
        columns=[
            Column("name", "姓名", lambda r: r.person.name, sort="person__name_pinyin", link=_detail_url),
            Column("branch", "所在党支部", lambda r: r.branch.short_name or r.branch.name, sort="branch__path"),
            Column(
                "stage", "发展阶段", lambda r: r.get_stage_display(), sort="stage", tag=lambda r: STAGE_TAG[r.stage]
            ),
            Column("application", "申请日期", lambda r: r.application_on, sort="application_on"),
            Column("activist", "确定积极分子日期", lambda r: r.activist_on, sort="activist_on"),
            Column("candidate", "确定发展对象日期", lambda r: r.candidate_on, sort="candidate_on"),
            Column("due", "下一期限", lambda r: r.next_due_on, sort="next_due_on", tag=lambda r: _due_tag(r, today)),
            Column("due_text", "下一事项", lambda r: r.next_due_text),
        ],
        default_sort="-application_on",
        row_actions=[Action("查看", _detail_url)],
        empty_text="没有符合条件的发展党员记录。可调整查询条件，或点击“登记入党申请人”。",
    )


@login_required
def record_list(request):
    """发展党员名册: every record in scope by stage, with the tree, filters and the due filter."""
    scope = _require_reader(request)
    today = _today()
    form = RecordSearchForm(request.GET or None, today=today)
    data = form.cleaned_data if form.is_valid() else {}
    org = _org_from(request, data)
    qs = selectors.records(
        user=request.user, org=org, stage=data.get("stage", ""), year=data.get("year"),
        search=data.get("q", ""), due=data.get("due", ""), today=today,
    )  # fmt: skip
    definition = _record_list(today)
    page = ListPage(request, definition, qs)
    if page.wants_export:
        return _export(
            request, page.queryset, title=f"发展党员台账（{org.name if org else scope.org_name}）", scope=scope
        )
    context = {
        "page_title": "发展党员名册",
        "search_form": form,
        "nodes": _tree(request, org, reverse("recruitment:ledger"), policies.recruitments.queryset(request.user)),
        "current_org": org,
        "add_url": reverse("recruitment:record_create") if _may_write(scope) else "",
        "add_label": "登记入党申请人",
        "import_url": reverse("recruitment:import") if _may_write(scope) else "",
        "stage_counts": _stage_counts(selectors.records(user=request.user, org=org)),
        "breadcrumbs": [BREAD, ("发展党员名册", None)],
        **page.context(),
    }
    return render(request, "recruitment/record_list.html", context)


def _stage_counts(qs) -> list[tuple[str, str, int]]:
    counts = dict(qs.values_list("stage").annotate(n=Count("pk")).order_by())
    return [(key, label, counts.get(key, 0)) for key, label in rules.STAGE_LABELS.items()]


# --- the three ledgers --------------------------------------------------------------------------------


def _span(first, last) -> str:
    """2026-10-30～11-05: a period, the end's year left out when it is the same."""
    if first is None:
        return ""
    if last is None:
        return f"{fmt_iso(first)}起"
    end = last.isoformat()[5:] if last.year == first.year else fmt_iso(last)
    return f"{fmt_iso(first)}～{end}"


def _names(related) -> str:
    return "、".join(g.name for g in related.all())


def _ballot_text(due, present, written, yes) -> str:
    if due is None and present is None and yes is None:
        return ""
    return f"{due or '—'} / {present or '—'} / {yes or '—'}" + (f"（书面 {written}）" if written else "")


LEDGER_COLUMNS = {
    "activists": [
        Column("application", "申请日期", lambda r: r.application_on, sort="application_on"),
        Column("talk", "谈话日期", lambda r: r.talk_on),
        Column("activist", "确定积极分子日期", lambda r: r.activist_on, sort="activist_on"),
        Column("filed", "备案日期", lambda r: r.activist_filed_on),
        Column("mentors", "培养联系人", lambda r: _names(r.mentors)),
        Column(
            "evaluations",
            "考察（次）",
            lambda r: len([e for e in r.evaluations.all() if e.kind == Evaluation.CULTIVATION]),
        ),
    ],
    "candidates": [
        Column("activist", "确定积极分子日期", lambda r: r.activist_on, sort="activist_on"),
        Column("notice", "公示期", lambda r: _span(r.notice_start, r.notice_end)),
        Column("candidate", "确定发展对象日期", lambda r: r.candidate_on, sort="candidate_on"),
        Column("sponsors", "入党介绍人", lambda r: _names(r.sponsors)),
        Column("review", "政审日期", lambda r: r.political_review_on),
        Column("training", "集中培训", lambda r: _span(r.training_start, r.training_end)),
    ],
    "admissions": [
        Column("meeting", "支部大会日期", lambda r: r.general_meeting_on, sort="general_meeting_on"),
        Column(
            "ballot",
            "应到/实到/赞成",
            lambda r: _ballot_text(
                r.admission_due, r.admission_present, r.admission_written_in_favour, r.admission_in_favour
            ),
        ),
        Column("method", "表决方式", lambda r: r.get_admission_method_display()),
        Column("approved", "审批日期", lambda r: r.approved_on, sort="approved_on"),
        Column("approver", "审批党组织", lambda r: r.approving_org_label),
        Column("oath", "宣誓日期", lambda r: r.oath_on),
    ],
    "conversions": [
        Column("meeting", "入党日期（支部大会）", lambda r: r.general_meeting_on, sort="general_meeting_on"),
        Column("end", "预备期满日期", lambda r: r.probation_end_on, sort="probation_end_on"),
        Column("extension", "延长（月）", lambda r: r.extension_months or ""),
        Column("conversion_meeting", "转正支部大会日期", lambda r: r.conversion_meeting_on),
        Column(
            "ballot",
            "应到/实到/赞成",
            lambda r: _ballot_text(
                r.conversion_due, r.conversion_present, r.conversion_written_in_favour, r.conversion_in_favour
            ),
        ),
        Column("converted", "转正审批日期", lambda r: r.conversion_approved_on, sort="conversion_approved_on"),
        Column("archived", "归档日期", lambda r: r.archived_on),
    ],
}
LEDGER_URLS = {
    "activists": "recruitment:activist_ledger",
    "candidates": "recruitment:candidate_ledger",
    "admissions": "recruitment:candidate_ledger",
    "conversions": "recruitment:conversion_ledger",
}


def _ledger_definition(key: str, today) -> ListDefinition:
    spec = selectors.LEDGERS[key]
    return ListDefinition(
        name=spec.title,
        columns=[
            Column("name", "姓名", lambda r: r.person.name, sort="person__name_pinyin", link=_detail_url),
            Column("gender", "性别", lambda r: r.person.get_gender_display()),
            Column("branch", "所在党支部", lambda r: r.branch.short_name or r.branch.name, sort="branch__path"),
            *LEDGER_COLUMNS[key],
            Column(
                "stage", "当前阶段", lambda r: r.get_stage_display(), sort="stage", tag=lambda r: STAGE_TAG[r.stage]
            ),
            Column("due", "下一期限", lambda r: r.next_due_on, sort="next_due_on", tag=lambda r: _due_tag(r, today)),
        ],
        default_sort=f"-{spec.date_field}",
        row_actions=[Action("查看", _detail_url)],
        empty_text=f"没有符合条件的记录。{spec.title}列出{dict(activists='已确定为入党积极分子', candidates='已确定为发展对象', admissions='经支部大会讨论接收', conversions='已接收为预备党员').get(key, '')}的人员。",
    )


def _ledger_view(request, key: str, *, tabs: list[tuple[str, str]] | None = None):
    scope = _require_reader(request)
    today = _today()
    spec = selectors.LEDGERS[key]
    year_label = {"activist_on": "确定积极分子年度", "candidate_on": "确定发展对象年度",
                  "general_meeting_on": "接收年度", "probation_end_on": "预备期满年度"}[spec.date_field]  # fmt: skip
    form = RecordSearchForm(request.GET or None, today=today, year_label=year_label, stages=spec.stages)
    data = form.cleaned_data if form.is_valid() else {}
    org = _org_from(request, data)
    qs = selectors.ledger(
        spec, user=request.user, org=org, stage=data.get("stage", ""), year=data.get("year"), search=data.get("q", "")
    )
    page = ListPage(request, _ledger_definition(key, today), qs)
    if page.wants_export:
        return _export(
            request, page.queryset, title=f"{spec.title}（{org.name if org else scope.org_name}）", scope=scope
        )
    page.queryset = page.queryset.prefetch_related("evaluations", "mentors", "sponsors")
    context = page.context()
    base = reverse(LEDGER_URLS[key])
    nodes = _tree(
        request, org, base, policies.recruitments.queryset(request.user).filter(**{f"{spec.date_field}__isnull": False})
    )
    if tabs:
        for node in nodes:
            node.url = f"{base}?tab={key}&org={node.org.pk}"
    context.update(
        page_title=spec.title.split("（")[0] if tabs else spec.title,
        spec=spec,
        tabs=[(k, label, k == key) for k, label in tabs or []],
        search_form=form,
        nodes=nodes,
        current_org=org,
        tab=key,
        breadcrumbs=[BREAD, (spec.title.split("（")[0], None)],
    )
    return render(request, "recruitment/ledger.html", context)


@login_required
def activist_ledger(request):
    return _ledger_view(request, "activists")


@login_required
def candidate_ledger(request):
    key = "admissions" if request.GET.get("tab") == "admissions" else "candidates"
    return _ledger_view(request, key, tabs=[("candidates", "发展对象"), ("admissions", "接收预备党员")])


@login_required
def conversion_ledger(request):
    return _ledger_view(request, "conversions")


# --- one record --------------------------------------------------------------------------------------


def _record_or_404(request, pk: int, action: str = VIEW) -> Recruitment:
    return get_object_or_404(with_related(policies.recruitments.queryset(request.user, action)), pk=pk)


def _fmt(record, name: str) -> str:
    value = getattr(record, name)
    field = Recruitment._meta.get_field(name)
    if name in ("admission_method", "conversion_method"):
        return getattr(record, f"get_{name}_display")() if value else ""
    if name == "approving_org":
        return record.approving_org_label
    if name == "archive_checklist":
        if value is None:
            return ""
        labels = dict(rules.ARCHIVE_DOCUMENTS)
        return "、".join(labels.get(k, k) for k in value) or "（无）"
    if name == "branch":
        return record.branch.name
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if field.get_internal_type() == "DecimalField":
        return f"{value:g}"
    return str(value)


def step_values(record: Recruitment, step: int) -> list[tuple[str, str]]:
    """(label, text) pairs of what a step recorded, for the timeline and the print view."""
    pairs = []
    for name in STEP_FIELDS[step]:
        if name in ("mentors", "sponsors"):
            label = "培养联系人" if name == "mentors" else "入党介绍人"
            guides = list(getattr(record, name).all())
            text = "、".join(
                g.name
                + ("（指定时非正式党员）" if g.was_full_member is False else "")
                + (f"（{g.get_discipline_display()}）" if g.discipline else "")
                for g in guides
            )
            pairs.append((label, text))
        elif name in ("evaluations", "probation_evaluations"):
            kind = Evaluation.CULTIVATION if name == "evaluations" else Evaluation.PROBATION
            dates = [e for e in record.evaluations.all() if e.kind == kind]
            pairs.append(("考察", "、".join(e.on.isoformat() for e in dates)))
        elif name == "notes":
            pairs.append(("备注", record.notes))
        else:
            label = "所在党支部" if name == "branch" else Recruitment._meta.get_field(name).verbose_name
            pairs.append((label, _fmt(record, name)))
    return [(label, text) for label, text in pairs if text not in ("", "否") or label == "所在党支部"]


def _timeline(record: Recruitment, findings) -> list[dict]:
    by_step: dict[int | None, list] = {}
    for f in findings:
        by_step.setdefault(f.step, []).append(f)
    facts = facts_of(record)
    phases = []
    for title, steps in PHASES:
        items = []
        for n in steps:
            values = step_values(record, n)
            done = services.step_done(facts, n)
            items.append({
                "number": n, "title": STEP_TITLES[n], "values": values, "done": done,
                "findings": by_step.get(n, []),
                "worst": min((f.severity for f in by_step.get(n, [])), key=["error", "missing", "warning"].index, default=""),
            })  # fmt: skip
        phases.append({"title": title, "steps": items})
    return phases


def _offered_rules(findings) -> list[tuple[str, str]]:
    offered = {f.rule: f"{f.rule}（当前：{f.severity_label}）" for f in findings}
    for rule, label in (("REC-10", "REC-10 集中培训特殊情况"), ("REC-15", "REC-15 审批超过三个月的特殊情况"),
                        ("REC-19", "REC-19 转入预备党员推迟讨论转正")):  # fmt: skip
        offered.setdefault(rule, label)
    return sorted(offered.items(), key=lambda kv: kv[0])


@login_required
def record_detail(request, pk: int):
    record = _record_or_404(request, pk)
    today = _today()
    calendar, settings = work_calendar(), current_settings()
    findings = rules.audit(facts_of(record), today=today, calendar=calendar, settings=settings)
    may_change = policies.recruitments.may(request.user, CHANGE, record)
    may_override = may_change and policies.recruitments.may(request.user, policies.OVERRIDE, record)
    notices = list(record.notices.order_by("-start_on"))
    objections = list(record.objections.select_related("notice").all()) + list(
        Objection.objects.filter(notice__in=notices, recruitment__isnull=True)
    )
    member = getattr(record.person, "party_member", None)
    context = {
        "page_title": f"{record.person.name}（{record.get_stage_display()}）",
        "record": record,
        "person": record.person,
        "member": member,
        "stage_tag": STAGE_TAG[record.stage],
        "due_tag": _due_tag(record, today),
        "findings": findings,
        "general_findings": [f for f in findings if f.step is None],
        "error_count": sum(1 for f in findings if f.severity == ERROR),
        "other_count": sum(1 for f in findings if f.severity != ERROR),
        "phases": _timeline(record, findings),
        "basic": step_values(record, BASIC),
        "overrides": list(record.overrides.all()),
        "notices": notices,
        "objections": objections,
        "history": audit.history(record)[:50],
        "may_change": may_change,
        "may_override": may_override,
        "may_delete": may_change and not record.approved_on and member is None,
        "reason_form": ReasonForm(rules_offered=_offered_rules(findings)) if may_change else None,
        "probation_end": record.probation_end_on,
        "full_member_on": rules.full_member_on(facts_of(record)),
        "severity_class": SEVERITY_CLASS,
        "today": today,
        "breadcrumbs": [BREAD, ("发展党员名册", reverse("recruitment:ledger")), (record.person.name, None)],
    }
    return render(request, "recruitment/record_detail.html", context)


@login_required
def record_print(request, pk: int):
    record = _record_or_404(request, pk)
    today = _today()
    findings = rules.audit(facts_of(record), today=today, calendar=work_calendar(), settings=current_settings())
    return render(
        request,
        "recruitment/record_print.html",
        {
            "page_title": f"发展党员工作记录：{record.person.name}",
            "record": record,
            "person": record.person,
            "phases": _timeline(record, findings),
            "today": today,
        },
    )


@login_required
def record_create(request):
    scope = scope_of(request.user)
    if not _may_write(scope):
        raise PermissionDenied("仅党组织管理员可以登记入党申请人。")
    form = RecordCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person_data = {k: data[k] for k in ("name", "id_number", "ethnicity", "education", "phone")}
        person_data["unit"] = data["branch"].unit
        try:
            result = services.recruitment_create(
                by=request.user, branch=data["branch"], application_on=data["application_on"],
                person_data=person_data, today=_today(),
            )  # fmt: skip
        except services.StepBlocked as exc:
            for f in exc.findings:
                form.add_error(None, f"{f.rule}：{f.message}")
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已登记入党申请人 {result.recruitment.person.name}。")
            return redirect("recruitment:record_detail", result.recruitment.pk)
    return render(
        request,
        "recruitment/form.html",
        {
            "page_title": "登记入党申请人",
            "form": form,
            "breadcrumbs": [BREAD, ("发展党员名册", reverse("recruitment:ledger")), ("登记入党申请人", None)],
        },
    )


@login_required
def step_edit(request, pk: int, step: int):
    if step not in STEP_FIELDS:
        raise Http404("没有这一步。")
    record = _record_or_404(request, pk, CHANGE)
    may_override = policies.recruitments.may(request.user, policies.OVERRIDE, record)
    blocked = []
    show_reason = request.method == "POST" and bool(request.POST.get("override_reason"))
    form = StepForm(request.POST or None, step=step, record=record, user=request.user, show_reason=show_reason)
    if request.method == "POST" and form.is_valid():
        reason = (
            form.cleaned_data.get("override_reason", "") if show_reason else request.POST.get("override_reason", "")
        )
        try:
            result = services.recruitment_step_record(
                by=request.user, recruitment=record, step=step, data=form.data_for_service(), today=_today(),
                override_reason=reason or None,
            )  # fmt: skip
        except services.StepBlocked as exc:
            blocked = exc.findings
            if may_override:
                form = StepForm(request.POST, step=step, record=record, user=request.user, show_reason=True)
                form.is_valid()
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已保存“{STEP_TITLES[step]}”。")
            for f in result.overridden:
                messages.warning(request, f"已说明理由后继续办理：{f.rule} {f.message}")
            for f in result.step_findings:
                if f not in result.overridden:
                    messages.warning(request, f"{f.rule}（{f.severity_label}）：{f.message}")
            return redirect(f"{reverse('recruitment:record_detail', args=[record.pk])}#step-{step}")
    title = "基本情况" if step == BASIC else f"第 {step} 步 {STEP_TITLES[step]}"
    return render(
        request,
        "recruitment/step_form.html",
        {
            "page_title": f"{record.person.name}：{title}",
            "form": form,
            "record": record,
            "step": step,
            "blocked": blocked,
            "may_override": may_override,
            "severity_class": SEVERITY_CLASS,
            "cancel_url": reverse("recruitment:record_detail", args=[record.pk]),
            "breadcrumbs": [
                BREAD,
                ("发展党员名册", reverse("recruitment:ledger")),
                (record.person.name, reverse("recruitment:record_detail", args=[record.pk])),
                (title, None),
            ],
        },
    )


@login_required
@require_POST
def reason_add(request, pk: int):
    record = _record_or_404(request, pk, CHANGE)
    findings = rules.audit(facts_of(record), today=_today(), calendar=work_calendar(), settings=current_settings())
    form = ReasonForm(request.POST, rules_offered=_offered_rules(findings))
    if form.is_valid():
        try:
            services.recruitment_reason_record(
                by=request.user, recruitment=record, rule=form.cleaned_data["rule"],
                reason=form.cleaned_data["reason"], today=_today(),
            )  # fmt: skip
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已记录 {form.cleaned_data['rule']} 的理由。")
    else:
        messages.error(request, "请选择规则并填写理由。")
    return redirect("recruitment:record_detail", record.pk)


@login_required
def record_delete(request, pk: int):
    record = _record_or_404(request, pk, DELETE)
    if request.method == "POST":
        try:
            services.recruitment_delete(by=request.user, recruitment=record)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("recruitment:record_detail", record.pk)
        messages.success(request, f"已删除 {record.person.name} 的发展党员记录。删除前的信息可在修改记录中查看。")
        return redirect("recruitment:ledger")
    return render(request, "components/confirm_delete.html", {
        "page_title": "删除发展党员记录", "object": record.person.name, "object_kind": "发展党员记录",
        "cancel_url": reverse("recruitment:record_detail", args=[record.pk]),
    })  # fmt: skip


# --- import and audit of a sheet ----------------------------------------------------------------------


def _import_dir() -> Path:
    path = Path(django_settings.PRIVATE_MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@login_required
def import_view(request):
    """Upload a ledger, see its findings per person and per rule, then import it or not."""
    scope = scope_of(request.user)
    if not _may_write(scope):
        raise PermissionDenied("仅党组织管理员可以导入台账。")
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    report, token, org = None, "", None
    today = _today()
    calendar, settings = work_calendar(), current_settings()
    if request.method == "POST" and request.POST.get("token"):
        token = request.POST["token"]
        org = form.fields["org"].queryset.filter(pk=request.POST.get("org_id")).first()
        try:
            path = _import_dir() / f"recruitment-{request.user.pk}-{uuid.UUID(token).hex}.xlsx"
        except ValueError:
            path = None
        if path is None or not path.exists() or org is None:
            messages.error(request, "导入文件已过期，请重新上传。")
            return redirect("recruitment:import")
        report = import_ledger(
            path.read_bytes(), org=org, by=request.user, today=today, calendar=calendar, settings=settings
        )
        if report.ok:
            path.unlink()
            messages.success(request, f"已导入 {report.imported} 人（新增 {report.created}，更新 {report.updated}）。")
            return redirect(f"{reverse('recruitment:ledger')}?org={org.pk}")
    elif request.method == "POST" and form.is_valid():
        org = form.cleaned_data["org"]
        try:
            data = read_upload(form.cleaned_data["file"])
            report = import_ledger(
                data, org=org, by=request.user, today=today, calendar=calendar, settings=settings, dry_run=True
            )
        except UploadError as exc:
            form.add_error("file", str(exc))
        else:
            if report.ok:
                token = uuid.uuid4().hex
                (_import_dir() / f"recruitment-{request.user.pk}-{token}.xlsx").write_bytes(data)
    severity_rank = {"error": 0, "missing": 1, "warning": 2}
    people = []
    if report:
        for r in report.findings:
            if r.findings:
                people.append(
                    {
                        "row": r.row,
                        "name": r.name,
                        "findings": sorted(r.findings, key=lambda f: severity_rank[f.severity]),
                    }
                )
    return render(request, "recruitment/import.html", {
        "page_title": "台账导入与核查", "form": form, "report": report, "token": token, "org": org,
        "people": people, "by_rule": report.by_rule() if report else [], "severity_class": SEVERITY_CLASS,
        "headers": ledger_layout.HEADERS, "breadcrumbs": [BREAD, ("台账导入与核查", None)],
    })  # fmt: skip


@login_required
def import_template(request):
    _require_reader(request)
    data = ledger_layout.export_workbook(
        [], title="发展党员台账", subtitle="导入模板：表头行须含“姓名”，日期如 2019-07-01", reveal=False
    )
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path('发展党员台账模板.xlsx')}"
    return response


# --- public notices -------------------------------------------------------------------------------------

NOTICE_LIST = ListDefinition(
    name="发展对象公示",
    columns=[
        Column("title", "标题", lambda n: n.title, link=lambda n: reverse("recruitment:notice_detail", args=[n.pk])),
        Column("org", "公示党组织", lambda n: n.org.short_name or n.org.name, sort="org__path"),
        Column("people", "人数", lambda n: n.people),
        Column("start", "开始日期", lambda n: n.start_on, sort="start_on"),
        Column("end", "结束日期", lambda n: n.end_on, sort="end_on"),
        Column("days", "工作日", lambda n: n.workdays),
        Column("rule", "依据", lambda n: n.rule),
        Column(
            "objections",
            "未处理异议",
            lambda n: n.open_objections or "",
            tag=lambda n: "tag-overdue" if n.open_objections else None,
        ),
    ],
    default_sort="-start_on",
    row_actions=[
        Action("查看", lambda n: reverse("recruitment:notice_detail", args=[n.pk])),
        Action("打印", lambda n: reverse("recruitment:notice_print", args=[n.pk])),
    ],
    empty_text="暂无发展对象公示。确定发展对象前，点击“新建公示”。",
)


@login_required
def notice_list(request):
    scope = _require_reader(request)
    page = ListPage(request, NOTICE_LIST, selectors.notices(user=request.user))
    if page.wants_export:
        return page.export()
    return render(request, "recruitment/notice_list.html", {
        "page_title": "发展对象公示", **page.context(),
        "add_url": reverse("recruitment:notice_create") if _may_write(scope) else "", "add_label": "新建公示",
        "breadcrumbs": [BREAD, ("发展对象公示", None)],
    })  # fmt: skip


@login_required
def notice_create(request):
    scope = scope_of(request.user)
    if not _may_write(scope):
        raise PermissionDenied("仅党组织管理员可以新建公示。")
    today = _today()
    initial = {"start_on": today, "workdays": max(5, current_settings().LOCAL_NOTICE_WORKDAYS)}
    form = NoticeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.notice_create(
                by=request.user, org=data["org"], recruitments=list(data["recruitments"]), start_on=data["start_on"],
                workdays=data["workdays"], title=data["title"], contact=data["contact"],
                in_both_places=data["in_both_places"], today=today,
            )  # fmt: skip
        except services.StepBlocked as exc:
            for f in exc.findings:
                form.add_error(None, f"{f.rule}：{f.message}")
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, f"已新建公示，公示期 {notice.start_on} 至 {notice.end_on}（{notice.workdays} 个工作日）。"
            )
            return redirect("recruitment:notice_detail", notice.pk)
    return render(request, "recruitment/form.html", {
        "page_title": "新建发展对象公示", "form": form,
        "intro": "公示期按国务院节假日安排计算工作日（含调休上班日，不含法定节假日）。2026年5月11日起适用2026年细则，公示不少于5个工作日（REC-07）；此前按本地公示票决制（REC-07L）。",
        "breadcrumbs": [BREAD, ("发展对象公示", reverse("recruitment:notice_list")), ("新建公示", None)],
    })  # fmt: skip


def _notice_or_404(request, pk: int, action: str = VIEW) -> PublicNotice:
    return get_object_or_404(policies.notices.queryset(request.user, action).select_related("org"), pk=pk)


@login_required
def notice_detail(request, pk: int):
    notice = _notice_or_404(request, pk)
    may_change = policies.notices.may(request.user, CHANGE, notice)
    objection_form = ObjectionForm(notice=notice) if may_change else None
    if request.method == "POST" and may_change:
        objection_form = ObjectionForm(request.POST, notice=notice)
        if objection_form.is_valid():
            data = objection_form.cleaned_data
            try:
                services.objection_record(
                    by=request.user, notice=notice, recruitment=data["recruitment"], received_on=data["received_on"],
                    content=data["content"], today=_today(),
                )  # fmt: skip
            except ValidationError as exc:
                _apply_errors(objection_form, exc)
            else:
                messages.success(request, "已登记异议。异议处理完毕前，相关人员不能进行下一步。")
                return redirect("recruitment:notice_detail", notice.pk)
    elif request.method == "POST":
        raise PermissionDenied("您无权登记异议。")
    return render(request, "recruitment/notice_detail.html", {
        "page_title": notice.title, "notice": notice,
        "people": notice.recruitments.select_related("person", "branch").order_by("branch__path", "pk"),
        "objections": notice.objections.select_related("recruitment__person"),
        "objection_form": objection_form, "resolve_form": ResolveForm(initial={"resolved_on": _today()}),
        "may_change": may_change, "history": audit.history(notice)[:20],
        "breadcrumbs": [BREAD, ("发展对象公示", reverse("recruitment:notice_list")), (notice.title, None)],
    })  # fmt: skip


@login_required
@require_POST
def objection_resolve(request, pk: int):
    objection = get_object_or_404(policies.objections.queryset(request.user, CHANGE).select_related("notice"), pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.objection_resolve(
                by=request.user, objection=objection, resolved_on=form.cleaned_data["resolved_on"],
                resolution=form.cleaned_data["resolution"], today=_today(),
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已登记异议处理结果。")
    else:
        messages.error(request, "请填写处理完毕日期和处理结果。")
    return redirect("recruitment:notice_detail", objection.notice_id)


@login_required
def notice_print(request, pk: int):
    notice = _notice_or_404(request, pk)
    return HttpResponse(notice_docs.render_html(notice))


@login_required
def notice_docx(request, pk: int):
    notice = _notice_or_404(request, pk)
    response = HttpResponse(
        notice_docs.render_docx(notice),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(notice.title + '.docx')}"
    return response


# --- the district pipeline ---------------------------------------------------------------------------------


@login_required
def pipeline(request):
    """全区发展党员统计: counts per stage per top-level organisation (for the 工委)."""
    scope = scope_of(request.user)
    if scope is None or not scope.is_district_admin:
        raise PermissionDenied("仅工委管理员可以查看全区发展党员统计。")
    orgs, counts = selectors.pipeline(user=request.user)
    stages = list(rules.STAGE_LABELS.items())
    rows = []
    for org in orgs:
        numbers = [counts.get((org.path, key), 0) for key, _ in stages]
        if any(numbers):
            rows.append({"org": org, "numbers": numbers, "total": sum(numbers)})
    rows.sort(key=lambda r: (-r["total"], r["org"].path))
    totals = [sum(r["numbers"][i] for r in rows) for i in range(len(stages))]
    top = rows[:20]
    option = {
        "title": {"text": "各单位发展党员情况（前20）", "left": "left", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 24},
        "grid": {"left": 150, "right": 30, "top": 60, "bottom": 20},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {
            "type": "category",
            "data": [r["org"].short_name or r["org"].name for r in reversed(top)],
            "axisLabel": {"width": 140, "overflow": "truncate"},
        },
        "color": ["#90a4ae", "#1e88e5", "#5e35b1", "#ef6c00", "#2e7d32"],
        "series": [
            {"name": label, "type": "bar", "stack": "all", "data": [r["numbers"][i] for r in reversed(top)]}
            for i, (_, label) in enumerate(stages)
        ],
    }
    return render(request, "recruitment/pipeline.html", {
        "page_title": "全区发展党员统计", "rows": rows, "stages": stages, "totals": totals,
        "stage_totals": [(label, totals[i]) for i, (_, label) in enumerate(stages)], "grand_total": sum(totals),
        "chart": json.dumps(option, ensure_ascii=False), "chart_height": 120 + 28 * max(len(top), 1),
        "breadcrumbs": [BREAD, ("全区发展党员统计", None)],
    })  # fmt: skip
