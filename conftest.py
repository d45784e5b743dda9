import pytest
from hypothesis import settings as hypothesis_settings

# Two test workers share two cores with the database: wall-clock deadlines per
# example only measure that load, so properties are judged on results alone.
hypothesis_settings.register_profile("dangqun", deadline=None)
hypothesis_settings.load_profile("dangqun")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # cached counts (orgs.selectors) must not outlive the test that made them
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    # Argon2 is the production hasher; tests use a fast one so personas are cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def district(db):
    from core.testing import small_district

    return small_district()


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium driven by Playwright (no browser download)."""
    import os
    import shutil

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(executable):
        pytest.skip("chromium is not installed (make system)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def screenshot_dir():
    """Screenshots of the test run (not committed): var/screenshots/."""
    from pathlib import Path

    path = Path(__file__).resolve().parent / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
