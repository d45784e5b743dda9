"""Demo content of the activities area (issue 7, point 8).

A year of activities of every kind for every grassroots union (a few with too
little study, so ACT-08 shows), sign-ups and check-ins; a district sports meet
with one finished and one running tournament per sport; a judged 书画 contest;
a question bank of 120 questions, a past live quiz and an open online quiz;
training hours and certificates; 工间操 check-ins for the last three months.
Bulk inserts; the tournaments go through the real services so that their
draws and results are what the pages would have produced.
"""

from __future__ import annotations

import time as time_module
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Grant, User
from activities import balance, competition_services, quiz, sports
from activities.models import (
    Activity,
    Competition,
    Criterion,
    Entry,
    ExerciseCheckIn,
    LiveAnswer,
    Mark,
    Official,
    Participant,
    Question,
    Quiz,
    QuizQuestion,
    Registration,
)
from people.models import UnionMember

KIND_TITLES = {
    balance.LEARNING: [
        "学习贯彻党的二十届四中全会精神专题学习",
        "《工会法》学习会",
        "读书分享会",
        "廉政警示教育",
        "主题党日学习",
    ],
    balance.TRAINING: ["公文写作培训", "计算机应用技能培训", "安全生产知识培训", "保密知识培训", "急救知识培训"],
    balance.CULTURE: ["迎新春书画展", "职工合唱排练", "摄影作品展", "读书月朗诵会", "棋牌友谊赛"],
    balance.SPORTS: ["职工羽毛球活动", "健步走", "登山活动", "乒乓球交流赛", "趣味运动会"],
    balance.CARE: ["走访慰问困难职工", "金秋助学", "志愿服务进社区", "无偿献血"],
    balance.OTHER: ["职工代表座谈会", "青年联谊活动"],
}
PLACES = ["机关大礼堂", "职工之家活动室", "区体育馆", "三楼会议室", "太白岩公园", "区图书馆报告厅"]
TAGS = ["党章", "工会法", "党史", "安全生产", "法律法规"]


def _aware(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


def extend(district) -> str:
    today = district.today
    admin = district.users["gwadmin"]
    members_by_union: dict[int, list[tuple[int, int | None]]] = {}
    for union_id, person_id, unit_id in (
        UnionMember.objects.filter(left_on__isnull=True)
        .order_by("union_org_id", "id")
        .values_list("union_org_id", "person_id", "person__unit_id")
    ):
        members_by_union.setdefault(union_id, []).append((person_id, unit_id))
    started = time_module.monotonic()
    laps = []

    def lap(label):
        laps.append(f"{label} {time_module.monotonic() - started - sum(float(x.split()[1]) for x in laps):.1f}")

    n_activities, n_regs = _union_year(district, members_by_union)
    lap("活动")
    n_comp = _sports_meet(district, admin, members_by_union)
    lap("比赛")
    _calligraphy(district, admin, members_by_union)
    n_questions = _quizzes(district, admin, members_by_union)
    lap("竞赛")
    n_checkins = _exercise(district)
    _demo_users(district, members_by_union)
    lap("工间操")
    return (
        f"文体活动：{n_activities} 项活动，{n_regs} 人次报名，{n_comp} 场比赛，题库 {n_questions} 题，"
        f"工间操打卡 {n_checkins} 条（{today:%Y-%m-%d} 前后一年），用时 {time_module.monotonic() - started:.1f} 秒（{'，'.join(laps)}）"
    )


def _union_year(district, members_by_union) -> tuple[int, int]:
    rng, today = district.rng, district.today
    now = _aware(today, 12)
    kinds = list(KIND_TITLES)
    activities, plans = [], []
    for i, union in enumerate(district.unions):
        people = members_by_union.get(union.pk, [])
        # Most unions keep study at a third or more; every seventh leans to recreation (ACT-08).
        weights = [1, 1, 3, 4, 1, 1] if i % 7 == 3 else [4, 3, 2, 2, 1, 1]
        for _ in range(rng.randint(7, 12)):
            kind = rng.choices(kinds, weights)[0]
            day = today + timedelta(days=rng.randint(-330, 30))
            starts = _aware(day, rng.choice([9, 14, 15]))
            capacity = rng.choice([None, 20, 30, 50])
            activities.append(
                Activity(
                    title=rng.choice(KIND_TITLES[kind]),
                    kind=kind,
                    union_org=union,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=rng.choice([2, 3])),
                    place=rng.choice(PLACES),
                    capacity=capacity,
                    signup_deadline=starts - timedelta(days=1),
                    hours=Decimal(rng.choice(["2", "4", "8"])) if kind == balance.TRAINING else None,
                    description="",
                )
            )
            plans.append(people)
    Activity.objects.bulk_create(activities, batch_size=2000)
    regs = []
    for activity, people in zip(activities, plans, strict=True):
        if not people:
            continue
        wanted = min(len(people), rng.randint(4, 16))
        chosen = rng.sample(people, wanted)
        past = activity.ends_at < now
        for n, (person_id, unit_id) in enumerate(chosen):
            waiting = activity.capacity is not None and n >= activity.capacity
            r = Registration(
                activity=activity,
                person_id=person_id,
                unit_id=unit_id,
                status=Registration.WAITLISTED if waiting else Registration.REGISTERED,
                created_at=activity.starts_at - timedelta(days=3, minutes=n),
            )
            if past and not waiting and rng.random() < 0.85:
                r.checked_in_at = activity.starts_at - timedelta(minutes=rng.randint(0, 20))
                r.checkin_method = rng.choice([Registration.QR, Registration.QR, Registration.LIST])
                if activity.kind == balance.TRAINING:
                    r.certificate_no = f"PX{activity.starts_at.year}{activity.pk:04d}-{len(regs) + 1:05d}"
            regs.append(r)
    Registration.objects.bulk_create(regs, batch_size=5000)
    return len(activities), len(regs)


