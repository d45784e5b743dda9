import math
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from activities.brackets import (
    BYE,
    ENTRY,
    GROUP_PLACE,
    LOSER,
    WINNER,
    Bracket,
    FixtureState,
    Slot,
    advance,
    bracket_size,
    champion,
    fill_group_places,
    groups_then_knockout,
    ready_fixtures,
    round_robin,
    seed_order,
    single_elimination,
    snake_groups,
)


def play(bracket: Bracket, choose: Callable[[FixtureState], object]) -> dict[str, FixtureState]:
    """Play the bracket to the end, ``choose`` picking each winner."""
    winners: dict[str, object] = {}
    while True:
        states = advance(bracket, winners)
        ready = ready_fixtures(states)
        if not ready:
            return states
        for fixture in ready:
            winners[fixture.id] = choose(states[fixture.id])


def better_seed(state: FixtureState) -> int:
    return min(state.home, state.away)  # entries are their seeds: 1 is best


def earliest_round(a: int, b: int, rounds: int) -> int:
    """Seeds a and b, both within the top 2^k, may meet from round rounds-k+1 on."""
    k = (max(a, b) - 1).bit_length()
    return rounds - k + 1


# seed order ------------------------------------------------------------------


def test_seed_order_is_the_standard_one():
    assert seed_order(1) == [1]
    assert seed_order(2) == [1, 2]
    assert seed_order(4) == [1, 4, 2, 3]
    assert seed_order(8) == [1, 8, 4, 5, 2, 7, 3, 6]
    assert seed_order(16) == [1, 16, 8, 9, 4, 13, 5, 12, 2, 15, 7, 10, 3, 14, 6, 11]


@pytest.mark.parametrize("size", [0, 3, 6, 12])
def test_seed_order_refuses_a_size_that_is_not_a_power_of_two(size):
    with pytest.raises(ValueError, match="2 的整数次幂"):
        seed_order(size)


def test_bracket_size():
    assert [bracket_size(n) for n in (2, 3, 4, 5, 8, 9, 33, 64)] == [2, 4, 4, 8, 8, 16, 64, 64]


# single elimination: structure for every N -----------------------------------


@pytest.mark.parametrize("n", range(2, 65))
def test_single_elimination_structure(n):
    entries = list(range(1, n + 1))
    bracket = single_elimination(entries)
    size = bracket_size(n)

    assert bracket.size == size
    assert len(bracket.rounds) == math.ceil(math.log2(n))
    assert [len(r) for r in bracket.rounds] == [size >> r for r in range(1, len(bracket.rounds) + 1)]

    # every entry appears exactly once, with its seed
    entry_slots = [s for f in bracket.fixtures for s in f.slots if s.kind == ENTRY]
    assert Counter(s.entry for s in entry_slots) == Counter(entries)
    assert all(s.seed == s.entry for s in entry_slots)

    # byes only in round one, never two in one fixture, and they go to the top seeds
    first, later = bracket.rounds[0], [f for r in bracket.rounds[1:] for f in r]
    assert all(s.kind in (ENTRY, BYE) for f in first for s in f.slots)
    assert all(s.kind == WINNER for f in later for s in f.slots)
    byes = [f for f in first if f.is_bye]
    assert len(byes) == size - n
    assert all(not (f.home.kind == BYE and f.away.kind == BYE) for f in first)
    assert sorted(f.home.seed for f in byes) == list(range(1, size - n + 1))

    # ids are unique and later rounds are fed by the round before
    ids = [f.id for f in bracket.fixtures]
    assert len(ids) == len(set(ids))
    for number, rnd in enumerate(bracket.rounds[1:], start=2):
        fed = [s.fixture for f in rnd for s in f.slots]
        assert fed == [f.id for f in bracket.rounds[number - 2]]


