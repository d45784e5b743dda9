"""Local settings of the activities area (rule IDs from activities/*.py)."""

from decimal import Decimal

from core.rule_settings import RuleSetting, register

AREA = "文体活动"

MIN_EDUCATION_SHARE = "ACT_MIN_EDUCATION_SHARE"
AWARD_QUOTAS = "ACT_AWARD_QUOTAS"
TUG_WEIGHT_LIMIT = "ACT_TUG_OF_WAR_WEIGHT_LIMIT_KG"

register(
    RuleSetting(
        key=MIN_EDUCATION_SHARE,
        default=Decimal("30.00"),
        label="学习培训类活动最低占比（%）",
        source="区直机关工会工委要求：改变“抓学习教育少，开展活动比较多”的状况，通行 30%",
        rule="ACT-08",
        kind="decimal",
        area=AREA,
        owner="union",
    ),
    RuleSetting(
        key=AWARD_QUOTAS,
        default=["1", "3", "5"],
        label="评比奖项名额（一等奖、二等奖、三等奖）",
        source="比赛规程通行设置；各项比赛可按参赛规模调整",
        rule="ACT-07",
        kind="list",
        area=AREA,
        owner="union",
    ),
    RuleSetting(
        key=TUG_WEIGHT_LIMIT,
        default=Decimal("700.00"),
        label="拔河比赛每队总体重上限（公斤，10 人队）",
        source="中国拔河协会竞赛规则按体重级别设限；机关比赛通行 10 人 700 公斤",
        rule="ACT-04",
        kind="decimal",
        area=AREA,
        owner="union",
    ),
)


def award_quotas() -> tuple[int, ...]:
    from core.rule_settings import value

    raw = value(AWARD_QUOTAS)
    quotas = []
    for part in raw:
        try:
            quotas.append(max(0, int(str(part).strip())))
        except ValueError:
            continue
    return tuple(quotas[:3]) or (1, 3, 5)
