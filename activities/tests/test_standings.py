import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from activities.sports import BOARD_GAMES, TABLE_TENNIS, board_games
from activities.standings import PointsScheme, Result, standings

THREE_ONE_ZERO = PointsScheme(win=3, draw=1, loss=0)


def table(entries, results, points=THREE_ONE_ZERO):
    return [(row.entry, row.rank, row.points) for row in standings(entries, results, points=points)]


def r(home, away, home_score, away_score, **kw):
    return Result(home, away, home_score, away_score, **kw)


def test_counts_and_points():
    rows = standings(
        ["A", "B", "C"],
        [r("A", "B", 3, 1), r("B", "C", 2, 2), r("C", "A", 0, 1)],
        points=BOARD_GAMES.points,  # 2/1/0
    )
    a, b, c = ({row.entry: row for row in rows}[e] for e in "ABC")
    assert (a.entry, a.played, a.won, a.drawn, a.lost, a.points) == ("A", 2, 2, 0, 0, 4)
    assert (a.score_for, a.score_against, a.score_diff) == (4, 1, 3)
    assert (b.entry, b.points, b.score_diff) == ("B", 1, -2)
    assert (c.entry, c.points, c.score_diff) == ("C", 1, -1)
    # B and C drew with each other: head-to-head is level, so score difference decides
    assert [row.rank for row in rows] == [1, 2, 3]
    assert [row.entry for row in rows] == ["A", "C", "B"]


def test_entries_yet_to_play_are_listed_and_share_the_rank():
    rows = standings(["A", "B", "C"], [r("B", "C", 1, 0)], points=THREE_ONE_ZERO)
    assert [(x.entry, x.rank, x.played) for x in rows] == [("B", 1, 1), ("A", 2, 0), ("C", 3, 1)]
    assert table(["A", "B"], []) == [("A", 1, 0), ("B", 1, 0)]


def test_three_way_tie_is_resolved_by_head_to_head_before_score_difference():
    # A beat B and C, B beat C; in the rest A lost twice, B won once, C twice —
    # all three end on 6 points. C has by far the best score difference.
    results = [
        r("A", "B", 1, 0),
        r("A", "C", 1, 0),
        r("B", "C", 1, 0),
        r("D", "A", 1, 0),
        r("E", "A", 1, 0),
        r("B", "D", 1, 0),
        r("E", "B", 1, 0),
        r("C", "D", 9, 0),
        r("C", "E", 9, 0),
        r("E", "D", 1, 0),
    ]
    rows = table(list("ABCDE"), results)
    assert rows == [("E", 1, 9), ("A", 2, 6), ("B", 3, 6), ("C", 4, 6), ("D", 5, 3)]


def test_three_way_cycle_falls_back_to_score_difference_then_score_for():
    # A>B>C>A: head-to-head leaves all three on 3 points.
    results = [r("A", "B", 1, 0), r("B", "C", 3, 0), r("C", "A", 2, 1)]
    # score difference: A 0, B +2, C -2
    assert [e for e, _, _ in table(list("ABC"), results)] == ["B", "A", "C"]

    # equal differences (all 0): score for decides — C 6, A 5, B 4
    results = [r("A", "B", 2, 1), r("B", "C", 3, 2), r("C", "A", 4, 3)]
    assert table(list("ABC"), results) == [("C", 1, 3), ("A", 2, 3), ("B", 3, 3)]


def test_head_to_head_is_applied_again_to_those_it_left_level():
    # A, B, C, D all on 7 points. Their mini-table: A 7, B 4, C 4, D 1. B and C
    # are then compared on their own meeting (B won 1:0), not on score
    # difference, where C's 10:0 against F would put C first.
    results = [
        r("A", "B", 1, 0),
        r("A", "C", 1, 1),
        r("A", "D", 1, 0),
        r("B", "C", 1, 0),
        r("B", "D", 1, 1),
        r("C", "D", 1, 0),
        r("E", "A", 1, 0),
        r("F", "A", 1, 0),
        r("B", "E", 1, 0),
        r("F", "B", 1, 0),
        r("E", "C", 1, 0),
        r("C", "F", 10, 0),
        r("D", "E", 1, 0),
        r("D", "F", 1, 0),
        r("E", "F", 1, 0),
    ]
    assert table(list("ABCDEF"), results) == [
        ("E", 1, 9),
        ("A", 2, 7),
        ("B", 3, 7),
        ("C", 4, 7),
        ("D", 5, 7),
        ("F", 6, 6),
    ]


def test_entries_level_on_everything_share_a_rank():
    results = [r("A", "B", 1, 1), r("C", "A", 0, 2), r("C", "B", 0, 2)]
    assert table(list("ABC"), results) == [("A", 1, 4), ("B", 1, 4), ("C", 3, 0)]


def test_table_tennis_points_and_forfeit():
    # 胜2负1弃权0: B lost but played (1 point); C forfeited (0 points)
    results = [r("A", "B", 3, 1), r("A", "C", 3, 0, forfeited_by="C"), r("B", "C", 3, 0, forfeited_by="C")]
    rows = standings(list("ABC"), results, points=TABLE_TENNIS.points)
    assert [(x.entry, x.points, x.won, x.lost) for x in rows] == [("A", 4, 2, 0), ("B", 3, 1, 1), ("C", 0, 0, 2)]


def test_forfeit_decides_whatever_the_score():
    rows = standings(["A", "B"], [r("A", "B", 5, 0, forfeited_by="A")], points=THREE_ONE_ZERO)
    assert [(x.entry, x.points) for x in rows] == [("B", 3), ("A", 0)]


def test_board_games_points_are_a_setting():
    results = [r("A", "B", 1, 0), r("B", "C", 1, 1)]
    # B and C level on points and head-to-head: C's difference (0) beats B's (−1)
    assert table(list("ABC"), results, board_games(win=2).points) == [("A", 1, 2), ("C", 2, 1), ("B", 3, 1)]
    assert table(list("ABC"), results, board_games(win=3).points)[0] == ("A", 1, 3)


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (r("A", "X", 1, 0), "X 不在参赛名单中"),
        (r("A", "A", 1, 0), "不能与自己比赛"),
        (r("A", "B", -1, 0), "不能为负数"),
        (r("A", "B", 0, 1, forfeited_by="C"), "弃权方 C"),
    ],
)
def test_bad_results_are_refused(result, message):
    with pytest.raises(ValueError, match=message):
        standings(list("ABC"), [result], points=THREE_ONE_ZERO)


@given(
    n=st.integers(min_value=2, max_value=8),
    scores=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=28, max_size=28),
)
def test_any_round_robin_gives_a_consistent_table(n, scores):
    entries = [f"E{i}" for i in range(n)]
    results = [r(a, b, *s) for (a, b), s in zip(itertools.combinations(entries, 2), scores, strict=False)]
    rows = standings(entries, results, points=THREE_ONE_ZERO)

    assert sorted(x.entry for x in rows) == sorted(entries)
    assert [x.points for x in rows] == sorted((x.points for x in rows), reverse=True)
    assert all(x.played == n - 1 for x in rows)
    assert sum(x.score_diff for x in rows) == 0
    assert rows[0].rank == 1
    for i, row in enumerate(rows[1:], start=1):
        assert row.rank in (rows[i - 1].rank, i + 1)
        if row.rank == rows[i - 1].rank:
            assert (row.points, row.score_diff, row.score_for) == (
                rows[i - 1].points,
                rows[i - 1].score_diff,
                rows[i - 1].score_for,
            )
