"""Issue 4's browser walk: a branch secretary records a 主题党日 with attendance (one click
"全部出席", one member excused) and sees the heat map change."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from core.testing import browser_login, small_district
from partylife.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _heat_cell(page, org_pk: int, month: str) -> int:
    option = json.loads(page.locator("#dq-heat").get_attribute("data-chart"))
    row, col = option["dq"]["orgs"].index(org_pk), option["dq"]["months"].index(month)
    return next((v for x, y, v in option["series"][0]["data"] if (x, y) == (col, row)), 0)


def test_record_theme_day_and_see_the_heat_map_change(live_server, browser, screenshot_dir):
    district = small_district()
    on = timezone.localdate() - timedelta(days=1)
    month = on.replace(day=1).isoformat()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", reduced_motion="reduce")
    page = context.new_page()
    browser_login(page, live_server, "sec_a")

    page.goto(f"{live_server.url}/partylife/compliance/")
    page.wait_for_selector("#dq-heat canvas")
    before = _heat_cell(page, district.branch_a.pk, month)
    page.screenshot(path=str(screenshot_dir / "partylife-01-heat-before.png"), full_page=True)

    page.goto(f"{live_server.url}/partylife/meetings/new/")
    page.select_option("#id_kind", "THEME_DAY")
    page.fill("#id_held_on", on.isoformat())
    page.locator("#id_held_on").dispatch_event("change")
    # The roster reloads on each change (kind, then date): let the last swap land.
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("#dq-attendance")
    page.fill("#id_topic", "重温入党誓词主题党日")
    page.fill("#id_host", "刘书记")
    page.fill("#id_minutes", "全体党员重温入党誓词，交流学习体会。")
    page.get_by_role("button", name="全部出席").click()
    assert page.locator("#dq-attendance input[value='PRESENT']:not(:checked)").count() == 0
    secretary = district.branch_a.members.get(person__name="刘书记")
    page.check(f"input[name='att-{secretary.pk}'][value='EXCUSED']")
    page.fill(f"input[name='reason-{secretary.pk}']", "出差")
    page.screenshot(path=str(screenshot_dir / "partylife-02-meeting-form.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "已保存" in page.content(), page.locator(".invalid-feedback, .alert").all_inner_texts()
    meeting = Meeting.objects.get(topic="重温入党誓词主题党日")
    assert dict(meeting.attendance.values_list("member__person__name", "status")) == {
        "王小明": "PRESENT", "刘书记": "EXCUSED"}  # fmt: skip
    page.screenshot(path=str(screenshot_dir / "partylife-03-meeting-detail.png"), full_page=True)

    page.goto(f"{live_server.url}/partylife/compliance/")
    page.wait_for_selector("#dq-heat canvas")
    assert _heat_cell(page, district.branch_a.pk, month) == before + 1
    page.screenshot(path=str(screenshot_dir / "partylife-04-heat-after.png"), full_page=True)
    context.close()
