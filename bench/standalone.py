"""Running one bench module on its own, against a 10,000-member district of its own.

``python bench/bench_union.py`` (and the other modules that define the targets of a
demo-sized district) calls ``main(name, run)``: it creates and migrates the
PostgreSQL database ``name`` (``BENCH_PG`` server URL, default
postgres://postgres@127.0.0.1:5432), generates ``BENCH_MEMBERS`` (10,000) members in
it if it has no organisation, runs the module and prints its rows.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent


def django_setup() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangqun.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def main(database: str, run) -> None:
    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    os.environ["DATABASE_URL"] = f"{server}/{database}"
    os.environ.setdefault("DJANGO_DEBUG", "0")
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            conn.execute(f'CREATE DATABASE "{database}"')
    django_setup()
    from django.core.management import call_command

    from orgs.models import PartyOrg

    call_command("migrate", verbosity=0)
    members = int(os.environ.get("BENCH_MEMBERS", "10000"))
    if not PartyOrg.objects.exists():
        print(f"generate_district --members {members} --base-only", flush=True)
        call_command("generate_district", members=members, base_only=True)
    ctx = SimpleNamespace(members=members, runs=int(os.environ.get("BENCH_RUNS", "5")),
                          log=lambda line: print(line, flush=True))  # fmt: skip
    rows = run(ctx)
    width = max(len(row["name"]) for row in rows) + 2 if rows else 40
    print()
    print(f"{'result':<{width}} {'value':>9} {'unit':<4} {'target':<10} ok")
    for row in rows:
        ok = "" if row["ok"] is None else ("✓" if row["ok"] else "✗")
        print(f"{row['name']:<{width}} {row['value']!s:>9} {row['unit']:<4} {row['target']:<10} {ok}")
        if row.get("note"):
            print(f"    {row['note']}")
