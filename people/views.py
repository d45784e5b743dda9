import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_POST

from accounts.scope import scope_of
from core import audit
from core.excel import XLSX_CONTENT_TYPE, UploadError, read_upload, write_xlsx
from core.forms import apply_errors as _apply_errors
from core.listing import Action, Column, ListDefinition, ListPage
from core.policies import CHANGE, DELETE, VIEW
from core.services import delete_audited
from orgs import policies as org_policies
from orgs import selectors as org_selectors
from orgs.models import PartyOrg
from orgs.views import _tree_nodes
from people import importer, policies, selectors, services
from people.forms import ImportForm, MemberForm, MemberSearchForm, TransferForm
from people.models import PartyMember
from people.rules import party_age

STATUS_TAG = {PartyMember.FULL: "tag-full", PartyMember.PROBATIONARY: "tag-probationary"}

SEARCH_COUNT_CAP = 1000  # a search counts no further: "超过 1000 条" asks for a longer name

MEMBER_LIST = ListDefinition(
    name="党员名册",
    columns=[
        Column(
            "name",
            "姓名",
            lambda m: m.person.name,
            sort="person__name_pinyin",
            link=lambda m: reverse("people:member_detail", args=[m.pk]),
        ),  # fmt: skip
        Column("gender", "性别", lambda m: m.person.get_gender_display(), sort="person__gender"),
        Column("birth", "出生日期", lambda m: m.person.birth_date, sort="person__birth_date"),
        Column("id_number", "公民身份号码", lambda m: m.person.id_number_masked),
        Column("education", "学历", lambda m: m.person.get_education_display(), sort="person__education"),
        Column(
            "status", "人员类别", lambda m: m.get_status_display(), sort="status", tag=lambda m: STATUS_TAG[m.status]
        ),
        Column("branch", "所在党支部", lambda m: m.branch.short_name or m.branch.name, sort="branch__path"),
        Column("admitted", "加入党组织日期", lambda m: m.admitted_on, sort="admitted_on"),
        Column("full", "转为正式党员日期", lambda m: m.full_member_on, sort="full_member_on"),
        Column("unit", "工作单位", lambda m: m.person.unit.name if m.person.unit_id else ""),
        Column("phone", "联系电话", lambda m: m.person.phone_masked),
    ],
    default_sort="person__name_pinyin",
    row_actions=[
        Action("查看", lambda m: reverse("people:member_detail", args=[m.pk])),
        Action("编辑", lambda m: reverse("people:member_edit", args=[m.pk])),
    ],
    empty_text="没有符合条件的党员。可调整查询条件，或点击“新增”登记党员。",
)


@login_required
def member_list(request):
    form = MemberSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    org = None
    if data.get("org"):
        org = org_policies.party_orgs.queryset(request.user, VIEW).filter(pk=data["org"]).first()
    qs = selectors.party_members(user=request.user, search=data.get("q", ""), org=org, status=data.get("status", ""))
    known = None
    if not data.get("q") and not data.get("status") and org_selectors.is_large(request.user):
        # the whole subtree of a very large scope: its total is the tree's cached count
        path = org.path if org else scope_of(request.user).party_path
        known = sum(org_selectors.subtree_counts_by_child(path).values()) if path else None
    window = None
    if data.get("q"):  # BASE-04 search: see people.search
        unsearched = selectors.party_members(user=request.user, org=org, status=data.get("status", ""))
        window = selectors.name_search_window(unsearched, data["q"])
    page = ListPage(request, MEMBER_LIST, qs, count=known, count_cap=SEARCH_COUNT_CAP if data.get("q") else None,
                    window=window)  # fmt: skip
    if page.wants_export:
        return page.export(
            title=f"党员名册（{org.name if org else scope_of(request.user).org_name}）"
            if scope_of(request.user)
            else None
        )
    nodes = _tree_nodes(request, current=org)
    for node in nodes:
        node.url = f"?org={node.org.pk}"
    scope = scope_of(request.user)
    context = {
        "page_title": "党员名册",
        "search_form": form,
        "nodes": nodes,
        "current_org": org,
        "add_url": reverse("people:member_create") if scope and scope.is_party_admin else "",
        "import_url": reverse("people:member_import") if scope and scope.is_party_admin else "",
        "breadcrumbs": [("党员管理", None), ("党员名册", None)],
        **page.context(),
    }
    return render(request, "people/member_list.html", context)


def _member_or_404(request, pk, action=VIEW):
    qs = policies.party_members.queryset(request.user, action).select_related(
        "person", "person__unit", "branch", "group"
    )
    return get_object_or_404(qs, pk=pk)


@login_required
def member_detail(request, pk: int):
    member = _member_or_404(request, pk)
    today = timezone.localdate()
    may_change = policies.party_members.may(request.user, CHANGE, member)
    history = list(audit.history(member.person)[:50]) + list(audit.history(member)[:50])
    history.sort(key=lambda e: e.created_at, reverse=True)
    context = {
        "page_title": f"{member.person.name}",
        "member": member,
        "person": member.person,
        "party_age": party_age(member.full_member_on, today),
        "transfers": member.transfers.select_related("from_branch", "to_branch"),
        "history": history,
        "may_change": may_change,
        "breadcrumbs": [("党员管理", None), ("党员名册", reverse("people:member_list")), (member.person.name, None)],
    }
    return render(request, "people/member_detail.html", context)


