"""Local settings of the trade-union rules (../shared/rules/union.md).

Money settings are decimals in yuan; rates and shares are percentages
(``UNION_GRASSROOTS_SHARE`` = 60.00 means 60 %), like the UNION-11 rates.
"""

from decimal import Decimal
from typing import Any

from core.rule_settings import RuleSetting, register

AREA = "工会工作"
HUBEI = "湖北 2018（各省标准不同）"


def _union(key: str, default: Any, label: str, source: str, rule: str, kind: str) -> RuleSetting:
    return RuleSetting(
        key=key, default=default, label=label, source=source, rule=rule, kind=kind, area=AREA, owner="union"
    )


register(
    _union(
        "UNION_DUES_BASE_DEFINITION",
        "本人每月基本工资（职务或岗位工资与级别或薪级工资之和），不含奖金、津贴和补贴",
        "会费计算基数的口径",
        "全总会费交纳规定；各省口径不同",
        "UNION-01",
        "str",
    ),
    _union(
        "UNION_GRASSROOTS_SHARE",
        Decimal("60.00"),
        "基层工会经费留成比例（%）",
        "《基层工会经费收支管理办法》(2017) 及各省分成办法，通行 60%",
        "UNION-02",
        "decimal",
    ),
    _union(
        "UNION_FESTIVALS",
        ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"],
        "可发放节日慰问品的节日（含自治区以上批准的少数民族节日）",
        "全总办公厅《基层工会经费收支管理办法》(2017)；湖北 2018",
        "UNION-03",
        "list",
    ),
    _union(
        "UNION_FESTIVAL_ANNUAL_CAP",
        Decimal("1200.00"),
        "每人每年节日慰问品标准（元）",
        "湖北 2018（江苏 1800）",
        "UNION-05",
        "decimal",
    ),
    _union(
        "UNION_CAP_BIRTHDAY", Decimal("300.00"), "生日慰问标准（元/次，蛋糕或蛋糕券）", HUBEI, "UNION-06", "decimal"
    ),
    _union("UNION_CAP_WEDDING", Decimal("1000.00"), "结婚慰问标准（元/次）", HUBEI, "UNION-06", "decimal"),
    _union("UNION_CAP_CHILDBIRTH", Decimal("500.00"), "生育慰问标准（元/次）", HUBEI, "UNION-06", "decimal"),
    _union("UNION_CAP_RETIREMENT", Decimal("1000.00"), "退休纪念品标准（元/次）", HUBEI, "UNION-06", "decimal"),
    _union(
        "UNION_CAP_ILLNESS", Decimal("1000.00"), "生病住院慰问标准（元/次，可发慰问金）", HUBEI, "UNION-06", "decimal"
    ),
    _union(
        "UNION_CAP_DEATH",
        Decimal("1000.00"),
        "会员或其配偶、父母、子女去世慰问标准（元/次，可发慰问金）",
        HUBEI,
        "UNION-06",
        "decimal",
    ),
    _union(
        "UNION_LOW_INCOME_LINE",
        Decimal("800.00"),
        "当地城市居民最低生活保障标准（元/人·月）",
        "当地民政部门公布的低保标准（默认值仅为示例，请按本地现行标准修改）",
        "UNION-07",
        "decimal",
    ),
    _union(
        "UNION_MODEL_MEMBERSHIP_RATE",
        90,
        "模范职工之家：会员入会率不低于（%）",
        "各省模范职工之家评选通知",
        "UNION-11",
        "int",
    ),
    _union(
        "UNION_MODEL_SATISFACTION",
        90,
        "模范职工之家：会员满意率不低于（%）",
        "各省模范职工之家评选通知",
        "UNION-11",
        "int",
    ),
    _union(
        "UNION_MODEL_REQUIRES_LOWER_TITLE",
        True,
        "模范职工之家：须已获得下一级职工之家称号",
        "全总办公厅《全国模范职工之家…评选表彰管理办法》(2020)；各省评选通知",
        "UNION-11",
        "bool",
    ),
)

register(
    _union(
        "UNION_HOME_MODEL_SCORE",
        90,
        "模范职工之家：评审得分率不低于（%）",
        "本区职工之家评选办法（默认值，可按当年评选通知修改）",
        "UNION-10",
        "int",
    ),
    _union(
        "UNION_HOME_ADVANCED_SCORE",
        80,
        "先进职工之家：评审得分率不低于（%）",
        "本区职工之家评选办法（默认值，可按当年评选通知修改）",
        "UNION-10",
        "int",
    ),
)
