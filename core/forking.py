"""Splitting CPU-bound work over forked worker processes (large audits and imports).

Forking a Django process is safe only if no worker ever touches a database
connection it inherited: queries of two processes on one socket read each
other's rows, and closing it would end the parent's session. So each worker
sets aside every connection object it finds open, unclosed, and opens its own
when it needs one; and the inherited objects are frozen, so that the worker's
garbage collector never finalises one (which would also close the socket). The
parent keeps its connection and its transaction; workers do not see rows the
parent has not committed.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence

from django.db import connections

_INHERITED: list = []


def _own_connections() -> None:
    # Kept, not closed: closing would end the other process's session.
    for conn in connections.all():
        if conn.connection is not None:
            _INHERITED.append(conn.connection)
            conn.connection = None


def _run(args):
    func, item = args
    try:
        return func(item)
    finally:
        connections.close_all()


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def can_fork() -> bool:
    """False where workers cannot share the database (SQLite in memory, as in tests)."""
    db = connections["default"]
    return not (db.vendor == "sqlite" and "memory" in str(db.settings_dict["NAME"]))


def fork_map(func: Callable, items: Sequence) -> list:
    """``[func(item) for item in items]``, one forked worker per item, results in order.

    ``func`` (a module-level function), the items and the results are pickled; what
    ``func`` reads from module state set before the call reaches the workers through the fork.
    """
    if len(items) < 2:
        return [func(item) for item in items]
    gc.freeze()
    try:
        pool = multiprocessing.get_context("fork").Pool(len(items), initializer=_own_connections)
    finally:
        gc.unfreeze()
    with pool:
        return pool.map(_run, [(func, item) for item in items], chunksize=1)
