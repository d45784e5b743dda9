import json
from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scope import scope_of
from core import audit, dashboard
from core import rule_settings as rs
from core.listing import Column, ListDefinition, ListPage
from core.models import Notification, RuleSettingValue
from core.selectors import audit_log, dashboard_counts, members_by_child_org
from orgs import selectors as org_selectors
from stats import selectors as stats_selectors


def _bar_option(title: str, pairs: list[tuple[str, int]]) -> str:
    return json.dumps(
        {
            "title": {"text": title, "left": "left", "textStyle": {"fontSize": 14}},
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 120, "right": 30, "top": 40, "bottom": 20},
            "xAxis": {"type": "value"},
            "yAxis": {
                "type": "category",
                "data": [p[0] for p in reversed(pairs)],
                "axisLabel": {"width": 110, "overflow": "truncate"},
            },
            "series": [{"type": "bar", "data": [p[1] for p in reversed(pairs)], "itemStyle": {"color": "#c0392b"}}],
        },
        ensure_ascii=False,
    )


def _pie_option(title: str, pairs: list[tuple[str, int]]) -> str:
    return json.dumps(
        {
            "title": {"text": title, "left": "left", "textStyle": {"fontSize": 14}},
            "tooltip": {"trigger": "item", "formatter": "{b}：{c}人（{d}%）"},
            "legend": {"bottom": 0},
            "color": ["#2e7d32", "#ef6c00", "#1565c0", "#6a1b9a"],
            "series": [{"type": "pie", "radius": ["40%", "68%"], "data": [{"name": n, "value": v} for n, v in pairs]}],
        },
        ensure_ascii=False,
    )


@login_required
def home(request):
    scope = scope_of(request.user)
    today = timezone.localdate()
    if scope is None:
        return render(request, "core/no_grant.html", {"page_title": "首页"})
    if scope.is_member:
        return redirect("people:me")
    # A very large scope (the 1,000,000-member bench district) reads its figures from a
    # cache of a minute, dropped on any write to the rolls; a district's are live.
    large = org_selectors.is_large(request.user)
    key = f"home:{scope.party_path}:{scope.union_path}:{scope.role}:{today}"
    counts = org_selectors.cached_counts(key, lambda: dashboard_counts(scope)) if large else dashboard_counts(scope)
    charts = []
    by_org = members_by_child_org(scope, cached=large)
    if by_org:
        charts.append(_bar_option("各组织党员人数", by_org))
    if counts["members"]:
        charts.append(_pie_option("党员类别", [("正式党员", counts["full"]), ("预备党员", counts["probationary"])]))
        # Age, education, pipeline and ten-year trend come from the statistics area.
        more = partial(stats_selectors.dashboard_charts, scope, today, by_org=False)
        charts.extend(org_selectors.cached_counts(key + ":charts", more) if large else more())
    context = {
        "page_title": "首页",
        "scope": scope,
        "counts": counts,
        "charts": charts,
        "alerts": dashboard.alerts_for(request.user, scope, today),
        "today": today,
    }
    return render(request, "core/home.html", context)


class AuditSearchForm(forms.Form):
    q = forms.CharField(
        label="关键字", required=False, widget=forms.TextInput(attrs={"placeholder": "对象、操作人或请求编号"})
    )
    action = forms.CharField(
        label="操作", required=False, widget=forms.TextInput(attrs={"placeholder": "如 people.person"})
    )


AUDIT_LIST = ListDefinition(
    name="修改记录",
    columns=[
        Column(
            "time", "时间", lambda e: timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"), sort="created_at"
        ),
        Column("actor", "操作人", lambda e: e.actor_name, sort="actor_name"),
        Column("action", "操作", lambda e: e.action, sort="action"),
        Column("object", "对象", lambda e: e.object_repr),
        Column(
            "changes",
            "修改内容",
            lambda e: "；".join(f"{k}: {a} → {b}" for k, (a, b) in audit.diff(e.before, e.after).items())[:300],
        ),
        Column("ip", "IP 地址", lambda e: e.ip or ""),
    ],
    default_sort="-id",
    empty_text="没有符合条件的修改记录。",
)


def _require_district_admin(request):
    scope = scope_of(request.user)
    if scope is None or not scope.is_district_level:
        raise PermissionDenied("仅工委（工会工委）管理员可以访问此页面。")
    return scope


@login_required
def audit_log_view(request):
    _require_district_admin(request)
    form = AuditSearchForm(request.GET or None)
    form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    qs = audit_log(search=data.get("q", ""), action=data.get("action", ""))
    page = ListPage(request, AUDIT_LIST, qs)
    if page.wants_export:
        return page.export()
    return render(
        request,
        "core/audit_log.html",
        {
            "page_title": "修改记录",
            "search_form": form,
            "breadcrumbs": [("系统管理", None), ("修改记录", None)],
            **page.context(),
        },
    )


@login_required
def notifications(request):
    items = Notification.objects.filter(user=request.user).order_by("-created_at")[:200]
    return render(
        request, "core/notifications.html", {"page_title": "通知", "items": items, "breadcrumbs": [("通知", None)]}
    )


@login_required
@require_POST
def notifications_mark_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, "已全部标记为已读。")
    return redirect("core:notifications")


def _may_edit_setting(scope, setting) -> bool:
    if scope is None:
        return False
    if setting.owner == "union":
        return scope.is_union_admin and scope.union_path is not None and len(scope.union_path) == 4
    return scope.is_district_admin


@login_required
def settings_view(request):
    """规则设置: every local setting with its default, source and current value."""
    scope = scope_of(request.user)
    if scope is None or scope.is_member:
        raise PermissionDenied("您无权查看规则设置。")
    overrides = dict(RuleSettingValue.objects.values_list("key", "value"))
    errors = {}
    if request.method == "POST":
        key = request.POST.get("key", "")
        try:
            setting = rs.get_setting(key)
        except KeyError:
            setting = None
        if setting is None or not _may_edit_setting(scope, setting):
            raise PermissionDenied("您无权修改该设置。")
        if "reset" in request.POST:
            before = overrides.get(key)
            RuleSettingValue.objects.filter(key=key).delete()
            audit.record(actor=request.user, action="core.setting.reset", object_type="core.setting", object_id=key,
                         object_repr=setting.label, before={"value": before}, after={"value": setting.default})  # fmt: skip
            messages.success(request, f"“{setting.label}”已恢复默认值。")
            return redirect("core:settings")
        try:
            value = setting.parse(request.POST.get("value", ""))
        except ValueError as exc:
            errors[key] = str(exc)
        else:
            before = overrides.get(key, setting.default)
            RuleSettingValue.objects.update_or_create(key=key, defaults={"value": value, "updated_by": request.user})
            audit.record(actor=request.user, action="core.setting.update", object_type="core.setting", object_id=key,
                         object_repr=setting.label, before={"value": before}, after={"value": value})  # fmt: skip
            messages.success(request, f"“{setting.label}”已保存。")
            return redirect("core:settings")
    rows = []
    for setting in rs.all_settings():
        current = overrides.get(setting.key, setting.default)
        rows.append(
            {
                "setting": setting,
                "current": current,
                "is_default": setting.key not in overrides,
                "editable": _may_edit_setting(scope, setting),
                "error": errors.get(setting.key, ""),
            }
        )
    return render(
        request,
        "core/settings.html",
        {"page_title": "规则设置", "rows": rows, "breadcrumbs": [("系统管理", None), ("规则设置", None)]},
    )
