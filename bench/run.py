"""The benchmark suite: `make bench` (PostgreSQL only, never part of `make test`).

Builds — or reuses, when its member count matches — a synthetic district in its
own database, then runs every ``bench/bench_*.py`` module that defines
``run(ctx)``: first ``bench_foundation`` (generation, member list, org page,
dashboard, import), then ``bench_stats`` (each statistical table through the
app vs the same aggregate as raw SQL), then the others in name order. Prints a
table and writes ``bench/results/latest.md``.

Environment:
  BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/dq_bench
  BENCH_MEMBERS       party members of the district (default 1,000,000)
  BENCH_RUNS          timed runs per measurement, the median is reported (default 5)
  BENCH_IMPORT_ROWS   rows of the generated import sheet (default 100,000)
  BENCH_ONLY          comma-separated module names to run (e.g. bench_stats)

Options: --build-only (build or reuse the district, then stop), --rebuild
(drop the bench database first).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dq_bench"
FIRST = ("bench_foundation", "bench_stats")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").replace(",", "").replace("_", "").strip()
    return int(raw) if raw else default


@dataclass
class Result:
    section: str
    name: str
    value: float | None  # the measured figure (ms, s, rows/s …)
    unit: str
    target: str = ""  # e.g. "< 150 ms"
    ok: bool | None = None  # None: no target
    floor: float | None = None  # raw-SQL time for side-by-side rows
    ratio: float | None = None
    note: str = ""


@dataclass
class Context:
    """What every bench module's ``run(ctx)`` gets."""

    members: int
    url: str
    runs: int
    import_rows: int
    results: list[Result] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (section, markdown text)
    state: dict = field(default_factory=dict)  # facts of the build (generation time …)
    section: str = ""

    # --- output ---------------------------------------------------------
    def log(self, line: str) -> None:
        print(f"[{datetime.now():%H:%M:%S}] {line}", flush=True)

    def record(self, name: str, value: float | None, unit: str, *, target: str = "", ok: bool | None = None,
               floor: float | None = None, note: str = "") -> Result:  # fmt: skip
        ratio = value / floor if value is not None and floor else None
        result = Result(self.section, name, value, unit, target, ok, floor, ratio, note)
        self.results.append(result)
        shown = "—" if value is None else f"{value:,.1f} {unit}"
        extra = f" (raw SQL {floor:,.1f} {unit}, ×{ratio:.2f})" if floor else ""
        verdict = "" if ok is None else (" ✓" if ok else " ✗")
        self.log(f"  {name}: {shown}{extra}{verdict} {note}".rstrip())
        return result

    def note(self, text: str) -> None:
        """A paragraph of explanation (EXPLAIN output, what limits a figure) for the report."""
        self.notes.append((self.section, text))

    # --- timing ---------------------------------------------------------
    def median_ms(self, fn, runs: int | None = None, warmup: int = 1) -> tuple[float, list[float]]:
        """Median wall time of ``fn()`` in milliseconds over ``runs`` runs after ``warmup``."""
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(runs or self.runs):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), times

    # --- database -------------------------------------------------------
    def cursor(self):
        from django.db import connection

        return connection.cursor()

    def sql(self, query: str, params=None) -> list[tuple]:
        """Run raw SQL on the bench database (the floor of a measurement)."""
        with self.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall() if cur.description else []

    def explain(self, query: str, params=None, analyze: bool = True) -> str:
        prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " if analyze else "EXPLAIN (COSTS OFF) "
        return "\n".join(row[0] for row in self.sql(prefix + query, params))

    def psql(self, query: str) -> tuple[float, str]:
        """Run ``query`` through psql with \\timing; (server-reported ms, output)."""
        out = subprocess.run(
            ["psql", _libpq_url(self.url), "-X", "-q", "-At", "-c", "\\timing on", "-c", query],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        ms = None
        for line in out.stdout.splitlines():
            if line.startswith("Time: "):
                ms = float(line.split()[1])
        return ms, out.stdout

    def client_for(self, username: str):
        """A Django test client logged in as ``username`` (a persona of the bench district)."""
        from django.test import Client

        from accounts.models import User

        client = Client()
        client.force_login(User.objects.get(username=username))
        return client


def _libpq_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _admin_url(url: str) -> tuple[str, str]:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/") or "dq_bench"
    return urlunparse(parsed._replace(path="/postgres")), name


def _ensure_database(url: str, *, rebuild: bool, log) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(_libpq_url(admin), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            if "bench" not in name:
                raise SystemExit(f"refusing to drop database {name!r}: its name does not contain 'bench'")
            log(f"dropping database {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def _manage(url: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=url, DJANGO_DEBUG="0")
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True)


def _count_members(url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(_libpq_url(url)) as conn:
        orgs = conn.execute("SELECT count(*) FROM orgs_partyorg").fetchone()[0]
        members = conn.execute("SELECT count(*) FROM people_partymember").fetchone()[0]
    return orgs, members


def build(ctx: Context, *, rebuild: bool) -> None:
    """Create the bench database and the district unless one of the right size is there."""
    state_file = RESULTS_DIR / "build.json"
    _ensure_database(ctx.url, rebuild=rebuild, log=ctx.log)
    ctx.log("migrating the bench database")
    done = _manage(ctx.url, "migrate", "--noinput", "-v0")
    if done.returncode:
        raise SystemExit(f"migrate failed:\n{done.stderr}")
    orgs, members = _count_members(ctx.url)
    if orgs and members == ctx.members:
        ctx.log(f"reusing the district in the bench database ({members:,} members)")
        if state_file.exists():
            ctx.state = json.loads(state_file.read_text())
        ctx.state["reused"] = True
        return
    if orgs:
        ctx.log(f"the bench database holds {members:,} members, not {ctx.members:,}: rebuilding")
        _ensure_database(ctx.url, rebuild=True, log=ctx.log)
        done = _manage(ctx.url, "migrate", "--noinput", "-v0")
        if done.returncode:
            raise SystemExit(f"migrate failed:\n{done.stderr}")
    ctx.log(f"generate_district --members {ctx.members} --base-only (the issue-2 target at 1M is < 10 minutes)")
    import resource

    started = time.perf_counter()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = _manage(ctx.url, "generate_district", "--members", str(ctx.members), "--base-only")
    seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    if done.returncode:
        raise SystemExit(f"generate_district failed:\n{done.stdout}\n{done.stderr}")
    for line in done.stdout.strip().splitlines()[:4]:
        ctx.log(f"  {line}")
    ctx.log(f"generated in {seconds:,.0f} s; VACUUM ANALYZE")
    started = time.perf_counter()
    import psycopg

    with psycopg.connect(_libpq_url(ctx.url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    vacuum = time.perf_counter() - started
    ctx.state = {
        "members": ctx.members,
        "generate_seconds": round(seconds, 1),
        "generate_cpu_seconds": round(cpu, 1),
        "vacuum_seconds": round(vacuum, 1),
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "generate_output": done.stdout.strip().splitlines()[:4],
        "reused": False,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps(ctx.state, ensure_ascii=False, indent=2))


def _modules(only: set[str]) -> list:
    names = sorted(p.stem for p in BENCH_DIR.glob("bench_*.py"))
    ordered = [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]
    modules = []
    for name in ordered:
        if only and name not in only:
            continue
        module = importlib.import_module(f"bench.{name}")
        if callable(getattr(module, "run", None)):
            modules.append(module)
    return modules


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def report(ctx: Context, started: datetime, seconds: float) -> str:
    lines = [
        "# dangqun benchmark results",
        "",
        f"- run: {started:%Y-%m-%d %H:%M}, {seconds / 60:.1f} minutes; district of **{ctx.members:,}** party members "
        f"({'reused' if ctx.state.get('reused') else 'generated in this run'})",
        f"- machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; database {_admin_url(ctx.url)[1]}",
        f"- medians of {ctx.runs} runs after one warm-up; raw SQL = the same aggregate run as SQL on a raw cursor (the floor)",
        f"- load average (1 min) at start {ctx.state.get('load_start', 0):.1f}, at end {os.getloadavg()[0]:.1f} "
        f"(other processes on the machine make every figure noisier)",
        "",
        "| section | measurement | value | raw SQL | ratio | target | ok | note |",
        "|---|---|---:|---:|---:|---|:-:|---|",
    ]
    for r in ctx.results:
        value = "—" if r.value is None else f"{_fmt(r.value)} {r.unit}"
        floor = "" if r.floor is None else f"{_fmt(r.floor)} {r.unit}"
        ratio = "" if r.ratio is None else f"×{r.ratio:.2f}"
        ok = "" if r.ok is None else ("✓" if r.ok else "✗")
        lines.append(f"| {r.section} | {r.name} | {value} | {floor} | {ratio} | {r.target} | {ok} | {r.note} |")
    if ctx.notes:
        lines += ["", "## Notes", ""]
        for section, text in ctx.notes:
            lines += [f"### {section}", "", text.rstrip(), ""]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    ctx = Context(
        members=_env_int("BENCH_MEMBERS", 1_000_000),
        url=url,
        runs=_env_int("BENCH_RUNS", 5),
        import_rows=_env_int("BENCH_IMPORT_ROWS", 100_000),
    )
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the benchmarks run on PostgreSQL: set BENCH_DATABASE_URL=postgres://…")
    started_at, started = datetime.now(), time.perf_counter()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    ctx.section = "build"
    build(ctx, rebuild=args.rebuild)
    if args.build_only:
        return 0

    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangqun.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client, outside a test run
    from django.core.signals import request_started
    from django.db import reset_queries

    # keep the queries of a request for CaptureQueriesContext (Django clears them when a request starts)
    request_started.disconnect(reset_queries)

    ctx.state["load_start"] = os.getloadavg()[0]
    only = {n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()}
    failures = []
    for module in _modules(only):
        ctx.section = module.__name__.split(".")[-1].removeprefix("bench_")
        ctx.log(f"== {ctx.section} ==")
        try:
            module.run(ctx)
        except Exception as exc:  # one broken module must not hide the others' figures
            import traceback

            traceback.print_exc()
            failures.append(ctx.section)
            ctx.record("module failed", None, "", note=f"{type(exc).__name__}: {exc}"[:200], ok=False)
    text = report(ctx, started_at, time.perf_counter() - started)
    (RESULTS_DIR / "latest.md").write_text(text)
    print()
    print(text)
    print(f"written to {RESULTS_DIR / 'latest.md'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
