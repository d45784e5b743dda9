"""Home-page alerts of talks, only for those who may see the records (TALK-01): one query."""

from __future__ import annotations

from django.urls import reverse

from core.dashboard import Alert, register
from talks.selectors import due_alerts


@register
def talk_alerts(*, user, scope, today) -> list[Alert]:
    if scope is None:
        return []
    counts = due_alerts(user=user, today=today)
    url = reverse("talks:talk_list")
    alerts = []
    if counts["appointment_overdue"]:
        alerts.append(
            Alert(
                "danger",
                "任职谈话已超期（TALK-02）",
                counts["appointment_overdue"],
                f"{url}?kind=APPOINTMENT&status=DUE",
                "项",
            )
        )
    if counts["appointment_soon"]:
        alerts.append(
            Alert(
                "warning",
                "任职谈话7日内到期（TALK-02）",
                counts["appointment_soon"],
                f"{url}?kind=APPOINTMENT&status=DUE",
                "项",
            )
        )
    if counts["follow_up_overdue"]:
        alerts.append(
            Alert(
                "warning", "诫勉谈话回访已逾期（TALK-03）", counts["follow_up_overdue"], f"{url}?kind=ADMONITION", "项"
            )
        )
    if counts["reminder_due"]:
        alerts.append(
            Alert(
                "info", "待开展的提醒谈话（LIFE-09）", counts["reminder_due"], f"{url}?kind=REMINDER&status=DUE", "项"
            )
        )
    return alerts
