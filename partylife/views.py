import json
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_POST

from accounts.scope import scope_of
from core import officialdoc as od
from core.dates import add_months
from core.excel import XLSX_CONTENT_TYPE, write_xlsx
from core.listing import Action, Column, ListDefinition, ListPage
from core.policies import CHANGE, VIEW
from core.rule_settings import value
from orgs import policies as org_policies
from orgs.models import PartyOrg
from orgs.selectors import party_tree
from partylife import attachments, inspection, policies, rules, selectors, services
from partylife.forms import CircularCreateForm, CircularEditForm, MeetingForm, MeetingSearchForm, PeriodForm
from partylife.models import Attachment, Circular, Meeting
from people import policies as people_policies

KIND_TAG = {
    rules.GENERAL_MEETING: "tag-full",
    rules.COMMITTEE_MEETING: "tag-info",
    rules.GROUP_MEETING: "tag-info",
    rules.PARTY_LECTURE: "tag-probationary",
    rules.THEME_DAY: "tag-danger",
    rules.LIFE_MEETING: "tag-full",
    rules.MEMBER_APPRAISAL: "tag-full",
}
STATE_TAG = {rules.MET: "tag-full", rules.SHORT: "tag-danger", rules.DUE: "tag-probationary"}
ATTENDANCE_TAG = {rules.PRESENT: "tag-full", rules.EXCUSED: "tag-probationary", rules.ABSENT: "tag-danger"}


def _scope_or_403(request, *, writer=False):
    scope = scope_of(request.user)
    roles = {"DISTRICT_ADMIN", "PARTY_ADMIN"} if writer else {"DISTRICT_ADMIN", "PARTY_ADMIN", "DISCIPLINE"}
    if scope is None or scope.role not in roles or not scope.party_path:
        raise PermissionDenied("您无权访问组织生活管理页面。")
    return scope


def _org_param(request, name="org", action=VIEW):
    raw = request.GET.get(name) or request.POST.get(name)
    if not raw:
        return None
    try:
        pk = int(raw)
    except ValueError:
        return None
    return org_policies.party_orgs.queryset(request.user, action).filter(pk=pk).first()


def _scope_org(request, scope):
    return org_policies.party_orgs.queryset(request.user, VIEW).filter(path=scope.party_path).first()


def _tree(request, current, url_for):
    nodes = party_tree(user=request.user, current=current)
    for node in nodes:
        node.url = url_for(node.org)
    return nodes


# --- meetings ------------------------------------------------------------------------

MEETING_LIST = ListDefinition(
    name="组织生活会议",
    columns=[
        Column("held_on", "会议日期", lambda m: m.held_on, sort="held_on"),
        Column("kind", "会议类型", lambda m: m.get_kind_display(), sort="kind", tag=lambda m: KIND_TAG[m.kind]),
        Column("org", "党组织", lambda m: m.org.short_name or m.org.name, sort="org__path"),
        Column("topic", "会议主题", lambda m: m.topic, link=lambda m: reverse("partylife:meeting_detail", args=[m.pk])),
        Column("host", "主持人", lambda m: m.host),
        Column(
            "attendance",
            "出席（人）",
            lambda m: f"{m.n_present or 0}/{m.n_total or 0}" if m.status == Meeting.HELD else "",
            sort="n_present",
        ),  # fmt: skip
        Column(
            "status",
            "状态",
            lambda m: m.get_status_display(),
            sort="status",
            tag=lambda m: "tag-full" if m.status == Meeting.HELD else "tag-probationary",
        ),  # fmt: skip
    ],
    default_sort="-held_on",
    row_actions=[Action("查看", lambda m: reverse("partylife:meeting_detail", args=[m.pk]))],
    empty_text="没有符合条件的会议记录。可调整查询条件，或点击“登记会议”。",
)


