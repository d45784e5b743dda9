"""票决: a vote at a meeting, on paper (totals entered) or online (secret, one-time codes).

Secrecy of the online ballot rests on two tables that share nothing:

- ``VoterReceipt`` says WHO received a code and whether it has been used. It is
  created when the code is issued (in the order the secretary lists the present
  voters), never when the vote is cast, and carries no time.
- ``Vote`` holds WHAT was chosen: an item, a choice and a random UUID key. No
  voter, no receipt, no time, no sequence. When the ballot closes, the votes are
  rewritten in a random order, so not even the storage order follows the order
  in which people voted.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from ballots import rules


class Ballot(models.Model):
    """票决: one vote of a meeting, on one or several items voted one by one."""

    PAPER = "PAPER"
    ONLINE = "ONLINE"
    MODES = [(PAPER, "纸质票（会后录入结果）"), (ONLINE, "网上无记名投票（手机扫码）")]
    DRAFT = "DRAFT"
    OPEN = "OPEN"
    CLOSED = "CLOSED"
    STATUSES = [(DRAFT, "准备中"), (OPEN, "投票中"), (CLOSED, "已结束")]
    RULES = list(rules.RULE_LABELS.items())

    title = models.CharField("表决事项", max_length=200)
    party_org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="党组织", null=True, blank=True, on_delete=models.PROTECT, related_name="ballots"
    )
    union_org = models.ForeignKey(
        "orgs.UnionOrg",
        verbose_name="工会组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    meeting_on = models.DateField("会议日期")
    mode = models.CharField("表决方式", max_length=10, choices=MODES, default=ONLINE)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default=DRAFT, db_index=True)
    rule = models.CharField("计票规则", max_length=10, choices=RULES, default=rules.REC_13)
    # What the ballot decides on, set by the app that created it (e.g. "recruitment.recruitment", "42").
    subject_type = models.CharField("关联业务", max_length=60, blank=True)
    subject_id = models.CharField("关联记录", max_length=40, blank=True)
    entitled = models.PositiveIntegerField("应到会有表决权人数")
    present = models.PositiveIntegerField("实到会有表决权人数", default=0)
    written_count = models.PositiveIntegerField(
        "书面意见份数", default=0, help_text="未到会的有表决权人员会前提交的书面表决意见（REC-13）"
    )
    disciplined = models.ManyToManyField(
        "people.Person",
        verbose_name="受留党察看处分人员",
        blank=True,
        related_name="+",
        help_text="没有表决权（ORG-05），不计入应到会人数",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "票决"
        ordering = ["-meeting_on", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="ballot_subject_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(party_org__isnull=False, union_org__isnull=True)
                    | Q(party_org__isnull=True, union_org__isnull=False)
                ),
                name="ballot_exactly_one_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.meeting_on}）"

    @property
    def org(self):
        return self.party_org or self.union_org

    @property
    def is_online(self) -> bool:
        return self.mode == self.ONLINE

    @property
    def status_tag(self) -> str:
        return {self.DRAFT: "tag-muted", self.OPEN: "tag-warning", self.CLOSED: "tag-ok"}[self.status]


class BallotItem(models.Model):
    """One candidate or motion of a ballot."""

    ballot = models.ForeignKey(Ballot, verbose_name="票决", on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("顺序")
    label = models.CharField("候选人或议题", max_length=100)
    subject_type = models.CharField("关联业务", max_length=60, blank=True)
    subject_id = models.CharField("关联记录", max_length=40, blank=True)
    written_in_favour = models.PositiveIntegerField("书面意见赞成数", default=0)
    # The totals: entered for a paper ballot, counted from the votes when an online ballot closes.
    in_favour = models.PositiveIntegerField("赞成票", null=True, blank=True)
    against = models.PositiveIntegerField("反对票", null=True, blank=True)
    abstain = models.PositiveIntegerField("弃权票", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "表决事项"
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["ballot", "position"], name="ballot_item_position_unique")]

    def __str__(self) -> str:
        return self.label


class VoterReceipt(models.Model):
    """Who received a one-time code, and whether it has been used. Never what was chosen.

    Created when the code is issued; casting only sets ``voted``. Only a keyed
    hash of the code is stored; the code itself exists on the printed sheet.
    """

    ballot = models.ForeignKey(Ballot, verbose_name="票决", on_delete=models.CASCADE, related_name="receipts")
    person = models.ForeignKey("people.Person", verbose_name="表决人", on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    voted = models.BooleanField("已投票", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "投票凭证"
        constraints = [models.UniqueConstraint(fields=["ballot", "person"], name="receipt_one_per_person")]

    def __str__(self) -> str:
        return f"{self.ballot.title} 表决码（{self.person.name}）"


class Vote(models.Model):
    """One choice on one item: random key, no voter, no time, no sequence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(BallotItem, verbose_name="表决事项", on_delete=models.CASCADE, related_name="votes")
    choice = models.CharField("表决意见", max_length=8, choices=list(rules.CHOICE_LABELS.items()))

    class Meta:
        verbose_name = verbose_name_plural = "选票"

    def __str__(self) -> str:
        return self.get_choice_display()
