from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from core import audit
from core.listing import Column, ListDefinition, ListPage
from core.policies import VIEW
from orgs import policies, selectors
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
    children = org.get_children().only("id", "name", "kind")
    context = {
        "page_title": org.name,
        "org": org,
        "counts": counts,
        "officers": officers,
        "findings": findings,
        "term": term,
        "children": children,
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
