from django.conf import settings
from django.db import models


class RuleSettingValue(models.Model):
    """An administrator's override of a rule setting (core.rule_settings)."""

    key = models.CharField("设置项", max_length=80, unique=True)
    value = models.JSONField("取值")
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "规则设置"

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
