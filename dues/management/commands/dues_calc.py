"""``manage.py dues_calc``: the monthly party dues (DUES-02…05) or union dues (UNION-01).

Interface used by other tools — keep it exact::

    manage.py dues_calc --kind salary|retired|annual|farmer|student|unemployed --base 4500.00 [--union]

prints the amount with two decimals and a newline, nothing else (``45.00``). Bad
input prints a Chinese message on stderr and exits with code 2. No database is used.
"""

from django.core.management.base import BaseCommand, CommandError

from dues.rules import FLAT_KINDS, KINDS, monthly_dues, parse_amount
from union.rules import union_dues


class Command(BaseCommand):
    help = "计算每月党费（--union：每月工会会费），只输出金额（两位小数）。"
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        # Kinds are validated in handle() so that the error is in Chinese.
        parser.add_argument("--kind", help="党员类别：" + " | ".join(KINDS))
        parser.add_argument("--base", help="计算基数（元）；农民党员为自选的每月党费 0.20–1.00")
        parser.add_argument("--union", action="store_true", help="改为计算工会会费（基数的 0.5%%）")

    def handle(self, *args, kind=None, base=None, union=False, **options):
        try:
            amount = self._amount(kind=kind, base=base, union=union)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(f"{amount:f}")

    def _amount(self, *, kind, base, union):
        if kind is not None and kind not in KINDS:
            raise ValueError(f"未知的党员类别“{kind}”，应为：{'、'.join(KINDS)}。")
        if union:
            if base is None:
                raise ValueError("请用 --base 指定会费计算基数。")
            return union_dues(base)
        if kind is None:
            raise ValueError("请用 --kind 指定党员类别。")
        if base is None and kind not in FLAT_KINDS:
            raise ValueError("请用 --base 指定党费计算基数。")
        if base is not None:
            parse_amount(base, label="计算基数")
        return monthly_dues(kind, base)
