"""Issue 7's browser check: a live quiz with a host screen and two players on
their phones (separate browser contexts); the leaderboard after the question."""

import pytest

from accounts.models import Grant
from activities import quiz_services as qs
from activities.models import Question, Quiz
from activities.tests import factories as f
from core.testing import browser_login, small_district, union_member, user_with_grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_live_quiz_host_and_two_players(live_server, browser, screenshot_dir):
    district = small_district()
    act = f.activity(district, kind="learning", title="工会知识竞赛", days=0)
    for i in range(3):
        qs.question_save(by=district.union_admin, question=Question(union_org=district.union_a, kind="single",
                         text=f"第{i + 1}道题：基层工会委员会每届任期为？", options=["一年", "三年或者五年", "六年"], answer=["B"]))  # fmt: skip
    quiz = qs.quiz_save(by=district.union_admin, quiz_obj=Quiz(activity=act, title="工会知识竞赛", mode=Quiz.LIVE,
                        question_seconds=30, draw_rules=[{"count": 2}]))  # fmt: skip
    qs.quiz_draw_paper(by=district.union_admin, quiz_obj=quiz, seed=1)
    players = {}
    for username, name in (("player1", "钱一"), ("player2", "孙二")):
        person = union_member(district.union_a, name).person
        user_with_grant(username, Grant.MEMBER, person_obj=person)
        players[username] = name

    host_ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    host = host_ctx.new_page()
    browser_login(host, live_server, "gh")
    host.goto(f"{live_server.url}/activities/quizzes/{quiz.pk}/host/")
    assert host.locator(".joincode").inner_text() == quiz.join_code

    phones = {}
    for username in players:
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
        page = ctx.new_page()
        browser_login(page, live_server, username)
        page.goto(f"{live_server.url}/activities/quizzes/join/")
        page.fill("input[name=code]", quiz.join_code)
        page.get_by_role("button", name="加入竞赛").click()
        page.wait_for_selector("text=等待主持人出题")
        phones[username] = (ctx, page)
    host.wait_for_function("document.querySelector('[data-participants]').textContent.trim() === '2'", timeout=10000)

    host.locator("[data-host-next]").click()
    host.wait_for_selector("[data-question]")
    one, two = phones["player1"][1], phones["player2"][1]
    one.wait_for_selector("[data-question]", timeout=10000)
    one.get_by_role("button", name="B. 三年或者五年").click()
    one.wait_for_selector("[data-outcome=accepted]")
    assert "回答正确" in one.locator("[data-outcome]").inner_text()
    two.wait_for_selector("[data-question]", timeout=10000)
    two.get_by_role("button", name="A. 一年").click()
    two.wait_for_selector("[data-outcome=accepted]")
    assert "回答错误" in two.locator("[data-outcome]").inner_text()

    # A phone that reconnects mid-question finds its answer kept, once.
    one.reload()
    one.wait_for_selector("[data-kept]")
    host.wait_for_function("document.querySelector('[data-answered]').textContent.trim() === '2'", timeout=10000)
    host.screenshot(path=str(screenshot_dir / "activities-live-host-question.png"), full_page=True)

    host.locator("[data-host-close]").click()
    host.wait_for_selector("[data-leaderboard-people]")
    rows = host.locator("[data-leaderboard-people] tbody tr")
    assert rows.count() == 2
    assert "钱一" in rows.nth(0).inner_text() and rows.nth(0).locator("td").first.inner_text() == "1"
    assert "孙二" in rows.nth(1).inner_text()
    assert "区财政局" in host.locator("[data-leaderboard-units]").inner_text()
    host.screenshot(path=str(screenshot_dir / "activities-live-host-leaderboard.png"), full_page=True)

    one.wait_for_selector("[data-my-rank]", timeout=10000)
    assert one.locator("[data-my-rank]").inner_text() == "1"
    two.wait_for_selector("[data-my-rank]", timeout=10000)
    assert two.locator("[data-my-rank]").inner_text() == "2"
    one.screenshot(path=str(screenshot_dir / "activities-live-phone.png"), full_page=True)
    from activities.models import LiveAnswer

    assert LiveAnswer.objects.count() == 2
    for ctx, _ in phones.values():
        ctx.close()
    host_ctx.close()
