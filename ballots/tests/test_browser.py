"""Issue 3 point 5 in a real browser: an online secret ballot with three voters on three phones.

The secretary creates the ballot, issues codes to the three present voters and
opens it; each voter opens his own link in a separate browser context and votes;
the secretary watches the live count, closes the ballot and reads the REC-13
arithmetic on the result page; a used code is refused. Screenshots land in
var/screenshots/.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.testing import browser_login, party_member, small_district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "is_mobile": True, "has_touch": True}


def confirm(page):
    """Answer 确定 in the confirmation dialog and wait for the page it submits to.

    The dialog ignores a click while it is still fading in, so wait until it is shown
    (it then focuses its OK button)."""
    ok = page.locator("#dq-confirm [data-dq-confirm-ok]")
    expect(ok).to_be_focused()
    with page.expect_navigation():
        ok.click()


def test_online_ballot_with_three_voters(live_server, browser, screenshot_dir):
    district = small_district()
    for name in ("陈一", "林二", "黄三"):
        party_member(district.branch_a, name)  # branch A: 5 full members due
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", reduced_motion="reduce")
    page = context.new_page()
    browser_login(page, live_server, "sec_a")

    # The secretary creates the ballot: two candidates, voted one by one.
    page.goto(f"{live_server.url}/ballots/new/")
    page.fill("input[name=title]", "接收张三、李四为预备党员")
    page.select_option("select[name=party_org]", str(district.branch_a.pk))
    page.fill("input[name=meeting_on]", timezone.localdate().isoformat())
    page.fill("textarea[name=items]", "张三\n李四")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert "应到会有表决权人数" in page.content() and "5 人" in page.content()

    # Three present voters get their codes on a printable sheet (a new tab).
    for name in ("王小明", "陈一", "林二"):
        page.get_by_label(f"{name}到会").check()
    with context.expect_page() as sheet_info:
        page.get_by_role("button", name="为勾选的到会人员发放表决码").click()
    sheet = sheet_info.value
    sheet.wait_for_load_state("networkidle")
    assert sheet.locator("[data-slip] svg").count() == 3
    links = {
        slip.locator(".dq-slip-name").inner_text(): slip.locator("a[data-vote-link]").get_attribute("href")
        for slip in sheet.locator("[data-slip]").all()
    }
    assert set(links) == {"王小明", "陈一", "林二"}
    sheet.screenshot(path=str(screenshot_dir / "ballot-02-code-sheet.png"), full_page=True)
    sheet.close()

    page.reload()
    page.get_by_role("button", name="开始投票").click()
    confirm(page)
    assert "投票中" in page.content()
    page.screenshot(path=str(screenshot_dir / "ballot-01-detail-open.png"), full_page=True)

    # Three phones, three separate browser contexts: no shared cookies.
    votes = {"王小明": ("赞成", "赞成"), "陈一": ("赞成", "反对"), "林二": ("赞成", "弃权")}
    phones = []
    for i, (name, (first, second)) in enumerate(votes.items()):
        phone_context = browser.new_context(**PHONE)
        phone = phone_context.new_page()
        phone.goto(links[name])
        phone.locator('fieldset[data-item="张三"] label', has_text=first).click()
        phone.locator('fieldset[data-item="李四"] label', has_text=second).click()
        if i == 0:
            phone.screenshot(path=str(screenshot_dir / "ballot-03-phone-vote.png"), full_page=True)
        phone.get_by_role("button", name="提交投票").click()
        phone.wait_for_load_state("networkidle")
        assert "您的投票已提交" in phone.content()
        if i == 0:
            phone.screenshot(path=str(screenshot_dir / "ballot-04-phone-done.png"), full_page=True)
        phones.append((phone_context, phone))

    # The live count says how many have voted, never how (htmx polls every 3 s).
    expect(page.locator("[data-voted]")).to_have_text("3", timeout=15000)
    assert "张三" in page.content() and "data-yes" not in page.content()
    page.screenshot(path=str(screenshot_dir / "ballot-05-live-count.png"), full_page=True)

    page.get_by_role("button", name="结束投票并计票").click()
    confirm(page)
    page.wait_for_url("**/result/")
    rows = page.locator("[data-result-table] tbody tr")
    first, second = rows.nth(0), rows.nth(1)
    assert [first.locator(s).inner_text() for s in ("[data-yes]", "[data-no]", "[data-abstain]")] == ["3", "0", "0"]
    assert [second.locator(s).inner_text() for s in ("[data-yes]", "[data-no]", "[data-abstain]")] == ["1", "1", "1"]
    quorum = page.locator("[data-quorum]").inner_text()
    assert "实到会有表决权人数 3 人，应到会 5 人的半数为 2.5，3 > 2.5" in quorum and "REC-13" in quorum
    assert "赞成 3 票 + 书面意见赞成 0 票 = 3 票，> 应到会人数 5 的半数 2.5" in first.inner_text()
    assert "通过" in first.inner_text()
    assert "= 1 票，≤ 应到会人数 5 的半数 2.5" in second.inner_text() and "未通过" in second.inner_text()
    page.screenshot(path=str(screenshot_dir / "ballot-06-result.png"), full_page=True)

    # A used code is refused, on its own phone and on anyone else's.
    phone_context, phone = phones[0]
    response = phone.goto(links["王小明"])
    assert response.status == 409 and "此表决码已使用" in phone.content()
    phone.screenshot(path=str(screenshot_dir / "ballot-07-code-reused.png"), full_page=True)
    other = browser.new_context(**PHONE).new_page()
    assert other.goto(links["陈一"]).status == 409
    other.context.close()
    for phone_context, _ in phones:
        phone_context.close()
    context.close()
