"""Pages of the union area: thin — parse, authorise, call a service or selector, render."""

from __future__ import annotations

import json
from decimal import Decimal
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.scope import scope_of
from core import audit
from core import rule_settings as rs
from core.forms import apply_errors as _apply_errors
from core.listing import Action, Column, ListDefinition, ListPage
from core.policies import CHANGE, VIEW
from dues.forms import resolve_one
from orgs import policies as org_policies
from orgs import selectors as org_selectors
from people import policies as people_policies
from people.models import UnionMember
from union import forms, policies, rules, selectors, services
from union.models import (
    AssistanceCase,
    Disclosure,
    HomeCriterion,
    HomeRound,
    MembershipApplication,
    MembershipChange,
    Motion,
    WelfareGrant,
    WorkersHome,
)

CRUMB = ("工会工作", None)
CARD_SALT = "union.member-card"


def _admin_scope(request):
    scope = scope_of(request.user)
    if scope is None or not scope.is_union_admin or not scope.union_path:
        raise PermissionDenied("仅工会管理员可以访问此页面。")
    return scope


def _crumbs(*items):
    return [CRUMB, *items]


def _list_response(request, page: ListPage, context: dict, *, export_title: str | None = None):
    """A union list page: the .xlsx export when asked for, else union/list.html."""
    if page.wants_export:
        return page.export(title=export_title) if export_title else page.export()
    return render(request, "union/list.html", {**context, **page.context()})


def _money(value) -> str:
    return f"{value:,.2f}" if value is not None else ""


def _today():
    return timezone.localdate()


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", _today().year))
    except ValueError:
        return _today().year
    return year if 2000 <= year <= 2100 else _today().year


def _member_qs(request, action=VIEW):
    return people_policies.union_members.queryset(request.user, action).select_related(
        "person", "person__unit", "union_org"
    )


# ---------------------------------------------------------------- overview and membership (point 1)


@login_required
def index(request):
    """工会工作: headline numbers and the membership rate of every union in scope."""
    scope = scope_of(request.user)
    if scope is not None and scope.is_member:
        return redirect("union:me")
    scope = _admin_scope(request)
    today = _today()
    rows = selectors.membership_rates(user=request.user)
    counts = selectors.case_register_counts(user=request.user, today=today)
    pending = policies.applications.queryset(request.user, VIEW).filter(status=MembershipApplication.PENDING).count()
    welfare_rows, welfare_total = selectors.welfare_summary(user=request.user, year=today.year)
    need = Decimal(rs.value("UNION_MODEL_MEMBERSHIP_RATE"))
    for row in rows:
        row.tag = "tag-muted" if row.rate is None else "tag-ok" if row.rate >= need else "tag-warning"
    return render(request, "union/index.html", {
        "page_title": "工会工作", "rows": rows, "counts": counts, "pending": pending, "welfare_total": welfare_total,
        "year": today.year, "need_rate": need, "balance_chart": _balance_chart(scope, today.year),
        "breadcrumbs": _crumbs(("概况", None)),
    })  # fmt: skip


def _balance_chart(scope, year: int) -> str:
    """Issue 7 point 7 on the union's dashboard: learning vs recreation per union (ACT-08)."""
    from activities import selectors as activity_selectors
    from activities.dashboard import balance_chart

    minimum = activity_selectors.min_education_share()
    rows = activity_selectors.balance_rows(scope=scope, year=year, min_share=minimum)
    return balance_chart(rows, min_share=minimum) if any(r.mix.total for r in rows) else ""


MEMBER_LIST = ListDefinition(
    name="会员名册",
    columns=[
        Column(
            "name",
            "姓名",
            lambda m: m.person.name,
            sort="person__name_pinyin",
            link=lambda m: reverse("union:member_detail", args=[m.pk]),
        ),  # fmt: skip
        Column("gender", "性别", lambda m: m.person.get_gender_display()),
        Column("union", "所在工会", lambda m: m.union_org.short_name or m.union_org.name, sort="union_org__path"),
        Column("unit", "工作单位", lambda m: m.person.unit.name if m.person.unit_id else ""),
        Column("joined", "入会日期", lambda m: m.joined_on, sort="joined_on"),
        Column("card", "会员证号", lambda m: m.card_no),
        Column(
            "status",
            "状态",
            lambda m: "在册" if m.left_on is None else f"已离会（{m.left_on}）",
            tag=lambda m: "tag-ok" if m.left_on is None else "tag-muted",
        ),  # fmt: skip
    ],
    default_sort="person__name_pinyin",
    row_actions=[
        Action("查看", lambda m: reverse("union:member_detail", args=[m.pk])),
        Action("会员证", lambda m: reverse("union:member_card", args=[m.pk]) if m.left_on is None else ""),
    ],
    empty_text="没有符合条件的会员。职工可在“我的工会”提交入会申请，或由工会管理员登记入会申请。",
)


@login_required
def member_list(request):
    _admin_scope(request)
    form = forms.MemberSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    org = None
    if data.get("org"):
        org = org_policies.union_orgs.queryset(request.user, VIEW).filter(pk=data["org"]).first()
    qs = selectors.union_members(user=request.user, search=data.get("q", ""), org=org,
                                 include_left=request.GET.get("left") == "1")  # fmt: skip
    page = ListPage(request, MEMBER_LIST, qs)
    if page.wants_export:
        return page.export()
    nodes = org_selectors.union_tree(user=request.user, current=org)
    for node in nodes:
        node.url = f"?org={node.org.pk}"
    return render(request, "union/member_list.html", {
        "page_title": "会员管理", "search_form": form, "nodes": nodes, "current_org": org,
        "add_url": reverse("union:application_create"), "add_label": "登记入会申请",
        "breadcrumbs": _crumbs(("会员管理", None)), **page.context(),
    })  # fmt: skip


def _member_or_404(request, pk: int, action=VIEW) -> UnionMember:
    return get_object_or_404(_member_qs(request, action), pk=pk)


