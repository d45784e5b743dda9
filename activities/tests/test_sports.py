import math
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from activities.sports import (
    BASKETBALL,
    BOARD_GAMES,
    BY_TIME,
    DNF,
    DNS,
    DSQ,
    HILL_CLIMB,
    LONG_RUN,
    PRESETS,
    SERPENTINE,
    SWIMMING,
    TABLE_TENNIS,
    TIMED,
    TUG_OF_WAR,
    TimedResult,
    assign_heats,
    basketball,
    best_of_findings,
    board_games,
    games_won,
    lane_order,
    rank_by_time,
    score_findings,
    table_tennis_game_findings,
    table_tennis_match_findings,
    team_weight_findings,
    tug_of_war,
)
from activities.standings import PointsScheme
from core.findings import ERROR


def messages(findings):
    return [f.message for f in findings]


# presets ---------------------------------------------------------------------


def test_presets():
    assert set(PRESETS) == {
        "TABLE_TENNIS",
        "BASKETBALL",
        "TUG_OF_WAR",
        "BOARD_GAMES",
        "SWIMMING",
        "LONG_RUN",
        "HILL_CLIMB",
    }
    assert TABLE_TENNIS.best_of == 5 and TABLE_TENNIS.wins_needed == 3
    assert TUG_OF_WAR.best_of == 3 and TUG_OF_WAR.wins_needed == 2 and TUG_OF_WAR.team
    assert BASKETBALL.team and not BASKETBALL.allows_draw
    assert BOARD_GAMES.points == PointsScheme(win=2, draw=1, loss=0)
    assert all(p.format == TIMED for p in (SWIMMING, LONG_RUN, HILL_CLIMB))


def test_settings_make_variants_without_touching_the_presets():
    assert board_games(win=3).points == PointsScheme(win=3, draw=1, loss=0)
    assert basketball(allow_draw=True).allows_draw
    assert basketball(allow_draw=False) is BASKETBALL
    assert tug_of_war(weight_limit_kg=600).weight_limit_kg == Decimal(600)
    assert BOARD_GAMES.points.win == 2 and TUG_OF_WAR.weight_limit_kg is None


# table tennis ----------------------------------------------------------------


@pytest.mark.parametrize("score", [(11, 9), (12, 10), (13, 11), (11, 0), (0, 11), (9, 11), (10, 12), (25, 23), (11, 5)])
def test_possible_table_tennis_games(score):
    assert table_tennis_game_findings(*score) == []


@pytest.mark.parametrize(
    "score", [(11, 10), (13, 10), (10, 8), (10, 10), (12, 11), (15, 3), (14, 10), (12, 9), (0, 0), (5, 3)]
)
def test_impossible_table_tennis_games(score):
    (finding,) = table_tennis_game_findings(*score)
    assert finding.rule == "ACT-01"
    assert finding.severity == ERROR
    assert finding.message.startswith(f"乒乓球单局比分 {score[0]}:{score[1]} 不可能")


def test_table_tennis_messages_say_why():
    assert messages(table_tennis_game_findings(11, 10)) == [
        "乒乓球单局比分 11:10 不可能：一方须领先 2 分且至少 11 分。"
    ]
    assert "分差只能是 2" in messages(table_tennis_game_findings(13, 10))[0]
    assert "不能为负数" in messages(table_tennis_game_findings(-1, 11))[0]


def test_table_tennis_match():
    games = [(11, 9), (8, 11), (12, 10), (11, 7)]
    assert table_tennis_match_findings(games) == []
    assert games_won(games) == (3, 1)


def test_table_tennis_match_needs_three_games_won():
    (finding,) = table_tennis_match_findings([(11, 9), (11, 8)])
    assert finding.rule == "ACT-02"
    assert finding.message == "乒乓球比赛须一方先胜 3 局，现为 2:0，比赛尚未结束。"


def test_table_tennis_match_has_no_game_after_the_third_win():
    (finding,) = table_tennis_match_findings([(11, 9), (11, 8), (11, 3), (5, 11)])
    assert finding.message == "乒乓球比赛先胜 3 局即结束，第4局不应再进行。"


def test_table_tennis_match_names_the_impossible_game():
    findings = table_tennis_match_findings([(11, 9), (11, 10), (11, 3)])
    assert messages(findings) == ["第2局：乒乓球单局比分 11:10 不可能：一方须领先 2 分且至少 11 分。"]


# scores of a Result ----------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "home", "away", "rule"),
    [
        (TABLE_TENNIS, 3, 0, None),
        (TABLE_TENNIS, 2, 3, None),
        (TABLE_TENNIS, 3, 3, "ACT-02"),
        (TABLE_TENNIS, 2, 1, "ACT-02"),
        (TABLE_TENNIS, 4, 1, "ACT-02"),
        (TUG_OF_WAR, 2, 1, None),
        (TUG_OF_WAR, 2, 2, "ACT-02"),
        (BASKETBALL, 78, 65, None),
        (BASKETBALL, 60, 60, "ACT-03"),
        (basketball(allow_draw=True), 60, 60, None),
        (BOARD_GAMES, 1, 1, None),
        (BASKETBALL, -2, 10, "ACT-03"),
    ],
)
def test_score_findings(preset, home, away, rule):
    findings = score_findings(preset, home, away)
    assert [f.rule for f in findings] == ([rule] if rule else [])


def test_basketball_draw_message():
    assert messages(score_findings(BASKETBALL, 60, 60)) == ["篮球比赛不设平局：比分 60:60 须决出胜负（如加时）。"]


def test_basketball_with_draws_puts_a_draw_between_win_and_loss():
    points = basketball(allow_draw=True).points
    assert points.win > points.draw > points.loss > points.forfeit


