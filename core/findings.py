"""The one shape every rule check returns.

Rules (``<app>/rules.py``) are pure functions: dates and numbers in, a list of
``Finding`` out. Pages, ledgers, audits and circulars render these; the JSON
audit output of rules/recruitment.md is ``Finding.as_json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
MISSING = "missing"

SEVERITY_LABELS = {ERROR: "错误", WARNING: "提醒", MISSING: "缺失"}


@dataclass(frozen=True)
class Finding:
    rule: str  # e.g. "REC-06"
    severity: str  # ERROR | WARNING | MISSING
    message: str  # a Chinese sentence naming the dates and numbers involved
    rule_set: str | None = None  # "2014" | "2026" for the recruitment rules
    step: int | None = None  # the recruitment step (1..25) it concerns, if any
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def as_json(self, *, row: int | None, person: str) -> dict:
        return {
            "row": row,
            "person": person,
            "rule": self.rule,
            "severity": self.severity,
            "rule_set": self.rule_set,
            "message": self.message,
        }
