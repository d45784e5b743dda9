"""Home-page alerts of the dues area: DUES-09 arrears (one query) and reductions awaiting a decision."""

from django.urls import reverse

from core.dashboard import Alert, register
from dues import policies, selectors
from dues.models import PARTY


@register
def dues_alerts(*, user, scope, today) -> list[Alert]:
    if scope is None or not policies.may_read(scope, PARTY):
        return []
    alerts = []
    arrears = selectors.arrears_streaks(user=user, scheme=PARTY, today=today)
    if arrears:
        alerts.append(Alert(level="danger", title="连续6个月未交党费（DUES-09）", count=len(arrears),
                            url=reverse("dues:arrears"), detail="按党章应视为自行脱党，党支部须及时处理"))  # fmt: skip
    pending = selectors.reduction_open_count(user=user)
    if pending:
        alerts.append(Alert(level="warning", title="少交免交党费申请待办（DUES-08）", count=pending,
                            url=reverse("dues:reduction_list")))  # fmt: skip
    return alerts