@login_required
def meeting_list(request):
    scope = scope_of(request.user)
    if scope is not None and scope.is_member:
        return redirect("partylife:my_meetings")
    _scope_or_403(request)
    form = MeetingSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    org = _org_param(request)
    qs = selectors.meetings(user=request.user, org=org, kind=data.get("kind", ""), status=data.get("status", ""),
                            start=data.get("start"), end=data.get("end"), search=data.get("q", ""))  # fmt: skip
    page = ListPage(request, MEETING_LIST, qs)
    if page.wants_export:
        return page.export(title=f"组织生活会议（{org.name if org else scope.org_name}）")
    add_url = reverse("partylife:meeting_create")
    if org is not None:
        add_url += f"?org={org.pk}"
    context = {
        "page_title": "三会一课",
        "search_form": form,
        "nodes": _tree(request, org, lambda o: f"?org={o.pk}"),
        "current_org": org,
        "add_url": add_url if scope.is_party_admin else "",
        "add_label": "登记会议",
        **page.context(),
    }
    return render(request, "partylife/meeting_list.html", context)


def _marks_from_post(post) -> dict[int, services.Mark]:
    marks = {}
    for key, status in post.items():
        if not key.startswith("att-") or not status:
            continue
        try:
            pk = int(key[4:])
        except ValueError:
            continue
        marks[pk] = services.Mark(status, post.get(f"reason-{pk}", ""))
    return marks


def _roster_rows(org, on, kind, marks):
    if org is None or on is None:
        return None
    members = selectors.roster(org, on, kind=kind)
    return [{"member": m, "mark": marks.get(m.pk)} for m in members]


def _apply_errors(form, exc: ValidationError, attendance_errors: list):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            if field == "attendance":
                attendance_errors.extend(errors)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def meeting_form(request, pk: int | None = None):
    scope = _scope_or_403(request, writer=True)
    meeting = None
    if pk is not None:
        meeting = get_object_or_404(policies.meetings.queryset(request.user, CHANGE).select_related("org"), pk=pk)
    today = timezone.localdate()
    initial = {}
    if meeting is None:
        initial = {"held_on": today, "kind": request.GET.get("kind") or rules.THEME_DAY, "status": Meeting.HELD}
        org = (
            _org_param(request, action=CHANGE)
            or org_policies.party_orgs.queryset(request.user, CHANGE)
            .filter(path=scope.party_path, kind=PartyOrg.BRANCH)
            .first()
        )
        if org is not None:
            initial["org"] = org.pk
    form = MeetingForm(
        request.POST or None, request.FILES or None, instance=meeting, user=request.user, initial=initial
    )
    marks = dict(
        (m_id, services.Mark(s, r))
        for m_id, s, r in (meeting.attendance.values_list("member_id", "status", "reason") if meeting else [])
    )
    attendance_errors: list[str] = []
    if request.method == "POST":
        marks = _marks_from_post(request.POST)
        if form.is_valid():
            stored, upload_ok = [], True
            for upload in form.cleaned_data["files"]:
                try:
                    attachment, created = attachments.store(by=request.user, name=upload.name,
                                                            data=attachments.read_upload(upload))  # fmt: skip
                except ValidationError as exc:
                    form.add_error("files", exc.messages)
                    upload_ok = False
                    continue
                stored.append(attachment)
                if not created:
                    messages.info(request, f"“{upload.name}”此前已上传过，已直接引用，未重复保存。")
            chosen = list(form.cleaned_data["reuse"]) + stored
            if upload_ok:
                try:
                    saved = services.meeting_save(by=request.user, meeting=form.instance, marks=marks,
                                                  attachments=chosen, today=today)  # fmt: skip
                except ValidationError as exc:
                    _apply_errors(form, exc, attendance_errors)
                except PermissionDenied:
                    form.add_error("org", "该党组织不在您的管理范围内。")
                else:
                    messages.success(request, f"已保存：{saved}。")
                    return redirect("partylife:meeting_detail", saved.pk)
            # Files already stored are offered again, ticked: nobody uploads the same photo twice.
            if stored:
                form.fields["reuse"].queryset = (
                    form.fields["reuse"].queryset | Attachment.objects.filter(pk__in=[a.pk for a in stored])
                ).distinct()
                form.data = form.data.copy()
                form.data.setlist("reuse", [str(a.pk) for a in chosen])
    org = form.instance.org if form.instance.org_id else None
    held_on = form.instance.held_on
    kind = form.instance.kind
    if request.method != "POST" and meeting is None:
        org = org_policies.party_orgs.queryset(request.user, CHANGE).filter(pk=initial.get("org")).first()
        held_on, kind = initial["held_on"], initial["kind"]
    elif request.method == "POST" and not form.instance.org_id:
        org = _org_param(request, action=CHANGE)
    context = {
        "page_title": f"编辑会议：{meeting.topic}" if meeting else "登记会议",
        "form": form,
        "meeting": meeting,
        "rows": _roster_rows(org, held_on, kind, marks),
        "attendance_errors": attendance_errors,
        "attendance_choices": list(rules.ATTENDANCE_LABELS.items()),
        "roster_url": reverse("partylife:meeting_roster"),
        "breadcrumbs": [
            ("组织生活", None),
            ("三会一课", reverse("partylife:meeting_list")),
            (meeting.topic if meeting else "登记会议", None),
        ],  # fmt: skip
    }
    return render(request, "partylife/meeting_form.html", context)


