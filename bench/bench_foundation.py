"""Foundation figures (issue 2 targets): generation, member list, org page, tree, dashboard, import.

Pages are timed through the Django test client with a logged-in 工委管理员
(gwadmin, the whole district) and a 支部书记 (zbsj, one branch): the full request,
middleware, queries and template rendering included. For the slowest query of
each page the EXPLAIN (ANALYZE) is written to the notes.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from urllib.parse import quote

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

PAGE_TARGET_MS = 150
IMPORT_TARGET = 10_000  # rows/s
GENERATE_TARGET_S = 600


def _page(ctx, client, url: str, name: str, *, target: float | None = None) -> float:
    started = time.perf_counter()
    response = client.get(url)
    first_ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        ctx.record(name, None, "ms", note=f"HTTP {response.status_code}", ok=False)
        return 0.0
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    captured = list(queries.captured_queries)  # copy now: a later reconnect clears the connection's log
    # a page of several seconds: three runs are enough to see it
    runs = 2 if first_ms > 5000 else None
    ms, _ = ctx.median_ms(lambda: client.get(url), runs=runs, warmup=0)
    slowest = max(captured, key=lambda q: float(q["time"]), default=None)
    note = f"{len(captured)} queries, {sum(float(q['time']) for q in captured) * 1000:,.0f} ms in SQL"
    if slowest is not None:
        note += f"; slowest {float(slowest['time']) * 1000:.0f} ms"
    ctx.record(
        name, ms, "ms", target=f"< {target:.0f} ms" if target else "", ok=(ms < target) if target else None, note=note
    )
    if slowest is not None and float(slowest["time"]) * 1000 > 20:
        sql = slowest["sql"]
        try:
            plan = ctx.explain(sql)
        except Exception as exc:  # a query that cannot be explained on its own (e.g. a cursor fetch)
            plan = f"(no plan: {exc})"
        ctx.note(
            f"**{name}** — slowest query ({float(slowest['time']) * 1000:.0f} ms):\n\n```sql\n{sql[:1500]}\n```\n\n```\n{plan[:4000]}\n```"
        )
    return ms


def _generation(ctx) -> None:
    seconds = ctx.state.get("generate_seconds")
    reused = ctx.state.get("reused")
    if seconds is None:
        ctx.record("generate_district --base-only", None, "s", note="district reused; generation time not recorded")
        return
    ctx.record("generate_district --base-only", seconds, "s", target=f"< {GENERATE_TARGET_S} s at 1M",
               ok=seconds < GENERATE_TARGET_S if ctx.members >= 1_000_000 else None,
               note=("from the build of this database" if reused else "this run")
               + (f"; Python CPU {ctx.state['generate_cpu_seconds']:.0f} s" if ctx.state.get("generate_cpu_seconds") else "")
               + f"; then VACUUM ANALYZE {ctx.state.get('vacuum_seconds', 0):.0f} s")  # fmt: skip


def _pages(ctx) -> None:
    from orgs.models import PartyOrg

    admin, secretary = ctx.client_for("gwadmin"), ctx.client_for("zbsj")
    root = PartyOrg.objects.filter(depth=1).order_by("path").first()
    from accounts.models import Grant

    branch = Grant.objects.select_related("party_org").get(user__username="zbsj").party_org
    members = reverse("people:member_list")
    _page(ctx, admin, members, "member list · 工委管理员 (whole district)", target=PAGE_TARGET_MS)
    _page(ctx, secretary, members, "member list · 支部书记 (one branch)", target=PAGE_TARGET_MS)
    _page(ctx, admin, members + "?q=wang", "member list search 'wang' · 工委管理员", target=PAGE_TARGET_MS)
    _page(ctx, admin, members + "?q=zs", "member list search 'zs' (initials) · 工委管理员", target=PAGE_TARGET_MS)
    _page(ctx, admin, members + "?q=" + quote("王"), "member list search '王' (contains, no target) · 工委管理员")
    _page(ctx, secretary, members + "?q=wang", "member list search 'wang' · 支部书记", target=PAGE_TARGET_MS)
    _page(
        ctx,
        admin,
        reverse("orgs:party_org_detail", args=[root.pk]),
        "org page · root (工委管理员)",
        target=PAGE_TARGET_MS,
    )
    _page(
        ctx,
        secretary,
        reverse("orgs:party_org_detail", args=[branch.pk]),
        "org page · branch (支部书记)",
        target=PAGE_TARGET_MS,
    )
    _page(ctx, admin, reverse("orgs:tree"), "organisation tree with counts · 工委管理员")
    _page(ctx, admin, reverse("core:home"), "home dashboard · 工委管理员")
    _page(ctx, secretary, reverse("core:home"), "home dashboard · 支部书记")


def _sheet(ctx, rows: int) -> bytes:
    """A valid member sheet of ``rows`` rows for branches of the bench district (new ID numbers)."""
    from core.dates import add_years
    from core.demo.names import person_name
    from core.excel import write_xlsx
    from core.idnumber import check_char
    from orgs.models import PartyOrg
    from people import codes
    from people.importer import TEMPLATE_HEADERS

    rng = random.Random(7)
    branches = list(
        PartyOrg.objects.filter(kind=PartyOrg.BRANCH).order_by("path").values_list("code", flat=True)[:2000]
    )
    jobs = [label for _, label in codes.JOB_CHOICES[:8]]
    headers = ["姓名", "性别", "民族", "公民身份号码", "出生日期", "学历", "人员类别", "所在党支部",
               "加入党组织日期", "转为正式党员日期", "工作岗位", "联系电话"]  # fmt: skip
    assert set(headers) <= set(TEMPLATE_HEADERS)
    today = timezone.localdate()

    def row(i: int):
        gender = "M" if i % 2 else "F"
        birth = date(1960, 1, 1) + timedelta(days=(i * 37) % (40 * 365))
        seq = (i % 500) * 2 + (1 if gender == "M" else 0)
        area = 110101 + i // 500  # 北京 area codes: never the demo district's 500101
        first17 = f"{area:06d}{birth:%Y%m%d}{seq:03d}"
        admitted = min(add_years(birth, 25), today - timedelta(days=800))
        return [person_name(rng, gender), "男" if gender == "M" else "女", "汉族", first17 + check_char(first17),
                birth.isoformat(), "大学", "正式党员", rng.choice(branches), admitted.isoformat(),
                add_years(admitted, 1).isoformat(), rng.choice(jobs), f"139{i:08d}"]  # fmt: skip

    data = [row(i) for i in range(rows)]
    return write_xlsx(sheet_title="党员信息", headers=headers, rows=data, title="党员信息（基准测试）")


def _import(ctx) -> None:
    from accounts.models import User
    from core.excel import load_sheet
    from people import importer

    rows = ctx.import_rows
    started = time.perf_counter()
    data = _sheet(ctx, rows)
    ctx.log(f"  built a {rows:,}-row sheet ({len(data) / 1e6:.1f} MB) in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    load_sheet(data, preferred="党员信息")
    read_s = time.perf_counter() - started
    ctx.record(
        f"import: read the {rows:,}-row .xlsx",
        read_s * 1000,
        "ms",
        note="python-calamine (part of both figures below)",
    )
    user = User.objects.get(username="gwadmin")
    today = timezone.localdate()
    # rows of earlier rolled-back imports are dead tuples in the tables and their indexes
    # until a vacuum (autovacuum is off on the bench machine; a production server runs it)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE people_person, people_partymember, core_auditentry")
    started = time.perf_counter()
    report = importer.import_members(data, user=user, today=today, dry_run=True)
    dry = time.perf_counter() - started
    errors = len(report.errors)
    ctx.record("import: dry run (full validation)", report.rows / dry if report.rows else None, "rows/s",
               target=f"≥ {IMPORT_TARGET:,} rows/s", ok=report.rows / dry >= IMPORT_TARGET if report.rows else False,
               note=f"{report.rows:,} rows in {dry:.1f} s; {errors} cell errors" + (f" (first: {report.errors[0].message})" if errors else ""))  # fmt: skip
    started = time.perf_counter()
    with transaction.atomic():
        saved = importer.import_members(data, user=user, today=today)
        with connection.cursor() as cursor:  # the foreign-key checks a commit would run, timed too
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        real = time.perf_counter() - started
        transaction.set_rollback(True)
    ctx.record("import: real import (rolled back)", saved.imported / real if saved.imported else None, "rows/s",
               target=f"≥ {IMPORT_TARGET:,} rows/s", ok=saved.imported / real >= IMPORT_TARGET if saved.imported else False,
               note=f"{saved.imported:,} members saved with one audit entry each in {real:.1f} s (foreign-key "
                    "checks of the commit included), then rolled back")  # fmt: skip


def run(ctx) -> None:
    _generation(ctx)
    _pages(ctx)
    _import(ctx)
