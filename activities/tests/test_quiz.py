import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from activities.quiz import (
    ACCEPTED,
    DUPLICATE,
    EASY,
    FILL_IN,
    HARD,
    MEDIUM,
    MULTIPLE,
    REFUSED,
    SINGLE,
    TRUE_FALSE,
    AnswerRefused,
    DrawRule,
    KeptAnswer,
    LiveContest,
    Question,
    QuizError,
    Window,
    check_answer,
    draw_paper,
    keep_first,
    mark_answer,
    normalise,
    person_leaderboard,
    speed_points,
    unit_leaderboard,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 7, 1, 9, 0, tzinfo=SHANGHAI)
LIMIT = timedelta(seconds=20)

Q_SINGLE = Question("Q1", SINGLE, ("B",))
Q_MULTI = Question("Q2", MULTIPLE, ("A", "C"))
Q_TF = Question("Q3", TRUE_FALSE, ("对",))
Q_FILL = Question("Q4", FILL_IN, ("中国共产党", "中共", "CPC"))


# answer checking -------------------------------------------------------------


@pytest.mark.parametrize(("given", "right"), [("B", True), ("b", True), (" Ｂ ", True), ("A", False), ("AB", False)])
def test_single_choice(given, right):
    assert check_answer(Q_SINGLE, given) is right


@pytest.mark.parametrize(
    ("given", "right"),
    [
        ("AC", True),
        ("CA", True),
        ("a,c", True),
        ("A、C", True),
        ("Ａ，Ｃ", True),
        (["c", "A"], True),
        ("A", False),  # a partial set is wrong
        ("ABC", False),
        ("A1", False),
        ("", False),
    ],
)
def test_multiple_choice_needs_exactly_the_right_set(given, right):
    assert check_answer(Q_MULTI, given) is right


@pytest.mark.parametrize(
    ("given", "right"),
    [
        ("对", True),
        ("正确", True),
        ("√", True),
        (True, True),
        ("T", True),
        ("错", False),
        (False, False),
        ("也许", False),
    ],
)
def test_true_false(given, right):
    assert check_answer(Q_TF, given) is right
    assert check_answer(Question("Q5", TRUE_FALSE, ("×",)), "错误") is True


@pytest.mark.parametrize(
    ("given", "right"),
    [
        ("中国共产党", True),
        (" 中国 共产党 ", True),
        ("中国\u3000共产党", True),  # full-width space
        ("中共", True),
        ("cpc", True),
        ("ＣＰＣ", True),  # full-width letters
        ("共产党", False),
        ("", False),
        ("   ", False),
    ],
)
def test_fill_in_accepts_any_listed_answer_after_normalising(given, right):
    assert check_answer(Q_FILL, given) is right


def test_fill_in_normalises_the_standard_answer_too():
    assert check_answer(Question("Q6", FILL_IN, ("１９２１年",)), "1921 年") is True


def test_blank_and_odd_answers_are_wrong():
    for question in (Q_SINGLE, Q_MULTI, Q_TF, Q_FILL):
        assert check_answer(question, None) is False
    assert check_answer(Q_FILL, ["中共"]) is False
    assert check_answer(Q_SINGLE, 3) is False


def test_normalise():
    assert normalise(" ＡＢｃ　１２ ") == "abc12"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "essay", "answer": ("x",)}, "题型 essay 未知"),
        ({"kind": SINGLE, "answer": ()}, "没有标准答案"),
        ({"kind": SINGLE, "answer": ("A", "B")}, "只能有一个标准答案"),
        ({"kind": TRUE_FALSE, "answer": ("也许",)}, "须为“对”或“错”"),
        ({"kind": SINGLE, "answer": ("A",), "difficulty": "extreme"}, "难度 extreme 未知"),
    ],
)
def test_bad_questions_are_refused(kwargs, message):
    with pytest.raises(QuizError, match=message):
        Question("QX", **kwargs)


# drawing a paper -------------------------------------------------------------