@pytest.mark.parametrize("n", range(2, 65))
def test_better_seed_always_winning_leaves_the_top_seeds_in_each_round(n):
    bracket = single_elimination(list(range(1, n + 1)))
    states = play(bracket, better_seed)

    for number, rnd in enumerate(bracket.rounds, start=1):
        lines = bracket.size >> (number - 1)
        present = {e for f in rnd for e in (states[f.id].home, states[f.id].away) if e is not None}
        assert present == set(range(1, min(n, lines) + 1))
    final = states[bracket.final.id]
    assert {final.home, final.away} == {1, 2}
    assert champion(bracket, states) == 1


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=64),
    third_place=st.booleans(),
    coin=st.randoms(use_true_random=False),
)
def test_top_seeds_meet_no_earlier_than_their_sections_allow_whatever_the_results(n, third_place, coin):
    third_place = third_place and n >= 4
    bracket = single_elimination(list(range(1, n + 1)), third_place=third_place)
    states = play(bracket, lambda s: coin.choice([s.home, s.away]))
    rounds = len(bracket.rounds)

    for state in states.values():
        if state.fixture.is_bye or state.fixture.id == "P3":
            continue
        a, b = state.home, state.away
        assert state.fixture.round >= earliest_round(a, b, rounds)
        if {a, b} == {1, 2}:
            assert state.fixture is bracket.final

    # every entry loses at most once in the main bracket; only the champion never loses
    main = [s for s in states.values() if s.fixture.id != "P3" and not s.fixture.is_bye]
    losers = Counter(s.loser for s in main)
    assert all(c == 1 for c in losers.values())
    assert set(range(1, n + 1)) - set(losers) == {champion(bracket, states)}
    if third_place:
        p3 = states["P3"]
        assert p3.winner is not None
        assert {p3.home, p3.away} == {s.loser for s in states.values() if s.fixture in bracket.rounds[-2]}


# single elimination: details -------------------------------------------------


def test_five_entries_give_byes_to_seeds_one_to_three():
    bracket = single_elimination(["甲", "乙", "丙", "丁", "戊"])
    first = [(f.home.label, f.away.label) for f in bracket.rounds[0]]
    assert first == [("甲", "轮空"), ("丁", "戊"), ("乙", "轮空"), ("丙", "轮空")]
    assert bracket.round_name(1) == "1/4决赛"
    assert bracket.round_name(2) == "半决赛"
    assert bracket.round_name(3) == "决赛"


def test_round_names_count_back_from_the_final():
    bracket = single_elimination(list(range(64)))
    assert [bracket.round_name(r) for r in range(1, 7)] == [
        "1/32决赛",
        "1/16决赛",
        "1/8决赛",
        "1/4决赛",
        "半决赛",
        "决赛",
    ]


def test_third_place_match_takes_the_semi_final_losers():
    bracket = single_elimination(list("ABCD"), third_place=True)
    p3 = bracket.third_place
    assert (p3.home, p3.away) == (Slot.loser_of("R1-1"), Slot.loser_of("R1-2"))
    assert p3.home.kind == LOSER
    assert [f.id for f in bracket.fixtures] == ["R1-1", "R1-2", "P3", "R2-1"]
    assert [bracket.stage_name(f) for f in bracket.fixtures] == ["半决赛", "半决赛", "三四名决赛", "决赛"]

    states = advance(bracket, {"R1-1": "A", "R1-2": "C", "P3": "D", "R2-1": "C"})
    assert (states["P3"].home, states["P3"].away) == ("D", "B")
    assert states["P3"].winner == "D"
    assert champion(bracket, states) == "C"


@pytest.mark.parametrize("n", [2, 3])
def test_third_place_match_needs_two_real_semi_finals(n):
    with pytest.raises(ValueError, match="三四名决赛"):
        single_elimination(list(range(n)), third_place=True)


@pytest.mark.parametrize("entries", [[], ["A"]])
def test_single_elimination_needs_two_entries(entries):
    with pytest.raises(ValueError, match="至少需要 2 个参赛者"):
        single_elimination(entries)