# tug of war ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pulls", "ok"),
    [
        (["home", "home"], True),
        (["away", "home", "away"], True),
        (["home", "home", "away"], False),
        (["home"], False),
        (["home", "away"], False),
    ],
)
def test_tug_of_war_is_best_of_three_pulls(pulls, ok):
    findings = best_of_findings(pulls, preset=TUG_OF_WAR)
    assert (findings == []) is ok
    assert all(f.rule == "ACT-02" and f.message.startswith("拔河") for f in findings)


def test_pull_winner_must_be_a_side():
    with pytest.raises(ValueError, match="home 或 away"):
        best_of_findings(["home", "left"], preset=TUG_OF_WAR)


def test_team_weight_limit():
    preset = tug_of_war(weight_limit_kg=600)
    team = {f"队员{i}": "75" for i in range(8)}  # exactly 600 kg
    assert team_weight_findings(team, preset=preset) == []

    team["队员0"] = Decimal("75.5")
    (finding,) = team_weight_findings(team, preset=preset)
    assert finding.rule == "ACT-04"
    assert finding.message == "拔河队 8 人总体重 600.5 公斤，超过限重 600 公斤 0.5 公斤。"


def test_no_weight_limit_no_check():
    assert team_weight_findings({"甲": 200}, preset=TUG_OF_WAR) == []


# timed events ----------------------------------------------------------------


def s(seconds):
    return timedelta(seconds=seconds)


def test_rank_by_time_ties_share_and_non_finishers_come_last():
    results = [
        TimedResult("甲", s(65.3)),
        TimedResult("乙", status=DSQ, time=s(60)),
        TimedResult("丙", s(61.2)),
        TimedResult("丁", status=DNF),
        TimedResult("戊", s(65.3)),
        TimedResult("己", s(70)),
        TimedResult("庚", status=DNS),
    ]
    placings = [(p.entry, p.rank) for p in rank_by_time(results)]
    assert placings == [
        ("丙", 1),
        ("甲", 2),
        ("戊", 2),
        ("己", 4),
        ("丁", None),
        ("乙", None),
        ("庚", None),
    ]


def test_finisher_without_a_time_is_refused():
    with pytest.raises(ValueError, match="须填写用时"):
        TimedResult("甲")
    with pytest.raises(ValueError, match="未知的成绩状态"):
        TimedResult("甲", status="late")


def test_lane_order_is_centre_out():
    assert lane_order(8) == [4, 5, 3, 6, 2, 7, 1, 8]
    assert lane_order(6) == [3, 4, 2, 5, 1, 6]
    assert lane_order(5) == [3, 4, 2, 5, 1]
    assert lane_order(1) == [1]


def entry_times(n):
    """Entries S1..Sn where S1 is fastest."""
    return {f"S{i}": s(60 + i) for i in range(1, n + 1)}


def test_serpentine_heats():
    heats = assign_heats(entry_times(10), lanes=4, method=SERPENTINE)
    assert [h.number for h in heats] == [1, 2, 3]
    # seeds 1 2 3 | 6 5 4 | 7 8 9 | 10 → heat 1: 1 6 7; heat 2: 2 5 8; heat 3: 3 4 9 10
    assert [sorted(h.entries, key=lambda e: int(e[1:])) for h in heats] == [
        ["S1", "S6", "S7"],
        ["S2", "S5", "S8"],
        ["S3", "S4", "S9", "S10"],
    ]
    assert heats[0].lanes == ((1, "S7"), (2, "S1"), (3, "S6"))


def test_heats_by_time_put_the_fastest_last():
    heats = assign_heats(entry_times(10), lanes=4, method=BY_TIME)
    assert [len(h.lanes) for h in heats] == [3, 3, 4]  # no heat of one or two
    assert set(heats[-1].entries) == {"S1", "S2", "S3", "S4"}
    assert dict(heats[-1].lanes)[2] == "S1"  # centre lane of four
    assert set(heats[0].entries) == {"S8", "S9", "S10"}


def test_entries_without_an_entry_time_are_seeded_last():
    times = {"无成绩": None, "快": s(50), "慢": s(90)}
    heats = assign_heats(times, lanes=1, method=BY_TIME)
    assert [h.entries for h in heats] == [("无成绩",), ("慢",), ("快",)]


def test_heats_refuse_bad_settings():
    with pytest.raises(ValueError, match="每组道次至少为 1"):
        assign_heats(entry_times(3), lanes=0)
    with pytest.raises(ValueError, match="未知的分组方式"):
        assign_heats(entry_times(3), lanes=8, method="random")
    assert assign_heats({}, lanes=8) == []


@given(
    n=st.integers(min_value=1, max_value=80),
    lanes=st.integers(min_value=1, max_value=10),
    method=st.sampled_from([SERPENTINE, BY_TIME]),
    missing=st.sets(st.integers(min_value=1, max_value=80)),
)
def test_heats_hold_everyone_once_in_the_fewest_even_heats(n, lanes, method, missing):
    times = {f"S{i}": (None if i in missing else s(60 + i)) for i in range(1, n + 1)}
    heats = assign_heats(times, lanes=lanes, method=method)

    assert len(heats) == math.ceil(n / lanes)
    assert Counter(e for h in heats for e in h.entries) == Counter(list(times))
    sizes = [len(h.lanes) for h in heats]
    assert max(sizes) <= lanes and max(sizes) - min(sizes) <= 1
    assert all(1 <= lane <= lanes for h in heats for lane, _ in h.lanes)
    assert all(len({lane for lane, _ in h.lanes}) == len(h.lanes) for h in heats)
