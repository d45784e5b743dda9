"""Local settings of the term rules TERM-01 / TERM-03 (rules/party-life.md)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from core.rule_settings import RuleSetting, register, value
from orgs import term_rules

# Names accepted for the three kinds when the administrator types the setting.
_KIND_NAMES = {
    term_rules.COMMITTEE: ("COMMITTEE", "党委", "机关党委", "基层党委"),
    term_rules.GENERAL_BRANCH: ("GENERAL_BRANCH", "总支", "党总支"),
    term_rules.BRANCH: ("BRANCH", "支部", "党支部"),
}


@dataclass(frozen=True)
class TermYearsSetting(RuleSetting):
    """A {kind: years} setting typed as "党委:4, 总支:3, 支部:2" (or JSON, or kind codes)."""

    def parse(self, raw):
        if isinstance(raw, dict):
            pairs = list(raw.items())
        else:
            text = str(raw).strip()
            try:
                loaded = json.loads(text)
            except ValueError:
                loaded = None
            if isinstance(loaded, dict):
                pairs = list(loaded.items())
            else:
                pairs = re.findall(r"([A-Za-z_\u4e00-\u9fff]+)['\"]?\s*[:：=]\s*(\d+)", text)
        result = {}
        for name, years in pairs:
            kind = next((k for k, names in _KIND_NAMES.items() if str(name).strip() in names), None)
            try:
                number = int(years)
            except (TypeError, ValueError):
                number = 0
            if kind is None or not 1 <= number <= 10:
                raise ValueError(f"“{self.label}”的取值“{raw}”无效，请按“党委:4，总支:3，支部:2”填写（1至10年）。")
            result[kind] = number
        if set(result) != set(_KIND_NAMES):
            raise ValueError(f"“{self.label}”须同时填写党委、总支、支部三类的年限，如“党委:4，总支:3，支部:2”。")
        return result


WARNING_MONTHS = RuleSetting(
    key="TERM_WARNING_MONTHS",
    default=6,
    label="换届提前提醒（月）",
    source="《关于党的基层组织任期的意见》(2018)：任期届满前应做好换届准备；本平台默认届满前 6 个月提醒，以便准备换届请示",
    rule="TERM-03",
    area="组织管理",
    owner="party",
)
LEGACY_YEARS = TermYearsSetting(
    key="LEGACY_TERM_YEARS",
    default=dict(term_rules.DEFAULT_LEGACY_TERM_YEARS),
    label="2018年7月1日前开始的任期年限（未记录年限时）",
    source="地方较早的通行做法：机关党委 4 年，党总支 3 年，党支部 2 年（2018年7月1日起按《关于党的基层组织任期的意见》为 5/3/3 年）",
    rule="TERM-01",
    kind="dict",
    area="组织管理",
    owner="party",
)
register(WARNING_MONTHS, LEGACY_YEARS)


def term_settings() -> term_rules.TermSettings:
    """The settings in force, as the pure term rules take them."""
    legacy = value(LEGACY_YEARS.key)
    if not isinstance(legacy, dict):  # a raw value stored by other means
        legacy = LEGACY_YEARS.parse(legacy)
    return term_rules.TermSettings(TERM_WARNING_MONTHS=int(value(WARNING_MONTHS.key)), LEGACY_TERM_YEARS=legacy)