def _meet_entries(rng, members_by_union, unions, count):
    """``count`` (person, unit) pairs from different unions, for individual events."""
    pool = [p for u in unions for p in members_by_union.get(u.pk, [])[:6] if p[1]]
    return rng.sample(pool, min(count, len(pool)))


def _sports_meet(district, admin, members_by_union) -> int:
    rng, today = district.rng, district.today
    root = district.union_root
    made = 0
    for finished in (True, False):
        starts = _aware(today - timedelta(days=120 if finished else 1), 9)
        meet = Activity.objects.create(
            title=f"{starts.year}年区直机关职工{'春季' if finished else '秋季'}运动会",
            kind=balance.SPORTS,
            union_org=root,
            starts_at=starts,
            ends_at=starts + timedelta(days=3 if finished else 10),
            place="区体育中心",
        )
        for code, preset in sports.PRESETS.items():
            made += 1
            fmt = _format_for(preset, rng)
            competition = Competition(
                activity=meet,
                name=f"{preset.name}{'团体赛' if preset.team else '比赛'}",
                discipline=code,
                format=fmt,
                third_place=fmt == Competition.SINGLE_ELIMINATION,
                group_count=2 if fmt == Competition.GROUPS_KNOCKOUT else None,
                qualifiers_per_group=2 if fmt == Competition.GROUPS_KNOCKOUT else None,
                lanes=6 if preset.format == sports.TIMED else None,
            )
            competition_services.competition_save(by=admin, competition=competition)
            _entries(rng, competition, preset, members_by_union, district.unions, meet)
            competition = competition_services.competition_draw(
                by=admin, competition=competition, seed=rng.randint(1, 10**6), now=starts
            )
            _play(rng, admin, competition, preset, starts, share=1.0 if finished else 0.5)
            if finished and competition.status != Competition.FINISHED:
                Competition.objects.filter(pk=competition.pk).update(status=Competition.FINISHED)
    return made


def _format_for(preset, rng) -> str:
    if preset.format == sports.TIMED:
        return Competition.TIMED
    return {
        sports.TABLE_TENNIS.code: Competition.SINGLE_ELIMINATION,
        sports.BASKETBALL.code: Competition.GROUPS_KNOCKOUT,
        sports.TUG_OF_WAR.code: Competition.SINGLE_ELIMINATION,
        sports.BOARD_GAMES.code: Competition.ROUND_ROBIN,
    }[preset.code]


