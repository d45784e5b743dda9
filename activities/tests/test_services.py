"""Services of the activities area: sign-up and the waiting list, check-in,
tournaments and results, judged contests, quizzes, exercise and balance —
with the Bad-input refusals of issue 7 (in Chinese)."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities import competition_services as cs
from activities import quiz_services as qs
from activities import selectors, services
from activities.models import Competition, Fixture, LiveAnswer, Official, Question, Quiz, Registration
from activities.tests import factories as f
from core.models import AuditEntry, Notification
from core.testing import user_with_grant

pytestmark = pytest.mark.django_db


# Sign-up --------------------------------------------------------------------


def test_member_signs_up_and_the_organiser_sees_counts_by_unit(district):
    act = f.activity(district, org=district.union_root, by=district.district_admin, capacity=10)
    reg = services.registration_signup(by=_member(district, district.union_a), activity=act, now=f.NOW)
    assert reg.status == Registration.REGISTERED
    rows = selectors.counts_by_unit(act)
    assert [(r.unit, r.registered) for r in rows] == [("区财政局", 1)]
    assert AuditEntry.objects.filter(action="activities.registration.signup").count() == 1


def _member(district, org, name="会员甲"):
    from accounts.models import Grant
    from core.testing import union_member

    m = union_member(org, name)
    return user_with_grant(f"u{m.pk}", Grant.MEMBER, person_obj=m.person)


def test_full_activity_puts_the_next_one_on_the_waiting_list_and_promotes_on_cancel(district):
    act = f.activity(district, capacity=1)
    first, second = _member(district, district.union_a, "甲"), _member(district, district.union_a, "乙")
    r1 = services.registration_signup(by=first, activity=act, now=f.NOW)
    r2 = services.registration_signup(by=second, activity=act, now=f.NOW)
    assert (r1.status, r2.status) == (Registration.REGISTERED, Registration.WAITLISTED)
    assert selectors.waiting_position(r2) == 1
    promoted = services.registration_cancel(by=first, registration=r1, now=f.NOW)
    assert promoted.pk == r2.pk
    r2.refresh_from_db()
    assert r2.status == Registration.REGISTERED
    assert Notification.objects.filter(user=second, title__contains="候补成功").exists()


def test_sign_up_over_capacity_without_waiting_list_is_refused_in_chinese(district):
    act = f.activity(district, capacity=1, waitlist_enabled=False)
    services.registration_signup(by=_member(district, district.union_a, "甲"), activity=act, now=f.NOW)
    with pytest.raises(ValidationError, match="名额已满（限 1 人，已报 1 人）"):
        services.registration_signup(by=_member(district, district.union_a, "乙"), activity=act, now=f.NOW)
    assert Registration.objects.filter(activity=act).count() == 1


def test_sign_up_past_the_deadline_is_refused(district):
    act = f.activity(district, signup_deadline=f.NOW - timedelta(hours=1))
    with pytest.raises(ValidationError, match="已过报名截止时间"):
        services.registration_signup(by=_member(district, district.union_a), activity=act, now=f.NOW)


def test_activity_of_another_union_is_not_open_to_the_member(district):
    act = f.activity(district, org=district.union_b, by=district.district_admin)
    with pytest.raises(ValidationError, match="不对您开放"):
        services.registration_signup(by=_member(district, district.union_a), activity=act, now=f.NOW)


def test_list_sign_up_is_all_or_nothing(district):
    act = f.activity(district, capacity=2, waitlist_enabled=False)
    people = f.union_people(district, 3)
    with pytest.raises(ValidationError, match="报名人数超过剩余名额：本次 3 人，剩余 2 个名额"):
        services.registration_signup_list(by=district.union_admin, activity=act, persons=people, now=f.NOW)
    assert not Registration.objects.filter(activity=act).exists()
    act2 = f.activity(district, capacity=2)
    assert services.registration_signup_list(by=district.union_admin, activity=act2, persons=people, now=f.NOW) == (
        2,
        1,
        0,
    )


def test_list_sign_up_refuses_people_outside_the_organisers_union(district):
    act = f.activity(district)
    outsider = f.union_people(district, 1, org=district.union_b, prefix="外")[0]
    with pytest.raises(ValidationError, match="不在该活动的参加范围内：外0"):
        services.registration_signup_list(by=district.union_admin, activity=act, persons=[outsider], now=f.NOW)


def test_qr_check_in_requires_registration_and_gives_a_training_certificate(district):
    act = f.activity(district, kind="training", title="公文写作培训", days=0)
    member = _member(district, district.union_a)
    with pytest.raises(ValidationError, match="您没有报名该活动"):
        services.checkin_by_token(by=member, token=act.checkin_token, now=f.NOW)
    services.registration_signup(by=member, activity=act, now=f.NOW - timedelta(days=1))
    reg = services.checkin_by_token(by=member, token=act.checkin_token, now=f.NOW)
    assert reg.checked_in_at == f.NOW and reg.checkin_method == Registration.QR
    assert reg.certificate_no.startswith("PX2026")
    hours = list(selectors.hours_by_member(user=district.union_admin, year=2026))
    assert hours[0]["hours"] == Decimal("4.0")


# Tournaments ----------------------------------------------------------------


def _drawn(district, n=5, **extra):
    act = f.activity(district)
    c = f.competition(district, act, n=n, **extra)
    return cs.competition_draw(by=district.union_admin, competition=c, seed=3, now=f.NOW)


def test_result_for_a_fixture_whose_players_are_not_known_is_refused(district):
    c = _drawn(district, n=5)
    later = c.fixtures.filter(status=Fixture.PENDING).first()
    with pytest.raises(ValidationError, match="对阵尚未确定，不能登记成绩"):
        cs.result_record(by=district.union_admin, fixture=later, home_score=3, away_score=1, now=f.NOW)


def test_eleven_ten_at_table_tennis_is_refused_with_act01(district):
    c = _drawn(district, n=4)
    fixture = c.fixtures.filter(status=Fixture.READY).first()
    with pytest.raises(ValidationError) as info:
        cs.result_record(by=district.union_admin, fixture=fixture, games=[(11, 10), (11, 5), (11, 3)], now=f.NOW)
    assert "第1局：乒乓球单局比分 11:10 不可能" in info.value.messages[0]
    assert not fixture.competition.results.exists()


def test_a_winner_moves_on_and_the_final_crowns_the_champion(district):
    c = _drawn(district, n=4, third_place=True)
    semis = list(c.fixtures.filter(status=Fixture.READY).order_by("order"))
    assert len(semis) == 2
    for fx in semis:
        cs.result_record(by=district.union_admin, fixture=fx, games=[(11, 9), (11, 7), (11, 5)], now=f.NOW)
    final = c.fixtures.get(stage="决赛")
    third = c.fixtures.get(code="P3")
    assert final.status == Fixture.READY and final.home_id == semis[0].home_id
    assert third.home_id == semis[0].away_id
    cs.result_record(by=district.union_admin, fixture=third, games=[(11, 9), (9, 11), (11, 5), (11, 8)], now=f.NOW)
    cs.result_record(by=district.union_admin, fixture=final, games=[(5, 11), (7, 11), (9, 11)], now=f.NOW)
    c.refresh_from_db()
    assert c.status == Competition.FINISHED
    from activities import boards

    assert boards.build(c).champion == final.away_label


def test_only_the_competitions_referee_may_record(district):
    c = _drawn(district, n=4)
    fixture = c.fixtures.filter(status=Fixture.READY).first()
    referee = district.member_user
    with pytest.raises(PermissionDenied):
        cs.result_record(by=referee, fixture=fixture, games=[(11, 9), (11, 7), (11, 5)], now=f.NOW)
    cs.official_assign(by=district.union_admin, competition=c, user=referee, role=Official.REFEREE)
    cs.result_record(by=referee, fixture=fixture, games=[(11, 9), (11, 7), (11, 5)], now=f.NOW)
    assert fixture.competition.results.count() == 1


def test_a_result_can_be_voided_until_the_next_round_is_played(district):
    c = _drawn(district, n=4)
    a, b = c.fixtures.filter(status=Fixture.READY).order_by("order")
    cs.result_record(by=district.union_admin, fixture=a, games=[(11, 9), (11, 7), (11, 5)], now=f.NOW)
    cs.result_record(by=district.union_admin, fixture=b, games=[(11, 9), (11, 7), (11, 5)], now=f.NOW)
    final = c.fixtures.get(stage="决赛")
    cs.result_record(by=district.union_admin, fixture=final, games=[(11, 9), (11, 7), (11, 5)], now=f.NOW)
    with pytest.raises(ValidationError, match="后续场次 R2-1 已登记成绩"):
        cs.result_void(by=district.union_admin, fixture=a)
    cs.result_void(by=district.union_admin, fixture=final)
    cs.result_void(by=district.union_admin, fixture=a)
    final.refresh_from_db()
    assert final.status == Fixture.PENDING and final.home_id is None


def test_knockout_draw_is_refused_and_basketball_has_no_draws(district):
    act = f.activity(district)
    c = f.competition(district, act, n=4, discipline="BASKETBALL")
    c = cs.competition_draw(by=district.union_admin, competition=c, seed=1, now=f.NOW)
    fx = c.fixtures.filter(status=Fixture.READY).first()
    with pytest.raises(ValidationError, match="篮球比赛不设平局"):
        cs.result_record(by=district.union_admin, fixture=fx, home_score=60, away_score=60, now=f.NOW)


def test_round_robin_standings_break_ties_by_head_to_head(district):
    """Three players level on points: head-to-head decides before score difference."""
    act = f.activity(district)
    c = f.competition(district, act, n=3, discipline="BOARD_GAMES", fmt=Competition.ROUND_ROBIN)
    c = cs.competition_draw(by=district.union_admin, competition=c, seed=1, now=f.NOW)
    names = {e.pk: e.name for e in c.entries.select_related("person")}
    fixtures = {frozenset((fx.home_id, fx.away_id)): fx for fx in c.fixtures.all()}
    a, b, d = sorted(names)
    # A cycle: a beats b, b beats d, d beats a.
    cs.result_record(
        by=district.union_admin,
        fixture=fixtures[frozenset((a, b))],
        **_score(fixtures[frozenset((a, b))], a, 1, 0),
        now=f.NOW,
    )
    cs.result_record(
        by=district.union_admin,
        fixture=fixtures[frozenset((b, d))],
        **_score(fixtures[frozenset((b, d))], b, 1, 0),
        now=f.NOW,
    )
    cs.result_record(
        by=district.union_admin,
        fixture=fixtures[frozenset((a, d))],
        **_score(fixtures[frozenset((a, d))], d, 1, 0),
        now=f.NOW,
    )
    from activities import boards

    table = boards.build(c).tables[0][1]
    # All three won once (2 points) and lost once: level on points; the mini-table is level too,
    # so score difference decides — all 0 — and they share rank 1.
    assert [r["points"] for r in table] == [2, 2, 2]
    assert {r["rank"] for r in table} == {1}


def _score(fixture, winner, w, lose):
    return {"home_score": w, "away_score": lose} if fixture.home_id == winner else {"home_score": lose, "away_score": w}


def test_round_robin_head_to_head_separates_two_level_on_points(district):
    act = f.activity(district)
    c = f.competition(district, act, n=4, discipline="BOARD_GAMES", fmt=Competition.ROUND_ROBIN)
    c = cs.competition_draw(by=district.union_admin, competition=c, seed=1, now=f.NOW)
    fixtures = {frozenset((fx.home_id, fx.away_id)): fx for fx in c.fixtures.all()}
    a, b, x, y = sorted(e.pk for e in c.entries.all())
    wins = [(a, b), (b, x), (b, y), (a, x), (y, a), (x, y)]  # a and b win twice, x and y once
    for winner, loser in wins:
        fx = fixtures[frozenset((winner, loser))]
        cs.result_record(by=district.union_admin, fixture=fx, **_score(fx, winner, 1, 0), now=f.NOW)
    from activities import boards

    table = boards.build(c).tables[0][1]
    names = {e.pk: e.name for e in c.entries.select_related("person")}
    # a and b both have 2 wins (4 points with 2/1/0); a beat b, so a is above b.
    assert table[0]["name"] == names[a] and table[1]["name"] == names[b]
    assert table[0]["points"] == table[1]["points"] and table[0]["rank"] == 1 and table[1]["rank"] == 2


def test_groups_fill_the_knockout_when_a_group_is_finished(district):
    act = f.activity(district)
    c = f.competition(district, act, n=8, discipline="TUG_OF_WAR", fmt=Competition.GROUPS_KNOCKOUT,
                      group_count=2, qualifiers_per_group=2)  # fmt: skip
    c = cs.competition_draw(by=district.union_admin, competition=c, seed=5, now=f.NOW)
    for fx in c.fixtures.filter(group="A").order_by("order"):
        cs.result_record(by=district.union_admin, fixture=fx, home_score=2, away_score=1, now=f.NOW)
    knockout = c.fixtures.filter(group="").exclude(code="P3")
    filled = [fx for fx in knockout if fx.round == 1 and (fx.home_id or fx.away_id)]
    assert len(filled) == 2  # A1 and A2 now named in the semi-finals, B places still open
    assert all("B组" in (fx.home_label + fx.away_label) for fx in filled)


def test_team_entries_come_from_one_unit_and_tug_of_war_weight_limit(district):
    act = f.activity(district)
    c = cs.competition_save(by=district.union_admin, competition=Competition(activity=act, name="拔河", discipline="TUG_OF_WAR",
                                                                           format=Competition.SINGLE_ELIMINATION))  # fmt: skip
    mine = f.union_people(district, 2)
    other = f.union_people(district, 1, org=district.union_b, prefix="税务")
    with pytest.raises(ValidationError, match="队员须来自同一单位"):
        cs.entry_add(by=district.union_admin, competition=c, unit=district.unit_a, team_name="财政队",
                     members=mine + other, weight_kg=Decimal("500"))  # fmt: skip
    with pytest.raises(ValidationError, match="超过限重 700.00 公斤"):
        cs.entry_add(by=district.union_admin, competition=c, unit=district.unit_a, team_name="财政队",
                     members=mine, weight_kg=Decimal("712.5"))  # fmt: skip


def test_timed_event_ranks_by_time_with_dnf_last(district):
    act = f.activity(district)
    c = f.competition(district, act, n=5, discipline="SWIMMING", fmt=Competition.TIMED, lanes=4)
    c = cs.competition_draw(by=district.union_admin, competition=c, seed=1, now=f.NOW)
    entries = list(c.entries.order_by("pk"))
    assert {e.heat for e in entries} == {1, 2} and all(e.lane for e in entries)
    for e, ms in zip(entries, [31000, 29500, 30000, None, 29500], strict=True):
        status = "dnf" if ms is None else "ok"
        cs.timed_result_record(by=district.union_admin, entry=e, time_ms=ms, status=status, now=f.NOW)
    from activities import boards

    ranking = boards.build(c).ranking
    assert [r["rank"] for r in ranking] == [1, 1, 3, 4, None]
    assert ranking[-1]["status"] == "未完成"
    with pytest.raises(ValidationError, match="须填写用时"):
        cs.timed_result_record(by=district.union_admin, entry=entries[0], time_ms=None, status="ok", now=f.NOW)


# Judged contests ------------------------------------------------------------


def test_judged_contest_drops_high_and_low_with_five_judges_and_gives_awards(district):
    act = f.activity(district, kind="culture", title="书画比赛")
    c = cs.competition_save(by=district.union_admin, competition=Competition(activity=act, name="书画", discipline="CALLIGRAPHY",
                                                                           format=Competition.JUDGED))  # fmt: skip
    people = f.union_people(district, 3, prefix="作者")
    services.registration_signup_list(by=district.union_admin, activity=act, persons=people, now=f.NOW)
    entries = [cs.entry_add(by=district.union_admin, competition=c, unit=district.unit_a, person=p, work_title=f"作品{i}")
               for i, p in enumerate(people)]  # fmt: skip
    crit = cs.criterion_add(
        by=district.union_admin, competition=c, name="艺术水平", weight=Decimal(1), max_score=Decimal(100)
    )
    judges = []
    for i in range(5):
        from accounts.models import Grant

        judge = user_with_grant(f"judge{i}", Grant.MEMBER)
        cs.official_assign(by=district.union_admin, competition=c, user=judge, role=Official.JUDGE)
        judges.append(judge)
    with pytest.raises(ValidationError, match="超出 0 至 100 分的范围"):
        cs.marks_save(by=judges[0], entry=entries[0], marks={crit.pk: "101"})
    marks = {0: [90, 80, 80, 80, 10], 1: [70, 70, 70, 70, 70], 2: [60, 60, 60, 60, 60]}
    for e_index, scores in marks.items():
        for judge, score in zip(judges, scores, strict=True):
            cs.marks_save(by=judge, entry=entries[e_index], marks={crit.pk: str(score)})
    from activities import boards

    ranking = boards.build(c).ranking
    # Entry 0: drop 90 and 10 → 80; plain average would be 68.
    assert ranking[0]["name"] == people[0].name and ranking[0]["score"] == Decimal("80.00")
    assert [r["award"] for r in ranking] == ["一等奖", "二等奖", "二等奖"]
    with pytest.raises(PermissionDenied):
        cs.marks_save(by=district.union_admin, entry=entries[0], marks={crit.pk: "50"})


# Quizzes --------------------------------------------------------------------


def _live(district, seconds=20):
    act = f.activity(district, kind="learning", title="知识竞赛")
    q = f.live_quiz(district, act, questions=3, seconds=seconds)
    players = []
    for name in ("甲", "乙"):
        user = _member(district, district.union_a, name)
        players.append(qs.participant_join(by=user, join_code=q.join_code, now=f.NOW))
    return q, players


def test_live_answer_is_kept_once_and_late_answers_are_refused(district):
    q, (p1, p2) = _live(district)
    q = qs.live_next(by=district.union_admin, quiz_obj=q, now=f.NOW)
    qq = q.paper.select_related("question").get(position=1)
    right = qq.question.answer if qq.question.kind == "multiple" else qq.question.answer[0]
    first = qs.live_answer(
        quiz_id=q.pk, participant_id=p1.pk, quiz_question_id=qq.pk, given=right, now=f.NOW + timedelta(seconds=2)
    )
    assert first.status == "accepted" and first.points == 950
    again = qs.live_answer(
        quiz_id=q.pk, participant_id=p1.pk, quiz_question_id=qq.pk, given="X", now=f.NOW + timedelta(seconds=3)
    )
    assert (again.status, again.points) == ("duplicate", 950)
    late = qs.live_answer(
        quiz_id=q.pk, participant_id=p2.pk, quiz_question_id=qq.pk, given=right, now=f.NOW + timedelta(seconds=21)
    )
    assert late.status == "refused" and "第1题限时 20 秒，提交时已用 21 秒，超时答案不予受理" in late.message
    assert LiveAnswer.objects.count() == 1
    # A resubmission after the countdown still gets the first answer back (a phone reconnecting).
    retry = qs.live_answer(
        quiz_id=q.pk, participant_id=p1.pk, quiz_question_id=qq.pk, given=right, now=f.NOW + timedelta(seconds=30)
    )
    assert retry.status == "duplicate"


def test_host_closing_early_refuses_later_answers(district):
    q, (p1, _) = _live(district)
    q = qs.live_next(by=district.union_admin, quiz_obj=q, now=f.NOW)
    q = qs.live_close(by=district.union_admin, quiz_obj=q, now=f.NOW + timedelta(seconds=5))
    qq = q.paper.get(position=1)
    out = qs.live_answer(
        quiz_id=q.pk, participant_id=p1.pk, quiz_question_id=qq.pk, given="A", now=f.NOW + timedelta(seconds=6)
    )
    assert out.status == "refused" and "主持人已结束第1题的作答" in out.message


def test_leaderboards_by_person_and_unit(district):
    q, (p1, p2) = _live(district)
    q = qs.live_next(by=district.union_admin, quiz_obj=q, now=f.NOW)
    qq = q.paper.select_related("question").get(position=1)
    right = qq.question.answer if qq.question.kind == "multiple" else qq.question.answer[0]
    qs.live_answer(
        quiz_id=q.pk, participant_id=p2.pk, quiz_question_id=qq.pk, given=right, now=f.NOW + timedelta(seconds=1)
    )
    qs.live_answer(
        quiz_id=q.pk, participant_id=p1.pk, quiz_question_id=qq.pk, given="错", now=f.NOW + timedelta(seconds=1)
    )
    boards = qs.leaderboards(q)
    assert [(row.rank, name) for row, name, _ in boards.people] == [(1, "乙"), (2, "甲")]
    assert boards.answered == 2
    ((unit_row, unit_name),) = boards.units
    assert unit_name == "区财政局" and unit_row.points == boards.people[0][0].points


def test_next_question_waits_for_the_countdown(district):
    q, _ = _live(district)
    q = qs.live_next(by=district.union_admin, quiz_obj=q, now=f.NOW)
    with pytest.raises(ValidationError, match="本题还在计时"):
        qs.live_next(by=district.union_admin, quiz_obj=q, now=f.NOW + timedelta(seconds=5))
    q = qs.live_next(by=district.union_admin, quiz_obj=q, now=f.NOW + timedelta(seconds=25))
    assert q.current_position == 2


def test_join_code_must_exist(district):
    with pytest.raises(ValidationError, match="加入码无效"):
        qs.participant_join(by=district.member_user, join_code="000000", now=f.NOW)


def test_self_paced_quiz_grades_and_limits_attempts(district):
    act = f.activity(district, kind="learning", title="线上答题")
    f.bank(district, 8)
    quiz_obj = qs.quiz_save(by=district.union_admin, quiz_obj=Quiz(activity=act, title="线上", mode=Quiz.SELF_PACED,
                            attempts_limit=1, time_limit_minutes=10, draw_rules=[{"count": 4}]))  # fmt: skip
    qs.quiz_draw_paper(by=district.union_admin, quiz_obj=quiz_obj, seed=1)
    qs.quiz_set_status(by=district.union_admin, quiz_obj=quiz_obj, status=Quiz.OPEN)
    member = _member(district, district.union_a)
    attempt = qs.attempt_start(by=member, quiz_obj=quiz_obj, now=f.NOW)
    answers = {}
    for qq in quiz_obj.paper.select_related("question"):
        answers[str(qq.pk)] = qq.question.answer if qq.question.kind == "multiple" else qq.question.answer[0]
    attempt = qs.attempt_submit(by=member, attempt=attempt, answers=answers, now=f.NOW + timedelta(minutes=5))
    assert (attempt.correct, attempt.score) == (4, Decimal("100.00"))
    with pytest.raises(ValidationError, match="每人最多答题 1 次"):
        qs.attempt_start(by=member, quiz_obj=quiz_obj, now=f.NOW)


def test_draw_paper_refuses_when_the_bank_is_too_small(district):
    act = f.activity(district, kind="learning")
    f.bank(district, 4)
    quiz_obj = qs.quiz_save(by=district.union_admin, quiz_obj=Quiz(activity=act, title="x", mode=Quiz.LIVE,
                            draw_rules=[{"count": 9, "tag": "工会法"}]))  # fmt: skip
    with pytest.raises(ValidationError, match="不足以抽取 9 道"):
        qs.quiz_draw_paper(by=district.union_admin, quiz_obj=quiz_obj, seed=1)


def _xlsx(rows):
    from core.excel import write_xlsx

    return write_xlsx(sheet_title="题库", headers=qs.TEMPLATE_HEADERS, rows=rows, title="题库")


def test_question_import_is_all_or_nothing_with_row_errors(district):
    good = ["单选", "预备期为？", "半年", "一年", "", "", "B", "党章", "容易"]
    bad_answer = ["单选", "最高领导机关？", "甲", "乙", "", "", "C", "党章", "中等"]
    bad_kind = ["问答", "什么是工会？", "", "", "", "", "组织", "", ""]
    report = qs.questions_import(
        by=district.union_admin, data=_xlsx([good, bad_answer, bad_kind]), owner=district.union_a
    )
    assert not report.ok and Question.objects.count() == 0
    assert [(e.row, e.column) for e in report.errors] == [(4, "G"), (5, "A")]
    assert "答案 C 不在选项 AB 中" in report.errors[0].message
    report = qs.questions_import(by=district.union_admin, data=_xlsx([good, ["判断", "党章是根本大法？", "", "", "", "", "错", "", "难"]]),
                                 owner=district.union_a)  # fmt: skip
    assert report.ok and report.imported == 2
    assert Question.objects.get(kind="true_false").difficulty == "hard"


def test_import_into_a_bank_outside_scope_is_refused(district):
    good = ["单选", "预备期为？", "半年", "一年", "", "", "B", "党章", "容易"]
    with pytest.raises(PermissionDenied):
        qs.questions_import(by=district.union_admin, data=_xlsx([good]), owner=district.union_b)


# Exercise and balance -------------------------------------------------------

MON_23_NOV = datetime(2026, 11, 23, 9, 0, tzinfo=f.TZ)


def test_exercise_check_in_is_one_tap_a_day_and_counts_in_the_month(district):
    # A fixed day: the working-day count below is of November 2026.
    day = MON_23_NOV.date()
    row, created = services.exercise_check_in(
        by=district.union_admin, unit=district.unit_a, day=day, now=MON_23_NOV, participants=12
    )
    again, created_again = services.exercise_check_in(
        by=district.union_admin, unit=district.unit_a, day=day, now=MON_23_NOV
    )
    assert created and not created_again and again.pk == row.pk
    with pytest.raises(PermissionDenied):
        services.exercise_check_in(by=district.union_admin, unit=district.unit_b, day=day, now=MON_23_NOV)
    person = district.member_a.person
    services.exercise_check_in(by=district.member_user, unit=district.unit_a, day=day, now=MON_23_NOV, person=person)
    rows = selectors.exercise_month(user=district.union_admin, year=2026, month=11, today=day)
    (unit_row,) = [r for r in rows if r.unit == "区财政局"]
    assert (unit_row.days, unit_row.taps) == (1, 1)
    assert unit_row.workdays == 16  # 1–23 Nov 2026: 16 working days


@pytest.mark.parametrize("large", [False, True])
def test_balance_flags_a_union_with_too_little_study_and_alerts_the_dashboard(district, monkeypatch, large):
    """The same rows and alert in a very large scope, which reads its member counts and
    its alert from a minute's cache."""
    from accounts.scope import scope_of
    from activities.dashboard import balance_alert
    from core.testing import union_member
    from orgs import selectors as org_selectors

    if large:
        monkeypatch.setattr(org_selectors, "TREE_FULL_LIMIT", 0)
    union_member(district.union_a, "李工")
    union_member(district.union_a, "周工")

    for i in range(3):
        f.activity(district, kind="sports", title=f"运动{i}", days=-30 - i)
    f.activity(district, kind="learning", title="学习", days=-40)
    f.activity(district, org=district.union_b, by=district.district_admin, kind="learning", title="学习B", days=-20)
    scope = scope_of(district.district_admin)
    rows = selectors.balance_rows(scope=scope, year=2026, min_share=selectors.min_education_share())
    by_name = {r.union: r for r in rows}
    assert by_name["区财政局工会"].share_percent == "25.0%"
    assert [x.rule for x in by_name["区财政局工会"].findings] == ["ACT-08"]
    assert by_name["区税务局工会"].findings == []
    assert by_name["区财政局工会"].members == 2  # both union members of 区财政局工会
    (alert,) = balance_alert(user=district.district_admin, scope=scope, today=f.NOW.date())
    assert alert.count == 1 and "区财政局工会" in alert.detail


def test_the_mark_record_is_audited(district):
    _drawn(district, n=2)
    assert AuditEntry.objects.filter(action="activities.competition.draw").exists()


def test_member_cannot_cancel_after_the_start(district):
    act = f.activity(district, days=-1)
    member = _member(district, district.union_a)
    reg = Registration.objects.create(activity=act, person_id=member.person_id, created_at=f.NOW - timedelta(days=3))
    with pytest.raises(ValidationError, match="活动已开始，不能再取消报名"):
        services.registration_cancel(by=member, registration=reg, now=f.NOW)


__all__ = ["Decimal"]
