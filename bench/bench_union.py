"""Bench of issue 6: the monthly dues roll and the yearly welfare summary at district size.

``run(ctx)`` needs a district of about 10,000 party members (15,000 union members). If
its database has no pay bases or no welfare grants yet it adds the demo content of the
dues and union apps (pay bases for every member, a year of rolls and payments, festival
grants). Then it times, on PostgreSQL:

- the monthly roll of a new month computed and saved, party dues for every party member
  and union dues for every union member (``dues.services.roll_compute`` as the 工委
  administrator) — target < 10 s; the writes are rolled back;
- the per-union welfare summary of the current year for the whole district
  (``union.selectors.welfare_summary`` as the 工委 administrator) — target < 200 ms.

At a much larger district (the 1,000,000-member ``make bench`` one) the targets do not
apply — they are defined for the demo district — and the module says so and stops.

Standalone: ``.venv/bin/python bench/bench_union.py`` creates and migrates the PostgreSQL
database ``dq_bench_union`` (``BENCH_PG`` server URL, default postgres://postgres@127.0.0.1:5432),
generates a 10,000-member district in it if it is empty, and prints the figures.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROLL_TARGET_S = 10
SUMMARY_TARGET_MS = 200
MAX_MEMBERS = 20_000


class _Rollback(Exception):
    pass


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangqun.settings")
    import django

    django.setup()


def _district():
    import random

    from django.utils import timezone

    from accounts.models import User
    from core.demo.district import District
    from orgs.models import PartyOrg, UnionOrg

    return District(
        today=timezone.localdate(), rng=random.Random(2026), party_root=PartyOrg.objects.get(depth=1),
        union_root=UnionOrg.objects.get(depth=1), units=[],
        branches=list(PartyOrg.objects.filter(kind=PartyOrg.BRANCH).order_by("path")), committees=[],
        unions=list(UnionOrg.objects.filter(kind=UnionOrg.GRASSROOTS).select_related("unit").order_by("path")),
        users={u.username: u for u in User.objects.filter(username="gwadmin")},
    )  # fmt: skip


def _seed(ctx) -> None:
    from django.db import connection, transaction

    from dues import demo_content as dues_demo
    from dues.models import PayBase
    from union import demo_content as union_demo
    from union.models import WelfareGrant

    if not PayBase.objects.exists():
        ctx.log("adding the dues demo content (pay bases, a year of rolls and payments)")
        with transaction.atomic():
            ctx.log("  " + dues_demo.extend(_district()))
    if not WelfareGrant.objects.exists():
        ctx.log("adding the union demo content (hardship cases, festival grants, congress, 职工之家)")
        with transaction.atomic():
            ctx.log("  " + union_demo.extend(_district()))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dues_paybase; ANALYZE dues_duesline; ANALYZE union_welfaregrantline")


def _median(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(ctx) -> list[dict]:
    _django()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from core.dates import add_months
    from dues.models import PARTY, UNION, DuesLine
    from dues.services import roll_compute
    from people.models import PartyMember, UnionMember
    from union.selectors import welfare_summary

    members = PartyMember.objects.filter(left_on__isnull=True).count()
    if members > MAX_MEMBERS:
        note = (f"district of {members:,} members: the targets are set for the 10,000-member demo district; "
                "run bench/bench_union.py standalone")  # fmt: skip
        ctx.log(note)
        return [{"name": "union and dues: skipped", "value": None, "unit": "", "target": "", "ok": None, "note": note}]
    _seed(ctx)
    runs = getattr(ctx, "runs", 5)
    today = timezone.localdate()
    admin = User.objects.get(username="gwadmin")
    union_members = UnionMember.objects.filter(left_on__isnull=True).count()
    month = add_months(today.replace(day=1), 1)  # a month without lines yet
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    ctx.log(f"district: {members:,} party members, {union_members:,} union members; {load}")

    timings = {}
    try:
        with transaction.atomic():
            DuesLine.objects.filter(month=month).delete()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                party = roll_compute(by=admin, scheme=PARTY, month=month, today=today)
                timings["party"] = time.perf_counter() - started
                started = time.perf_counter()
                union = roll_compute(by=admin, scheme=UNION, month=month, today=today)
                timings["union"] = time.perf_counter() - started
            started = time.perf_counter()
            roll_compute(by=admin, scheme=PARTY, month=month, today=today)
            roll_compute(by=admin, scheme=UNION, month=month, today=today)
            timings["again"] = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    total = timings["party"] + timings["union"]
    rows = [
        {"name": "monthly dues roll computed and saved (party + union)", "value": round(total, 2), "unit": "s",
         "target": f"< {ROLL_TARGET_S} s", "ok": total < ROLL_TARGET_S,
         "note": f"party dues {party.lines:,} lines in {timings['party']:.2f} s, union dues {union.lines:,} lines in "
                 f"{timings['union']:.2f} s, {len(queries.captured_queries)} queries; {load}"},
        {"name": "the same roll recomputed (lines exist, upsert)", "value": round(timings["again"], 2), "unit": "s",
         "target": "(info)", "ok": None, "note": ""},
    ]  # fmt: skip

    year = today.year
    seconds = _median(lambda: welfare_summary(user=admin, year=year), runs)
    with CaptureQueriesContext(connection) as queries:
        summary, summary_total = welfare_summary(user=admin, year=year)
    rows.append(
        {"name": "welfare summary per union, one year, whole district", "value": round(seconds * 1000, 1),
         "unit": "ms", "target": f"< {SUMMARY_TARGET_MS} ms", "ok": seconds * 1000 < SUMMARY_TARGET_MS,
         "note": f"{len(summary)} unions, {summary_total.recipients if summary_total else 0:,} recipients, "
                 f"{summary_total.total if summary_total else 0:,.2f} yuan; {len(queries.captured_queries)} queries"}
    )  # fmt: skip
    for row in rows:
        if hasattr(ctx, "record"):
            ctx.record(row["name"], row["value"], row["unit"], target=row["target"], ok=row["ok"],
                       note=row.get("note", ""))  # fmt: skip
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from bench.standalone import main

    main("dq_bench_union", run)
