from django.core.management.base import BaseCommand

from core.audit import verify_chain
from core.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and report the first broken link."

    def handle(self, *args, **options):
        broken = verify_chain()
        total = AuditEntry.objects.count()
        if broken is None:
            self.stdout.write(f"审计链完整：共 {total} 条记录，全部校验通过。")
            return
        self.stdout.write(
            f"审计链在第 {broken.pk} 条记录处断开（{broken.created_at:%Y-%m-%d %H:%M:%S}，"
            f"{broken.action}，{broken.object_repr}）：该记录或其前一条记录被改动。"
        )
        raise SystemExit(1)
