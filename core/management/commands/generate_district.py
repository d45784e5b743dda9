import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.demo.district import DEMO_PASSWORD, generate
from orgs.models import PartyOrg


class Command(BaseCommand):
    help = "Generate the synthetic demo district (deterministic; bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=10_000, help="party members (default 10,000)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when organisations already exist")
        parser.add_argument("--base-only", action="store_true", help="skip the content other apps add")

    def handle(self, *args, **options):
        if PartyOrg.objects.exists():
            if options["if_empty"]:
                self.stdout.write("演示数据已存在，跳过生成。")
                self._print_logins()
                return
            raise CommandError("数据库中已有组织数据；请使用空数据库（或加 --if-empty）。")
        started = time.monotonic()
        today = options["today"] or timezone.localdate()
        district = generate(
            members=options["members"],
            today=today,
            seed=options["seed"],
            extend=not options["base_only"],
            log=lambda line: self.stdout.write(line) if line else None,
        )
        from orgs.selectors import members_changed

        members_changed()  # rows written by COPY send no signals: drop cached counts
        self.stdout.write(f"演示区县生成完毕，用时 {time.monotonic() - started:.1f} 秒。")
        self._print_logins(district.logins)

    def _print_logins(self, logins=None):
        from accounts.models import User

        if logins is None:
            names = {"gwadmin": "工委管理员", "zbsj": "支部书记", "ghzx": "工会主席", "dangyuan": "党员"}
            logins = [
                (names[u.username], u.username, u.get_full_name()) for u in User.objects.filter(username__in=names)
            ]
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for label, username, description in logins:
            self.stdout.write(f"  {label:<6} 用户名 {username:<10} {description}")
