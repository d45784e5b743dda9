from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scope import scope_of
from ballots.selectors import voters_due
from core import audit
from core.listing import Column, ListDefinition, ListPage
from core.policies import CHANGE, VIEW
from core.rule_settings import value as rule_value
from orgs import ledger, policies, selectors, services
from orgs.forms import PostponementForm, ReelectionForm, TermForm, TermLedgerSearchForm
from orgs.models import PartyOrg, Term
from orgs.rule_settings import term_settings
from orgs.rules import branch_setup


def _tree_nodes(request, current=None):
    nodes = selectors.party_tree(user=request.user, current=current)
    for node in nodes:
        node.url = reverse("orgs:party_org_detail", args=[node.org.pk])
    return nodes


@login_required
def tree(request):
    """组织架构: the party tree with member counts per node."""
    nodes = _tree_nodes(request)
    union_nodes = selectors.union_tree(user=request.user)
    for node in union_nodes:
        node.url = ""
    if not nodes and not union_nodes:
        raise Http404("没有可查看的组织。")
    return render(request, "orgs/tree.html", {"page_title": "组织架构", "nodes": nodes, "union_nodes": union_nodes,
                                              "breadcrumbs": [("组织管理", None), ("组织架构", None)]})  # fmt: skip


@login_required
def party_org_detail(request, pk: int):
    org = get_object_or_404(policies.party_orgs.queryset(request.user, VIEW), pk=pk)
    today = timezone.localdate()
    counts = selectors.org_member_counts(org)
    officers = list(selectors.current_officers(org, on=today))
    findings = branch_setup(
        kind=org.kind,
        members=counts["members"],
        full_members=counts["full"],
        committee_size=len(officers),
        covered_units=org.covered_units.count() if org.is_joint_branch else 1,
        approval_note=org.size_approval_note,
    )
    term = org.terms.filter(ended_on__isnull=True).first()
    children = list(type(org).objects.get_children(org).only("id", "name", "kind")[: selectors.TREE_WINDOW_CHILDREN])
    more_children = max(org.numchild - len(children), 0)
    context = {
        "page_title": org.name,
        "org": org,
        "counts": counts,
        "officers": officers,
        "findings": findings,
        "term": term,
        "children": children,
        "more_children": more_children,
        "nodes": _tree_nodes(request, current=org),
        "history": audit.history(org)[:50],
        "breadcrumbs": [("组织管理", None), ("组织架构", reverse("orgs:tree")), (org.name, None)],
    }
    return render(request, "orgs/party_org_detail.html", context)


UNIT_LIST = ListDefinition(
    name="单位名录",
    columns=[
        Column("name", "单位名称", lambda u: u.name, sort="name_pinyin"),
        Column("nature", "单位性质", lambda u: u.get_nature_display(), sort="nature"),
        Column(
            "party_org",
            "所属党组织",
            lambda u: u.party_org.name if u.party_org_id else "",
            link=lambda u: reverse("orgs:party_org_detail", args=[u.party_org_id]) if u.party_org_id else None,
        ),  # fmt: skip
        Column("union_org", "所属工会", lambda u: u.union_org.name if u.union_org_id else ""),
        Column("staff", "在职职工（人）", lambda u: u.staff_count, sort="staff_count"),
    ],
    default_sort="name_pinyin",
    empty_text="暂无单位。",
)


@login_required
def unit_list(request):
    qs = policies.units.queryset(request.user, VIEW).select_related("party_org", "union_org")
    search = request.GET.get("q", "").strip()
    if search:
        qs = qs.filter(name__contains=search) | qs.filter(name_pinyin__startswith=search.lower())
    page = ListPage(request, UNIT_LIST, qs)
    if page.wants_export:
        return page.export()
    return render(request, "orgs/unit_list.html", {"page_title": "单位", "q": search, **page.context(),
                                                   "breadcrumbs": [("组织管理", None), ("单位", None)]})  # fmt: skip


# --- 党组织换届台账 (TERM-01 … TERM-04) ---------------------------------------------------------------------


def _warning_months() -> int:
    return int(rule_value("TERM_WARNING_MONTHS"))


def _ledger_query(request, months: int):
    """The ledger's filter from the request: (form, queryset, current org)."""
    form = TermLedgerSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    org = None
    if data.get("org"):
        org = policies.party_orgs.queryset(request.user, VIEW).filter(pk=data["org"]).first()
    qs = ledger.ledger(
        user=request.user,
        today=timezone.localdate(),
        warning_months=months,
        org=org,
        status=data.get("status") or "",
        year=data.get("year"),
        search=data.get("q") or "",
    )
    return form, qs, org


def _require_party_reader(request):
    scope = scope_of(request.user)
    if scope is None or scope.role not in policies.PARTY_READERS or not scope.party_path:
        raise Http404("没有可查看的党组织。")
    return scope


@login_required
def term_ledger(request):
    """党组织换届台账: current term, planned end, status and past re-elections of every organisation."""
    scope = _require_party_reader(request)
    months = _warning_months()
    form, qs, org = _ledger_query(request, months)
    page = ListPage(request, ledger.TERM_LEDGER, qs)
    if page.wants_export:
        return page.export(title=f"党组织换届台账（{org.name if org else scope.org_name}）")
    nodes = _tree_nodes(request, current=org)
    for node in nodes:
        node.url = f"?org={node.org.pk}"
    context = {
        "page_title": "党组织换届台账",
        "search_form": form,
        "nodes": nodes,
        "current_org": org,
        "print_query": page.query_without("page", "export", "size"),
        "may_refresh": scope.role in policies.PARTY_WRITERS,
        "warning_months": months,
        "breadcrumbs": [("组织管理", None), ("换届台账", None)],
        **page.context(),
    }
    return render(request, "orgs/term_ledger.html", context)


