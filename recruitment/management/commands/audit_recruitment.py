"""audit_recruitment [--org <code>] [--file FILE.xlsx] [--today YYYY-MM-DD] --format json.

Prints the findings of rules/recruitment.md as a JSON list:
``{"row", "person", "rule", "severity", "rule_set", "message"}``. With ``--file``
the sheet is audited without being imported (``row`` is the sheet row); a cell
that cannot be read is reported on stderr (``K7: 无法识别的日期 "2019.13.01"``),
its row left out, and the command exits 1. Without ``--file`` the records of the
organisation's subtree (default: the whole district) are audited (``row`` null).
"""

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.excel import UploadError
from core.workdays_db import work_calendar
from orgs.models import PartyOrg
from recruitment.auditing import audit_records
from recruitment.importer import audit_sheet, findings_json, read_ledger
from recruitment.models import Recruitment
from recruitment.rule_settings import current


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--today 应为 YYYY-MM-DD 格式的日期，而不是“{text}”。") from exc


class Command(BaseCommand):
    help = "Audit recruitment records (or a ledger .xlsx) against REC-01 … REC-25; JSON findings on stdout."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="organisation code (组织代码); default the whole district")
        parser.add_argument("--file", help="audit this .xlsx ledger instead of the stored records")
        parser.add_argument("--today", type=_date, help="YYYY-MM-DD: the date for missing/overdue findings")
        parser.add_argument("--format", choices=["json"], required=True)

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        if options["org"]:
            org = PartyOrg.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"组织代码“{options['org']}”不存在。")
        else:
            org = PartyOrg.objects.filter(depth=1).order_by("path").first()
        calendar, settings = work_calendar(), current()
        if options["file"]:
            findings, errors = self._audit_file(options["file"], org, today, calendar, settings)
        else:
            qs = Recruitment.objects.all()
            if org is not None:
                qs = qs.filter(branch__path__startswith=org.path)
            findings, errors = audit_records(qs, today=today, calendar=calendar, settings=settings), []
        self.stdout.write(json.dumps(findings, ensure_ascii=False, indent=2))
        for error in errors:
            self.stderr.write(error)
        if errors:
            sys.exit(1)

    def _audit_file(self, name, org, today, calendar, settings) -> tuple[list[dict], list[str]]:
        path = Path(name)
        if not path.is_file():
            return [], [f"文件“{path}”不存在。"]
        try:
            sheet = read_ledger(path.read_bytes())
        except UploadError as exc:
            return [], [str(exc)]
        if org is None:
            return [], ["系统中还没有党组织。"]
        results = audit_sheet(sheet, org=org, user=None, today=today, calendar=calendar, settings=settings)
        return findings_json(results), [e.message for e in sheet.all_errors]
