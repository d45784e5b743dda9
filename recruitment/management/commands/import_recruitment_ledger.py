"""import_recruitment_ledger FILE.xlsx --org <org code> [--dry-run] (formats/recruitment-ledger.md).

All-or-nothing: prints ``{"imported": n, "errors": [{"row", "column", "message"}]}``
and exits 1 when there are errors (then nothing is saved). Runs as the system
actor; ``--org`` is the scope (branches must lie in that organisation's subtree).
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.excel import UploadError
from core.workdays_db import work_calendar
from orgs.models import PartyOrg
from recruitment.importer import import_ledger
from recruitment.rule_settings import current


class Command(BaseCommand):
    help = "Import a recruitment ledger (.xlsx) into the organisation --org; nothing is saved on any error."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx ledger")
        parser.add_argument("--org", required=True, help="organisation code (组织代码): the import scope")
        parser.add_argument("--dry-run", action="store_true", help="check only, save nothing")

    def handle(self, *args, **options):
        report = self._run(options)
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        if report["errors"]:
            sys.exit(1)

    def _run(self, options) -> dict:
        def failure(message: str) -> dict:
            return {"imported": 0, "errors": [{"row": None, "column": "", "message": message}]}

        org = PartyOrg.objects.filter(code=options["org"]).first()
        if org is None:
            return failure(f"组织代码“{options['org']}”不存在。")
        path = Path(options["file"])
        if not path.is_file():
            return failure(f"文件“{path}”不存在。")
        data = path.read_bytes()
        if not data.startswith(b"PK\x03\x04"):
            return failure("文件不是有效的 .xlsx 工作簿。")
        try:
            report = import_ledger(
                data,
                org=org,
                by=None,
                today=timezone.localdate(),
                calendar=work_calendar(),
                settings=current(),
                dry_run=options["dry_run"],
            )
        except UploadError as exc:
            return failure(str(exc))
        result = report.as_dict()
        if options["dry_run"]:
            result.update(dry_run=True, rows=report.rows)
        return result
