"""Inserting many fresh rows quickly: imports and the demo generator.

``Model.__init__`` costs tens of microseconds (descriptors, signals, defaults);
at 100,000 rows that alone would take seconds. ``build`` fills the instance's
``__dict__`` directly with every concrete field (defaults applied) and
``insert_rows`` writes such instances (COPY on PostgreSQL).

Without instances at all: ``row_values`` completes a dict of field values with
the defaults, ``encode_row`` turns it into what ``insert_encoded`` writes (COPY
text on PostgreSQL) — pure Python, so an import's worker processes do it for
their rows — and ``reserve_ids`` gives the primary keys beforehand.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from uuid import UUID

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
    if isinstance(value, UUID):
        return value.hex  # as Django's UUIDField stores it on SQLite
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


def reserve_ids(model: type[models.Model], count: int, *, using: str = "default") -> list[int]:
    """Primary keys for ``count`` rows about to be inserted in this transaction.

    PostgreSQL: taken from the table's sequence (safe beside concurrent writers).
    SQLite: after the current maximum (its write lock serialises writers in a transaction).
    """
    if count <= 0:
        return []
    connection = connections[using]
    meta = model._meta
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
            sequence = cursor.fetchone()[0]
            # the sequence named once (per row, pg_get_serial_sequence made this ten times
            # slower); a run of consecutive numbers, the usual case, comes back as its ends,
            # numbers taken between those of concurrent writers as a list
            cursor.execute(
                "SELECT min(n), max(n), CASE WHEN max(n) - min(n) + 1 = count(*) THEN NULL "
                "ELSE array_agg(n ORDER BY n) END FROM (SELECT nextval(%s::regclass) AS n "
                "FROM generate_series(1, %s)) AS s",
                [sequence, count],
            )
            first, last, numbers = cursor.fetchone()
            return list(range(first, last + 1)) if numbers is None else numbers
        table, column = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)
        cursor.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def field_names(model: type[models.Model], *, lead: tuple[str, ...] = ("id",)) -> tuple[str, ...]:
    """Attnames of the concrete fields after the ``lead`` ones, in table order."""
    return tuple(attname for attname, _, _ in _defaults(model) if attname not in lead)


def row_values(model: type[models.Model], values: dict, *, lead: tuple[str, ...] = ("id",)) -> dict:
    """``values`` completed with the field defaults, for every field of ``field_names``."""
    out = {}
    for attname, default, call in _defaults(model):
        if attname in lead:
            continue
        out[attname] = values[attname] if attname in values else default() if call else default
    return out


# --- encoded rows: built in worker processes, written by the parent ------------------


def copy_value(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    cls = value.__class__
    if cls is str or cls is JsonText:
        # printable text without a backslash needs no escaping: nearly every cell
        if value.isprintable() and "\\" not in value:
            return value
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if cls is bool:
        return "t" if value else "f"
    if cls is int:
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()  # an aware datetime keeps its offset
    if isinstance(value, (dict, list)):
        return copy_value(json.dumps(value, ensure_ascii=False))
    return copy_value(str(value))


def encode_row(values, vendor: str):
    """A row's values (ids left out) for ``insert_encoded``: COPY text on PostgreSQL,
    SQLite parameters otherwise. Needs no database: runs in worker processes."""
    if vendor == "postgresql":
        return "\t".join(map(copy_value, values))
    return tuple(map(_sqlite_value, values))


def join_encoded(parts, vendor: str):
    """Encoded pieces of one row (ids encoded once, a row encoded in a worker) as one row."""
    if vendor == "postgresql":
        return "\t".join(parts)
    return tuple(value for part in parts for value in part)


def insert_encoded(model: type[models.Model], names: tuple[str, ...], rows, *, using: str = "default") -> int:
    """Insert rows encoded by ``encode_row`` whose values are the fields ``names`` (attnames),
    in that order. Returns the number of rows."""
    connection = connections[using]
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in names)
    table = connection.ops.quote_name(meta.db_table)
    count = 0
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                block = []
                for row in rows:
                    block.append(row)
                    if len(block) == 5000:
                        copy.write("\n".join(block) + "\n")
                        count += len(block)
                        block = []
                if block:
                    copy.write("\n".join(block) + "\n")
                    count += len(block)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
            block = []
            for row in rows:
                block.append(row)
                if len(block) == 5000:
                    cursor.executemany(sql, block)
                    count += len(block)
                    block = []
            if block:
                cursor.executemany(sql, block)
                count += len(block)
    return count


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
    ids = reserve_ids(model, len(objs), using=using)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for obj, new_id in zip(objs, ids, strict=True):
                    d = obj.__dict__
                    copy.write_row([new_id, *(_pg_value(d[a]) for a in attnames)])
        else:
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
