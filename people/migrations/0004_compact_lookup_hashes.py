# Lookup hashes of ID numbers and phones: the first 128 bits of the keyed BLAKE2b MAC
# as a uuid (core.crypto.lookup_hash), no longer all 256 as 64 hex characters. The
# stored hashes are cut, not recomputed: the first 32 hex characters are those 128 bits
# (core/tests/test_crypto.py). No way back: the cut bits are gone.

from django.db import migrations, models

TO_128_BITS = """
UPDATE people_person
SET id_number_hash = substr(id_number_hash, 1, 32),
    phone_hash = NULLIF(substr(phone_hash, 1, 32), '')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_import_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="phone_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.RunSQL(TO_128_BITS),  # irreversible: the cut bits are gone
        migrations.AlterField(
            model_name="person",
            name="id_number_hash",
            field=models.UUIDField(),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone_hash",
            field=models.UUIDField(blank=True, null=True),
        ),
    ]
