"""Who is acting, from where, in which request — read by the audit trail.

Set by ``RequestContextMiddleware`` for web requests; management commands and
tests may set it with ``acting``. A contextvar keeps concurrent requests apart.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None


_current: ContextVar[RequestContext] = ContextVar("dangqun_request_context", default=RequestContext())  # noqa: B039 (frozen dataclass)


def current() -> RequestContext:
    return _current.get()


@contextmanager
def acting(*, request_id: str | None = None, ip: str | None = None):
    token = _current.set(RequestContext(request_id=request_id or uuid.uuid4().hex, ip=ip))
    try:
        yield
    finally:
        _current.reset(token)
