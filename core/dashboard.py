"""The alerts area of the home page, filled by every app.

An app registers a provider in its ``dashboard.py``: a function
``(user, scope, today) -> list[Alert]`` that must run a fixed, small number of
queries. The home page shows the alerts of every provider for the user's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Alert:
    level: str  # "danger" (overdue) | "warning" (due soon) | "info"
    title: str
    count: int
    url: str = ""
    detail: str = ""


Provider = Callable[..., list[Alert]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def alerts_for(user, scope, today: date) -> list[Alert]:
    alerts: list[Alert] = []
    for provider in _PROVIDERS:
        alerts.extend(provider(user=user, scope=scope, today=today))
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(alerts, key=lambda a: order.get(a.level, 3))