@login_required
def meeting_roster(request):
    """htmx: the attendance rows of an organisation on a date (the members who belonged then)."""
    _scope_or_403(request, writer=True)
    org = _org_param(request, action=CHANGE)
    try:
        on = date.fromisoformat(request.GET.get("held_on", ""))
    except ValueError:
        on = None
    marks = {}
    meeting_id = request.GET.get("meeting")
    if meeting_id and meeting_id.isdigit():
        meeting = policies.meetings.queryset(request.user, CHANGE).filter(pk=int(meeting_id)).first()
        if meeting is not None:
            marks = {
                m: services.Mark(s, r) for m, s, r in meeting.attendance.values_list("member_id", "status", "reason")
            }
    context = {
        "rows": _roster_rows(org, on, request.GET.get("kind", ""), marks),
        "attendance_choices": list(rules.ATTENDANCE_LABELS.items()),
        "status": request.GET.get("status", Meeting.HELD),
    }
    return render(request, "partylife/_roster.html", context)


@login_required
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(policies.meetings.queryset(request.user, VIEW).select_related("org"), pk=pk)
    attendance = list(meeting.attendance.select_related("member__person").order_by("member__person__name_pinyin"))
    counts = {s: sum(1 for a in attendance if a.status == s) for s in rules.ATTENDANCE_LABELS}
    may_change = policies.meetings.may(request.user, CHANGE, meeting)
    context = {
        "page_title": f"{meeting.get_kind_display()}：{meeting.topic}",
        "meeting": meeting,
        "attendance": attendance,
        "counts": counts,
        "labels": rules.ATTENDANCE_LABELS,
        "tags": ATTENDANCE_TAG,
        "files": list(meeting.attachments.all()),
        "may_change": may_change,
        "breadcrumbs": [("组织生活", None), ("三会一课", reverse("partylife:meeting_list")), (meeting.topic, None)],
    }
    return render(request, "partylife/meeting_detail.html", context)


