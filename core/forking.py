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
import pickle
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connections

_INHERITED: list = []


def _own_connections() -> None:
    # Kept, not closed: closing would end the other process's session.
    for conn in connections.all():
        if conn.connection is not None:
            _INHERITED.append(conn.connection)
            conn.connection = None


_OUT_DIR: str | None = None  # set in the parent before forking; workers write their results there
_FORK_LOCK = threading.Lock()


def _run(args):
    func, item = args
    try:
        result = func(item)
    finally:
        connections.close_all()
    # Results travel through a file, not the pool's pipe: a result of 100 MB (the rows
    # of an import) took seconds through the pipe and takes a fraction of one this way.
    with tempfile.NamedTemporaryFile(dir=_OUT_DIR, delete=False) as out:
        pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
    return out.name


def _load(path: str):
    with open(path, "rb") as f:
        return pickle.load(f)


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
    with fork_imap(func, items, len(items)) as results:
        return list(results)


@contextmanager
def fork_imap(func: Callable, items: Sequence, workers: int) -> Iterator[Iterator]:
    """An iterator of ``func(item)`` for each item, in order, computed by ``workers``
    forked processes: each result arrives as soon as it and those before it are ready,
    so the caller works on the first while the workers go on with the rest (an import
    writes the rows of its first slices while later ones are checked). Leaving the
    block early stops the workers. Same rules as ``fork_map``."""
    global _OUT_DIR
    shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # memory, where there is one
    with tempfile.TemporaryDirectory(prefix="dangqun-fork-", dir=shm) as out_dir:
        with _FORK_LOCK:  # the workers inherit _OUT_DIR when the pool forks them
            _OUT_DIR = out_dir
            gc.freeze()
            try:
                pool = multiprocessing.get_context("fork").Pool(workers, initializer=_own_connections)
            finally:
                gc.unfreeze()
                _OUT_DIR = None
        with pool:  # terminates the workers on leaving, early or not
            paths = pool.imap(_run, [(func, item) for item in items], chunksize=1)
            yield (_load(path) for path in paths)
