"""Local settings of the party dues rules (../shared/rules/dues.md)."""

from core.rule_settings import RuleSetting, register

register(
    RuleSetting(
        key="DUES_BASE_POLICY",
        default="annual",
        label="党费计算基数调整方式",
        source="中组部《关于中国共产党党费收缴、使用和管理的规定》(2008) 为按月；现行通行做法为每年1月核定",
        rule="DUES-07",
        kind="choice",
        choices=(
            ("monthly", "按月：自新工资发放之月起调整"),
            ("annual", "按年：每年1月核定，全年不变"),
        ),
        area="党费",
        owner="party",
    ),
)
