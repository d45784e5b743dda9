"""Party life: meetings (三会一课 and the rest) with attendance, their attachments, and
inspection circulars (督查通报) with their notice-board entries and read receipts."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from partylife import rules

MEETING_KINDS = list(rules.MEETING_KIND_LABELS.items())
ATTENDANCE = list(rules.ATTENDANCE_LABELS.items())


class Attachment(models.Model):
    """A stored upload (photo or document), kept once per content (SHA-256).

    The file lives under ``settings.PRIVATE_MEDIA_ROOT`` (outside the web root) and is
    served only through a meeting the viewer may see.
    """

    IMAGE = "IMAGE"
    DOCUMENT = "DOCUMENT"
    KINDS = [(IMAGE, "照片"), (DOCUMENT, "文件")]

    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=KINDS)
    content_type = models.CharField("内容类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    storage_name = models.CharField("存储路径", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """One party-life meeting of a branch (or a party group for 党小组会).

    A PLANNED meeting is on the calendar (its date may lie ahead); a HELD one has its
    minutes and the attendance of every member of the organisation on that date (LIFE-09).
    """

    PLANNED = "PLANNED"
    HELD = "HELD"
    STATUSES = [(PLANNED, "计划"), (HELD, "已召开")]

    org = models.ForeignKey("orgs.PartyOrg", verbose_name="党组织", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField("会议类型", max_length=20, choices=MEETING_KINDS)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default=HELD)
    held_on = models.DateField("会议日期")
    topic = models.CharField("会议主题", max_length=200)
    host = models.CharField("主持人", max_length=50, blank=True)
    speaker = models.CharField("授课人", max_length=50, blank=True, help_text="党课填写")
    location = models.CharField("地点", max_length=100, blank=True)
    minutes = models.TextField("会议记录", blank=True)
    attachments = models.ManyToManyField(Attachment, verbose_name="附件", blank=True, related_name="meetings")
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
        verbose_name = verbose_name_plural = "组织生活会议"
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["org", "status", "held_on"], name="meeting_org_status_date"),
            models.Index(fields=["held_on"], name="meeting_held_on"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()} {self.topic}"


class Attendance(models.Model):
    """One member's attendance at one meeting: present, excused (with reason) or absent."""

    # No index of its own: the unique (meeting, member) constraint leads with it.
    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attendance", db_index=False
    )
    member = models.ForeignKey(
        "people.PartyMember", verbose_name="党员", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField("出席情况", max_length=10, choices=ATTENDANCE)
    reason = models.CharField("请假事由", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "出席情况"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_meeting")]
        # LIFE-09 starts from the absences only (a few per cent of the rows)
        indexes = [
            models.Index(
                fields=["member", "meeting"], condition=models.Q(status="ABSENT"), name="attendance_absent_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.get_status_display()}"


class Circular(models.Model):
    """督查通报: the findings of an inspection of a subtree over a period, as an official document."""

    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    STATUSES = [(DRAFT, "草稿"), (PUBLISHED, "已发布")]

    title = models.CharField("标题", max_length=200)
    scope_org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="督查范围", on_delete=models.PROTECT, related_name="circulars"
    )
    period_start = models.DateField("督查期间起")
    period_end = models.DateField("督查期间止")
    opening = models.TextField("开头")
    conclusions = models.TextField("下一步要求")
    findings = models.JSONField("督查结果", default=dict)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default=DRAFT)
    number_year = models.PositiveIntegerField("年份", null=True, blank=True)
    number_seq = models.PositiveIntegerField("序号", null=True, blank=True)
    doc_number = models.CharField("发文字号", max_length=60, blank=True)
    issued_on = models.DateField("成文日期", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    docx_name = models.CharField("正式文件（docx）", max_length=200, blank=True)
    pdf_name = models.CharField("正式文件（pdf）", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "督查通报"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number_year", "number_seq"], name="circular_number_unique"),
        ]

    def __str__(self) -> str:
        return self.doc_number or self.title


class CircularRecipient(models.Model):
    """The circular on one organisation's notice board, with its read receipt."""

    circular = models.ForeignKey(Circular, verbose_name="通报", on_delete=models.CASCADE, related_name="recipients")
    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="接收组织", on_delete=models.CASCADE, related_name="circulars_received"
    )
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="阅读人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "通报接收"
        constraints = [models.UniqueConstraint(fields=["circular", "org"], name="circular_recipient_once")]
        indexes = [models.Index(fields=["org", "read_at"], name="recipient_org_read")]

    def __str__(self) -> str:
        return f"{self.circular} → {self.org}"
