"""Building many unsaved model instances quickly, for bulk_create in imports and generators.

``Model.__init__`` costs tens of microseconds (descriptors, signals, defaults);
at 100,000 rows that alone would take seconds. ``build`` fills the instance's
``__dict__`` directly with every concrete field (defaults applied), which is
what bulk_create reads. Only for fresh rows that go straight to bulk_create.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache

from django.db import connections, models
from django.db.models.base import ModelState


@lru_cache(maxsize=64)
def _defaults(model: type[models.Model]) -> tuple[tuple[str, object, bool], ...]:
    out = []
    for f in model._meta.concrete_fields:
        call = f.has_default() and callable(f.default)
        # get_default() gives "" for text fields without a default, None otherwise
        out.append((f.attname, f.default if call else f.get_default(), call))
    return tuple(out)


def build(model: type[models.Model], **values) -> models.Model:
    """An unsaved instance with ``values`` (attnames, e.g. ``branch_id``) and field defaults."""
    obj = model.__new__(model)
    data = obj.__dict__
    for attname, default, call in _defaults(model):
        data[attname] = default() if call and attname not in values else default
    data.update(values)
    state = ModelState()
    state.adding = True
    data["_state"] = state
    return obj


class JsonText(str):
    """A value already serialised as JSON text, for a JSON column: inserted as it is."""


_PLAIN = frozenset({str, int, float, bool, type(None), JsonText})


def _sqlite_value(value):
    if value.__class__ in _PLAIN:
        return value
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _pg_value(value):
    if value.__class__ in _PLAIN:  # JsonText too: COPY's text reaches a jsonb column as JSON
        return value
    if isinstance(value, (dict, list)):
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return value


def insert_rows(model: type[models.Model], objs: list[models.Model], *, using: str = "default") -> list[models.Model]:
    """Insert fresh instances fast and set their primary keys.

    bulk_create spends most of its time compiling per-value SQL; at 100,000 rows
    that dominates an import. PostgreSQL gets COPY with ids taken from the
    table's sequence; SQLite gets executemany with ids after the current
    maximum (its write lock serialises writers in a transaction).
    Values must already be plain Python values of the column types.
    """
    if not objs:
        return objs
    connection = connections[using]
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk]
    columns = [pk.column] + [f.column for f in fields]
    attnames = [f.attname for f in fields]
    table = connection.ops.quote_name(meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(objs)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for obj, new_id in zip(objs, ids, strict=True):
                    d = obj.__dict__
                    copy.write_row([new_id, *(_pg_value(d[a]) for a in attnames)])
        else:
            cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk.column)}), 0) FROM {table}")
            start = cursor.fetchone()[0] + 1
            ids = list(range(start, start + len(objs)))
            placeholders = ", ".join(["%s"] * len(columns))
            rows = [
                [new_id, *(_sqlite_value(obj.__dict__[a]) for a in attnames)]
                for obj, new_id in zip(objs, ids, strict=True)
            ]
            for i in range(0, len(rows), 5000):
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", rows[i : i + 5000])
    for obj, new_id in zip(objs, ids, strict=True):
        obj.__dict__[pk.attname] = new_id
        obj._state.adding = False
        obj._state.db = using
    return objs
