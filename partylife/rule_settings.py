"""Local settings of the party-life rules (../shared/rules/party-life.md) and circulars."""

from core.rule_settings import RuleSetting, register
from partylife.rules import LECTURES_PER_YEAR_DEFAULT

AREA = "组织生活"

register(
    RuleSetting(
        key="LECTURES_PER_YEAR",
        default=LECTURES_PER_YEAR_DEFAULT,
        label="每年党课次数",
        source="地方通行做法“每季度1次”；全国性规定未规定支部党课次数",
        rule="LIFE-04",
        area=AREA,
    ),
    RuleSetting(
        key="CIRCULAR_NUMBER_FORMAT",
        default="万直党工〔{year}〕{n}号",
        label="督查通报发文字号格式（{year} 年份，{n} 序号）",
        source="GB/T 9704-2012 §7.2.3 发文字号：机关代字、年份、发文顺序号",
        rule="BASE-03",
        kind="str",
        area=AREA,
    ),
)
