"""The confidential talk ledger: 提醒谈话, 诫勉谈话, 任职谈话 and 谈心谈话 (TALK-01 … TALK-03, LIFE-08)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from partylife.rules import HEART_TO_HEART
from talks import rules

KINDS = [*rules.KIND_LABELS.items(), (HEART_TO_HEART, "谈心谈话")]


class Talk(models.Model):
    """One talk: a DUE item (planned or required, e.g. TALK-02) until it is DONE.

    ``org`` is the responsible organisation: its secretary may see the record (TALK-01).
    """

    REMINDER = rules.REMINDER
    ADMONITION = rules.ADMONITION
    APPOINTMENT = rules.APPOINTMENT
    HEART_TO_HEART = HEART_TO_HEART
    DUE = "DUE"
    DONE = "DONE"
    STATUSES = [(DUE, "待谈话"), (DONE, "已谈话")]

    kind = models.CharField("谈话类型", max_length=20, choices=KINDS)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default=DONE)
    org = models.ForeignKey("orgs.PartyOrg", verbose_name="负责党组织", on_delete=models.PROTECT, related_name="talks")
    talker = models.ForeignKey(
        "people.Person",
        verbose_name="谈话人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="talks_given",
    )
    talked_to = models.ForeignKey(
        "people.Person", verbose_name="谈话对象", on_delete=models.PROTECT, related_name="talks_received"
    )
    officer = models.ForeignKey(
        "orgs.OrgOfficer",
        verbose_name="任职",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment_talks",
        help_text="任职谈话对应的任职记录（TALK-02）",
    )
    due_on = models.DateField("应谈话日期", null=True, blank=True, db_index=True)
    talked_on = models.DateField("谈话日期", null=True, blank=True)
    reason = models.TextField("谈话事由", blank=True)
    content = models.TextField("谈话内容", blank=True)
    follow_up_due = models.DateField("回访日期", null=True, blank=True, db_index=True)
    followed_up_on = models.DateField("实际回访日期", null=True, blank=True)
    outcome = models.TextField("回访情况", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "谈话记录"
        ordering = ["-talked_on", "-due_on", "-id"]
        indexes = [models.Index(fields=["kind", "status"], name="talk_kind_status")]

    def __str__(self) -> str:
        # Never the content or the reason: this text reaches audit entries and logs.
        return f"{self.get_kind_display()}（{self.pk}）"
