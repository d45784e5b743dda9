"""Local settings of the talk rules (../shared/rules/party-life.md, TALK-xx)."""

from core.rule_settings import RuleSetting, register
from talks.rules import APPOINTMENT_TALK_DAYS_DEFAULT

register(
    RuleSetting(
        key="APPOINTMENT_TALK_DAYS",
        default=APPOINTMENT_TALK_DAYS_DEFAULT,
        label="任职谈话期限（任职后天数）",
        source="地方做法：新任书记、委员任职后 30 日内进行任职谈话",
        rule="TALK-02",
        area="组织生活",
    ),
)