def test_duplicate_entry_is_refused():
    with pytest.raises(ValueError, match="出现了不止一次"):
        single_elimination(["A", "B", "A"])


def test_byes_are_decided_without_a_result():
    bracket = single_elimination(list("ABC"))
    states = advance(bracket, {})
    assert states["R1-1"].winner == "A"
    assert states["R1-1"].loser is None
    assert [f.id for f in ready_fixtures(states)] == ["R1-2"]
    assert (states["R2-1"].home, states["R2-1"].away) == ("A", None)


def test_advance_refuses_bad_results():
    bracket = single_elimination(list("ABCDE"))
    with pytest.raises(ValueError, match="没有编号为 R9-1 的比赛"):
        advance(bracket, {"R9-1": "A"})
    with pytest.raises(ValueError, match="R1-1 为轮空"):
        advance(bracket, {"R1-1": "A"})
    with pytest.raises(ValueError, match="R2-1 的对阵尚未确定"):
        advance(bracket, {"R2-1": "A"})
    with pytest.raises(ValueError, match="R1-2 的胜者 A 不是该场的参赛者"):
        advance(bracket, {"R1-2": "A"})


def test_fixture_lookup():
    bracket = single_elimination(list("ABCD"))
    assert bracket.fixture("R2-1") is bracket.final
    with pytest.raises(ValueError):
        bracket.fixture("X")


# round robin -----------------------------------------------------------------


@pytest.mark.parametrize("n", range(2, 21))
def test_round_robin_every_pair_meets_exactly_once(n):
    entries = [f"E{i}" for i in range(n)]
    schedule = round_robin(entries)

    pairs = Counter(frozenset((f.home.entry, f.away.entry)) for f in schedule.fixtures)
    assert len(pairs) == n * (n - 1) // 2
    assert set(pairs.values()) == {1}
    assert len(schedule.rounds) == (n - 1 if n % 2 == 0 else n)

    for rnd, resting in zip(schedule.rounds, schedule.resting, strict=True):
        playing = [e for f in rnd for e in (f.home.entry, f.away.entry)]
        assert len(playing) == len(set(playing))  # nobody plays twice in a round
        assert resting not in playing
        assert len(playing) + (resting is not None) == n

    if n % 2:
        assert sorted(schedule.resting) == sorted(entries)  # each rests exactly once
    else:
        assert set(schedule.resting) == {None}

    home = Counter(f.home.entry for f in schedule.fixtures)
    away = Counter(f.away.entry for f in schedule.fixtures)
    assert all(abs(home[e] - away[e]) <= 1 for e in entries)
    ids = [f.id for f in schedule.fixtures]
    assert len(ids) == len(set(ids))


def test_round_robin_ids_take_the_prefix():
    schedule = round_robin(list("ABC"), prefix="A-")
    assert schedule.fixtures[0].id == "A-R1-1"


# groups then knock-out -------------------------------------------------------


def test_snake_groups_deal_seeds_back_and_forth():
    assert snake_groups(list(range(1, 13)), 3) == ((1, 6, 7, 12), (2, 5, 8, 11), (3, 4, 9, 10))
    assert snake_groups(list(range(1, 8)), 2) == ((1, 4, 5), (2, 3, 6, 7))


def _first_round_pairs(bracket: Bracket) -> list[tuple[Slot, Slot]]:
    return [(f.home, f.away) for f in bracket.rounds[0] if not f.is_bye]


