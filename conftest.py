import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    # Argon2 is the production hasher; tests use a fast one so personas are cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def district(db):
    from core.testing import small_district

    return small_district()