@login_required
def term_ledger_print(request):
    """The ledger as filtered, every row, without menus (base_print.html)."""
    scope = _require_party_reader(request)
    form, qs, org = _ledger_query(request, _warning_months())
    definition = ledger.TERM_LEDGER
    rows = [[c.value(o) for c in definition.columns] for o in qs.order_by("path")]
    context = {
        "page_title": f"党组织换届台账（{org.name if org else scope.org_name}）",
        "headers": [c.label for c in definition.columns],
        "rows": rows,
        "today": timezone.localdate(),
    }
    return render(request, "orgs/term_ledger_print.html", context)


@login_required
@require_POST
def terms_refresh(request):
    """Recompute the planned ends and due dates in scope (after a settings change)."""
    scope = _require_party_reader(request)
    if scope.role not in policies.PARTY_WRITERS:
        raise Http404("无权操作。")
    terms = policies.terms.queryset(request.user, CHANGE).select_related("org")
    changed = services.terms_refresh(today=timezone.localdate(), terms=terms, by=request.user)
    messages.success(request, f"已按当前规则设置重新计算，{changed} 个任期的日期有变化。")
    return redirect("orgs:term_ledger")


def _org_for_terms(request, pk: int, action: str = VIEW) -> PartyOrg:
    qs = policies.party_orgs.queryset(request.user, action).filter(kind__in=services.TERM_KINDS)
    return get_object_or_404(qs, pk=pk)


@login_required
def org_terms(request, pk: int):
    """One organisation's terms: the current one with its TERM findings, and the history."""
    org = _org_for_terms(request, pk)
    today = timezone.localdate()
    terms = list(org.terms.select_related("reelection").order_by("-started_on"))
    current = next((t for t in terms if t.ended_on is None), None)
    settings = term_settings()
    state = services.term_status(current, today=today, settings=settings) if current else None
    for term in terms:
        term.org = org
    context = {
        "page_title": f"换届情况：{org.name}",
        "org": org,
        "current": current,
        "state": state,
        "status_label": ledger.STATUS_LABELS.get(state.status, "") if state else "",
        "status_tag": ledger.STATUS_TAGS.get(state.status, "tag-muted") if state else "",
        "past": [t for t in terms if t.ended_on is not None],
        "may_change": policies.party_orgs.may(request.user, CHANGE, org),
        "breadcrumbs": [("组织管理", None), ("换届台账", reverse("orgs:term_ledger")), (org.name, None)],
    }
    return render(request, "orgs/org_terms.html", context)


def _term_form_page(request, *, org, form, title, submit_label, intro=""):
    context = {
        "page_title": title,
        "org": org,
        "form": form,
        "submit_label": submit_label,
        "intro": intro,
        "cancel_url": reverse("orgs:org_terms", args=[org.pk]),
        "breadcrumbs": [
            ("组织管理", None),
            ("换届台账", reverse("orgs:term_ledger")),
            (org.name, reverse("orgs:org_terms", args=[org.pk])),
            (title, None),
        ],  # fmt: skip
    }
    return render(request, "orgs/term_form.html", context)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def term_create(request, pk: int):
    org = _org_for_terms(request, pk, CHANGE)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.term_create(by=request.user, org=org, number=d["number"], started_on=d["started_on"],
                                 length_years=d["length_years"], today=timezone.localdate())  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "本届任期已登记。")
            return redirect("orgs:org_terms", org.pk)
    return _term_form_page(request, org=org, form=form, title="登记本届任期", submit_label="保存")


def _open_term_or_404(request, pk: int) -> Term:
    qs = policies.terms.queryset(request.user, CHANGE).select_related("org").filter(ended_on__isnull=True)
    return get_object_or_404(qs, pk=pk)


@login_required
def term_reelection(request, pk: int):
    term = _open_term_or_404(request, pk)
    org = term.org
    today = timezone.localdate()
    initial = {"held_on": today}
    if request.method != "POST":
        initial["entitled"] = len(voters_due(org=org, on=today))
    form = ReelectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            _, findings = services.term_record_reelection(
                by=request.user, term=term, held_on=d["held_on"], entitled=d["entitled"], present=d["present"],
                approval_ref=d["approval_ref"], notes=d["notes"], next_length_years=d["next_length_years"], today=today,
            )  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已登记换届，第{term.number + 1}届任期自 {d['held_on']:%Y-%m-%d} 起。")
            for finding in findings:
                messages.warning(request, f"{finding.rule}：{finding.message}")
            return redirect("orgs:org_terms", org.pk)
    intro = f"本届（第{term.number}届）任期 {term.started_on:%Y-%m-%d} 起，应于 {term.planned_end_on:%Y-%m-%d} 换届。"
    return _term_form_page(request, org=org, form=form, title="登记换届选举", submit_label="登记换届", intro=intro)


@login_required
def term_postpone(request, pk: int):
    term = _open_term_or_404(request, pk)
    org = term.org
    initial = {"postponed_to": term.postponed_to, "approval_note": term.approval_note}
    form = PostponementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.term_record_postponement(by=request.user, term=term, postponed_to=d["postponed_to"],
                                              approval_note=d["approval_note"], today=timezone.localdate())  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "上级批准的换届日期已登记。")
            return redirect("orgs:org_terms", org.pk)
    intro = f"本届（第{term.number}届）应于 {term.planned_end_on:%Y-%m-%d} 换届；延期或提前须经上级党组织批准，且不超过一年（TERM-02）。"
    return _term_form_page(
        request, org=org, form=form, title="登记批准延期（提前）换届", submit_label="保存", intro=intro
    )
