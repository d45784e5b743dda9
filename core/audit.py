"""The audit trail: every create/update/delete writes one hash-chained entry.

Services call ``record`` inside their transaction. Snapshots are JSON-safe dicts
of a row's concrete fields; encrypted columns appear masked, never in clear.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from core import request_context
from core.bulk import JsonText, encode_row, insert_encoded, join_encoded
from core.models import AuditEntry

GENESIS = "0" * 64
# PostgreSQL advisory lock id that serialises appends to the chain.
_CHAIN_LOCK = 7_120_514

# Columns never copied into the log: ciphertexts and lookup hashes.
_SECRET_SUFFIXES = ("_enc", "_hash")


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def snapshot(obj: models.Model | None) -> dict | None:
    """The row's concrete field values (FKs as ids), secrets left out."""
    if obj is None:
        return None
    return snapshot_values(type(obj), obj.__dict__)


def snapshot_values(model: type[models.Model], values: dict) -> dict:
    """``snapshot`` of a row given as a dict of attnames (a row not built as an instance)."""
    data = {}
    for attname in _snapshot_fields(model):
        value = values.get(attname)
        data[attname] = value if value is None or isinstance(value, (str, int, float, bool)) else _json_safe(value)
    return data


@lru_cache(maxsize=128)
def _sorted_keys(model, extra: tuple[str, ...]) -> tuple[str, ...]:
    """The snapshot's keys in the order json.dumps(sort_keys=True) writes them."""
    return tuple(sorted((*_snapshot_fields(model), *extra)))


_PLAIN_JSON = frozenset({str, int, bool, float, type(None)})


def sorted_snapshot(model: type[models.Model], values: dict, extra: dict | None = None) -> dict:
    """``snapshot_values`` with its keys already in sorted order, plus ``extra`` keys (a
    nested sorted snapshot): ``dumps_sorted`` writes it as ``_dumps`` writes the snapshot,
    without sorting (an import writes one per row)."""
    extra = extra or {}
    data = {}
    for key in _sorted_keys(model, tuple(extra)):
        if key in extra:
            data[key] = extra[key]
        else:
            value = values.get(key)
            data[key] = value if value.__class__ in _PLAIN_JSON else _json_safe(value)
    return data


# json.dumps(sort_keys=True, …) of a dict whose keys are in sorted order already
dumps_sorted = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@lru_cache(maxsize=128)
def _snapshot_fields(model) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields if not f.name.endswith(_SECRET_SUFFIXES))


def diff(before: dict | None, after: dict | None) -> dict[str, tuple[Any, Any]]:
    """Fields whose values differ between two snapshots."""
    before, after = before or {}, after or {}
    keys = sorted(set(before) | set(after))
    return {k: (before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)}


def canonical(entry: AuditEntry) -> str:
    content = {
        "created_at": entry.created_at.astimezone(UTC).isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
        "request_id": entry.request_id,
        "ip": entry.ip,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def chain_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + canonical(entry)).encode()).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Append one entry to the chain (inside the caller's transaction)."""
    ctx = request_context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        entry = AuditEntry(
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=(actor.get_full_name() or actor.username) if getattr(actor, "pk", None) else "系统",
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:200],
            before=_json_safe(before),
            after=_json_safe(after),
            request_id=ctx.request_id,
            ip=ctx.ip,
            prev_hash=last,
        )
        entry.hash = chain_hash(last, entry)
        entry.save()
    return entry


def verify_chain(batch_size: int = 5000) -> AuditEntry | None:
    """The first entry whose link or content does not verify, or None if all do."""
    prev = GENESIS
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size):
        if entry.prev_hash != prev or chain_hash(prev, entry) != entry.hash:
            return entry
        prev = entry.hash
    return None


def history(obj: models.Model):
    """The entries of one record, newest first (the 修改记录 tab)."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")


def _dumps(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


_json_str = json.encoder.encode_basestring  # json.dumps of one str (ensure_ascii=False), without its overhead


def record_many(*, actor, action: str, objects: list[models.Model]) -> int:
    """Append one 'create' entry per object in bulk (imports, generators): same chain, one lock."""
    if not objects:
        return 0
    batch = Batch(actor=actor, action=action)
    return batch.append(
        [batch.prepare(obj._meta.label_lower, str(obj.pk), str(obj)[:200], _dumps(snapshot(obj))) for obj in objects]
    )


_AUDIT_COLUMNS = ("created_at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr",
                  "before", "after", "request_id", "ip", "prev_hash", "hash")  # fmt: skip


class Batch:
    """Many 'create' entries of one action by one actor, prepared anywhere, chained at once.

    ``prepare`` needs no database, so worker processes of an import call it for their
    rows (the batch reaches them through the fork); ``append`` chains and inserts the
    prepared entries in the parent. The canonical text of each entry is assembled from
    the pieces constant within the batch and the entry's own — exactly what
    ``canonical`` gives; PostgreSQL receives the rows as COPY text.
    """

    def __init__(self, *, actor, action: str):
        ctx = request_context.current()
        actor_id = actor.pk if getattr(actor, "pk", None) else None
        actor_name = (actor.get_full_name() or actor.username) if actor_id else "系统"
        now = timezone.now()
        self.vendor = connection.vendor
        # keys in sorted order, as json.dumps(sort_keys=True) writes them
        self._head = (
            f'{{"action":{_dumps(action)},"actor_id":{_dumps(actor_id)},"actor_name":{_dumps(actor_name)},"after":'
        )
        self._middle = (
            f',"before":null,"created_at":{_dumps(now.astimezone(UTC).isoformat())},"ip":{_dumps(ctx.ip)},"object_id":'
        )
        self._tail = f',"request_id":{_dumps(ctx.request_id)}}}'
        self._before = encode_row((now, actor_id, actor_name, action), self.vendor)
        self._after = encode_row((ctx.request_id, ctx.ip), self.vendor)

    def prepare(self, object_type: str, object_id: str, object_repr: str, after: str) -> tuple:
        """(canonical text, the row without its links) of one entry; ``after`` is the
        snapshot's JSON text as ``_dumps`` writes it (``dumps_sorted(sorted_snapshot(…))``)."""
        text = (
            f'{self._head}{after}{self._middle}{_json_str(object_id)},"object_repr":{_json_str(object_repr)},'
            f'"object_type":{_json_str(object_type)}{self._tail}'
        )
        own = encode_row((object_type, object_id, object_repr, None, JsonText(after)), self.vendor)
        return text, join_encoded((self._before, own, self._after), self.vendor)

    def append(self, prepared) -> int:
        """Chain the prepared entries after the last one and insert them; returns the count."""
        vendor = self.vendor
        sha256 = hashlib.sha256
        with transaction.atomic():
            _lock_chain()
            prev = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
            rows = []
            if vendor == "postgresql":  # hex digests need no COPY escaping
                for text, row in prepared:
                    prev_hash, prev = prev, sha256((prev + text).encode()).hexdigest()
                    rows.append(f"{row}\t{prev_hash}\t{prev}")
            else:
                for text, row in prepared:
                    prev_hash, prev = prev, sha256((prev + text).encode()).hexdigest()
                    rows.append((*row, prev_hash, prev))
            return insert_encoded(AuditEntry, _AUDIT_COLUMNS, rows)
