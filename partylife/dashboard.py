"""Home-page alerts of party life: three queries whatever the size of the scope."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from core.dashboard import Alert, register
from core.dates import add_months
from orgs.models import PartyOrg
from orgs.policies import PARTY_READERS
from partylife import rules
from partylife.models import Circular, CircularRecipient, Meeting


def _branches_without_theme_day(scope, first, last) -> int:
    held = Meeting.objects.filter(
        org__path__startswith=scope.party_path, kind=rules.THEME_DAY, status=Meeting.HELD,
        held_on__gte=first, held_on__lte=last,
    ).values("org_id")  # fmt: skip
    return PartyOrg.objects.filter(path__startswith=scope.party_path, kind=PartyOrg.BRANCH).exclude(pk__in=held).count()


@register
def party_life_alerts(*, user, scope, today) -> list[Alert]:
    if scope is None or scope.role not in PARTY_READERS or not scope.party_path:
        return []
    alerts = []
    this_month = today.replace(day=1)
    last_month = add_months(this_month, -1)
    url = reverse("partylife:compliance")
    missed = _branches_without_theme_day(scope, last_month, this_month - timedelta(days=1))
    if missed:
        alerts.append(Alert("danger", f"{last_month.month}月未开展主题党日的党支部（LIFE-05）", missed, url, "个"))
    month_end = add_months(this_month, 1) - timedelta(days=1)
    pending = _branches_without_theme_day(scope, this_month, month_end)
    if pending and (month_end - today).days <= 10:
        alerts.append(Alert("warning", f"本月尚未开展主题党日的党支部（截止{month_end}）", pending, url, "个"))
    unread = CircularRecipient.objects.filter(
        org__path=scope.party_path, read_at__isnull=True, circular__status=Circular.PUBLISHED
    ).count()
    if unread:
        alerts.append(Alert("info", "未阅读的督查通报", unread, reverse("partylife:notice_board"), "份"))
    return alerts
