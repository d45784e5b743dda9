"""Issue 6's browser walk: the union chair records the 中秋节 gift for the whole union and
sees the one member who would pass the annual cap refused, with the allowance left."""

import re
from datetime import date
from decimal import Decimal

import pytest

from core.testing import browser_login, small_district, union_member
from union.models import WelfareGrant, WelfareGrantLine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mid_autumn_grant_refuses_the_member_over_the_cap(live_server, browser, screenshot_dir):
    district = small_district()
    members = [union_member(district.union_a, name) for name in ("陈一", "林二", "黄三")]
    spring = WelfareGrant.objects.create(
        union_org=district.union_a, category=WelfareGrant.FESTIVAL, festival="春节", gift_kind="goods",
        title="2026年春节慰问品", granted_on=date(2026, 2, 1), year=2026, amount_per_member=Decimal("1000.00"),
        member_count=1, total=Decimal("1000.00"),
    )  # fmt: skip
    WelfareGrantLine.objects.create(grant=spring, member=members[0], person=members[0].person,
                                    union_org=district.union_a, year=2026, category=WelfareGrant.FESTIVAL,
                                    amount=Decimal("1000.00"))  # fmt: skip
    context = browser.new_context(viewport={"width": 1366, "height": 1000}, locale="zh-CN", reduced_motion="reduce")
    page = context.new_page()
    browser_login(page, live_server, "gh")
    page.goto(f"{live_server.url}/union/welfare/new/")
    page.fill("input[name=festival]", "中秋节")
    page.fill("input[name=title]", "2026年中秋节慰问品")
    page.fill("input[name=granted_on]", "2026-09-20")
    page.fill("input[name=amount_per_member]", "400")
    page.get_by_role("button", name="核对并登记").click()
    page.wait_for_load_state("networkidle")
    refusals = page.locator("#refusals")
    assert refusals.is_visible()
    assert refusals.locator("tbody tr").count() == 1
    row = refusals.locator("tbody tr").first.inner_text()
    assert "陈一" in row and "200.00" in row  # 1,200 cap − 1,000 already given
    assert WelfareGrant.objects.count() == 1  # nothing saved yet
    page.screenshot(path=str(screenshot_dir / "union-grant-refused.png"), full_page=True)

    page.get_by_role("button", name="仅为其余 2 名会员登记").click()
    page.locator("#dq-confirm [data-dq-confirm-ok]").click()
    page.wait_for_url(re.compile(r".*/union/welfare/\d+/$"))
    page.wait_for_load_state("networkidle")
    names = page.locator("table").last.inner_text()
    assert "林二" in names and "黄三" in names and "陈一" not in names
    assert "陈一：剩余额度 200.00 元" in page.locator("main").inner_text()
    grant = WelfareGrant.objects.get(festival="中秋节")
    assert grant.member_count == 2 and grant.total == Decimal("800.00")
    assert [r["name"] for r in grant.refused] == ["陈一"]
    page.screenshot(path=str(screenshot_dir / "union-grant-saved.png"), full_page=True)
    context.close()
