"""Home-page alerts of the union area: hardship cases overdue for 复核 (UNION-09) and
membership applications waiting for approval — two queries."""

from django.urls import reverse

from core.dashboard import Alert, register
from union import policies, rules
from union.models import MembershipApplication


@register
def union_alerts(*, user, scope, today) -> list[Alert]:
    if scope is None or not scope.is_union_admin or not scope.union_path:
        return []
    alerts = []
    overdue = policies.cases.queryset(user).filter(state__in=rules.RECHECK_STATES, recheck_due_on__lt=today).count()
    if overdue:
        alerts.append(Alert(level="danger", title="困难职工档案超过12个月未复核（UNION-09）", count=overdue,
                            url=reverse("union:case_list") + "?overdue=1"))  # fmt: skip
    pending = policies.applications.queryset(user).filter(status=MembershipApplication.PENDING).count()
    if pending:
        alerts.append(Alert(level="warning", title="入会申请待审批", count=pending,
                            url=reverse("union:application_list") + "?status=PENDING"))  # fmt: skip
    return alerts