def bank():
    questions = []
    for i in range(30):
        tag = "党章" if i < 20 else "工会法"
        difficulty = (EASY, MEDIUM, HARD)[i % 3]
        questions.append(Question(f"B{i:02d}", SINGLE, ("A",), frozenset({tag}), difficulty))
    return questions


def test_paper_follows_the_rules():
    rules = [DrawRule(4, tag="党章", difficulty=EASY), DrawRule(3, tag="工会法"), DrawRule(2, difficulty=HARD)]
    paper = draw_paper(bank(), rules, rng=random.Random(7))
    assert len(paper) == 9
    assert len({q.id for q in paper}) == 9
    assert all("党章" in q.tags and q.difficulty == EASY for q in paper[:4])
    assert all("工会法" in q.tags for q in paper[4:7])
    assert all(q.difficulty == HARD for q in paper[7:])


def test_same_seed_same_paper_whatever_the_bank_order():
    rules = [DrawRule(5, tag="党章"), DrawRule(3)]
    first = draw_paper(bank(), rules, rng=random.Random(2026))
    shuffled = bank()
    random.Random(1).shuffle(shuffled)
    assert draw_paper(shuffled, rules, rng=random.Random(2026)) == first
    assert draw_paper(bank(), rules, rng=random.Random(2027)) != first


def test_bank_too_small_is_an_error_in_chinese():
    # 工会法 questions are B20..B29; the hard ones (i % 3 == 2) are B20, B23, B26, B29
    assert len(draw_paper(bank(), [DrawRule(4, tag="工会法", difficulty=HARD)], rng=random.Random(1))) == 4
    with pytest.raises(QuizError) as error:
        draw_paper(bank(), [DrawRule(5, tag="工会法", difficulty=HARD)], rng=random.Random(1))
    assert (
        str(error.value) == "题库中标签“工会法”、难度“困难”的题目只有 4 道，不足以抽取 5 道，请补充题库或减少抽题数量。"
    )
    with pytest.raises(QuizError, match="题库中全部的题目只有 30 道"):
        draw_paper(bank(), [DrawRule(31)], rng=random.Random(1))


def test_questions_taken_by_another_rule_are_reported():
    rules = [DrawRule(10, tag="工会法"), DrawRule(1, tag="工会法")]
    with pytest.raises(QuizError, match="只有 10 道（其中 10 道已被其他抽题规则抽中）"):
        draw_paper(bank(), rules, rng=random.Random(1))


def test_narrow_rules_draw_first_so_a_broad_rule_does_not_starve_them():
    # 10 工会法 questions in all, 3 of them easy: the broad rule listed first must
    # leave the easy ones to the narrow rule.
    rules = [DrawRule(7, tag="工会法"), DrawRule(3, tag="工会法", difficulty=EASY)]
    paper = draw_paper(bank(), rules, rng=random.Random(3))
    assert len({q.id for q in paper}) == 10
    assert all(q.difficulty == EASY for q in paper[7:])


def test_duplicate_ids_and_negative_counts_are_refused():
    with pytest.raises(QuizError, match="重复的题目编号"):
        draw_paper(bank() + bank()[:1], [DrawRule(1)], rng=random.Random(1))
    with pytest.raises(QuizError, match="不能为负数"):
        draw_paper(bank(), [DrawRule(-1)], rng=random.Random(1))


# speed scoring ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "points"),
    [
        (timedelta(0), 1000),
        (timedelta(seconds=5), 875),
        (timedelta(seconds=10), 750),
        (timedelta(seconds=20), 500),  # exactly at the limit still counts
        (timedelta(seconds=3, milliseconds=333), 917),  # 916.675 rounds half up
    ],
)
def test_speed_points(elapsed, points):
    assert speed_points(elapsed=elapsed, limit=LIMIT) == points


def test_speed_points_outside_the_countdown_are_refused():
    with pytest.raises(AnswerRefused):
        speed_points(elapsed=LIMIT + timedelta(microseconds=1), limit=LIMIT)
    with pytest.raises(AnswerRefused):
        speed_points(elapsed=timedelta(microseconds=-1), limit=LIMIT)
    with pytest.raises(QuizError, match="限时须大于 0"):
        speed_points(elapsed=timedelta(0), limit=timedelta(0))


