"""Home-page alerts of the terms ledger: overdue re-elections and re-elections due within
the TERM-03 warning window, in the user's scope (two queries)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from core.dashboard import Alert, register
from core.rule_settings import value
from orgs.ledger import DUE_SOON, OVERDUE, term_counts
from orgs.policies import PARTY_READERS


@register
def term_alerts(*, user, scope, today) -> list[Alert]:
    if scope is None or scope.role not in PARTY_READERS or not scope.party_path:
        return []
    months = int(value("TERM_WARNING_MONTHS"))
    counts = term_counts(scope=scope, today=today, warning_months=months)
    url = reverse("orgs:term_ledger")
    alerts = []
    if counts["overdue"]:
        alerts.append(
            Alert(level="danger", title="党组织换届已逾期", count=counts["overdue"],
                  url=f"{url}?{urlencode({'status': OVERDUE})}", detail="个，任期届满未换届且无上级批准延期（TERM-02）")
        )  # fmt: skip
    if counts["due_soon"]:
        alerts.append(
            Alert(level="warning", title=f"党组织换届即将到期（{months}个月内）", count=counts["due_soon"],
                  url=f"{url}?{urlencode({'status': DUE_SOON})}", detail="个，请准备换届请示（TERM-03）")
        )  # fmt: skip
    return alerts
