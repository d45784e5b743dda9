from core.models.audit import AuditEntry
from core.models.calendar import CalendarDay
from core.models.notifications import Notification
from core.models.settings import RuleSettingValue

__all__ = ["AuditEntry", "CalendarDay", "Notification", "RuleSettingValue"]
