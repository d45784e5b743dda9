"""Records of other apps that some tables read, looked up lazily.

T15/T18/T19/T20 read the recruitment records (``recruitment.Recruitment``) and
T08 the appraisal results of 民主评议党员 (partylife). Those apps are built
alongside this one: when the model or a field a table needs is not there, the
table shows zeros with a note instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist


@dataclass(frozen=True)
class Source:
    model: type | None
    note: str = ""

    @property
    def available(self) -> bool:
        return self.model is not None


def _model_with(app: str, name: str, fields: tuple[str, ...]):
    if not apps.is_installed(app):
        return None, f"{app} 应用未安装"
    try:
        model = apps.get_model(app, name)
    except LookupError:
        return None, f"尚无 {app}.{name} 记录"
    missing = []
    for f in fields:
        try:
            model._meta.get_field(f)
        except FieldDoesNotExist:
            missing.append(f)
    if missing:
        return None, f"{app}.{name} 缺少字段 {', '.join(missing)}"
    return model, ""


RECRUITMENT_FIELDS = ("person", "branch", "application_on", "activist_on", "candidate_on", "approved_on")
CONVERSION_FIELDS = ("person", "branch", "general_meeting_on", "extension_months", "probation_end_on", "conversion_approved_on")  # fmt: skip


def recruitment() -> Source:
    """The recruitment record of each person (stages on a date from the step dates)."""
    model, why = _model_with("recruitment", "Recruitment", RECRUITMENT_FIELDS)
    return Source(model, "" if model else f"发展党员记录不可用（{why}），本表暂按 0 显示。")


def conversion() -> Source:
    """The same records, with what T15 needs about probation and conversion."""
    model, why = _model_with("recruitment", "Recruitment", CONVERSION_FIELDS)
    return Source(model, "" if model else f"发展党员记录不可用（{why}），本表暂按 0 显示。")


def conversion_postponements():
    """The recorded REC-19 postponements (推迟讨论转正), or None when not recorded anywhere."""
    model, _ = _model_with("recruitment", "Override", ("recruitment", "rule"))
    return model


# The appraisal grades of LIFE-07, in the column order of T08.
APPRAISAL_GRADES = (
    ("EXCELLENT", "评为优秀"),
    ("QUALIFIED", "合格"),
    ("BASICALLY_QUALIFIED", "基本合格"),
    ("UNQUALIFIED", "不合格"),
)
APPRAISAL_MODEL_NAMES = ("MemberAppraisal", "Appraisal", "AppraisalResult")
APPRAISAL_FIELDS = ("member", "grade", "appraised_on")


def appraisal() -> Source:
    """One row per member appraised in 民主评议党员 (LIFE-07): member, grade, date."""
    why = "partylife 应用未安装"
    if apps.is_installed("partylife"):
        why = "尚无民主评议党员的个人评议结果记录"
        for name in APPRAISAL_MODEL_NAMES:
            model, reason = _model_with("partylife", name, APPRAISAL_FIELDS)
            if model is not None:
                return Source(model)
            if "缺少字段" in reason:
                why = reason
    return Source(None, f"民主评议结果不可用（{why}），本表暂按 0 显示。")
