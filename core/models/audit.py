from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """One change to one record: who, when, what before, what after.

    Entries form a hash chain: ``hash`` = SHA-256 of ``prev_hash`` and the
    entry's canonical content (core.audit), so editing or deleting a row in the
    database breaks the chain at that point (``manage.py verify_audit``).
    """

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    # No database constraint and no cascade: the chain hashes actor_id, so deleting a
    # user must never rewrite entries (SET_NULL would break every link after them);
    # actor_name keeps the name whatever happens to the account.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=100, db_index=True)
    object_type = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)  # unique by the constraint below

    class Meta:
        verbose_name = verbose_name_plural = "修改记录"
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-id"], name="audit_object_idx")]
        # No index on hash: nothing looks an entry up by its hash (verify_audit walks the
        # entries in id order), and a unique index of random 64-character keys costs every
        # bulk import a random write per entry. Appends are serialised (core.audit._lock_chain).

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
