"""Primary keys reserved before rows are written (imports encode rows in workers)."""

import pytest
from django.db import connection

from core.bulk import reserve_ids
from orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_reserved_ids_are_new_and_free_for_the_rows_to_come():
    existing = Unit.objects.create(name="区档案馆")
    ids = reserve_ids(Unit, 5)
    assert len(set(ids)) == 5 and min(ids) > existing.pk
    Unit.objects.bulk_create([Unit(id=pk, name=f"单位{pk}") for pk in ids])
    assert Unit.objects.filter(pk__in=ids).count() == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="sequences: PostgreSQL only")
def test_numbers_another_writer_took_in_between_are_not_reserved():
    """The sequence hands out numbers with gaps (here every other one, as when another
    session takes numbers at the same time): the reserved ids are the numbers this
    session was given, not a range from the first to the last."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('orgs_unit', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 2")
    ids = reserve_ids(Unit, 4)
    assert len(ids) == 4 and all(b - a == 2 for a, b in zip(ids, ids[1:], strict=False))
