"""Auditing many stored records at once (the audit command, the benchmark).

Findings are computed on demand, never stored: they depend on ``today`` and on
the local settings. ``FactLoader`` reads the records with a few plain queries
per 5,000, and the pure rules do the rest. A large audit is split by id range
over worker processes (one per CPU), each with its own database connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet

from core import forking
from core.findings import Finding
from core.workdays import WorkCalendar
from recruitment import rules
from recruitment.facts import FactLoader
from recruitment.models import Recruitment

PARALLEL_FROM = 20_000  # records; below this one process is faster than starting workers


def audit_iter(
    qs: QuerySet, *, today: date, calendar: WorkCalendar, settings: rules.RecruitmentSettings
) -> Iterator[tuple[int, str, list[Finding]]]:
    """(record id, person name, findings) for every record of ``qs``, in id order."""
    for loaded in FactLoader(qs):
        yield loaded.pk, loaded.name, rules.audit(loaded.facts, today=today, calendar=calendar, settings=settings)


def _ranges(qs: QuerySet, parts: int) -> list[tuple[int, int]]:
    pks = list(qs.order_by("pk").values_list("pk", flat=True))
    if not pks:
        return []
    size = -(-len(pks) // parts)
    return [(pks[i], pks[min(i + size, len(pks)) - 1]) for i in range(0, len(pks), size)]


def _audit_range(args) -> list[tuple[int, str, list[Finding]]] | tuple[int, int]:
    query, first, last, today, calendar, settings, summary = args
    # the Query, not the QuerySet, crosses to the worker: pickling a QuerySet would
    # first load every row it selects
    qs = Recruitment.objects.all()
    qs.query = query
    rows = audit_iter(qs.filter(pk__gte=first, pk__lte=last), today=today, calendar=calendar, settings=settings)
    if summary:
        records = findings = 0
        for _, _, found in rows:
            records += 1
            findings += len(found)
        result = (records, findings)
    else:
        result = list(rows)
    return result


def audit_parallel(
    qs: QuerySet,
    *,
    today: date,
    calendar: WorkCalendar,
    settings: rules.RecruitmentSettings,
    workers: int | None = None,
    summary: bool = False,
):
    """``audit_iter`` over ``workers`` processes (default: the CPUs), results in id order.

    With ``summary`` only (records, findings) counts come back. Falls back to one
    process for small querysets, one CPU, or a database that cannot be shared
    across processes (SQLite in memory).
    """
    workers = workers or forking.cpu_count()
    ranges = _ranges(qs, workers) if workers > 1 and forking.can_fork() else []
    if len(ranges) < 2 or qs.count() < PARALLEL_FROM:
        results = [_audit_range((qs.query, 0, 2**62, today, calendar, settings, summary))]
    else:
        results = forking.fork_map(
            _audit_range, [(qs.query, a, b, today, calendar, settings, summary) for a, b in ranges]
        )
    if summary:
        return sum(r[0] for r in results), sum(r[1] for r in results)
    return [row for part in results for row in part]


def audit_records(
    qs: QuerySet, *, today: date, calendar: WorkCalendar, settings: rules.RecruitmentSettings
) -> list[dict]:
    """The JSON findings of rules/recruitment.md for stored records (``row`` is null)."""
    return [
        finding.as_json(row=None, person=name)
        for _, name, findings in audit_parallel(qs, today=today, calendar=calendar, settings=settings)
        for finding in findings
    ]