@login_required
@require_POST
def meeting_all_present(request, pk: int):
    meeting = get_object_or_404(policies.meetings.queryset(request.user, CHANGE).select_related("org"), pk=pk)
    if meeting.status != Meeting.HELD:
        messages.error(request, "计划中的会议不能登记出席情况。")
        return redirect("partylife:meeting_detail", pk)
    try:
        n = services.meeting_all_present(by=request.user, meeting=meeting, today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已将 {n} 名党员全部登记为出席。")
    return redirect("partylife:meeting_detail", pk)


@login_required
def meeting_delete(request, pk: int):
    meeting = get_object_or_404(policies.meetings.queryset(request.user, CHANGE).select_related("org"), pk=pk)
    if request.method == "POST":
        services.meeting_delete(by=request.user, meeting=meeting)
        messages.success(request, "已删除会议记录。删除前的内容可在修改记录中查看。")
        return redirect("partylife:meeting_list")
    return render(request, "components/confirm_delete.html", {"page_title": "删除会议记录", "object": meeting,
                  "object_kind": "会议记录", "cancel_url": reverse("partylife:meeting_detail", args=[pk])})  # fmt: skip


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    """A meeting's photo or file, only to those who may see the meeting; never from the web root."""
    meeting = get_object_or_404(policies.meetings.queryset(request.user, VIEW), pk=pk)
    attachment = get_object_or_404(meeting.attachments.all(), pk=attachment_pk)
    path = attachments.path_of(attachment)
    if not path.exists():
        raise Http404("附件文件不存在。")
    response = FileResponse(
        path.open("rb"),
        content_type=attachment.content_type,
        as_attachment=attachment.kind != Attachment.IMAGE,
        filename=attachment.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def my_meetings(request):
    """我的组织生活: the meetings the signed-in member stands on the attendance list of."""
    scope = scope_of(request.user)
    person_id = request.user.person_id
    rows = list(selectors.my_attendance(person_id=person_id)[:200]) if person_id else []
    counts = {s: sum(1 for a in rows if a.status == s) for s in rules.ATTENDANCE_LABELS}
    return render(request, "partylife/my_meetings.html", {
        "page_title": "我的组织生活", "rows": rows, "counts": counts, "labels": rules.ATTENDANCE_LABELS,
        "tags": ATTENDANCE_TAG, "scope": scope, "breadcrumbs": [("组织生活", None), ("我的组织生活", None)],
    })  # fmt: skip


# --- calendar ------------------------------------------------------------------------


@login_required
def calendar(request):
    """A branch's year: meetings planned and held month by month, and what is still due."""
    scope = _scope_or_403(request)
    today = timezone.localdate()
    org = _org_param(request)
    if org is None or org.kind not in (PartyOrg.BRANCH, PartyOrg.GROUP):
        org = (
            org_policies.party_orgs.queryset(request.user, VIEW)
            .filter(path__startswith=(org.path if org else scope.party_path), kind=PartyOrg.BRANCH)
            .order_by("path")
            .first()
        )
    if org is None:
        raise Http404("您的管理范围内没有党支部。")
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year + 1)
    start, end = date(year, 1, 1), date(year, 12, 31)
    report = selectors.compliance(root=org, start=start, end=end, today=today,
                                  lectures_per_year=value("LECTURES_PER_YEAR"))  # fmt: skip
    year_meetings = list(
        Meeting.objects.filter(org__path__startswith=org.path, held_on__gte=start, held_on__lte=end)
        .select_related("org")
        .order_by("held_on", "id")
    )
    months = []
    for m in range(1, 13):
        first = date(year, m, 1)
        last = add_months(first, 1) - timedelta(days=1)
        cells = []
        for row in report.rows:
            for s in row.statuses:
                if s.period.end == last:
                    cells.append(s)
        months.append({
            "first": first, "is_current": first <= today <= last,
            "meetings": [x for x in year_meetings if x.held_on.month == m], "statuses": cells,
        })  # fmt: skip
    due_month = [s for r in report.rows for s in r.due if s.period.freq == rules.MONTH]
    due_quarter = [s for r in report.rows for s in r.due if s.period.freq == rules.QUARTER]
    due_year = [s for r in report.rows for s in r.due if s.period.freq == rules.YEAR]
    context = {
        "page_title": f"{org.short_name or org.name} {year}年组织生活日历",
        "org": org,
        "year": year,
        "years": [year - 1, year + 1] if year < today.year + 1 else [year - 1],
        "months": months,
        "due_month": due_month,
        "due_quarter": due_quarter,
        "due_year": due_year,
        "report": report,
        "state_tag": STATE_TAG,
        "state_labels": rules.STATE_LABELS,
        "kind_tag": KIND_TAG,
        "nodes": _tree(request, org, lambda o: f"?org={o.pk}&year={year}"),
        "may_add": scope.is_party_admin,
        "breadcrumbs": [("组织生活", None), ("组织生活日历", None)],
    }
    return render(request, "partylife/calendar.html", context)


# --- compliance ----------------------------------------------------------------------

SORTS = {
    "name": lambda r: r.org.path,
    "members": lambda r: r.members,
    "meetings": lambda r: r.meetings,
    "missing": lambda r: r.missing,
    "rate": lambda r: r.attendance_rate if r.attendance_rate is not None else -1,
    "absent": lambda r: r.absent_streaks,
}


def _period(request, today):
    form = PeriodForm(request.GET or None)
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    if form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
    if end < start:
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    if start > today:
        start = date(today.year, 1, 1)
    return form, start, end


@login_required
def compliance(request):
    """组织生活落实情况: LIFE-01 … LIFE-09 per branch and party group, heat map and table."""
    scope = _scope_or_403(request)
    today = timezone.localdate()
    org = _org_param(request) or _scope_org(request, scope)
    if org is None:
        raise Http404("没有可查看的组织。")
    form, start, end = _period(request, today)
    report = selectors.compliance(root=org, start=start, end=end, today=today,
                                  lectures_per_year=value("LECTURES_PER_YEAR"))  # fmt: skip
    sort = request.GET.get("sort", "")
    key = sort.lstrip("-")
    rows = list(report.rows)
    if key in SORTS:
        rows.sort(key=SORTS[key], reverse=sort.startswith("-"))
    if request.GET.get("export") == "xlsx":
        return _compliance_export(report, rows, org)
    headers = []
    for k, label in (("name", "党组织"), ("members", "党员（人）"), ("meetings", "会议（次）"), ("missing", "未达标期次"),
                     ("rate", "出席率"), ("absent", "连续缺席≥3次（人）")):  # fmt: skip
        state = "asc" if sort == k else "desc" if sort == f"-{k}" else ""
        params = request.GET.copy()
        params["sort"] = f"-{k}" if state == "asc" else k
        headers.append({"key": k, "label": label, "url": "?" + params.urlencode(), "state": state})
    base = request.GET.copy()
    base.pop("sort", None)
    base["export"] = "xlsx"
    drill = reverse("partylife:meeting_list")
    context = {
        "page_title": "组织生活落实情况",
        "org": org,
        "form": form,
        "start": start,
        "end": end,
        "report": report,
        "rows": rows,
        "headers": headers,
        "rule_columns": selectors.RULE_COLUMNS,
        "rule_labels": _rule_labels(),
        "state_tag": STATE_TAG,
        "heat_json": json.dumps(selectors.heat_option(report, drill), ensure_ascii=False),
        "export_query": base.urlencode(),
        "may_remind": scope.is_party_admin,
        "nodes": _tree(request, org, lambda o: f"?org={o.pk}&start={start}&end={end}"),
        "breadcrumbs": [("组织生活", None), ("组织生活落实情况", None)],
    }
    return render(request, "partylife/compliance.html", context)


def _rule_labels():
    return {
        "LIFE-01": "党员大会", "LIFE-02": "支委会", "LIFE-03": "党小组会", "LIFE-04": "党课",
        "LIFE-05": "主题党日", "LIFE-06": "组织生活会", "LIFE-07": "民主评议",
    }  # fmt: skip


def _compliance_export(report, rows, org):
    labels = _rule_labels()
    headers = ["党组织", "上级组织", "党员（人）", *(f"{labels[r]}（{r}）" for r in selectors.RULE_COLUMNS),
               "谈心谈话（人）", "会议（次）", "未达标期次", "出席率", "连续缺席≥3次（人）", "问题"]  # fmt: skip
    data = []
    for i, r in enumerate(rows, 1):
        cells = [r.cells[c].text if c in r.cells else "" for c in selectors.RULE_COLUMNS]
        rate = f"{r.attendance_rate * 100:.1f}%" if r.attendance_rate is not None else ""
        data.append([i, r.org.name, r.parent_name, r.members, *cells,
                     f"{r.heart_talked}/{r.heart_required}" if r.org.kind == PartyOrg.BRANCH else "",
                     r.meetings, r.missing, rate, r.absent_streaks, "；".join(f.message for f in r.findings)])  # fmt: skip
    content = write_xlsx(sheet_title="组织生活落实情况", headers=["序号", *headers], rows=data,
                         title=f"组织生活落实情况（{org.name}，{report.start}至{report.end}）",
                         subtitle=f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}")  # fmt: skip
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = f"组织生活落实情况-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
    return response


@login_required
@require_POST
def absence_reminder(request, member_pk: int):
    """LIFE-09 one click: a 提醒谈话 due item for a member absent three times in a row."""
    from talks.services import reminder_schedule

    _scope_or_403(request, writer=True)
    member = get_object_or_404(
        people_policies.party_members.queryset(request.user, CHANGE).select_related("person", "branch"), pk=member_pk
    )
    today = timezone.localdate()
    found = [a for a in selectors.absent_members(root=member.branch, start=date(today.year - 1, 1, 1), end=today)
             if a.member.pk == member.pk]  # fmt: skip
    back = request.POST.get("next") or reverse("partylife:compliance")
    if not back.startswith("/"):
        back = reverse("partylife:compliance")
    if not found:
        messages.error(request, f"{member.person.name}目前没有连续 3 次无故缺席的记录，无需提醒谈话。")
        return redirect(back)
    talk = reminder_schedule(by=request.user, member=member, streak=found[0].streak, dates=found[0].dates, today=today)
    talker = talk.talker.name if talk.talker_id else "支部书记"
    messages.success(
        request, f"已为{member.person.name}安排提醒谈话，由{talker}于{talk.due_on}前完成。谈话记录按规定保密。"
    )
    return redirect(back)


# --- circulars -----------------------------------------------------------------------

CIRCULAR_LIST = ListDefinition(
    name="督查通报",
    columns=[
        Column("number", "发文字号", lambda c: c.doc_number or "（草稿）", sort="number_seq"),
        Column("title", "标题", lambda c: c.title, link=lambda c: reverse("partylife:circular_detail", args=[c.pk])),
        Column("scope", "督查范围", lambda c: c.scope_org.short_name or c.scope_org.name),
        Column("period", "督查期间", lambda c: f"{c.period_start} 至 {c.period_end}", sort="period_start"),
        Column(
            "status",
            "状态",
            lambda c: c.get_status_display(),
            sort="status",
            tag=lambda c: "tag-full" if c.status == Circular.PUBLISHED else "tag-probationary",
        ),  # fmt: skip
        Column("issued", "成文日期", lambda c: c.issued_on, sort="issued_on"),
        Column("read", "已阅（个）", lambda c: f"{c.n_read}/{c.n_recipients}" if c.n_recipients else ""),
    ],
    default_sort="-created_at",
    row_actions=[Action("查看", lambda c: reverse("partylife:circular_detail", args=[c.pk]))],
    empty_text="暂无督查通报。工委管理员可点击“起草通报”，选择督查范围和期间后自动生成。",
)


@login_required
def circular_list(request):
    scope = _scope_or_403(request)
    qs = (
        policies.circulars.queryset(request.user, VIEW)
        .select_related("scope_org")
        .annotate(n_recipients=Count("recipients", distinct=True),
                  n_read=Count("recipients", filter=Q(recipients__read_at__isnull=False), distinct=True))
    )  # fmt: skip
    page = ListPage(request, CIRCULAR_LIST, qs)
    if page.wants_export:
        return page.export()
    may_author = scope.is_district_admin
    return render(request, "partylife/circular_list.html", {
        "page_title": "督查通报", **page.context(),
        "add_url": reverse("partylife:circular_create") if may_author else "", "add_label": "起草通报",
        "notice_url": reverse("partylife:notice_board"),
    })  # fmt: skip


@login_required
def circular_create(request):
    scope = _scope_or_403(request, writer=True)
    if not scope.is_district_admin:
        raise PermissionDenied("仅区直机关党工委可以起草督查通报。")
    today = timezone.localdate()
    form = CircularCreateForm(request.POST or None, user=request.user, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            circular = services.circular_draft(by=request.user, root=data["scope_org"], start=data["period_start"],
                                               end=data["period_end"], title=data["title"], today=today)  # fmt: skip
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "已生成通报草稿，请审阅督查结果并修改开头和下一步要求。")
            return redirect("partylife:circular_detail", circular.pk)
    return render(request, "partylife/circular_form.html", {
        "page_title": "起草督查通报", "form": form, "submit_label": "计算督查结果并生成草稿",
        "breadcrumbs": [("组织生活", None), ("督查通报", reverse("partylife:circular_list")), ("起草通报", None)],
    })  # fmt: skip


def _circular_or_404(request, pk, action=VIEW):
    return get_object_or_404(policies.circulars.queryset(request.user, action).select_related("scope_org"), pk=pk)


@login_required
def circular_detail(request, pk: int):
    circular = _circular_or_404(request, pk)
    scope = scope_of(request.user)
    services.circular_mark_read(user=request.user, circular=circular, scope=scope)
    may_change = policies.circulars.may(request.user, CHANGE, circular)
    receipts = None
    if may_change and circular.status == Circular.PUBLISHED:
        receipts = list(circular.recipients.select_related("org", "read_by").order_by("read_at", "org__path"))
    doc_html = od.render_html(inspection.document(circular))
    return render(request, "partylife/circular_detail.html", {
        "page_title": circular.doc_number or "督查通报（草稿）", "circular": circular, "doc_html": doc_html,
        "may_change": may_change, "receipts": receipts,
        "read_count": sum(1 for r in receipts if r.read_at) if receipts else 0,
        "findings": circular.findings, "is_draft": circular.status == Circular.DRAFT,
        "breadcrumbs": [("组织生活", None), ("督查通报", reverse("partylife:circular_list")),
                        (circular.doc_number or "草稿", None)],
    })  # fmt: skip


@login_required
def circular_edit(request, pk: int):
    circular = _circular_or_404(request, pk, CHANGE)
    if circular.status != Circular.DRAFT:
        messages.error(request, "已发布的通报不能修改。")
        return redirect("partylife:circular_detail", pk)
    form = CircularEditForm(request.POST or None, initial={"title": circular.title, "opening": circular.opening,
                                                           "conclusions": circular.conclusions})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.circular_update(by=request.user, circular=circular, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "已保存。")
            return redirect("partylife:circular_detail", pk)
    return render(request, "partylife/circular_form.html", {
        "page_title": "修改通报", "form": form, "cancel_url": reverse("partylife:circular_detail", args=[pk]),
        "breadcrumbs": [("组织生活", None), ("督查通报", reverse("partylife:circular_list")), ("修改通报", None)],
    })  # fmt: skip


@login_required
@require_POST
def circular_recompute(request, pk: int):
    circular = _circular_or_404(request, pk, CHANGE)
    try:
        services.circular_recompute(by=request.user, circular=circular, today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已按最新数据重新计算督查结果。")
    return redirect("partylife:circular_detail", pk)


@login_required
@require_POST
def circular_publish(request, pk: int):
    circular = _circular_or_404(request, pk, CHANGE)
    try:
        circular = services.circular_publish(by=request.user, circular=circular, today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, f"已发布 {circular.doc_number}，已送达 {circular.recipients.count()} 个党组织的通知公告栏。"
        )
    return redirect("partylife:circular_detail", pk)


@login_required
def circular_file(request, pk: int, fmt: str):
    circular = _circular_or_404(request, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    name = f"{circular.doc_number or circular.title}.{fmt}"
    content_type = "application/pdf" if fmt == "pdf" else od_docx_type()
    if circular.status == Circular.PUBLISHED and circular.docx_name:
        data = inspection.stored_file(circular, fmt)
    else:
        doc = inspection.document(circular)
        data = od.render_docx(doc) if fmt == "docx" else od.render_pdf(doc)
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{escape_uri_path(name)}"
    return response


def od_docx_type() -> str:
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def notice_board(request):
    """通知公告: the circulars published to one organisation, with its read receipts."""
    scope = _scope_or_403(request)
    org = _org_param(request) or _scope_org(request, scope)
    if org is None:
        raise Http404("没有可查看的组织。")
    entries = list(
        policies.recipients.queryset(request.user, VIEW)
        .filter(org=org)
        .select_related("circular", "read_by")
        .order_by("-circular__published_at")
    )
    nodes = _tree(request, org, lambda o: f"?org={o.pk}")
    return render(request, "partylife/notice_board.html", {
        "page_title": f"通知公告：{org.short_name or org.name}", "org": org, "entries": entries, "nodes": nodes,
        "unread": sum(1 for e in entries if e.read_at is None),
        "own_board": org.path == scope.party_path,
        "breadcrumbs": [("组织生活", None), ("通知公告", None)],
    })  # fmt: skip