def test_mark_answer():
    window = Window("Q1", T0, LIMIT)
    kept = mark_answer(Q_SINGLE, window, participant="张三", given="B", at=T0 + timedelta(seconds=10))
    assert (kept.correct, kept.points, kept.elapsed) == (True, 750, timedelta(seconds=10))
    wrong = mark_answer(Q_SINGLE, window, participant="张三", given="C", at=T0 + timedelta(seconds=1))
    assert (wrong.correct, wrong.points) == (False, 0)
    with pytest.raises(AnswerRefused, match="题目 Q1 限时 20 秒，提交时已用 21.5 秒，超时答案不予受理。"):
        mark_answer(Q_SINGLE, window, participant="张三", given="B", at=T0 + timedelta(seconds=21.5))


# live contest ----------------------------------------------------------------

ROSTER = {"张三": "区地税局", "李四": "区地税局", "王五": "区财政局", "赵六": "区教委"}


def contest():
    live = LiveContest([Q_SINGLE, Q_MULTI, Q_TF, Q_FILL], roster=ROSTER)
    live.open("Q1", at=T0, limit=LIMIT)
    return live


def test_answer_at_exactly_the_limit_is_taken():
    live = contest()
    outcome = live.submit("张三", "Q1", "B", at=T0 + LIMIT)
    assert (outcome.status, outcome.points, outcome.correct) == (ACCEPTED, 500, True)
    assert outcome.message == "回答正确，得 500 分。"


def test_answer_after_the_limit_is_refused():
    live = contest()
    outcome = live.submit("张三", "Q1", "B", at=T0 + LIMIT + timedelta(microseconds=1))
    assert outcome.status == REFUSED
    assert outcome.points == 0
    assert outcome.message == "题目 Q1 限时 20 秒，提交时已用 20.000001 秒，超时答案不予受理。"
    assert live.kept == ()


def test_time_zones_do_not_shift_the_countdown():
    live = contest()
    at_utc = (T0 + timedelta(seconds=10)).astimezone(UTC)
    assert live.submit("张三", "Q1", "B", at=at_utc).points == 750


def test_wrong_answer_scores_nothing_but_is_kept():
    live = contest()
    outcome = live.submit("张三", "Q1", "A", at=T0 + timedelta(seconds=1))
    assert (outcome.status, outcome.points, outcome.correct) == (ACCEPTED, 0, False)
    assert outcome.message == "回答错误，得 0 分。"
    assert len(live.kept) == 1


def test_second_answer_is_ignored():
    live = contest()
    first = live.submit("张三", "Q1", "A", at=T0 + timedelta(seconds=2))
    again = live.submit("张三", "Q1", "B", at=T0 + timedelta(seconds=3))  # changed mind: too late
    assert first.status == ACCEPTED
    assert (again.status, again.points, again.correct) == (DUPLICATE, 0, False)
    assert again.message == "本题已作答，以第一次提交的答案为准。"
    assert len(live.kept) == 1
    assert live.kept[0].given == "A"


def test_retry_of_an_answer_in_time_stays_the_same_even_after_the_countdown():
    live = contest()
    first = live.submit("张三", "Q1", "B", at=T0 + timedelta(seconds=4))
    retry = live.submit("张三", "Q1", "B", at=T0 + timedelta(seconds=40))
    assert (retry.status, retry.points) == (DUPLICATE, first.points)
    board = live.person_leaderboard()
    assert board[0].points == first.points == 900


def test_refusals():
    live = contest()
    assert live.submit("外人", "Q1", "B", at=T0).message == "外人 未报名本场竞赛，答案不予受理。"
    assert live.submit("张三", "Q9", "B", at=T0).message == "没有编号为 Q9 的题目。"
    assert live.submit("张三", "Q2", "AC", at=T0).message == "题目 Q2 尚未开始计时，答案不予受理。"
    early = live.submit("张三", "Q1", "B", at=T0 - timedelta(seconds=1))
    assert (early.status, early.message) == (REFUSED, "题目 Q1 尚未开始计时，答案不予受理。")
    # a refused answer is not kept: the participant can still answer in time
    assert live.submit("张三", "Q1", "B", at=T0 + timedelta(seconds=1)).status == ACCEPTED


