"""Local settings of the recruitment rules (../shared/rules/recruitment.md)."""

from core.rule_settings import RuleSetting, register, value
from recruitment.rules import RecruitmentSettings

register(
    RuleSetting(
        key="LOCAL_NOTICE_WORKDAYS",
        default=5,
        label="发展对象公示期（工作日，2014年细则下的地方公示票决制）",
        source="本地公示票决制：2014年细则未规定公示，本区要求确定发展对象前公示不少于5个工作日",
        rule="REC-07L",
        kind="int",
        area="发展党员",
        owner="party",
    ),
    RuleSetting(
        key="CONVERSION_GRACE_DAYS",
        default=30,
        label="预备期满后讨论转正的宽限天数",
        source="《中国共产党发展党员工作细则》第三十一条“预备期满时及时讨论”，本区按30天掌握",
        rule="REC-19",
        kind="int",
        area="发展党员",
        owner="party",
    ),
)


def current() -> RecruitmentSettings:
    """The settings in force, for the pure rules (two small queries)."""
    return RecruitmentSettings(
        LOCAL_NOTICE_WORKDAYS=int(value("LOCAL_NOTICE_WORKDAYS")),
        CONVERSION_GRACE_DAYS=int(value("CONVERSION_GRACE_DAYS")),
    )
