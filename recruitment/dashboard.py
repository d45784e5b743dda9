"""Home-page alerts of recruitment: steps overdue and due within 30 days in the user's scope.

One aggregate query on the indexed ``next_due_on`` column, plus one for the
earliest overdue names shown as a hint.
"""

from __future__ import annotations

from django.urls import reverse

from core.dashboard import Alert, register
from core.policies import VIEW
from recruitment import policies, selectors


@register
def recruitment_due(*, user, scope, today) -> list[Alert]:
    if scope is None or policies.recruitments.scope_q(scope, VIEW) is policies.NOTHING:
        return []
    counts = selectors.due_counts(user=user, today=today)
    url = reverse("recruitment:ledger")
    alerts = []
    if counts["overdue"]:
        first = list(selectors.overdue(user=user, today=today)[:3])
        names = "、".join(f"{r.person.name}（{r.next_due_text}）" for r in first)
        more = "等" if counts["overdue"] > len(first) else ""
        alerts.append(
            Alert(
                level="danger",
                title="发展党员：已逾期的步骤",
                count=counts["overdue"],
                url=f"{url}?due={selectors.OVERDUE}&sort=due",
                detail=f"{names}{more}",
            )
        )
    if counts["soon"]:
        alerts.append(
            Alert(
                level="warning",
                title=f"发展党员：{selectors.DUE_SOON_DAYS}天内到期的步骤",
                count=counts["soon"],
                url=f"{url}?due={selectors.DUE_SOON}&sort=due",
                detail="",
            )
        )
    return alerts