def _form_initial(member: PartyMember) -> dict:
    p = member.person
    initial = {
        f: getattr(p, f)
        for f in ("name", "gender", "birth_date", "ethnicity", "education", "job_code", "position", "rank", "address")
    }
    initial.update(unit=p.unit_id, status=member.status, branch=member.branch_id, group=member.group_id, admitted_on=member.admitted_on,
                   probation_extension_months=member.probation_extension_months, is_floating=member.is_floating,
                   floating_province=member.floating_province, floating_city=member.floating_city,
                   floating_county=member.floating_county, is_lost=member.is_lost, lost_since=member.lost_since)  # fmt: skip
    return initial


PERSON_KEYS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "job_code",
    "unit",
    "position",
    "rank",
    "address",
    "phone",
)
MEMBER_KEYS = ("status", "branch", "group", "admitted_on", "probation_extension_months", "is_floating", "floating_province",
               "floating_city", "floating_county", "is_lost", "lost_since")  # fmt: skip


@login_required
def member_create(request):
    scope = scope_of(request.user)
    if scope is None or not scope.is_party_admin:
        raise PermissionDenied("仅党组织管理员可以新增党员。")
    form = MemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person_data = {k: data[k] for k in PERSON_KEYS} | {"id_number": data["id_number"]}
        extra = {
            k: data[k]
            for k in MEMBER_KEYS
            if k not in ("status", "branch", "group", "admitted_on", "probation_extension_months")
        }
        try:
            member = services.party_member_register(
                by=request.user, person_data=person_data, branch=data["branch"], group=data["group"], status=data["status"],
                admitted_on=data["admitted_on"], extension_months=data["probation_extension_months"] or 0, extra=extra,
                today=timezone.localdate(),
            )  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已新增党员 {member.person.name}。")
            return redirect("people:member_detail", member.pk)
    return render(request, "people/member_form.html", {"page_title": "新增党员", "form": form,
                  "breadcrumbs": [("党员管理", None), ("党员名册", reverse("people:member_list")), ("新增党员", None)]})  # fmt: skip


@login_required
def member_edit(request, pk: int):
    member = _member_or_404(request, pk, CHANGE)
    form = MemberForm(request.POST or None, user=request.user, editing=True, initial=_form_initial(member))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        today = timezone.localdate()
        person_data = {k: data[k] for k in PERSON_KEYS if k != "phone" or data[k]}
        if data["id_number"]:
            person_data["id_number"] = data["id_number"]
        member_data = {k: data[k] for k in MEMBER_KEYS} | {
            "probation_extension_months": data["probation_extension_months"] or 0
        }
        try:
            with transaction.atomic():
                services.person_update(by=request.user, person=member.person, data=person_data, today=today)
                services.party_member_update(by=request.user, member=member, data=member_data, today=today)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("people:member_detail", member.pk)
    return render(request, "people/member_form.html", {"page_title": f"编辑：{member.person.name}", "form": form, "member": member,
                  "breadcrumbs": [("党员管理", None), ("党员名册", reverse("people:member_list")), (member.person.name, reverse("people:member_detail", args=[member.pk])), ("编辑", None)]})  # fmt: skip


@login_required
def member_delete(request, pk: int):
    member = _member_or_404(request, pk, DELETE)
    if request.method == "POST":
        name = member.person.name
        person = member.person
        with transaction.atomic():
            member.transfers.all().delete()
            delete_audited(member, by=request.user, policy=policies.party_members)
            if not hasattr(person, "union_member") and not person.offices.exists():
                delete_audited(person, by=request.user, policy=None)
        messages.success(request, f"已删除党员 {name}。删除前的信息可在修改记录中查看。")
        return redirect("people:member_list")
    return render(request, "components/confirm_delete.html", {"page_title": "删除党员", "object": member.person, "object_kind": "党员",
                  "cancel_url": reverse("people:member_detail", args=[member.pk])})  # fmt: skip


