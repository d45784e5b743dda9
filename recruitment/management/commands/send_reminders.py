"""send_reminders [--today YYYY-MM-DD]: in-app reminders of recruitment deadlines.

For every record overdue or due within 30 days, the secretary (书记) of its branch
— the user whose person holds that office — receives one notification per record,
due date and urgency. ``Notification.dedupe_key`` makes the job repeat-safe: run
twice, it creates each notification once.
"""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import Notification
from orgs.models import OrgOfficer
from recruitment.models import Recruitment
from recruitment.selectors import DUE_SOON_DAYS
from recruitment.services import recruitment_refresh_due


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--today 应为 YYYY-MM-DD 格式的日期，而不是“{text}”。") from exc


def reminders(*, today: date) -> list[Notification]:
    """The notifications due today (not yet saved), at most one per record, date and urgency."""
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    records = list(
        Recruitment.objects.filter(next_due_on__lte=horizon)
        .select_related("person", "branch")
        .order_by("next_due_on", "pk")
    )
    branch_ids = {r.branch_id for r in records}
    secretaries: dict[int, list[int]] = {}
    for org_id, person_id in (
        OrgOfficer.objects.filter(party_org_id__in=branch_ids, role=OrgOfficer.SECRETARY, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .values_list("party_org_id", "person_id")
    ):
        secretaries.setdefault(org_id, []).append(person_id)
    person_ids = {p for ids in secretaries.values() for p in ids}
    users = dict(User.objects.filter(person_id__in=person_ids, is_active=True).values_list("person_id", "pk"))
    result = []
    for record in records:
        overdue = record.next_due_on < today
        url = reverse("recruitment:record_detail", args=[record.pk])
        when = "已逾期" if overdue else "即将到期"
        for person_id in secretaries.get(record.branch_id, []):
            user_id = users.get(person_id)
            if user_id is None:
                continue
            result.append(
                Notification(
                    user_id=user_id,
                    title=f"发展党员{when}：{record.person.name} {record.next_due_text}",
                    body=(
                        f"{record.branch.name} {record.person.name}：{record.next_due_text}，"
                        f"期限 {record.next_due_on.isoformat()}（{when}）。"
                    ),
                    url=url,
                    level="danger" if overdue else "warning",
                    dedupe_key=(
                        f"recruitment:{record.pk}:{record.next_due_on.isoformat()}:"
                        f"{'overdue' if overdue else 'soon'}:{user_id}"
                    ),
                )
            )
    return result


class Command(BaseCommand):
    help = "Notify branch secretaries of recruitment steps overdue or due within 30 days (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_date, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--no-refresh", action="store_true", help="do not recompute the due dates first")

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        if not options["no_refresh"]:
            recruitment_refresh_due(today=today)
        pending = reminders(today=today)
        keys = [n.dedupe_key for n in pending]
        existing = set(Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
        new = [n for n in pending if n.dedupe_key not in existing]
        Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        self.stdout.write(f"发展党员提醒：新建 {len(new)} 条，已存在 {len(existing)} 条。")
