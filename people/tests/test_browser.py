"""Issue 2's browser walk: a branch secretary signs in, browses, searches, is refused, exports.

Screenshots of the main pages land in var/screenshots/ (not committed).
"""

import pytest

from core.testing import browser_login, small_district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_branch_secretary_walk(live_server, browser, screenshot_dir):
    district = small_district()
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True, reduced_motion="reduce"
    )
    page = context.new_page()
    browser_login(page, live_server, "sec_a")
    assert "首页" in page.title()
    page.screenshot(path=str(screenshot_dir / "01-home.png"), full_page=True)

    page.goto(f"{live_server.url}/orgs/")
    assert page.get_by_text("区财政局第一支部").first.is_visible()
    assert page.get_by_text("区税务局支部").count() == 0  # another branch: not in her tree
    page.screenshot(path=str(screenshot_dir / "02-tree.png"), full_page=True)

    page.goto(f"{live_server.url}/people/members/")
    page.fill("input[name=q]", "wxm")  # BASE-04: pinyin initials of 王小明
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("table").get_by_text("王小明").count() == 1
    assert page.locator("table").get_by_text("刘书记").count() == 0
    page.screenshot(path=str(screenshot_dir / "03-member-search.png"), full_page=True)

    page.locator("table").get_by_text("王小明").click()
    page.wait_for_load_state("networkidle")
    assert "110105" not in page.content() or "********" in page.content()
    page.screenshot(path=str(screenshot_dir / "04-member-detail.png"), full_page=True)

    response = page.goto(f"{live_server.url}/people/members/{district.member_b.pk}/")
    assert response.status == 404  # 赵大海 belongs to branch B

    page.goto(f"{live_server.url}/people/members/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出").click()
    download = download_info.value
    path = screenshot_dir / "members.xlsx"
    download.save_as(str(path))
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    names = {row[1] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert names == {"王小明", "刘书记"}

    page.goto(f"{live_server.url}/orgs/party/{district.branch_a.pk}/")
    page.screenshot(path=str(screenshot_dir / "05-org-page.png"), full_page=True)
    page.goto(f"{live_server.url}/people/members/import/")
    page.set_input_files("input[name=file]", files=[_one_member_sheet(district)])
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("检查通过").is_visible()
    page.screenshot(path=str(screenshot_dir / "06-import.png"), full_page=True)
    page.get_by_role("button", name="确认导入 1 名党员").click()
    page.locator("#dq-confirm [data-dq-confirm-ok]").click()  # the confirmation, then the busy button
    page.wait_for_url("**/people/members/", timeout=15000)
    assert page.get_by_text("已导入 1 名党员").is_visible()
    from people.models import PartyMember

    assert PartyMember.objects.filter(person__name="钱导入", branch=district.branch_a).exists()
    context.close()


def _one_member_sheet(district) -> dict:
    import io
    from datetime import date

    from openpyxl import Workbook

    from core.testing import make_id_number

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "人员类别", "所在党支部", "加入党组织日期"])
    ws.append(["钱导入", make_id_number(date(1990, 5, 6)), "正式党员", district.branch_a.name, "2015-07-01"])
    out = io.BytesIO()
    wb.save(out)
    return {"name": "党员.xlsx", "mimeType": "application/octet-stream", "buffer": out.getvalue()}