@login_required
def member_transfer(request, pk: int):
    member = _member_or_404(request, pk, CHANGE)
    form = TransferForm(request.POST or None, user=request.user, initial={"transferred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_transfer(by=request.user, member=member, to_branch=form.cleaned_data["to_branch"],
                                     on=form.cleaned_data["transferred_on"], note=form.cleaned_data["note"], today=timezone.localdate())  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied:
            form.add_error("to_branch", "转入党组织不在您的管理范围内，请由共同的上级党组织办理转接。")
        else:
            messages.success(request, f"{member.person.name} 的组织关系已转入 {form.cleaned_data['to_branch']}。")
            return (
                redirect("people:member_detail", member.pk)
                if policies.party_members.may(request.user, VIEW, member)
                else redirect("people:member_list")
            )
    return render(request, "people/member_form.html", {"page_title": f"组织关系转接：{member.person.name}", "form": form,
                  "breadcrumbs": [("党员管理", None), ("党员名册", reverse("people:member_list")), (member.person.name, reverse("people:member_detail", args=[member.pk])), ("组织关系转接", None)]})  # fmt: skip


@login_required
@require_POST
def person_reveal(request, pk: int, field: str):
    person = get_object_or_404(policies.persons.queryset(request.user, VIEW), pk=pk)
    value = services.reveal_sensitive(by=request.user, person=person, field=field)
    return HttpResponse(value or "（未填写）", content_type="text/plain; charset=utf-8")


def _import_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@login_required
def member_import(request):
    scope = scope_of(request.user)
    if scope is None or not scope.is_party_admin:
        raise PermissionDenied("仅党组织管理员可以导入党员。")
    form = ImportForm(request.POST or None, request.FILES or None)
    report, token = None, ""
    today = timezone.localdate()
    if request.method == "POST" and request.POST.get("token"):
        token = request.POST["token"]
        path = _import_dir() / f"{request.user.pk}-{uuid.UUID(token).hex}.xlsx"
        if not path.exists():
            messages.error(request, "导入文件已过期，请重新上传。")
            return redirect("people:member_import")
        report = importer.import_members(path.read_bytes(), user=request.user, today=today)
        if report.ok:
            path.unlink()
            messages.success(request, f"已导入 {report.imported} 名党员。")
            return redirect("people:member_list")
    elif request.method == "POST" and form.is_valid():
        try:
            data = read_upload(form.cleaned_data["file"])
        except UploadError as exc:
            form.add_error("file", str(exc))
        else:
            try:
                report = importer.import_members(data, user=request.user, today=today, dry_run=True)
            except UploadError as exc:
                form.add_error("file", str(exc))
            else:
                if report.ok:
                    token = uuid.uuid4().hex
                    (_import_dir() / f"{request.user.pk}-{token}.xlsx").write_bytes(data)
                else:
                    request.session["member_import_errors"] = [e.as_dict() for e in report.errors][:5000]
    return render(request, "people/member_import.html", {"page_title": "导入党员", "form": form, "report": report, "token": token,
                  "breadcrumbs": [("党员管理", None), ("党员名册", reverse("people:member_list")), ("导入党员", None)]})  # fmt: skip


@login_required
def member_import_errors(request):
    """The last import check's error report as a workbook (kept in the session)."""
    errors = request.session.get("member_import_errors", [])
    rows = [(e["row"], e["column"], e["message"]) for e in errors]
    data = write_xlsx(sheet_title="错误报告", headers=["行号", "列", "错误说明"], rows=rows, title="党员导入错误报告")
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path('党员导入错误报告.xlsx')}"
    return response


@login_required
def member_import_template(request):
    response = HttpResponse(importer.template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path('党员信息导入模板.xlsx')}"
    return response


UNION_LIST = ListDefinition(
    name="会员名册",
    columns=[
        Column("name", "姓名", lambda m: m.person.name, sort="person__name_pinyin"),
        Column("gender", "性别", lambda m: m.person.get_gender_display()),
        Column("id_number", "公民身份号码", lambda m: m.person.id_number_masked),
        Column("union", "所在工会", lambda m: m.union_org.name, sort="union_org__path"),
        Column("unit", "工作单位", lambda m: m.person.unit.name if m.person.unit_id else ""),
        Column("joined", "入会日期", lambda m: m.joined_on, sort="joined_on"),
        Column("card", "会员证号", lambda m: m.card_no),
        Column("phone", "联系电话", lambda m: m.person.phone_masked),
    ],
    default_sort="person__name_pinyin",
    empty_text="没有符合条件的工会会员。",
)


@login_required
def union_member_list(request):
    search = request.GET.get("q", "").strip()
    qs = selectors.union_members(user=request.user, search=search)
    page = ListPage(request, UNION_LIST, qs)
    if page.wants_export:
        return page.export()
    return render(request, "people/union_member_list.html", {"page_title": "会员名册", "q": search, **page.context(),
                  "breadcrumbs": [("党员管理", None), ("会员名册", None)]})  # fmt: skip


@login_required
def me(request):
    """我的信息: the signed-in member's own record."""
    person = request.user.person
    if person is None:
        return render(request, "people/me.html", {"page_title": "我的信息", "person": None})
    member = PartyMember.objects.filter(person=person).select_related("branch", "group").first()
    union_member = getattr(person, "union_member", None)
    today = timezone.localdate()
    return render(request, "people/me.html", {
        "page_title": "我的信息", "person": person, "member": member, "union_member": union_member,
        "party_age": party_age(member.full_member_on, today) if member else None,
        "branch_tree": PartyOrg.objects.filter(pk=member.branch_id).first() if member else None,
        "breadcrumbs": [("我的信息", None)],
    })  # fmt: skip
