"""Bench of issue 4: party-life compliance and the inspection circular for a whole district.

``run(ctx)`` needs a district of about 10,000 members (400 branches). If its database
has no meetings yet it adds the demo year of party life (``partylife.demo_content``:
every branch's and party group's meetings this year with attendance; most branches
compliant). Then it times, on PostgreSQL:

- compliance of the whole district for the calendar year (``selectors.compliance``:
  the GROUP BY aggregates plus the LIFE rules per branch and group) — target < 1 s;
- the circular for that scope as .docx (the inspection run, the layout and
  ``core.officialdoc.render_docx``) — target < 5 s; the PDF is timed for information.

At a much larger district (the 1,000,000-member ``make bench`` one) the targets do not
apply — they are defined for the demo district — and the module says so and stops.

Standalone: ``.venv/bin/python bench/bench_partylife.py`` creates and migrates the
PostgreSQL database ``dq_bench_partylife`` (``BENCH_PG`` server URL, default
postgres://postgres@127.0.0.1:5432), generates a 10,000-member district in it if it is
empty, and prints the figures.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPLIANCE_TARGET_MS = 1000
DOCX_TARGET_S = 5
MAX_MEMBERS = 20_000
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangqun.settings")
    import django

    django.setup()


def _median(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _seed(ctx) -> None:
    """The demo year of party life, unless the database has meetings already."""
    import random

    from django.db import transaction

    from accounts.models import User
    from core.demo.district import District
    from orgs.models import PartyOrg, UnionOrg
    from partylife import demo_content
    from partylife.models import Meeting

    if Meeting.objects.exists():
        return
    from django.utils import timezone

    ctx.log("adding the demo year of party life (meetings and attendance)")
    district = District(
        today=timezone.localdate(), rng=random.Random(2026), party_root=PartyOrg.objects.get(depth=1),
        union_root=UnionOrg.objects.filter(depth=1).first(), units=[],
        branches=list(PartyOrg.objects.filter(kind=PartyOrg.BRANCH).order_by("path")), committees=[], unions=[],
        users={u.username: u for u in User.objects.filter(username="gwadmin")},
    )  # fmt: skip
    with transaction.atomic():
        ctx.log("  " + demo_content.extend(district))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partylife_meeting; ANALYZE partylife_attendance")


def run(ctx) -> list[dict]:
    _django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from core import officialdoc as od
    from orgs.models import PartyOrg
    from partylife import inspection, selectors
    from partylife.models import Attendance, Circular, Meeting
    from people.models import PartyMember

    members = PartyMember.objects.count()
    if members > MAX_MEMBERS:
        note = (
            f"district of {members:,} members: the targets are set for the 10,000-member demo district; "
            "run bench/bench_partylife.py standalone"
        )
        ctx.log(note)
        return [{"name": "party life: skipped", "value": None, "unit": "", "target": "", "ok": None, "note": note}]
    _seed(ctx)
    today = timezone.localdate()
    root = PartyOrg.objects.get(depth=1)
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    facts = {
        "branches": PartyOrg.objects.filter(kind=PartyOrg.BRANCH).count(),
        "groups": PartyOrg.objects.filter(kind=PartyOrg.GROUP).count(),
        "meetings": Meeting.objects.filter(held_on__gte=start, held_on__lte=end).count(),
        "attendance": Attendance.objects.filter(meeting__held_on__gte=start, meeting__held_on__lte=end).count(),
    }
    scale = (f"{facts['branches']} branches, {facts['groups']} groups, {facts['meetings']:,} meetings, "
             f"{facts['attendance']:,} attendance rows")  # fmt: skip
    ctx.log(f"district: {members:,} members; {scale}")

    def compliance():
        return selectors.compliance(root=root, start=start, end=end, today=today, lectures_per_year=4)

    seconds = _median(compliance, RUNS)
    cpu = time.process_time()
    with CaptureQueriesContext(connection) as queries:
        report = compliance()
    cpu = time.process_time() - cpu
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    rows = [
        {"name": "compliance, whole district, calendar year", "value": round(seconds * 1000, 1), "unit": "ms",
         "target": f"< {COMPLIANCE_TARGET_MS} ms", "ok": seconds * 1000 < COMPLIANCE_TARGET_MS,
         "note": f"{scale}; {report.compliant_count}/{len(report.branches)} branches compliant; "
                 f"{len(queries.captured_queries)} queries, {sql_ms:.0f} ms in SQL, {cpu * 1000:.0f} ms CPU in the app; "
                 f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"},
    ]  # fmt: skip
    circular = Circular(title=inspection.default_title(root, start, today), scope_org=root, period_start=start,
                        period_end=today, opening=inspection.default_opening(root, start, today),
                        conclusions=inspection.default_conclusions(), doc_number="万直党工〔2026〕99号",
                        issued_on=today)  # fmt: skip
    sizes = {}

    def docx():
        circular.findings = inspection.run(root=root, start=start, end=today, today=today)
        sizes["docx"] = len(od.render_docx(inspection.document(circular)))

    seconds = _median(docx, max(1, RUNS // 2))
    cpu = time.process_time()
    docx()
    docx_cpu = time.process_time() - cpu
    orgs = sum(len(s["orgs"]) for s in circular.findings["sections"])
    rows.append(
        {
            "name": "circular .docx, whole district (inspection run + layout + render)",
            "value": round(seconds, 2),
            "unit": "s",
            "target": f"< {DOCX_TARGET_S} s",
            "ok": seconds < DOCX_TARGET_S,
            "note": f"{orgs} organisations with findings, {sizes['docx'] // 1024} KB; {docx_cpu:.2f} s CPU in the app",
        }  # fmt: skip
    )
    document = inspection.document(circular)
    started = time.perf_counter()
    pdf = od.render_pdf(document)
    rows.append({"name": "circular PDF, whole district (render only, WeasyPrint)",
                 "value": round(time.perf_counter() - started, 2), "unit": "s", "target": "(info)", "ok": None,
                 "note": f"{len(pdf) // 1024} KB"})  # fmt: skip
    for row in rows:
        if hasattr(ctx, "record"):
            ctx.record(row["name"], row["value"], row["unit"], target=row["target"], ok=row["ok"],
                       note=row.get("note", ""))  # fmt: skip
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from bench.standalone import main

    main("dq_bench_partylife", run)
