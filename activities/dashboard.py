"""Home-page alerts of the activities area, and the balance chart of a union's dashboard.

ACT-08: grassroots unions in the user's scope whose education share of the
year's activities is below the setting. Four queries whatever the size.
"""

from __future__ import annotations

import json

from django.urls import reverse

from activities import selectors
from core.dashboard import Alert, register
from orgs import selectors as org_selectors


@register
def balance_alert(*, user, scope, today) -> list[Alert]:
    if scope is None or not scope.is_union_admin or not scope.union_path:
        return []
    if org_selectors.is_large(user):
        # the mix of each of 15,000 unions (the bench district) takes 0.3 s: the home page
        # of so large a scope shows the finding of up to a minute ago (the balance page is live)
        key = f"act08-alert:{scope.union_path}:{today}"
        low = org_selectors.cached_counts(key, lambda: _low_education_unions(scope, today))
    else:
        low = _low_education_unions(scope, today)
    if not low:
        return []
    names = "、".join(low[:3]) + ("等" if len(low) > 3 else "")
    return [
        Alert(
            level="info",
            title=f"{today.year}年学习培训类活动占比偏低的工会",
            count=len(low),
            url=reverse("activities:balance") + f"?year={today.year}",
            detail=f"{names}（ACT-08）",
        )
    ]


def _low_education_unions(scope, today) -> list[str]:
    rows = selectors.balance_rows(scope=scope, year=today.year, min_share=selectors.min_education_share())
    return [r.union for r in rows if any(f.rule == "ACT-08" for f in r.findings)]


def balance_chart(rows, *, min_share, title: str = "学习教育与文体活动结构") -> str:
    """An ECharts option (JSON for data-chart): per union, activities by group
    of kinds, with the education share on a second axis against the minimum."""
    rows = [r for r in rows if r.mix.total][:30]
    names = [r.union.replace("工会委员会", "").replace("工会", "") for r in rows]
    minimum = round(float(min_share) * 100, 1)
    option = {
        "title": {"text": title, "left": "left", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 24},
        "grid": {"left": 50, "right": 50, "top": 70, "bottom": 90},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"rotate": 45, "interval": 0}},
        "yAxis": [
            {"type": "value", "name": "次"},
            {"type": "value", "name": "学习培训占比%", "max": 100, "min": 0},
        ],
        "color": ["#c0392b", "#1565c0", "#9e9e9e", "#2e7d32"],
        "series": [
            {"name": "学习培训", "type": "bar", "stack": "kinds", "data": [r.mix.education for r in rows]},
            {"name": "文体活动", "type": "bar", "stack": "kinds", "data": [r.mix.recreation for r in rows]},
            {
                "name": "其他",
                "type": "bar",
                "stack": "kinds",
                "data": [r.mix.total - r.mix.education - r.mix.recreation for r in rows],
            },
            {
                "name": "学习培训占比",
                "type": "line",
                "yAxisIndex": 1,
                "data": [round(float(r.mix.education_share or 0) * 100, 1) for r in rows],
                "markLine": {"symbol": "none", "data": [{"yAxis": minimum, "name": f"最低 {minimum}%"}]},
            },
        ],
    }
    return json.dumps(option, ensure_ascii=False)