@login_required
def member_detail(request, pk: int):
    _admin_scope(request)
    member = _member_or_404(request, pk)
    today = _today()
    changes = MembershipChange.objects.filter(member=member).select_related("from_union", "to_union")
    lines = selectors.member_welfare_lines(person_id=member.person_id, year=today.year)
    festival = sum((x.amount for x in lines if x.category == WelfareGrant.FESTIVAL), Decimal("0.00"))
    cap = rs.value("UNION_FESTIVAL_ANNUAL_CAP")
    return render(request, "union/member_detail.html", {
        "page_title": f"会员：{member.person.name}", "member": member, "person": member.person, "changes": changes,
        "lines": lines, "festival": festival, "remaining": rules.festival_allowance_left(festival, cap), "cap": cap,
        "year": today.year, "may_change": people_policies.union_members.may(request.user, CHANGE, member),
        "breadcrumbs": _crumbs(("会员管理", reverse("union:member_list")), (member.person.name, None)),
    })  # fmt: skip


@login_required
def member_transfer(request, pk: int):
    _admin_scope(request)
    member = _member_or_404(request, pk, CHANGE)
    from orgs.models import UnionOrg

    targets = UnionOrg.objects.filter(kind=UnionOrg.GRASSROOTS, dissolved_on__isnull=True).exclude(
        pk=member.union_org_id
    )
    form = forms.TransferForm(request.POST or None, unions=targets.order_by("path"), initial={"on": _today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_transfer(by=request.user, member=member, to_union=data["to_union"], on=data["on"],
                                     note=data["note"], today=_today())  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{member.person.name}已转入{data['to_union'].name}。")
            if people_policies.union_members.may(request.user, VIEW, member):
                return redirect("union:member_detail", member.pk)
            return redirect("union:member_list")
    return render(request, "union/form.html", {
        "page_title": f"会员转会：{member.person.name}", "form": form,
        "intro": f"当前所在工会：{member.union_org.name}。转会由转出工会办理，转入后由转入工会管理。",
        "breadcrumbs": _crumbs(("会员管理", reverse("union:member_list")),
                               (member.person.name, reverse("union:member_detail", args=[member.pk])), ("转会", None)),
    })  # fmt: skip


@login_required
def member_leave(request, pk: int):
    _admin_scope(request)
    member = _member_or_404(request, pk, CHANGE)
    form = forms.LeaveForm(request.POST or None, initial={"on": _today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_leave(by=request.user, member=member, on=data["on"], reason=data["reason"],
                                  note=data["note"], today=_today())  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已办理{member.person.name}离会。")
            return redirect("union:member_detail", member.pk)
    return render(request, "union/form.html", {
        "page_title": f"离会：{member.person.name}", "form": form,
        "breadcrumbs": _crumbs(("会员管理", reverse("union:member_list")),
                               (member.person.name, reverse("union:member_detail", args=[member.pk])), ("离会", None)),
    })  # fmt: skip


def _card_member(request, pk: int) -> UnionMember:
    """The member whose card is asked for: an administrator's member, or the user himself."""
    member = get_object_or_404(_member_qs(request), pk=pk, left_on__isnull=True)
    return member


def card_token(member: UnionMember) -> str:
    return signing.dumps({"m": member.pk, "c": member.card_no}, salt=CARD_SALT, compress=True)


@login_required
def member_card(request, pk: int):
    """会员证: the card with its QR code (a signed link to the verification page)."""
    member = _card_member(request, pk)
    return render(request, "union/member_card.html", {
        "page_title": "工会会员证", "member": member, "person": member.person,
        "verify_url": request.build_absolute_uri(reverse("union:card_verify", args=[card_token(member)])),
        "breadcrumbs": _crumbs(("会员证", None)),
    })  # fmt: skip


@login_required
def member_card_qr(request, pk: int):
    """The card's QR code as SVG, made here by the qrcode package (nothing external)."""
    member = _card_member(request, pk)
    url = request.build_absolute_uri(reverse("union:card_verify", args=[card_token(member)]))
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = BytesIO()
    image.save(out)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def card_verify(request, token: str):
    """What a scanned card shows: whether the card is valid, with the name masked."""
    try:
        data = signing.loads(token, salt=CARD_SALT)
    except signing.BadSignature:
        raise Http404("会员证二维码无效。") from None
    member = UnionMember.objects.filter(pk=data.get("m")).select_related("person", "union_org").first()
    if member is None:
        raise Http404("会员证二维码无效。")
    valid = member.left_on is None and member.card_no == data.get("c")
    name = member.person.name
    masked = name[0] + "*" * (len(name) - 2) + name[-1] if len(name) > 2 else name[0] + "*"
    return render(request, "union/card_verify.html", {
        "page_title": "会员证验证", "valid": valid, "masked_name": masked, "member": member,
    })  # fmt: skip


@login_required
def me(request):
    """我的工会: a member's card, welfare this year, the union's 政务公开 items, and the
    application form for a worker who is not yet a member."""
    person = request.user.person
    today = _today()
    context = {"page_title": "我的工会", "person": person, "breadcrumbs": [("我的工会", None)]}
    if person is None:
        return render(request, "union/me.html", context)
    member = UnionMember.objects.filter(person=person).select_related("union_org").first()
    applications = MembershipApplication.objects.filter(person=person).select_related("union_org")[:5]
    context.update(member=member, applications=applications)
    if member is not None and member.left_on is None:
        lines = list(selectors.member_welfare_lines(person_id=person.pk, year=today.year))
        festival = sum((x.amount for x in lines if x.category == WelfareGrant.FESTIVAL), Decimal("0.00"))
        context.update(
            lines=lines, festival=festival, year=today.year,
            remaining=rules.festival_allowance_left(festival, rs.value("UNION_FESTIVAL_ANNUAL_CAP")),
            disclosures=selectors.published_for(member)[:20],
        )  # fmt: skip
    elif not any(a.status == MembershipApplication.PENDING for a in applications):
        from orgs.models import UnionOrg

        unions = UnionOrg.objects.filter(kind=UnionOrg.GRASSROOTS, dissolved_on__isnull=True).order_by("path")
        if person.unit_id:
            unions = unions.filter(unit_id=person.unit_id) or unions
        form = forms.SelfApplicationForm(request.POST or None, unions=unions)
        if request.method == "POST" and form.is_valid():
            try:
                services.application_submit(by=request.user, person=person, union_org=form.cleaned_data["union_org"],
                                            applied_on=today, statement=form.cleaned_data["statement"], today=today)  # fmt: skip
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, "入会申请已提交，请等待工会审批。")
                return redirect("union:me")
        context["form"] = form
    return render(request, "union/me.html", context)


# ---------------------------------------------------------------- applications


APPLICATION_TAG = {MembershipApplication.APPROVED: "tag-ok", MembershipApplication.REJECTED: "tag-muted"}
APPLICATION_LIST = ListDefinition(
    name="入会申请",
    columns=[
        Column(
            "name", "申请人", lambda a: a.person.name, link=lambda a: reverse("union:application_detail", args=[a.pk])
        ),
        Column("union", "申请加入的工会", lambda a: a.union_org.name),
        Column("applied", "申请日期", lambda a: a.applied_on, sort="applied_on"),
        Column(
            "status",
            "状态",
            lambda a: a.get_status_display(),
            sort="status",
            tag=lambda a: APPLICATION_TAG.get(a.status, "tag-warning"),
        ),  # fmt: skip
        Column("decided", "审批日期", lambda a: a.decided_on),
    ],
    default_sort="-applied_on",
    row_actions=[Action("审批", lambda a: reverse("union:application_detail", args=[a.pk]))],
    empty_text="暂无入会申请。",
)


@login_required
def application_list(request):
    _admin_scope(request)
    qs = policies.applications.queryset(request.user, VIEW).select_related("person", "union_org")
    if request.GET.get("status"):
        qs = qs.filter(status=request.GET["status"])
    return _list_response(request, ListPage(request, APPLICATION_LIST, qs), {
        "page_title": "入会申请", "add_url": reverse("union:application_create"), "add_label": "登记入会申请",
        "filters": [("", "全部"), *MembershipApplication.STATUSES], "breadcrumbs": _crumbs(("入会申请", None)),
    })  # fmt: skip


@login_required
def application_create(request):
    _admin_scope(request)
    today = _today()
    unions = selectors.grassroots_unions(user=request.user)
    form = forms.ApplicationForm(request.POST or None, unions=unions, initial={"applied_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            persons = people_policies.persons.queryset(request.user, VIEW)
            try:
                person = resolve_one(data["person"], persons, prefix="", what="职工")
            except ValidationError as exc:
                raise ValidationError({"person": exc.messages}) from None
            application = services.application_submit(by=request.user, person=person, union_org=data["union_org"],
                                                      applied_on=data["applied_on"], statement=data["statement"],
                                                      today=today)  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已登记{person.name}的入会申请。")
            return redirect("union:application_detail", application.pk)
    return render(request, "union/form.html", {"page_title": "登记入会申请", "form": form,
                  "breadcrumbs": _crumbs(("入会申请", reverse("union:application_list")), ("登记", None))})  # fmt: skip


@login_required
def application_detail(request, pk: int):
    _admin_scope(request)
    application = get_object_or_404(
        policies.applications.queryset(request.user, VIEW).select_related("person", "union_org", "decided_by"), pk=pk
    )
    form = forms.DecisionForm(request.POST or None, initial={"decided_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_decide(by=request.user, application=application,
                                        approve=request.POST.get("action") == "approve",
                                        decided_on=form.cleaned_data["decided_on"], note=form.cleaned_data["note"],
                                        today=_today())  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已{'批准' if application.status == MembershipApplication.APPROVED else '处理'}"
                                      f"{application.person.name}的入会申请。")  # fmt: skip
            return redirect("union:application_detail", application.pk)
    member = UnionMember.objects.filter(person=application.person, left_on__isnull=True).first()
    return render(request, "union/application_detail.html", {
        "page_title": f"入会申请：{application.person.name}", "application": application, "form": form,
        "member": member, "breadcrumbs": _crumbs(("入会申请", reverse("union:application_list")),
                                                 (application.person.name, None)),
    })  # fmt: skip


# ---------------------------------------------------------------- hardship (point 3)


CATEGORY_TAG = {
    AssistanceCase.DEEP: "tag-danger",
    AssistanceCase.RELATIVE: "tag-warning",
    AssistanceCase.ACCIDENT: "tag-info",
}
CASE_LIST = ListDefinition(
    name="困难职工帮扶档案",
    columns=[
        Column(
            "name",
            "困难职工",
            lambda c: c.member.person.name,
            sort="member__person__name_pinyin",
            link=lambda c: reverse("union:case_detail", args=[c.pk]),
        ),  # fmt: skip
        Column("union", "所在工会", lambda c: c.union_org.short_name or c.union_org.name, sort="union_org__path"),
        Column(
            "category",
            "困难类别",
            lambda c: c.get_category_display() or "不符合条件",
            tag=lambda c: CATEGORY_TAG.get(c.category, "tag-muted"),
            sort="category",
        ),  # fmt: skip
        Column("income", "人均月收入（元）", lambda c: _money(c.per_capita_income), sort="per_capita_income"),
        Column("size", "家庭人口", lambda c: f"{c.household_size}人"),
        Column(
            "state",
            "状态",
            lambda c: c.get_state_display(),
            sort="state",
            tag=lambda c: "tag-muted" if not c.is_open else "tag-info",
        ),  # fmt: skip
        Column("recheck", "应复核日期", lambda c: c.recheck_due_on, sort="recheck_due_on"),
        Column("owner", "经办人", lambda c: c.owner.name if c.owner_id else ""),
    ],
    default_sort="-applied_on",
    row_actions=[Action("查看", lambda c: reverse("union:case_detail", args=[c.pk]))],
    empty_text="没有符合条件的帮扶档案。",
)


@login_required
def case_list(request):
    """困难职工档案 register with counts by category (confidential: admins and owners)."""
    scope = scope_of(request.user)
    if scope is None:
        raise PermissionDenied
    today = _today()
    qs = selectors.cases(user=request.user, state=request.GET.get("state", ""),
                         category=request.GET.get("category", ""), search=request.GET.get("q", "").strip(),
                         open_only=request.GET.get("open") == "1")  # fmt: skip
    if not scope.is_union_admin and not qs.exists() and not request.GET:
        raise PermissionDenied("困难职工档案仅工会管理员和经办人可以查看。")
    if request.GET.get("overdue") == "1":
        qs = qs.filter(state__in=rules.RECHECK_STATES, recheck_due_on__lt=today)
    page = ListPage(request, CASE_LIST, qs)
    if page.wants_export:
        return page.export(title="困难职工帮扶档案")
    return render(request, "union/case_list.html", {
        "page_title": "困难职工帮扶", "counts": selectors.case_register_counts(user=request.user, today=today),
        "add_url": reverse("union:case_create") if scope.is_union_admin else "", "add_label": "新建档案",
        "states": list(rules.CASE_STATE_LABELS.items()), "categories": AssistanceCase.CATEGORIES,
        "breadcrumbs": _crumbs(("困难职工帮扶", None)), **page.context(),
    })  # fmt: skip


def _case_or_404(request, pk: int, action=VIEW) -> AssistanceCase:
    return get_object_or_404(
        policies.cases.queryset(request.user, action).select_related("member__person", "union_org", "owner"), pk=pk
    )


@login_required
def case_create(request):
    _admin_scope(request)
    today = _today()
    form = forms.CaseForm(request.POST or None, initial={"applied_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            members = _member_qs(request, CHANGE).filter(left_on__isnull=True)
            try:
                member = resolve_one(data["member"], members, what="会员")
            except ValidationError as exc:
                raise ValidationError({"member": exc.messages}) from None
            owner = None
            if data["owner"].strip():
                try:
                    owner = resolve_one(data["owner"], members).person
                except ValidationError as exc:
                    raise ValidationError({"owner": exc.messages}) from None
            case = services.case_open(by=request.user, member=member, data=form.household_data(),
                                      applied_on=data["applied_on"], owner=owner, situation=data["situation"],
                                      today=today)  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"已建立{member.person.name}的帮扶申请，困难类别：{case.get_category_display() or '不符合认定条件'}。",
            )
            return redirect("union:case_detail", case.pk)
    return render(request, "union/form.html", {"page_title": "新建困难职工帮扶档案", "form": form,
                  "breadcrumbs": _crumbs(("困难职工帮扶", reverse("union:case_list")), ("新建", None))})  # fmt: skip


@login_required
def case_detail(request, pk: int):
    case = _case_or_404(request, pk)
    today = _today()
    decide = policies.cases.may(request.user, policies.DECIDE, case)
    may_add = policies.cases.may(request.user, CHANGE, case)
    findings = rules.check_recheck_due(state=case.state, filed_on=case.filed_on, last_recheck_on=case.last_recheck_on,
                                       today=today)  # fmt: skip
    reasons = rules.accident_hardship_reasons(
        injured_in_incident=case.injured, disabled_in_incident=case.disabled, died_in_incident=case.died,
        accident_illness_costs=case.accident_costs, household_annual_income=case.annual_income,
    )  # fmt: skip
    next_states = [(s, rules.CASE_STATE_LABELS[s]) for s in rules.CASE_STATE_LABELS
                   if s in rules.allowed_transitions(case.state) and s not in (rules.AIDED, rules.RECHECKED)]  # fmt: skip
    aids = list(case.aids.all())
    return render(request, "union/case_detail.html", {
        "page_title": f"帮扶档案：{case.member.person.name}", "case": case, "steps": case.steps.select_related("by"),
        "visits": case.visits.all(), "aids": aids, "aid_total": sum((a.amount for a in aids), Decimal("0.00")),
        "findings": findings, "reasons": reasons, "decide": decide, "may_add": may_add and case.is_open,
        "next_states": next_states, "can_recheck": decide and case.state == rules.AIDED,
        "can_aid": may_add and case.state in rules.RECHECK_STATES, "today": today,
        "low_line": rs.value("UNION_LOW_INCOME_LINE"),
        "breadcrumbs": _crumbs(("困难职工帮扶", reverse("union:case_list")), (case.member.person.name, None)),
    })  # fmt: skip


def _case_form_page(request, case, form, title):
    return render(request, "union/form.html", {"page_title": f"{title}：{case.member.person.name}", "form": form,
                  "breadcrumbs": _crumbs(("困难职工帮扶", reverse("union:case_list")),
                                         (case.member.person.name, reverse("union:case_detail", args=[case.pk])), (title, None))})  # fmt: skip


def _case_action(request, case, form, title: str, save, success):
    """The form page of one action on a hardship case: ``save(cleaned_data)`` runs the
    service; its ValidationError goes to the form's fields, success back to the case."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, success() if callable(success) else success)
            return redirect("union:case_detail", case.pk)
    return _case_form_page(request, case, form, title)


@login_required
def case_step(request, pk: int):
    case = _case_or_404(request, pk, policies.DECIDE)
    form = forms.StepForm(request.POST or None, initial={"on": _today(), "to_state": request.GET.get("to", "")})

    def save(data):
        services.case_transition(by=request.user, case=case, to_state=data["to_state"], on=data["on"],
                                 note=data["note"], today=_today())  # fmt: skip

    return _case_action(request, case, form, "办理", save, lambda: f"帮扶档案已转为“{case.get_state_display()}”。")


@login_required
def case_visit(request, pk: int):
    case = _case_or_404(request, pk, CHANGE)
    form = forms.VisitForm(request.POST or None, initial={"visited_on": _today()})

    def save(data):
        services.visit_add(by=request.user, case=case, today=_today(), **data)

    return _case_action(request, case, form, "登记走访", save, "已登记走访记录。")


@login_required
def case_aid(request, pk: int):
    case = _case_or_404(request, pk, CHANGE)
    form = forms.AidForm(request.POST or None, initial={"given_on": _today()})

    def save(data):
        services.aid_add(by=request.user, case=case, today=_today(), **data)

    return _case_action(request, case, form, "登记帮扶", save, "已登记帮扶。")


@login_required
def case_recheck(request, pk: int):
    case = _case_or_404(request, pk, policies.DECIDE)
    initial = {"on": _today(), "household_size": case.household_size, "annual_income": case.annual_income,
               "rigid_expenses": case.rigid_expenses, "accident_costs": case.accident_costs, "injured": case.injured,
               "disabled": case.disabled, "died": case.died}  # fmt: skip
    form = forms.RecheckForm(request.POST or None, initial=initial)

    def save(data):
        services.case_recheck(by=request.user, case=case, data=form.household_data(), on=data["on"],
                              note=data["note"], today=_today())  # fmt: skip

    return _case_action(request, case, form, "年度复核", save,
                        lambda: f"已完成年度复核，困难类别：{case.get_category_display() or '已不符合条件'}。")  # fmt: skip


# ---------------------------------------------------------------- welfare (point 4)


GRANT_LIST = ListDefinition(
    name="慰问福利",
    columns=[
        Column("title", "名称", lambda g: g.title, link=lambda g: reverse("union:grant_detail", args=[g.pk])),
        Column("union", "发放工会", lambda g: g.union_org.short_name or g.union_org.name, sort="union_org__path"),
        Column("category", "类别", lambda g: g.get_category_display(), sort="category"),
        Column("what", "节日/事项", lambda g: g.festival or g.get_event_display()),
        Column("gift", "形式", lambda g: g.get_gift_kind_display()),
        Column("date", "发放日期", lambda g: g.granted_on, sort="granted_on"),
        Column("per", "每人（元）", lambda g: _money(g.amount_per_member)),
        Column("count", "人数", lambda g: f"{g.member_count}人", sort="member_count"),
        Column("total", "合计（元）", lambda g: _money(g.total), sort="total"),
        Column("refused", "未予发放", lambda g: f"{len(g.refused)}人" if g.refused else ""),
    ],
    default_sort="-granted_on",
    row_actions=[Action("查看", lambda g: reverse("union:grant_detail", args=[g.pk]))],
    empty_text="本年度暂无慰问福利记录。点击“登记发放”。",
)


@login_required
def grant_list(request):
    _admin_scope(request)
    year = _year(request)
    qs = selectors.grants(user=request.user, year=year, category=request.GET.get("category", ""))
    page = ListPage(request, GRANT_LIST, qs)
    if page.wants_export:
        return page.export(title=f"{year}年慰问福利发放")
    return render(request, "union/grant_list.html", {
        "page_title": f"{year}年慰问福利", "year": year, "add_url": reverse("union:grant_create"), "add_label": "登记发放",
        "breadcrumbs": _crumbs(("慰问福利", None)), **page.context(),
    })  # fmt: skip


@login_required
def grant_create(request):
    """登记慰问/福利: checked per member against UNION-03…06 before anything is saved.

    A refusal lists each member with the allowance left; the chair may then confirm the
    grant for the remaining members (``confirm_partial``) — nothing is saved silently."""
    _admin_scope(request)
    today = _today()
    unions = selectors.grassroots_unions(user=request.user)
    form = forms.GrantForm(request.POST or None, unions=unions, initial={"granted_on": today})
    check = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        union = data["union_org"]
        try:
            pool = UnionMember.objects.filter(left_on__isnull=True, union_org__path__startswith=union.path)
            if data["target"] == forms.GrantForm.LIST:
                try:
                    members = forms.resolve_many(data["names"], pool.select_related("person", "union_org"))
                except ValidationError as exc:
                    raise ValidationError({"names": exc.messages}) from None
            else:
                members = list(pool.select_related("person", "union_org").order_by("person__name_pinyin", "id"))
            grant, check = services.welfare_grant_record(
                by=request.user, union_org=union, members=members, category=data["category"],
                gift_kind=data["gift_kind"], amount=data["amount_per_member"], granted_on=data["granted_on"],
                title=data["title"], festival=data["festival"], event=data["event"], relation=data["relation"],
                note=data["note"], allow_partial=request.POST.get("confirm_partial") == "1", today=today,
            )  # fmt: skip
        except services.GrantRefused as exc:
            check = exc.check
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            text = f"已登记“{grant.title}”：{grant.member_count}人，合计{grant.total:,.2f}元。"
            if grant.refused:
                text += f"{len(grant.refused)}人超过年度标准，未予发放。"
            messages.success(request, text)
            return redirect("union:grant_detail", grant.pk)
    return render(request, "union/grant_form.html", {
        "page_title": "登记慰问福利", "form": form, "check": check,
        "cap": rs.value("UNION_FESTIVAL_ANNUAL_CAP"), "festivals": rs.value("UNION_FESTIVALS"),
        "breadcrumbs": _crumbs(("慰问福利", reverse("union:grant_list")), ("登记发放", None)),
    })  # fmt: skip


@login_required
def grant_detail(request, pk: int):
    _admin_scope(request)
    grant = get_object_or_404(selectors.grants(user=request.user).select_related("created_by"), pk=pk)
    lines = grant.lines.select_related("person", "union_org").order_by("person__name_pinyin")
    return render(request, "union/grant_detail.html", {
        "page_title": grant.title, "grant": grant, "lines": lines,
        "breadcrumbs": _crumbs(("慰问福利", reverse("union:grant_list")), (grant.title, None)),
    })  # fmt: skip


@login_required
def welfare_summary(request):
    """Yearly welfare summary per union (and a total), linking to the per-member view."""
    _admin_scope(request)
    year = _year(request)
    rows, total = selectors.welfare_summary(user=request.user, year=year)
    chart = None
    top = sorted([r for r in rows if r.total], key=lambda r: r.total, reverse=True)[:15]
    if top:
        chart = json.dumps({
            "title": {"text": f"{year}年人均慰问福利（元，前15）", "textStyle": {"fontSize": 14}},
            "tooltip": {"trigger": "axis"}, "grid": {"left": 150, "right": 30, "top": 40, "bottom": 20},
            "xAxis": {"type": "value"},
            "yAxis": {"type": "category", "data": [r.union.short_name or r.union.name for r in reversed(top)]},
            "series": [{"type": "bar", "data": [float(r.per_member) for r in reversed(top)],
                        "itemStyle": {"color": "#c0392b"}}],
        }, ensure_ascii=False)  # fmt: skip
    return render(request, "union/welfare_summary.html", {
        "page_title": f"{year}年慰问福利汇总", "year": year, "rows": rows, "total": total, "chart": chart,
        "cap": rs.value("UNION_FESTIVAL_ANNUAL_CAP"), "breadcrumbs": _crumbs(("慰问福利汇总", None)),
    })  # fmt: skip


@login_required
def welfare_union(request, pk: int):
    """One union's members and what each received in the year (with the festival allowance left)."""
    _admin_scope(request)
    union = get_object_or_404(selectors.grassroots_unions(user=request.user), pk=pk)
    year = _year(request)
    cap = rs.value("UNION_FESTIVAL_ANNUAL_CAP")
    definition = ListDefinition(
        name="会员慰问福利",
        columns=[
            Column("name", "姓名", lambda m: m.person.name, sort="person__name_pinyin"),
            Column("festival", "节日慰问（元）", lambda m: _money(m.festival), sort="festival"),
            Column(
                "left",
                "节日慰问剩余额度（元）",
                lambda m: _money(rules.festival_allowance_left(m.festival, cap)),
                tag=lambda m: "tag-danger" if m.festival >= cap else "",
            ),  # fmt: skip
            Column("care", "其他慰问（元）", lambda m: _money(m.care), sort="care"),
            Column("total", "合计（元）", lambda m: _money(m.festival + m.care)),
        ],
        default_sort="person__name_pinyin",
        empty_text="该工会暂无在册会员。",
    )
    page = ListPage(request, definition, selectors.welfare_by_member(user=request.user, union=union, year=year))
    return _list_response(request, page, {
        "page_title": f"{union.short_name or union.name}{year}年会员慰问福利", "year": year,
        "breadcrumbs": _crumbs(("慰问福利汇总", reverse("union:welfare_summary") + f"?year={year}"), (union.name, None)),
    }, export_title=f"{union.name}{year}年会员慰问福利")  # fmt: skip


# ---------------------------------------------------------------- congress and openness (point 5)


SESSION_LIST = ListDefinition(
    name="职工代表大会",
    columns=[
        Column("title", "会议名称", lambda s: s.title, link=lambda s: reverse("union:session_detail", args=[s.pk])),
        Column("union", "工会", lambda s: s.union_org.short_name or s.union_org.name, sort="union_org__path"),
        Column("held", "召开日期", lambda s: s.held_on, sort="held_on"),
        Column("delegates", "代表", lambda s: f"{s.delegate_count}人"),
        Column("motions", "提案", lambda s: f"{s.motion_count}件"),
    ],
    default_sort="-held_on",
    row_actions=[Action("查看", lambda s: reverse("union:session_detail", args=[s.pk]))],
    empty_text="暂无职工代表大会记录。点击“新增”登记。",
)


@login_required
def session_list(request):
    _admin_scope(request)
    return _list_response(request, ListPage(request, SESSION_LIST, selectors.sessions(user=request.user)), {
        "page_title": "职工代表大会", "add_url": reverse("union:session_create"),
        "breadcrumbs": _crumbs(("职工代表大会", None)),
    })  # fmt: skip


@login_required
def session_create(request):
    _admin_scope(request)
    form = forms.SessionForm(request.POST or None, unions=selectors.grassroots_unions(user=request.user),
                             initial={"held_on": _today()})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(by=request.user, today=_today(), **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "已登记职工代表大会。请登记职工代表和提案。")
            return redirect("union:session_detail", session.pk)
    return render(request, "union/form.html", {"page_title": "登记职工代表大会", "form": form,
                  "breadcrumbs": _crumbs(("职工代表大会", reverse("union:session_list")), ("新增", None))})  # fmt: skip


@login_required
def session_detail(request, pk: int):
    _admin_scope(request)
    session = get_object_or_404(policies.sessions.queryset(request.user, VIEW).select_related("union_org"), pk=pk)
    delegates_form = forms.DelegatesForm(request.POST if request.POST.get("form") == "delegates" else None)
    motion_form = forms.MotionForm(request.POST if request.POST.get("form") == "motion" else None, session=session)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "delegates" and delegates_form.is_valid():
                pool = UnionMember.objects.filter(
                    left_on__isnull=True, union_org__path__startswith=session.union_org.path
                )
                try:
                    members = forms.resolve_many(
                        delegates_form.cleaned_data["names"], pool.select_related("person", "union_org")
                    )
                except ValidationError as exc:
                    raise ValidationError({"names": exc.messages}) from None
                n = services.delegates_add(by=request.user, session=session, members=members,
                                           delegation=delegates_form.cleaned_data["delegation"])  # fmt: skip
                messages.success(request, f"已登记{n}名职工代表。")
                return redirect("union:session_detail", session.pk)
            if request.POST.get("form") == "motion" and motion_form.is_valid():
                motion = services.motion_submit(by=request.user, session=session, **motion_form.cleaned_data)
                messages.success(request, f"已登记第{motion.number}号提案。")
                return redirect("union:session_detail", session.pk)
        except ValidationError as exc:
            _apply_errors(delegates_form if request.POST.get("form") == "delegates" else motion_form, exc)
    motions = session.motions.select_related("proposer__member__person").annotate(vote_count=Count("votes"))
    return render(request, "union/session_detail.html", {
        "page_title": session.title, "session": session,
        "delegates": session.delegates.select_related("member__person", "member__union_org"),
        "motions": motions, "delegates_form": delegates_form, "motion_form": motion_form,
        "breadcrumbs": _crumbs(("职工代表大会", reverse("union:session_list")), (session.title, None)),
    })  # fmt: skip


@login_required
def motion_detail(request, pk: int):
    _admin_scope(request)
    motion = get_object_or_404(
        policies.motions.queryset(request.user, VIEW).select_related("session__union_org", "proposer__member__person"),
        pk=pk,
    )
    today = _today()
    advance_form = forms.MotionAdvanceForm(request.POST if request.POST.get("form") == "advance" else None,
                                           initial={"on": today})  # fmt: skip
    vote_form = forms.VoteForm(
        request.POST if request.POST.get("form") == "vote" else None, initial={"voted_on": today}
    )
    if request.method == "POST":
        try:
            if request.POST.get("form") == "advance" and advance_form.is_valid():
                services.motion_advance(by=request.user, motion=motion, today=today, **advance_form.cleaned_data)
                messages.success(request, f"提案状态已更新为“{motion.get_status_display()}”。")
                return redirect("union:motion_detail", motion.pk)
            if request.POST.get("form") == "online":
                vote = services.motion_online_vote(by=request.user, motion=motion, voted_on=today, today=today)
                messages.success(request, "已发起网上无记名投票，请在“票决”中向职工代表发放表决码。")
                return redirect("ballots:detail", vote.ballot_id)
            if request.POST.get("form") == "vote" and vote_form.is_valid():
                vote = services.vote_record(by=request.user, motion=motion, today=today, **vote_form.cleaned_data)
                messages.success(request, f"已录入表决结果：{'通过' if vote.passed else '未通过'}。")
                return redirect("union:motion_detail", motion.pk)
        except ValidationError as exc:
            _apply_errors(advance_form if request.POST.get("form") == "advance" else vote_form, exc)
    next_statuses = [(s, dict(Motion.STATUSES)[s]) for s in Motion.NEXT[motion.status]]
    votes = list(motion.votes.all())
    advance_form.fields["to_status"].choices = next_statuses
    return render(request, "union/motion_detail.html", {
        "page_title": f"第{motion.number}号提案", "motion": motion, "votes": votes,
        "online": selectors.online_vote_totals(votes),
        "advance_form": advance_form, "vote_form": vote_form, "next_statuses": next_statuses,
        "delegate_count": motion.session.delegates.count(),
        "breadcrumbs": _crumbs(("职工代表大会", reverse("union:session_list")),
                               (motion.session.title, reverse("union:session_detail", args=[motion.session_id])),
                               (f"第{motion.number}号提案", None)),
    })  # fmt: skip


DISCLOSURE_LIST = ListDefinition(
    name="政务公开",
    columns=[
        Column("title", "标题", lambda d: d.title, link=lambda d: reverse("union:disclosure_edit", args=[d.pk])),
        Column("union", "工会", lambda d: d.union_org.short_name or d.union_org.name, sort="union_org__path"),
        Column("category", "类别", lambda d: d.get_category_display(), sort="category"),
        Column(
            "state",
            "状态",
            lambda d: "已公开" if d.is_published else "草稿",
            tag=lambda d: "tag-ok" if d.is_published else "tag-muted",
        ),  # fmt: skip
        Column("published", "公开日期", lambda d: d.published_on, sort="published_on"),
    ],
    default_sort="-published_on",
    row_actions=[Action("编辑", lambda d: reverse("union:disclosure_edit", args=[d.pk]))],
    empty_text="暂无政务公开事项。点击“新增”发布。",
)


@login_required
def disclosure_list(request):
    _admin_scope(request)
    return _list_response(request, ListPage(request, DISCLOSURE_LIST, selectors.disclosures(user=request.user)), {
        "page_title": "政务公开", "add_url": reverse("union:disclosure_create"),
        "breadcrumbs": _crumbs(("政务公开", None)),
    })  # fmt: skip


@login_required
def disclosure_edit(request, pk: int | None = None):
    _admin_scope(request)
    disclosure = get_object_or_404(policies.disclosures.queryset(request.user, CHANGE), pk=pk) if pk else Disclosure()
    initial = {"union_org": disclosure.union_org_id, "category": disclosure.category, "title": disclosure.title,
               "body": disclosure.body, "publish": disclosure.is_published or pk is None} if pk else {}  # fmt: skip
    unions = org_policies.union_orgs.queryset(request.user, CHANGE).order_by("path")
    form = forms.DisclosureForm(request.POST or None, unions=unions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for name in ("union_org", "category", "title", "body"):
            setattr(disclosure, name, data[name])
        try:
            services.disclosure_save(by=request.user, disclosure=disclosure, publish=data["publish"], today=_today())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, "已发布，会员可在“我的工会”查看。" if disclosure.is_published else "已保存为草稿。"
            )
            return redirect("union:disclosure_list")
    return render(request, "union/form.html", {"page_title": "编辑政务公开事项" if pk else "新增政务公开事项", "form": form,
                  "breadcrumbs": _crumbs(("政务公开", reverse("union:disclosure_list")), ("编辑" if pk else "新增", None))})  # fmt: skip


# ---------------------------------------------------------------- workers' home (point 6)


@login_required
def round_list(request):
    scope = _admin_scope(request)
    root = policies.is_union_root_admin(scope)
    form = forms.RoundForm(request.POST or None, initial={"year": _today().year})
    if request.method == "POST":
        if not root:
            raise PermissionDenied("职工之家评选由区直机关工会工委组织。")
        if form.is_valid():
            try:
                home_round = services.round_create(by=request.user, today=_today(), **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, f"已创建{home_round.title}，各基层工会可开始自评。")
                return redirect("union:round_detail", home_round.pk)
    rounds = HomeRound.objects.annotate(
        homes_total=Count("homes", filter=Q(homes__in=policies.homes.queryset(request.user, VIEW))),
        reviewed=Count("homes", filter=Q(homes__status=WorkersHome.REVIEWED, homes__in=policies.homes.queryset(request.user, VIEW))),
    )  # fmt: skip
    return render(request, "union/round_list.html", {
        "page_title": "职工之家建设", "rounds": rounds, "form": form if root else None,
        "breadcrumbs": _crumbs(("职工之家", None)),
    })  # fmt: skip


@login_required
def round_detail(request, pk: int):
    scope = _admin_scope(request)
    home_round = get_object_or_404(HomeRound, pk=pk)
    root = policies.is_union_root_admin(scope)
    homes = policies.homes.queryset(request.user, VIEW).filter(round=home_round).select_related("union_org")
    if request.method == "POST" and request.POST.get("action") == "close":
        services.round_close(by=request.user, home_round=home_round)
        messages.success(request, "本年度评选已结束。")
        return redirect("union:round_detail", pk)
    ranked = [(rank, h) for rank, h in selectors.ranking(home_round) if h.pk in {x.pk for x in homes}]
    status_counts = {s: 0 for s, _ in WorkersHome.STATUSES}
    for h in homes:
        status_counts[h.status] += 1
    return render(request, "union/round_detail.html", {
        "page_title": home_round.title, "home_round": home_round, "homes": homes.order_by("union_org__path"),
        "ranked": ranked, "criteria": home_round.criteria.all(), "root": root, "status_counts": status_counts,
        "dimensions": rules.DIMENSION_LABELS,
        "breadcrumbs": _crumbs(("职工之家", reverse("union:round_list")), (home_round.title, None)),
    })  # fmt: skip


@login_required
def criterion_edit(request, round_pk: int, pk: int | None = None):
    scope = _admin_scope(request)
    if not policies.is_union_root_admin(scope):
        raise PermissionDenied("评价标准由区直机关工会工委设置。")
    home_round = get_object_or_404(HomeRound, pk=round_pk)
    criterion = get_object_or_404(HomeCriterion, pk=pk, round=home_round) if pk else HomeCriterion(round=home_round)
    form = forms.CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(by=request.user, criterion=form.instance)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "评价标准已保存。")
            return redirect("union:round_detail", home_round.pk)
    return render(request, "union/form.html", {"page_title": "评价标准", "form": form,
                  "breadcrumbs": _crumbs(("职工之家", reverse("union:round_list")),
                                         (home_round.title, reverse("union:round_detail", args=[home_round.pk])), ("评价标准", None))})  # fmt: skip


def _scores_from_post(request, criteria, prefix: str) -> dict:
    return {c.code: request.POST.get(f"{prefix}_{c.code}", "").strip() for c in criteria}


@login_required
def home_detail(request, pk: int):
    """One union's 职工之家 entry: self-assessment with evidence (its union), review (工会工委)."""
    _admin_scope(request)
    home = get_object_or_404(policies.homes.queryset(request.user, VIEW).select_related("round", "union_org"), pk=pk)
    criteria = list(home.round.criteria.all())
    today = _today()
    # The union assesses itself; the 工会工委 reviews (it does not fill in the union's own scores).
    reviewer = policies.is_union_root_admin(scope_of(request.user))
    may_self = not reviewer and policies.homes.may(request.user, CHANGE, home) and home.status != WorkersHome.REVIEWED
    may_review = policies.homes.may(request.user, policies.DECIDE, home) and home.status != WorkersHome.DRAFT
    errors: list[str] = []
    evidence_form = forms.EvidenceForm(request.POST if request.POST.get("form") == "evidence" else None,
                                       request.FILES or None, criteria=home.round.criteria.all())  # fmt: skip
    if request.method == "POST":
        action = request.POST.get("form")
        try:
            if action in ("save", "submit") and may_self:
                services.home_self_assess(
                    by=request.user, home=home, scores=_scores_from_post(request, criteria, "self"),
                    satisfaction=request.POST.get("satisfaction_percent", "").strip(),
                    declared_lower_title=request.POST.get("declared_lower_title") == "on",
                    note=request.POST.get("self_note", ""), submit=action == "submit", today=today,
                )  # fmt: skip
                messages.success(request, "自评已提交，等待工会工委评审。" if action == "submit" else "自评已保存。")
                return redirect("union:home_detail", home.pk)
            if action == "review" and may_review:
                services.home_review(by=request.user, home=home, scores=_scores_from_post(request, criteria, "review"),
                                     note=request.POST.get("review_note", ""), today=today)  # fmt: skip
                messages.success(request, f"评审完成：{home.get_rating_display()}。")
                return redirect("union:home_detail", home.pk)
            if action == "evidence" and may_self and evidence_form.is_valid():
                data = evidence_form.cleaned_data
                services.evidence_add(by=request.user, home=home, criterion=data["criterion"], title=data["title"],
                                      link=data["link"] or "", upload=data["file"])  # fmt: skip
                messages.success(request, "佐证材料已上传。")
                return redirect("union:home_detail", home.pk)
        except ValidationError as exc:
            errors = exc.messages
    auto = selectors.evidence_counts(home)
    evidence = list(home.evidence.select_related("criterion"))
    rows = []
    for c in criteria:
        rows.append({
            "criterion": c, "auto": auto.get(c.evidence_source, ""),
            "self": request.POST.get(f"self_{c.code}", home.self_scores.get(c.code, "")) if request.method == "POST" else home.self_scores.get(c.code, ""),
            "review": request.POST.get(f"review_{c.code}", home.review_scores.get(c.code, "")) if request.method == "POST" else home.review_scores.get(c.code, home.self_scores.get(c.code, "")),
            "evidence": [e for e in evidence if e.criterion_id == c.pk],
        })  # fmt: skip
    members, staff = selectors.union_member_and_staff(home.union_org)
    return render(request, "union/home_detail.html", {
        "page_title": f"{home.union_org.name}·{home.round.year}年职工之家", "home": home, "rows": rows,
        "dimensions": rules.DIMENSION_LABELS, "may_self": may_self, "may_review": may_review, "errors": errors,
        "evidence_form": evidence_form, "members": members, "staff": staff,
        "rate": selectors.RateRow(home.union_org, members, staff).rate, "holds_title": services.holds_lower_title(home),
        "breadcrumbs": _crumbs(("职工之家", reverse("union:round_list")),
                               (home.round.title, reverse("union:round_detail", args=[home.round_id])), (home.union_org.name, None)),
    })  # fmt: skip


@login_required
def evidence_file(request, pk: int):
    evidence = get_object_or_404(policies.evidence.queryset(request.user, VIEW), pk=pk)
    if not evidence.file:
        raise Http404
    audit.record(actor=request.user, action="union.homeevidence.download", obj=evidence)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])


@login_required
def home_history(request, union_pk: int):
    _admin_scope(request)
    homes = list(
        policies.homes.queryset(request.user, VIEW).filter(union_org_id=union_pk).select_related("round", "union_org")
        .order_by("-round__year")
    )  # fmt: skip
    if not homes:
        raise Http404("没有该工会的职工之家评选记录。")
    return render(request, "union/home_history.html", {
        "page_title": f"{homes[0].union_org.name}职工之家评选历史", "homes": homes,
        "breadcrumbs": _crumbs(("职工之家", reverse("union:round_list")), ("评选历史", None)),
    })  # fmt: skip