def test_countdown_cannot_be_restarted_and_times_must_be_aware():
    live = contest()
    with pytest.raises(QuizError, match="不能重新开始"):
        live.open("Q1", at=T0 + timedelta(minutes=1), limit=LIMIT)
    with pytest.raises(QuizError, match="没有编号为 Q9"):
        live.open("Q9", at=T0, limit=LIMIT)
    with pytest.raises(QuizError, match="限时须大于 0"):
        live.open("Q2", at=T0, limit=timedelta(0))
    with pytest.raises(QuizError, match="须带时区"):
        live.open("Q2", at=datetime(2026, 7, 1, 9, 0), limit=LIMIT)
    with pytest.raises(QuizError, match="须带时区"):
        live.submit("张三", "Q1", "B", at=datetime(2026, 7, 1, 9, 0, 5))


def test_leaderboards():
    live = contest()
    live.open("Q2", at=T0 + timedelta(minutes=1), limit=LIMIT)
    q2 = T0 + timedelta(minutes=1)
    live.submit("张三", "Q1", "B", at=T0 + timedelta(seconds=2))  # 950
    live.submit("李四", "Q1", "B", at=T0 + timedelta(seconds=4))  # 900
    live.submit("王五", "Q1", "B", at=T0 + timedelta(seconds=2))  # 950
    live.submit("张三", "Q2", "AC", at=q2 + timedelta(seconds=10))  # 750
    live.submit("王五", "Q2", "A", at=q2 + timedelta(seconds=1))  # wrong: 0
    live.submit("王五", "Q2", "AC", at=q2 + timedelta(seconds=2))  # ignored

    people = [(r.participant, r.rank, r.points, r.correct, r.answered) for r in live.person_leaderboard()]
    assert people == [
        ("张三", 1, 1700, 2, 2),
        ("王五", 2, 950, 1, 2),
        ("李四", 3, 900, 1, 1),
        ("赵六", 4, 0, 0, 0),  # registered, never answered
    ]
    units = [(u.unit, u.rank, u.score, u.points, u.participants) for u in live.unit_leaderboard()]
    assert units == [
        ("区地税局", 1, Decimal("1300.00"), 2600, 2),
        ("区财政局", 2, Decimal("950.00"), 950, 1),
        ("区教委", 3, Decimal("0.00"), 0, 1),
    ]


def test_unit_average_counts_silent_members_and_ties_share_a_rank():
    roster = {"甲": "单位一", "乙": "单位一", "丙": "单位二"}
    answers = [KeptAnswer("甲", "Q1", "B", T0, timedelta(0), True, 1000)]
    units = unit_leaderboard(answers, roster=roster)
    assert [(u.unit, u.score) for u in units] == [("单位一", Decimal("500.00")), ("单位二", Decimal("0.00"))]

    answers.append(KeptAnswer("丙", "Q1", "B", T0, timedelta(seconds=10), True, 500))
    units = unit_leaderboard(answers, roster=roster)
    assert [(u.unit, u.rank) for u in units] == [("单位一", 1), ("单位二", 1)]


def test_stored_answers_are_kept_once_when_rebuilding_a_leaderboard():
    first = KeptAnswer("甲", "Q1", "B", T0 + timedelta(seconds=1), timedelta(seconds=1), True, 975)
    later = KeptAnswer("甲", "Q1", "B", T0 + timedelta(seconds=5), timedelta(seconds=5), True, 875)
    assert keep_first([later, first]) == [first]
    board = person_leaderboard([first, later, first], roster={"甲": "单位一"})
    assert (board[0].points, board[0].answered) == (975, 1)
    with pytest.raises(QuizError, match="不在本场竞赛的报名名单中"):
        person_leaderboard([first], roster={})
