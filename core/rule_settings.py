"""Local settings of the regulations (the *settings* in ../shared/rules).

Each app declares its settings in ``<app>/rule_settings.py`` with ``register``;
core autodiscovers those modules. A setting has a documented default and source;
the administrator may override it on the settings page (stored in
``core.RuleSettingValue`` and audited). Services read ``value(key)`` and pass
the number into the pure rule functions, so rules never read settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

KINDS = ("int", "decimal", "str", "bool", "list", "dict", "choice")


@dataclass(frozen=True)
class RuleSetting:
    key: str  # e.g. "LOCAL_NOTICE_WORKDAYS"
    default: Any
    label: str  # Chinese label shown on the settings page
    source: str  # where the default comes from (regulation, province)
    rule: str  # rule ID(s), e.g. "REC-07L"
    kind: str = "int"
    choices: tuple[tuple[str, str], ...] = ()
    area: str = ""  # menu area: 发展党员, 工会工作 …
    # Which administrators may change it: "party" (工委管理员) or "union" (工会工委管理员).
    owner: str = "party"

    def parse(self, raw: Any) -> Any:
        """Validate a value typed on the settings page; ValueError has a Chinese message."""
        try:
            if self.kind == "int":
                number = int(str(raw).strip())
                if number < 0:
                    raise ValueError
                return number
            if self.kind == "decimal":
                number = Decimal(str(raw).strip())
                if not number.is_finite() or number < 0:
                    raise ValueError
                return str(number.quantize(Decimal("0.01")))
            if self.kind == "bool":
                return str(raw).strip().lower() in {"1", "true", "on", "yes", "是"}
            if self.kind == "choice":
                if raw not in dict(self.choices):
                    raise ValueError
                return raw
            if self.kind == "list":
                if isinstance(raw, list):
                    return raw
                return [p.strip() for p in str(raw).replace("，", ",").replace("、", ",").split(",") if p.strip()]
        except (ValueError, ArithmeticError) as exc:
            raise ValueError(f"“{self.label}”的取值“{raw}”无效。") from exc
        return raw

    def coerce(self, stored: Any) -> Any:
        return Decimal(stored) if self.kind == "decimal" else stored


_REGISTRY: dict[str, RuleSetting] = {}


def register(*settings: RuleSetting) -> None:
    for setting in settings:
        _REGISTRY[setting.key] = setting


def all_settings() -> list[RuleSetting]:
    return sorted(_REGISTRY.values(), key=lambda s: (s.area, s.rule, s.key))


def get_setting(key: str) -> RuleSetting:
    return _REGISTRY[key]


def value(key: str) -> Any:
    """The setting in force: the administrator's override, else the default."""
    from core.models import RuleSettingValue

    setting = _REGISTRY[key]
    stored = RuleSettingValue.objects.filter(key=key).values_list("value", flat=True).first()
    if stored is None:
        default = setting.default
        return Decimal(str(default)) if setting.kind == "decimal" else default
    return setting.coerce(stored)
