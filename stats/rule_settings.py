"""Local settings of the statistical tables (formats/party-statistics.md)."""

from core.rule_settings import RuleSetting, register

register(
    RuleSetting(
        key="SPLIT_2022_PERIOD",
        default=False,
        label="入党时间表（T03）将“2012年11月及以后”拆分为 2012.11—2022.10 和 2022年11月及以后",
        source="党内统计报表：部分年度报表按党的二十大划分时段（默认不拆分）",
        rule="T03",
        kind="bool",
        area="统计分析",
    )
)
