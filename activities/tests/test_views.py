"""Pages of the activities area: who may open what, the query budgets (the same
at two data sizes), and the Bad-input refusals as a user meets them."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Grant
from activities import competition_services as cs
from activities import quiz_services as qs
from activities import services
from activities.models import Competition, Fixture, Registration
from activities.tests import factories as f
from core.testing import union_member, user_with_grant

pytestmark = pytest.mark.django_db


def member_of(org, name="会员甲"):
    m = union_member(org, name)
    return user_with_grant(f"m{m.pk}", Grant.MEMBER, person_obj=m.person)


@pytest.fixture
def world(district):
    """An activity of union A with a drawn table-tennis bracket and a live quiz."""
    act = f.activity(district)
    comp = f.competition(district, act, n=4)
    comp = cs.competition_draw(by=district.union_admin, competition=comp, seed=1, now=f.NOW)
    quiz = f.live_quiz(district, act)
    member = member_of(district.union_a)
    return {"act": act, "comp": comp, "quiz": quiz, "member": member}


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


# Permission matrix -----------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("union_admin", 200),
        ("district_admin", 200),
        ("secretary_b", 404),
        ("member_user", 404),
        ("member", 200),
        (None, 302),
    ],
)
def test_activity_detail_matrix(client, district, world, persona, expected):
    user = world["member"] if persona == "member" else getattr(district, persona) if persona else None
    response = _get(client, user, reverse("activities:activity_detail", args=[world["act"].pk]))
    assert response.status_code == expected
    if expected == 200 and persona == "member":
        assert "我要报名" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "persona", "expected"),
    [
        ("activities:activity_edit", "union_admin", 200),
        ("activities:activity_edit", "secretary_a", 404),
        ("activities:activity_edit", "member", 404),
        ("activities:signup_list", "union_admin", 200),
        ("activities:signup_list", "member", 404),
        ("activities:checkin_qr", "union_admin", 200),
        ("activities:checkin_qr", "secretary_b", 404),
    ],
)
def test_organiser_pages_matrix(client, district, world, url_name, persona, expected):
    user = world["member"] if persona == "member" else getattr(district, persona)
    assert _get(client, user, reverse(url_name, args=[world["act"].pk])).status_code == expected


def test_qr_code_is_an_svg_pointing_at_the_check_in_page(client, district, world):
    response = _get(client, district.union_admin, reverse("activities:checkin_qr", args=[world["act"].pk]))
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content


@pytest.mark.parametrize(("persona", "expected"), [("union_admin", 200), ("secretary_b", 404), (None, 302)])
def test_competition_detail_matrix(client, district, world, persona, expected):
    user = getattr(district, persona) if persona else None
    assert _get(client, user, reverse("activities:competition_detail", args=[world["comp"].pk])).status_code == expected


def test_public_live_page_needs_no_sign_in_but_the_right_link(client, world):
    ok = client.get(reverse("activities:live", args=[world["comp"].public_token]))
    assert ok.status_code == 200 and 'hx-trigger="every 5s"' in ok.content.decode()
    assert client.get(reverse("activities:live", args=["nope"])).status_code == 404
    board = client.get(reverse("activities:live_board", args=[world["comp"].public_token]))
    assert board.status_code == 200 and "淘汰赛对阵图" in board.content.decode()


def test_fixture_result_page_is_for_referees(client, district, world):
    fixture = world["comp"].fixtures.filter(status=Fixture.READY).first()
    url = reverse("activities:fixture_result", args=[fixture.pk])
    assert _get(client, world["member"], url).status_code == 403  # sees the competition, is no referee
    assert _get(client, district.secretary_b, url).status_code == 404
    cs.official_assign(by=district.union_admin, competition=world["comp"], user=world["member"], role="referee")
    assert _get(client, world["member"], url).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "persona", "expected"),
    [
        ("activities:question_list", "union_admin", 200),
        ("activities:question_list", "member_user", 403),
        ("activities:question_import", "member_user", 403),
        ("activities:balance", "union_admin", 200),
        ("activities:balance", "secretary_a", 403),
        ("activities:training_hours", "member_user", 200),
        ("activities:exercise", "member_user", 200),
        ("activities:exercise_stats", "union_admin", 200),
        ("activities:my", "member_user", 200),
        ("activities:quiz_join", "member_user", 200),
        ("activities:competition_list", "member_user", 200),
        ("activities:activity_list", "union_admin", 200),
        ("activities:activity_create", "member_user", 403),
        ("activities:competition_create", "member_user", 403),
    ],
)
def test_list_pages_matrix(client, district, url_name, persona, expected):
    assert _get(client, getattr(district, persona), reverse(url_name)).status_code == expected


@pytest.mark.parametrize(
    "url_name",
    ["activities:activity_list", "activities:my", "activities:competition_list", "activities:quiz_list",
     "activities:question_list", "activities:training_hours", "activities:certificates", "activities:exercise",
     "activities:exercise_stats", "activities:balance", "activities:quiz_join"],
)  # fmt: skip
def test_anonymous_is_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_live_host_and_player_pages(client, district, world):
    quiz = world["quiz"]
    assert _get(client, district.union_admin, reverse("activities:live_host", args=[quiz.pk])).status_code == 200
    assert _get(client, district.secretary_b, reverse("activities:live_host", args=[quiz.pk])).status_code == 404
    play = reverse("activities:live_play", args=[quiz.pk])
    assert _get(client, world["member"], play).status_code == 404  # not joined yet
    client.post(reverse("activities:quiz_join"), {"code": quiz.join_code})
    response = client.get(play)
    assert response.status_code == 200 and "等待主持人出题" in response.content.decode()


def test_photos_are_served_only_in_scope(client, district, world):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    client.force_login(district.union_admin)
    client.post(reverse("activities:photo_upload", args=[world["act"].pk]),
                {"file": SimpleUploadedFile("a.png", buffer.getvalue()), "caption": "合影"})  # fmt: skip
    photo = world["act"].photos.get()
    assert client.get(reverse("activities:photo", args=[photo.pk]))["Content-Type"] == "image/png"
    assert _get(client, district.secretary_b, reverse("activities:photo", args=[photo.pk])).status_code == 404
    client.force_login(district.union_admin)
    bad = client.post(reverse("activities:photo_upload", args=[world["act"].pk]),
                      {"file": SimpleUploadedFile("a.png", b"not an image")}, follow=True)  # fmt: skip
    assert "只能上传 JPG、PNG 或 WEBP 格式的照片" in bad.content.decode()


# Bad input through the pages ------------------------------------------------------


def test_eleven_ten_is_refused_beside_the_form(client, district, world):
    fixture = world["comp"].fixtures.filter(status=Fixture.READY).first()
    client.force_login(district.union_admin)
    response = client.post(reverse("activities:fixture_result", args=[fixture.pk]), {"games": "11:10 11:5 11:3"})
    assert response.status_code == 200
    assert "乒乓球单局比分 11:10 不可能" in response.content.decode()
    assert not fixture.competition.results.exists()


def test_result_for_unknown_players_is_refused_on_the_page(client, district, world):
    pending = world["comp"].fixtures.filter(status=Fixture.PENDING).first()
    client.force_login(district.union_admin)
    response = client.post(reverse("activities:fixture_result", args=[pending.pk]), {"games": "11:3 11:5 11:3"})
    assert "对阵尚未确定，不能登记成绩" in response.content.decode()


def test_sign_up_past_the_deadline_shows_a_chinese_message(client, district):
    act = f.activity(district, days=-1)
    member = member_of(district.union_a)
    client.force_login(member)
    response = client.post(reverse("activities:signup", args=[act.pk]), follow=True)
    assert "不能再报名" in response.content.decode()
    assert not Registration.objects.filter(activity=act).exists()


def test_sign_up_over_capacity_shows_a_chinese_message(client, district):
    act = f.activity(district, capacity=1, waitlist_enabled=False)
    services.registration_signup(by=member_of(district.union_a, "甲"), activity=act, now=f.NOW)
    client.force_login(member_of(district.union_a, "乙"))
    response = client.post(reverse("activities:signup", args=[act.pk]), follow=True)
    assert "名额已满" in response.content.decode()


def test_answer_after_the_countdown_is_refused_in_chinese(client, district, world):
    from django.utils import timezone

    quiz = world["quiz"]
    participant = qs.participant_join(by=world["member"], join_code=quiz.join_code, now=f.NOW)
    opened = timezone.now() - timedelta(seconds=25)
    qs.live_next(by=district.union_admin, quiz_obj=quiz, now=opened)
    qq = quiz.paper.get(position=1)
    response = client.post(reverse("activities:live_answer"),
                           {"token": qs.player_token(participant), "question": qq.pk, "answer": "A"})  # fmt: skip
    assert response.status_code == 409
    assert "超时答案不予受理" in response.json()["message"]


def test_answer_with_a_forged_token_is_refused(client, world):
    response = client.post(reverse("activities:live_answer"), {"token": "x", "question": 1, "answer": "A"})
    assert response.status_code == 403 and "答题凭证无效" in response.json()["message"]


def test_question_import_page_lists_row_errors(client, district):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from activities.tests.test_services import _xlsx

    client.force_login(district.union_admin)
    data = _xlsx([["单选", "题？", "甲", "乙", "", "", "Z", "", ""]])
    response = client.post(reverse("activities:question_import"),
                           {"owner": f"u:{district.union_a.pk}", "file": SimpleUploadedFile("q.xlsx", data)})  # fmt: skip
    body = response.content.decode()
    assert "全部未导入" in body and "答案 Z 不在选项 AB 中" in body


# Query budgets -----------------------------------------------------------------


def _grow(district, world, size):
    """More of everything the pages list: activities, sign-ups, entries, players."""
    act = world["act"]
    people = f.union_people(district, size, prefix=f"批{size}-")
    services.registration_signup_list(by=district.union_admin, activity=act, persons=people, now=f.NOW)
    services.checkin_list(by=district.union_admin, activity=act, registration_ids=list(act.registrations.values_list("pk", flat=True)),
                          now=f.NOW + timedelta(days=7))  # fmt: skip
    for i in range(size):
        f.activity(district, title=f"活动{size}-{i}", kind=["learning", "sports", "training"][i % 3])
    quiz = world["quiz"]
    quiz = qs.live_next(by=district.union_admin, quiz_obj=quiz, now=f.NOW)
    qq = quiz.paper.get(position=1)
    from accounts.models import User

    for p in people:
        user = User.objects.create(username=f"p{p.pk}", person=p)
        Grant.objects.create(user=user, role=Grant.MEMBER)
        participant = qs.participant_join(by=user, join_code=quiz.join_code, now=f.NOW)
        qs.live_answer(quiz_id=quiz.pk, participant_id=participant.pk, quiz_question_id=qq.pk, given="A",
                       now=f.NOW + timedelta(seconds=3))  # fmt: skip
    for i in range(size // 2):
        services.exercise_check_in(
            by=district.union_admin, unit=district.unit_a, day=f.NOW.date() - timedelta(days=i), now=f.NOW
        )


BUDGETS = [
    ("activities:activity_list", None, 14),
    ("activities:activity_detail", "act", 22),
    ("activities:competition_detail", "comp", 24),
    ("activities:quiz_detail", "quiz", 16),
    ("activities:live_host_state", "quiz", 14),
    ("activities:training_hours", None, 12),
    ("activities:exercise_stats", None, 12),
    ("activities:balance", None, 14),
    ("activities:question_list", None, 12),
    ("activities:my", None, 14),
]


@pytest.mark.parametrize(("url_name", "arg", "budget"), BUDGETS)
@pytest.mark.parametrize("size", [2, 8])
def test_query_budget(client, district, world, django_assert_max_num_queries, url_name, arg, budget, size):
    _grow(district, world, size)
    url = reverse(url_name, args=[world[arg].pk]) if arg else reverse(url_name)
    client.force_login(district.union_admin)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_public_board_budget(client, district, world, django_assert_max_num_queries, size):
    act = f.activity(district, title=f"赛{size}")
    comp = f.competition(district, act, n=size, fmt=Competition.ROUND_ROBIN, discipline="BOARD_GAMES")
    comp = cs.competition_draw(by=district.union_admin, competition=comp, seed=2, now=f.NOW)
    for fx in comp.fixtures.all()[: size // 2]:
        cs.result_record(by=district.union_admin, fixture=fx, home_score=1, away_score=0, now=f.NOW)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("activities:live_board", args=[comp.public_token]))
    assert response.status_code == 200 and "积分榜" in response.content.decode()


@pytest.mark.parametrize("size", [2, 8])
def test_player_state_budget(client, district, world, django_assert_max_num_queries, size):
    _grow(district, world, size)
    quiz = world["quiz"]
    participant = qs.participant_join(by=world["member"], join_code=quiz.join_code, now=f.NOW)
    client.force_login(world["member"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("activities:live_play_state", args=[quiz.pk]))
    assert response.status_code == 200 and participant.pk


# More pages: judging, timed results, self-paced quiz, QR check-in ----------------


def test_judge_page_only_for_the_competitions_judges(client, district):
    act = f.activity(district, kind="culture", title="书画")
    comp = cs.competition_save(by=district.union_admin, competition=Competition(activity=act, name="书画", discipline="CALLIGRAPHY",
                                                                              format=Competition.JUDGED))  # fmt: skip
    judge = member_of(district.union_a, "评委")
    url = reverse("activities:judge", args=[comp.pk])
    assert _get(client, judge, url).status_code == 404
    cs.official_assign(by=district.union_admin, competition=comp, user=judge, role="judge")
    assert _get(client, judge, url).status_code == 200


def test_entry_with_a_work_file_is_served_in_scope(client, district):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    act = f.activity(district, kind="culture", title="书画")
    comp = cs.competition_save(by=district.union_admin, competition=Competition(activity=act, name="书画", discipline="CALLIGRAPHY",
                                                                              format=Competition.JUDGED))  # fmt: skip
    person = f.union_people(district, 1, prefix="作者")[0]
    services.registration_signup_list(by=district.union_admin, activity=act, persons=[person], now=f.NOW)
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "white").save(buffer, "JPEG")
    client.force_login(district.union_admin)
    response = client.post(reverse("activities:entry_add", args=[comp.pk]),
                           {"person": person.pk, "work_title": "墨竹", "work_file": SimpleUploadedFile("w.jpg", buffer.getvalue())})  # fmt: skip
    assert response.status_code == 302
    entry = comp.entries.get()
    assert client.get(reverse("activities:entry_file", args=[entry.pk]))["Content-Type"] == "image/jpeg"
    assert _get(client, district.secretary_b, reverse("activities:entry_file", args=[entry.pk])).status_code == 404


def test_timed_results_page_saves_times_and_refuses_bad_ones(client, district):
    act = f.activity(district)
    comp = f.competition(district, act, n=3, discipline="LONG_RUN", fmt=Competition.TIMED, lanes=3)
    comp = cs.competition_draw(by=district.union_admin, competition=comp, seed=1, now=f.NOW)
    a, b, c = comp.entries.order_by("pk")
    client.force_login(district.union_admin)
    url = reverse("activities:timed_results", args=[comp.pk])
    response = client.post(url, {f"time-{a.pk}": "21:03.5", f"status-{a.pk}": "ok", f"time-{b.pk}": "abc",
                                 f"status-{b.pk}": "ok", f"status-{c.pk}": "dnf"})  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200 and "用时“abc”格式不对" in body
    assert comp.results.get(entry=a).time_ms == 1263500 and comp.results.get(entry=c).status == "dnf"
    assert _get(client, district.secretary_b, url).status_code == 404


def test_self_paced_quiz_page_flow(client, district):
    from activities.models import Quiz

    act = f.activity(district, kind="learning")
    f.bank(district, 4)
    quiz = qs.quiz_save(by=district.union_admin, quiz_obj=Quiz(activity=act, title="线上答题", mode=Quiz.SELF_PACED,
                                                               draw_rules=[{"count": 4}], attempts_limit=1))  # fmt: skip
    qs.quiz_draw_paper(by=district.union_admin, quiz_obj=quiz, seed=1)
    qs.quiz_set_status(by=district.union_admin, quiz_obj=quiz, status=Quiz.OPEN)
    member = member_of(district.union_a)
    client.force_login(member)
    url = reverse("activities:quiz_take", args=[quiz.pk])
    assert "开始答题" in client.get(url).content.decode()
    assert "交卷" in client.post(url, {"start": "1"}).content.decode()
    data = {}
    for qq in quiz.paper.select_related("question"):
        answer = qq.question.answer
        data[f"q{qq.pk}"] = answer if qq.question.kind == "multiple" else answer[0]
    response = client.post(url, data, follow=True)
    assert "答对 4 题，得 100.00 分" in response.content.decode()
    assert "每人最多答题 1 次" in client.post(url, {"start": "1"}).content.decode()
    assert _get(client, district.secretary_b, url).status_code == 404


def test_qr_check_in_page(client, district):
    act = f.activity(district, days=0)
    from django.utils import timezone

    act.starts_at = timezone.now() - timedelta(minutes=5)
    act.ends_at = timezone.now() + timedelta(hours=2)
    act.save()
    member = member_of(district.union_a)
    url = reverse("activities:checkin", args=[act.checkin_token])
    client.force_login(member)
    assert "您没有报名该活动" in client.post(url).content.decode()
    Registration.objects.create(activity=act, person_id=member.person_id, created_at=timezone.now())
    assert "签到成功" in client.post(url).content.decode()
    assert client.get(reverse("activities:checkin", args=["wrong"])).status_code == 404


def test_sign_up_list_page(client, district):
    act = f.activity(district, capacity=1)
    f.union_people(district, 2, prefix="名单")
    client.force_login(district.union_admin)
    response = client.post(reverse("activities:signup_list", args=[act.pk]), {"names": "名单0、名单1、无此人"})
    assert "“无此人”不在该活动的参加范围内" in response.content.decode()
    response = client.post(reverse("activities:signup_list", args=[act.pk]), {"names": "名单0\n名单1"}, follow=True)
    assert "报名 1 人，候补 1 人" in response.content.decode()


def test_the_answer_path_is_light(client, district, world, django_assert_max_num_queries):
    """No session, no user lookup: the question in one query, the duplicate check, one INSERT."""
    from django.utils import timezone

    quiz = world["quiz"]
    participant = qs.participant_join(by=world["member"], join_code=quiz.join_code, now=f.NOW)
    quiz = qs.live_next(by=district.union_admin, quiz_obj=quiz, now=timezone.now())
    qq = quiz.paper.get(position=1)
    data = {"token": qs.player_token(participant), "question": qq.pk, "answer": "A"}
    with django_assert_max_num_queries(5):  # SELECT question, SELECT kept answer, SAVEPOINT, INSERT, RELEASE
        first = client.post(reverse("activities:live_answer"), data)
    assert first.json()["status"] == "accepted"
    again = client.post(reverse("activities:live_answer"), data | {"answer": "B"})
    assert again.json()["status"] == "duplicate" and again.json()["points"] == first.json()["points"]


def test_union_dashboard_charts_the_activity_balance(client, district):
    """Issue 7 point 7: the union's dashboard shows learning vs recreation per union."""
    from activities.tests.factories import activity

    client.force_login(district.union_admin)
    heading = "年活动结构（学习培训与文体活动"
    assert heading not in client.get(reverse("union:index")).content.decode()  # no activity yet: no empty chart
    activity(district, kind="sports", days=0)
    page = client.get(reverse("union:index")).content.decode()
    assert heading in page and "学习培训占比" in page