CASES = [(n, g, k) for g in range(1, 9) for k in range(1, 5) for n in (g * max(k, 2), g * max(k, 2) + g // 2 + 1)]


@pytest.mark.parametrize(("n", "groups", "qualifiers"), CASES)
def test_groups_then_knockout(n, groups, qualifiers):
    if groups * qualifiers < 2:
        with pytest.raises(ValueError, match="出线总数至少为 2"):
            groups_then_knockout(range(n), group_count=groups, qualifiers_per_group=qualifiers)
        return
    result = groups_then_knockout(list(range(n)), group_count=groups, qualifiers_per_group=qualifiers)
    sizes = [len(g.entries) for g in result.groups]
    assert max(sizes) - min(sizes) <= 1
    assert sorted(e for g in result.groups for e in g.entries) == list(range(n))

    ko = result.knockout
    places = [s for f in ko.rounds[0] for s in f.slots if s.kind == GROUP_PLACE]
    expected = {(g.name, p) for g in result.groups for p in range(1, qualifiers + 1)}
    assert Counter((s.group, s.place) for s in places) == Counter(expected)

    pairs = _first_round_pairs(ko)
    winners_meeting = sum(1 for a, b in pairs if a.place == b.place == 1)
    assert winners_meeting == max(0, groups - ko.size // 2)  # as few as the lines allow
    if groups >= 2:
        assert not any(a.group == b.group for a, b in pairs)
    # byes, if any, go to the best placed: group winners first, then runners-up …
    with_bye = sorted(s.place for f in ko.rounds[0] if f.is_bye for s in f.slots if s.kind == GROUP_PLACE)
    assert with_bye == sorted(s.place for s in places)[: len(with_bye)]


def test_three_groups_of_two_qualifiers_do_not_replay_a_group_match():
    ko = groups_then_knockout(list(range(12)), group_count=3, qualifiers_per_group=2).knockout
    labels = [(f.home.label, f.away.label) for f in ko.rounds[0]]
    assert labels == [("A组第1名", "轮空"), ("C组第2名", "B组第2名"), ("B组第1名", "轮空"), ("C组第1名", "A组第2名")]


def test_four_groups_of_two_cross_over():
    ko = groups_then_knockout(list(range(16)), group_count=4, qualifiers_per_group=2).knockout
    labels = [(f.home.label, f.away.label) for f in ko.rounds[0]]
    assert labels == [
        ("A组第1名", "D组第2名"),
        ("D组第1名", "A组第2名"),
        ("B组第1名", "C组第2名"),
        ("C组第1名", "B组第2名"),
    ]


def test_group_errors():
    with pytest.raises(ValueError, match="不足 2 个参赛者"):
        groups_then_knockout(list(range(5)), group_count=3, qualifiers_per_group=1)
    with pytest.raises(ValueError, match="每组出线名额"):
        groups_then_knockout(list(range(6)), group_count=2, qualifiers_per_group=4)
    with pytest.raises(ValueError, match="小组数须在"):
        groups_then_knockout(list(range(60)), group_count=27, qualifiers_per_group=1)


def test_filled_groups_play_through_to_a_champion():
    result = groups_then_knockout(list("ABCDEFGH"), group_count=2, qualifiers_per_group=2, third_place=True)
    assert [g.entries for g in result.groups] == [("A", "D", "E", "H"), ("B", "C", "F", "G")]
    assert advance(result.knockout, {})["R1-1"].home is None  # not filled yet

    half = fill_group_places(result.knockout, {"A": ["D", "A", "E", "H"]})
    assert half.rounds[0][0].home == Slot.of_entry("D")
    assert half.rounds[0][0].away.kind == GROUP_PLACE

    ko = fill_group_places(half, {"B": ["B", "C", "F", "G"]})
    assert [(f.home.entry, f.away.entry) for f in ko.rounds[0]] == [("D", "C"), ("B", "A")]
    states = play(ko, lambda s: s.home)
    assert champion(ko, states) == "D"
    assert states["P3"].winner == "C"


def test_fill_group_places_needs_enough_places():
    result = groups_then_knockout(list("ABCDEFGH"), group_count=2, qualifiers_per_group=2)
    with pytest.raises(ValueError, match="缺少第2名"):
        fill_group_places(result.knockout, {"A": ["A"]})