def _entries(rng, competition, preset, members_by_union, unions, meet) -> None:
    regs, entries, team_members = [], [], []
    if preset.team:
        teams = rng.sample([u for u in unions if len(members_by_union.get(u.pk, [])) >= 6], 8)
        for i, union in enumerate(teams):
            people = [p for p in members_by_union[union.pk] if p[1] == union.unit_id][:5] or members_by_union[union.pk][
                :5
            ]
            entries.append(
                Entry(
                    competition=competition,
                    team_name=f"{union.unit.short_name if union.unit_id else union.name}队",
                    unit_id=union.unit_id,
                    seed=i + 1 if i < 2 else None,
                    weight_kg=Decimal(rng.randint(520, 690))
                    if preset.weight_limit_kg is not None or preset.code == "TUG_OF_WAR"
                    else None,
                )
            )
            team_members.append([p for p, _ in people])
            regs += [(p, u) for p, u in people]
    else:
        count = (
            12 if preset.format == sports.TIMED else (10 if competition.format == Competition.SINGLE_ELIMINATION else 6)
        )
        for i, (person_id, unit_id) in enumerate(_meet_entries(rng, members_by_union, unions, count)):
            entries.append(
                Entry(
                    competition=competition,
                    person_id=person_id,
                    unit_id=unit_id,
                    seed=i + 1 if i < 2 and preset.format != sports.TIMED else None,
                    entry_time_ms=rng.randint(25_000, 45_000) if preset.code == "SWIMMING" else None,
                )
            )
            regs.append((person_id, unit_id))
    Entry.objects.bulk_create(entries)
    for entry, people in zip(entries, team_members, strict=False):
        entry.members.set(people)
    Registration.objects.bulk_create(
        [
            Registration(
                activity=meet,
                person_id=p,
                unit_id=u,
                status=Registration.REGISTERED,
                created_at=meet.starts_at - timedelta(days=7),
            )
            for p, u in regs
        ],
        ignore_conflicts=True,
    )


