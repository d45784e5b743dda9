"""Charts render from locally served ECharts with the network to the outside blocked; a cell drills down.

Screenshots land in var/screenshots/ (not committed).
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from core.testing import browser_login
from stats.tests.conftest import build_known_district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statistics_walk_offline(live_server, browser, screenshot_dir):
    known = build_known_district()
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN", reduced_motion="reduce")
    host = urlparse(live_server.url).netloc
    outside = []

    def only_local(route):
        if urlparse(route.request.url).netloc == host:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    browser_login(page, live_server, "gw")

    page.goto(f"{live_server.url}/stats/")
    page.wait_for_function("document.querySelectorAll('.dq-chart canvas').length >= 4", timeout=15000)
    charts = page.locator(".dq-chart")
    assert charts.count() >= 4
    assert page.locator(".dq-chart canvas").count() == charts.count()
    page.screenshot(path=str(screenshot_dir / "stats-01-overview.png"), full_page=True)

    page.goto(f"{live_server.url}/stats/tables/T02/?org={known.d.root.pk}&on=2025-12-31")
    assert page.locator("table[data-table=T02] thead th", has_text="年龄").count() == 1
    page.screenshot(path=str(screenshot_dir / "stats-02-t02.png"), full_page=True)
    # the 女 cell of 总计: two women on 2025-12-31 (刘书记, 周转正)
    total_row = page.locator("table[data-table=T02] tbody tr").first
    total_row.locator("td").nth(3).locator("a").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("table").get_by_text("周转正").count() == 1
    assert page.locator("table").get_by_text("王小明").count() == 0
    page.screenshot(path=str(screenshot_dir / "stats-03-drill.png"), full_page=True)

    page.goto(f"{live_server.url}/stats/tables/T01/?on=2099-01-01")
    assert page.get_by_text("晚于今天").count() == 1
    assert not outside, outside
    context.close()
