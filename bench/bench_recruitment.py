"""Bench of issue 3: auditing 100,000 recruitment records and the district-wide overdue list.

``run(ctx)`` works on the current database (PostgreSQL when the bench runs). If it
holds fewer than 100,000 recruitment records it adds the missing ones with bulk
inserts (new people, ID numbers with the address code 990101, spread over every
stage with the demo district's rule-abiding timelines). Then it measures:

- auditing every one of 100,000 records against REC-01 … REC-25 (loading the facts
  with a few queries per 5,000 records, then the pure rules) — target < 10 s;
- the 工委's overdue list (``selectors.overdue``: the first page, earliest deadline
  first) — one query on the ``next_due_on`` index, target < 100 ms; its count (the
  pagination total) is timed for information, and the EXPLAIN plan is kept.

Standalone: ``.venv/bin/python bench/bench_recruitment.py`` uses ``DATABASE_URL``
(default postgres://postgres@127.0.0.1:5432/dq_bench_recruitment, created and
migrated if missing, with a 10,000-member base district if it has no organisation).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDS = int(os.environ.get("BENCH_RECRUITMENT_RECORDS", "100000"))
AUDIT_TARGET_S = 10
OVERDUE_TARGET_MS = 100
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
BENCH_ADDRESS = "990101"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dq_bench_recruitment"


def _median_ms(fn, runs: int = RUNS) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _cpu_reference() -> float:
    """Seconds for a fixed pure-Python loop: how busy the machine is while the figures are taken."""
    started = time.perf_counter()
    x = 0
    for i in range(3_000_000):
        x += i * i
    return time.perf_counter() - started


def ensure_records(n: int, log) -> int:
    """Add bench records until there are ``n``; returns how many were added."""
    import random
    from datetime import date, timedelta

    from django.db import transaction
    from django.utils import timezone

    from core import crypto
    from core.idnumber import check_char
    from core.workdays import WorkCalendar
    from orgs.models import PartyOrg
    from people.models import PartyMember, Person
    from recruitment import facts as facts_module
    from recruitment import rules
    from recruitment.demo_content import plan, truncate
    from recruitment.models import Evaluation, Mentor, Recruitment, Sponsor

    have = Recruitment.objects.count()
    missing = n - have
    if missing <= 0:
        return 0
    branches = list(PartyOrg.objects.filter(kind=PartyOrg.BRANCH).order_by("path").only("id", "path", "unit_id"))
    if not branches:
        raise SystemExit("no party branches: generate a district first (manage.py generate_district --base-only)")
    log(f"adding {missing:,} recruitment records (bulk inserts)")
    rng = random.Random(3)
    today = timezone.localdate()
    calendar = WorkCalendar()
    mentor_names = list(
        PartyMember.objects.filter(status=PartyMember.FULL).values_list("person__name", flat=True)[:500]
    )
    mentor_names = mentor_names or ["张三", "李四"]
    start_seq = Person.objects.filter(id_number_masked__startswith=BENCH_ADDRESS).count()
    # (meeting date from today, last step recorded): applicants, activists, candidates, probationary
    # members, full members, and probationary members whose conversion meeting is overdue
    windows = [(560, 1000, 2), (150, 430, 6), (-40, 110, 15), (-360, -40, 22), (-900, -420, 25), (-460, -380, 21)]
    weights = [18, 30, 15, 15, 18, 4]
    batch = 5000
    started = time.perf_counter()
    for offset in range(0, missing, batch):
        size = min(batch, missing - offset)
        persons, plans = [], []
        for i in range(size):
            seq = start_seq + offset + i
            birth = date(1980, 1, 1) + timedelta(days=seq % 6000)
            first17 = f"{BENCH_ADDRESS}{birth:%Y%m%d}{seq // 6000:03d}"
            number = first17 + check_char(first17)
            p = Person(
                name=f"测试{seq}", name_pinyin=f"ceshi{seq}", name_initials="cs", gender="M" if seq % 2 else "F",
                birth_date=birth, id_number_enc=crypto.encrypt(number), id_number_hash=crypto.lookup_hash(number),
                id_number_masked=crypto.mask_id_number(number), id_last4=number[-4:],
            )  # fmt: skip
            persons.append(p)
            lo, hi, last = rng.choices(windows, weights)[0]
            v = truncate(plan(rng, today + timedelta(days=rng.randint(lo, hi)), calendar), today=today, last_step=last)
            if last == 6 and len(v["evaluations"]) > 1 and rng.random() < 0.2:
                v["evaluations"] = v["evaluations"][:1]  # an evaluation overdue (REC-05)
            if last == 2 and v.get("talk_on") and rng.random() < 0.3:
                v["talk_on"] = None  # the talk overdue once the month has passed (REC-02)
            plans.append(v)
        with transaction.atomic():
            Person.objects.bulk_create(persons, batch_size=batch)
            records = []
            for p, v in zip(persons, plans, strict=True):
                values = {k: x for k, x in v.items() if k not in ("evaluations", "probation_evaluations")}
                branch = branches[rng.randrange(len(branches))]
                record = Recruitment(person=p, branch_id=branch.pk, **values)
                if v.get("approved_on"):
                    record.approving_org_kind = "WORKING_COMMITTEE"
                facts = facts_module.build(
                    {**values, "approving_org_kind": record.approving_org_kind}, birth_date=p.birth_date,
                    evaluations=v["evaluations"], probation_evaluations=v["probation_evaluations"],
                    mentors=[rules.MemberRef("x")] if v.get("mentors_assigned_on") else [],
                    sponsors=[rules.MemberRef("x"), rules.MemberRef("y")] if v.get("sponsors_assigned_on") else [],
                )  # fmt: skip
                record.stage = rules.stage_of(facts)
                record.probation_end_on = rules.probation_end(facts)
                due, text = rules.next_due(facts, today=today)
                record.next_due_on, record.next_due_text = due, text[:100]
                records.append(record)
            Recruitment.objects.bulk_create(records, batch_size=batch)
            evaluations, mentors, sponsors = [], [], []
            for record, v in zip(records, plans, strict=True):
                evaluations += [
                    Evaluation(recruitment=record, kind=Evaluation.CULTIVATION, on=d) for d in v["evaluations"]
                ]
                evaluations += [
                    Evaluation(recruitment=record, kind=Evaluation.PROBATION, on=d) for d in v["probation_evaluations"]
                ]
                if v.get("mentors_assigned_on"):
                    mentors.append(Mentor(recruitment=record, name=rng.choice(mentor_names), was_full_member=True))
                if v.get("sponsors_assigned_on"):
                    sponsors += [
                        Sponsor(recruitment=record, name=rng.choice(mentor_names), was_full_member=True)
                        for _ in range(2)
                    ]
            Evaluation.objects.bulk_create(evaluations, batch_size=batch)
            Mentor.objects.bulk_create(mentors, batch_size=batch)
            Sponsor.objects.bulk_create(sponsors, batch_size=batch)
        if (offset // batch) % 5 == 4:
            log(f"  {offset + size:,} added ({time.perf_counter() - started:,.0f} s)")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("recruitment_recruitment", "recruitment_evaluation", "recruitment_mentor",
                          "recruitment_sponsor", "people_person"):  # fmt: skip
                cursor.execute(f"ANALYZE {table}")
    log(f"added {missing:,} records in {time.perf_counter() - started:,.0f} s")
    return missing


def _district_admin():
    from accounts.models import Grant, User
    from orgs.models import PartyOrg

    grant = Grant.objects.filter(role=Grant.DISTRICT_ADMIN, party_org__depth=1).select_related("user").first()
    if grant is not None:
        return grant.user
    user, _ = User.objects.get_or_create(username="bench_gw", defaults={"display_name": "基准测试工委管理员"})
    Grant.objects.create(user=user, role=Grant.DISTRICT_ADMIN, party_org=PartyOrg.objects.get(depth=1))
    return user


def run(ctx) -> list[dict]:
    from django.db import connection
    from django.utils import timezone

    from core.workdays_db import work_calendar
    from recruitment import selectors
    from recruitment.auditing import audit_parallel
    from recruitment.models import Recruitment
    from recruitment.rule_settings import current

    log = ctx.log
    ensure_records(RECORDS, log)
    reference = _cpu_reference()
    log(f"CPU reference (3,000,000 additions in CPython): {reference:.2f} s; load average {os.getloadavg()[0]:.1f}")
    today = timezone.localdate()
    total = Recruitment.objects.count()
    qs = Recruitment.objects.all()
    if total > RECORDS:
        last_pk = qs.order_by("pk").values_list("pk", flat=True)[RECORDS - 1]
        qs = qs.filter(pk__lte=last_pk)
    calendar, settings = work_calendar(), current()

    started, cpu_started = time.perf_counter(), time.process_time()
    audited, findings = audit_parallel(qs, today=today, calendar=calendar, settings=settings, workers=1, summary=True)
    single_s, single_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    log(f"audited {audited:,} records in one process, {findings:,} findings")
    workers = os.cpu_count() or 1
    started = time.perf_counter()
    audit_parallel(qs, today=today, calendar=calendar, settings=settings, workers=workers, summary=True)
    audit_s = time.perf_counter() - started
    log(f"audited {audited:,} records with {workers} worker processes")

    user = _district_admin()
    overdue = selectors.overdue(user=user, today=today)
    first_page = lambda: list(overdue[:20])  # noqa: E731
    list_ms = _median_ms(first_page)
    count_ms = _median_ms(lambda: overdue.count())
    n_overdue = overdue.count()
    plan = ""
    uses_index = None
    if connection.vendor == "postgresql":
        plan = overdue[:20].explain(analyze=True)
        uses_index = "next_due_on" in plan and "Index" in plan
        log("EXPLAIN ANALYZE of the overdue list:\n" + plan)
    results = [
        {"name": f"audit {audited:,} recruitment records (REC-01…25), {workers} processes", "value": round(audit_s, 2),
         "unit": "s", "target": f"< {AUDIT_TARGET_S} s", "ok": audit_s < AUDIT_TARGET_S},
        {"name": f"audit {audited:,} recruitment records, one process (wall)", "value": round(single_s, 2), "unit": "s",
         "target": "", "ok": None},
        {"name": "… the same, CPU time of the auditing process", "value": round(single_cpu, 2), "unit": "s",
         "target": f"< {AUDIT_TARGET_S} s", "ok": single_cpu < AUDIT_TARGET_S},
        {"name": f"district overdue list, first page ({n_overdue:,} overdue of {total:,})", "value": round(list_ms, 1),
         "unit": "ms", "target": f"< {OVERDUE_TARGET_MS} ms", "ok": list_ms < OVERDUE_TARGET_MS},
        {"name": "district overdue count (pagination total)", "value": round(count_ms, 1), "unit": "ms",
         "target": f"< {OVERDUE_TARGET_MS} ms", "ok": count_ms < OVERDUE_TARGET_MS},
        {"name": "overdue list uses the next_due_on index (EXPLAIN)", "value": None, "unit": "",
         "target": "index scan", "ok": uses_index},
    ]  # fmt: skip
    for r in results:
        if hasattr(ctx, "record"):
            ctx.record(r["name"], r["value"], r["unit"], target=r["target"], ok=r["ok"])
        else:
            shown = "" if r["value"] is None else f"{r['value']:,} {r['unit']}"
            log(f"  {r['name']}: {shown} (target {r['target']}) {'✓' if r['ok'] else '✗'}")
    if hasattr(ctx, "note"):
        ctx.note(
            f"CPU reference loop {reference:.2f} s (about 0.2 s on an idle core) at load average "
            f"{os.getloadavg()[0]:.1f}: the audit figures scale with it."
            + ("\n\nThe 工委's overdue list (first page):\n\n```\n" + plan + "\n```" if plan else "")
        )
    return results


def _standalone() -> None:
    import subprocess
    from types import SimpleNamespace

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1) + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangqun.settings")
    import django

    django.setup()
    from orgs.models import PartyOrg

    if not PartyOrg.objects.exists():
        subprocess.run([*manage, "generate_district", "--members", "10000", "--base-only"], check=True)
    ctx = SimpleNamespace(members=10_000, log=lambda line: print(line, flush=True))
    for r in run(ctx):
        print(r)


if __name__ == "__main__":
    _standalone()