def _play(rng, admin, competition, preset, starts, *, share: float) -> None:
    """Results for ``share`` of the fixtures, round by round. The scores are checked
    with the sport's rules (sports.py) like result_record does; the rows are
    written in bulk and the draw advanced once per round, which keeps the demo fast."""
    from activities.models import Fixture, Result

    if competition.format == Competition.TIMED:
        base = {"SWIMMING": 30_000, "LONG_RUN": 1_200_000, "HILL_CLIMB": 2_400_000}[preset.code]
        entries = list(competition.entries.all())
        rows = []
        for entry in entries[: int(len(entries) * share)]:
            roll = rng.random()
            status = sports.DNF if roll < 0.06 else sports.DSQ if roll < 0.09 else sports.OK
            time_ms = base + rng.randint(0, base // 3) if status == sports.OK else None
            rows.append(Result(competition=competition, entry=entry, time_ms=time_ms, status=status,
                               recorded_by=admin, recorded_at=starts))  # fmt: skip
        Result.objects.bulk_create(rows)
        if share >= 1:
            Competition.objects.filter(pk=competition.pk).update(status=Competition.FINISHED)
        return
    target = int(competition.fixtures.exclude(status=Fixture.BYE).count() * share)
    played = 0
    while played < target:
        ready = list(competition.fixtures.filter(status=Fixture.READY).order_by("order"))[: target - played]
        if not ready:
            break
        rows = []
        for fixture in ready:
            knockout = not fixture.group and competition.format != Competition.ROUND_ROBIN
            score = _score(rng, preset, knockout=knockout)
            games = score.get("games", [])
            if games:
                assert not sports.table_tennis_match_findings(games, preset=preset)
                home, away = sports.games_won(games)
            else:
                home, away = score["home_score"], score["away_score"]
                assert not sports.score_findings(preset, home, away)
            winner = None if home == away else fixture.home_id if home > away else fixture.away_id
            rows.append(Result(competition=competition, fixture=fixture, home_score=home, away_score=away,
                               games=[list(g) for g in games], winner_id=winner, recorded_by=admin, recorded_at=starts))  # fmt: skip
        Result.objects.bulk_create(rows)
        played += len(rows)
        competition_services.refresh(competition)
    place = "球台" if preset.code == "TABLE_TENNIS" else "场地"
    fixtures = list(competition.fixtures.exclude(status=Fixture.BYE).order_by("order"))
    for i, fixture in enumerate(fixtures):
        fixture.court = f"{i % 6 + 1}号{place}"
        fixture.scheduled_at = starts + timedelta(minutes=40 * (i // 6))
    Fixture.objects.bulk_update(fixtures, ["court", "scheduled_at"])


def _score(rng, preset, *, knockout: bool) -> dict:
    home_wins = rng.random() < 0.55
    if preset.code == "TABLE_TENNIS":
        games, h, a = [], 0, 0
        while max(h, a) < 3:
            win = rng.random() < (0.6 if home_wins else 0.4)
            loser = rng.randint(3, 9)
            games.append((11, loser) if win else (loser, 11))
            h, a = h + win, a + (not win)
        return {"games": games}
    if preset.code == "TUG_OF_WAR":
        return (
            {"home_score": 2, "away_score": rng.choice([0, 1])}
            if home_wins
            else {"home_score": rng.choice([0, 1]), "away_score": 2}
        )
    if preset.code == "BOARD_GAMES":
        if not knockout and rng.random() < 0.25:
            return {"home_score": 1, "away_score": 1}
        return {"home_score": 1, "away_score": 0} if home_wins else {"home_score": 0, "away_score": 1}
    a, b = rng.randint(40, 70), rng.randint(30, 60)
    if a == b:
        a += 2
    return (
        {"home_score": max(a, b), "away_score": min(a, b)}
        if home_wins
        else {"home_score": min(a, b), "away_score": max(a, b)}
    )


def _calligraphy(district, admin, members_by_union) -> None:
    rng, today = district.rng, district.today
    starts = _aware(today - timedelta(days=60), 9)
    show = Activity.objects.create(
        title="“翰墨颂党恩”职工书画比赛", kind=balance.CULTURE, union_org=district.union_root,
        starts_at=starts, ends_at=starts + timedelta(days=14), place="区图书馆展厅",
    )  # fmt: skip
    contest = Competition.objects.create(
        activity=show, name="职工书画比赛", discipline=Competition.CALLIGRAPHY, format=Competition.JUDGED,
        status=Competition.FINISHED,
    )  # fmt: skip
    criteria = Criterion.objects.bulk_create([
        Criterion(competition=contest, name="思想内容", weight=Decimal("30"), max_score=Decimal("100")),
        Criterion(competition=contest, name="艺术水平", weight=Decimal("50"), max_score=Decimal("100")),
        Criterion(competition=contest, name="创新性", weight=Decimal("20"), max_score=Decimal("100")),
    ])  # fmt: skip
    titles = ["沁园春·雪", "江山如画", "清风", "厚德载物", "为人民服务", "春到三峡", "不忘初心", "山水清音",
              "岁寒三友", "万州晨曦", "劳动最光荣", "家和万事兴", "上善若水", "墨竹"]  # fmt: skip
    people = _meet_entries(rng, members_by_union, district.unions, len(titles))
    entries = Entry.objects.bulk_create([
        Entry(competition=contest, person_id=p, unit_id=u, work_title=t) for (p, u), t in zip(people, titles, strict=False)
    ])  # fmt: skip
    judges = _judge_users(district, 5)
    Official.objects.bulk_create([Official(competition=contest, user=j, role=Official.JUDGE) for j in judges])
    marks = []
    for entry in entries:
        level = rng.randint(70, 92)
        for judge in judges:
            for c in criteria:
                marks.append(
                    Mark(
                        entry=entry,
                        criterion=c,
                        judge=judge,
                        score=Decimal(min(100, max(50, level + rng.randint(-8, 8)))),
                    )
                )
    Mark.objects.bulk_create(marks)


def _judge_users(district, n) -> list[User]:
    password = make_password(None)
    users = User.objects.bulk_create([
        User(username=f"pingwei{i + 1}", display_name=f"评委{'一二三四五六七八九'[i]}", password=password) for i in range(n)
    ])  # fmt: skip
    Grant.objects.bulk_create([Grant(user=u, role=Grant.MEMBER) for u in users])
    return users


QUESTION_SEEDS = [
    (
        "single",
        "党的最高领导机关是？",
        ["党的全国代表大会和它所产生的中央委员会", "中央政治局", "中央书记处", "中央纪委"],
        ["A"],
        "党章",
    ),
    ("single", "预备党员的预备期为？", ["半年", "一年", "两年", "三年"], ["B"], "党章"),
    ("single", "基层工会委员会每届任期为？", ["一至二年", "三年或者五年", "六年", "不限"], ["B"], "工会法"),
    ("single", "中国共产党第一次全国代表大会召开于哪一年？", ["1919年", "1921年", "1927年", "1949年"], ["B"], "党史"),
    (
        "single",
        "安全生产工作应当坚持的方针是？",
        ["安全第一、预防为主、综合治理", "效益优先", "先生产后安全", "以罚代管"],
        ["A"],
        "安全生产",
    ),
    (
        "multiple",
        "工会的基本职责包括？",
        ["维护职工合法权益", "竭诚服务职工群众", "组织职工依法参加民主管理", "代替行政管理"],
        ["A", "B", "C"],
        "工会法",
    ),
    (
        "multiple",
        "“三会一课”中的“三会”是指？",
        ["支部党员大会", "支部委员会", "党小组会", "职工代表大会"],
        ["A", "B", "C"],
        "党章",
    ),
    (
        "multiple",
        "以下属于宪法规定的公民基本权利的有？",
        ["选举权和被选举权", "言论自由", "受教育的权利", "纳税"],
        ["A", "B", "C"],
        "法律法规",
    ),
    ("true_false", "党员的党龄从预备期满转为正式党员之日算起。", [], ["对"], "党章"),
    ("true_false", "工会经费可以用于发放职工奖金。", [], ["错"], "工会法"),
    ("true_false", "遵义会议是党的历史上一个生死攸关的转折点。", [], ["对"], "党史"),
    ("true_false", "发现火灾应立即拨打 119。", [], ["对"], "安全生产"),
    ("fill_in", "中华全国总工会的最高权力机关是全国______代表大会。", [], ["工会会员", "会员"], "工会法"),
    ("fill_in", "党的根本宗旨是全心全意为______服务。", [], ["人民"], "党章"),
    ("fill_in", "《中华人民共和国劳动法》规定，劳动者每日工作时间不超过______小时。", [], ["8", "八"], "法律法规"),
]


def _quizzes(district, admin, members_by_union) -> int:
    rng, today = district.rng, district.today
    difficulties = [quiz.EASY, quiz.MEDIUM, quiz.HARD]
    questions = []
    for n in range(120):
        kind, text, options, answer, tag = QUESTION_SEEDS[n % len(QUESTION_SEEDS)]
        round_no = n // len(QUESTION_SEEDS)
        questions.append(
            Question(
                union_org=district.union_root, kind=kind, text=text if round_no == 0 else f"{text}（第{round_no + 1}组）",
                options=options, answer=answer, tags=[tag, TAGS[n % len(TAGS)]] if TAGS[n % len(TAGS)] != tag else [tag],
                difficulty=difficulties[n % 3],
            )
        )  # fmt: skip
    Question.objects.bulk_create(questions)
    # A past live contest with leaderboards.
    starts = _aware(today - timedelta(days=45), 14)
    event = Activity.objects.create(
        title="“学党章、知工会”知识竞赛", kind=balance.LEARNING, union_org=district.union_root,
        starts_at=starts, ends_at=starts + timedelta(hours=2), place="机关大礼堂",
    )  # fmt: skip
    past = Quiz.objects.create(
        activity=event, title="“学党章、知工会”知识竞赛决赛", mode=Quiz.LIVE, status=Quiz.FINISHED, question_seconds=20,
        draw_rules=[{"count": 10, "tag": None, "difficulty": None}], seed=2026, current_position=10,
        current_opened_at=starts + timedelta(minutes=30), current_closed_at=starts + timedelta(minutes=30, seconds=20),
    )  # fmt: skip
    paper = QuizQuestion.objects.bulk_create(
        [QuizQuestion(quiz=past, question=q, position=i + 1) for i, q in enumerate(rng.sample(questions, 10))]
    )
    people = _meet_entries(rng, members_by_union, district.unions[:20], 60)
    participants = Participant.objects.bulk_create(
        [Participant(quiz=past, person_id=p, unit_id=u, joined_at=starts) for p, u in people]
    )
    answers = []
    for i, qq in enumerate(paper):
        opened = starts + timedelta(minutes=i * 2)
        window = quiz.Window(str(qq.question_id), opened, timedelta(seconds=20))
        for participant in participants:
            if rng.random() < 0.08:
                continue
            pure = qq.question.as_pure()
            given = pure.answer[0] if rng.random() < 0.7 else "错误答案"
            if pure.kind == quiz.MULTIPLE and given != "错误答案":
                given = "".join(pure.answer)
            at = opened + timedelta(milliseconds=rng.randint(1500, 19000))
            kept = quiz.mark_answer(pure, window, participant=participant.pk, given=given, at=at)
            answers.append(
                LiveAnswer(participant=participant, quiz_question=qq, given=given, answered_at=at,
                           elapsed_ms=kept.elapsed // timedelta(milliseconds=1), correct=kept.correct, points=kept.points)
            )  # fmt: skip
    LiveAnswer.objects.bulk_create(answers, batch_size=5000)
    # An online quiz open now, and a live one waiting for its host.
    study = Activity.objects.create(
        title="2026年度工会知识线上答题", kind=balance.LEARNING, union_org=district.union_root,
        starts_at=_aware(today - timedelta(days=5), 9), ends_at=_aware(today + timedelta(days=20), 18), place="线上",
    )  # fmt: skip
    for mode, title, status in (
        (Quiz.SELF_PACED, "工会知识线上答题", Quiz.OPEN),
        (Quiz.LIVE, "安全生产知识现场竞赛", Quiz.DRAFT),
    ):
        q = Quiz.objects.create(
            activity=study, title=title, mode=mode, status=status, time_limit_minutes=20, attempts_limit=2,
            question_seconds=20, draw_rules=[{"count": 10, "tag": None, "difficulty": None}], seed=7,
        )  # fmt: skip
        QuizQuestion.objects.bulk_create(
            [QuizQuestion(quiz=q, question=x, position=i + 1) for i, x in enumerate(rng.sample(questions, 10))]
        )
    return len(questions)


def _exercise(district) -> int:
    from core.workdays import UnknownCalendarYear
    from core.workdays_db import work_calendar

    rng, today = district.rng, district.today
    calendar = work_calendar()
    days = []
    for back in range(1, 62):
        day = today - timedelta(days=back)
        try:
            if calendar.is_workday(day):
                days.append(day)
        except UnknownCalendarYear:
            if day.weekday() < 5:
                days.append(day)
    staff: dict[int, list[int]] = {}
    for person_id, unit_id in UnionMember.objects.filter(left_on__isnull=True).values_list(
        "person_id", "person__unit_id"
    ):
        if unit_id:
            staff.setdefault(unit_id, []).append(person_id)
    rows = []
    created = _aware(today, 10)
    for unit in district.units:
        rate = rng.choice([0.95, 0.9, 0.8, 0.6, 0.4])
        people = staff.get(unit.pk, [])
        for day in days:
            if rng.random() < rate:
                n = int(len(people) * rng.uniform(0.5, 0.9))
                rows.append(ExerciseCheckIn(unit=unit, day=day, participants=n, created_at=created))
                for person_id in rng.sample(people, min(len(people), 1)):
                    rows.append(ExerciseCheckIn(unit=unit, day=day, person_id=person_id, created_at=created))
    ExerciseCheckIn.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def _demo_users(district, members_by_union) -> None:
    """The demo logins see content: the member has sign-ups, the chair referees a running tournament."""
    member = district.users.get("dangyuan")
    chair = district.users.get("ghzx")
    now = _aware(district.today, 12)
    if member is not None and member.person_id:
        union_id = UnionMember.objects.filter(person_id=member.person_id).values_list("union_org_id", flat=True).first()
        upcoming = [
            Activity(
                title=title, kind=kind, union_org_id=union_id, starts_at=_aware(district.today + timedelta(days=days), 15),
                ends_at=_aware(district.today + timedelta(days=days), 17), place=place, capacity=30,
                signup_deadline=_aware(district.today + timedelta(days=days - 1), 18),
                hours=Decimal("3") if kind == balance.TRAINING else None,
            )
            for title, kind, days, place in (
                ("职工羽毛球活动", balance.SPORTS, 5, "区体育馆"),
                ("安全生产知识培训", balance.TRAINING, 9, "三楼会议室"),
                ("“书香机关”读书分享会", balance.LEARNING, 12, "区图书馆报告厅"),
            )
        ]  # fmt: skip
        Activity.objects.bulk_create(upcoming)
        mine = list(Activity.objects.filter(union_org_id=union_id, ends_at__lt=now).order_by("-starts_at")[:4])
        mine.append(upcoming[1])
        regs = [
            Registration(
                activity=a, person_id=member.person_id, unit_id=member.person.unit_id, status=Registration.REGISTERED,
                created_at=a.starts_at - timedelta(days=2),
                checked_in_at=a.starts_at if a.ends_at < now else None,
                checkin_method=Registration.QR if a.ends_at < now else "",
            )
            for a in mine
        ]  # fmt: skip
        Registration.objects.bulk_create(regs, ignore_conflicts=True)
    if chair is not None:
        running = Competition.objects.filter(status=Competition.DRAWN, discipline="TABLE_TENNIS").first()
        if running is not None:
            Official.objects.get_or_create(competition=running, user=chair, role=Official.REFEREE)
