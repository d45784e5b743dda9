"""Draws for a Competition: single elimination, round robin, groups then knock-out.

Pure functions: entries in, Fixtures out. Entries are any hashable keys (a
Registration id, a team name) given in seed order — seed 1 first; this module never
looks inside them. Unseeded entries should be drawn at random by the caller before
the call (with a seeded ``random.Random`` so the draw can be replayed).

A Fixture's two Slots name either an entry, a bye, "winner/loser of fixture X", or
"group A, place 1"; ``advance`` turns recorded winners into who plays whom.
"""

from __future__ import annotations

import string
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace

EntryKey = Hashable

# Slot kinds
ENTRY = "entry"
BYE = "bye"
WINNER = "winner"
LOSER = "loser"
GROUP_PLACE = "group_place"

THIRD_PLACE_ID = "P3"
GROUP_NAMES = string.ascii_uppercase


@dataclass(frozen=True)
class Slot:
    """One side of a Fixture."""

    kind: str
    entry: EntryKey | None = None  # ENTRY
    seed: int | None = None  # ENTRY, when the entry was seeded
    fixture: str | None = None  # WINNER / LOSER: the id of the feeding Fixture
    group: str | None = None  # GROUP_PLACE: "A"
    place: int | None = None  # GROUP_PLACE: 1 = group winner

    @classmethod
    def of_entry(cls, entry: EntryKey, seed: int | None = None) -> Slot:
        return cls(ENTRY, entry=entry, seed=seed)

    @classmethod
    def bye(cls) -> Slot:
        return cls(BYE)

    @classmethod
    def winner_of(cls, fixture_id: str) -> Slot:
        return cls(WINNER, fixture=fixture_id)

    @classmethod
    def loser_of(cls, fixture_id: str) -> Slot:
        return cls(LOSER, fixture=fixture_id)

    @classmethod
    def group_place(cls, group: str, place: int) -> Slot:
        return cls(GROUP_PLACE, group=group, place=place)

    @property
    def label(self) -> str:
        """The Chinese text shown on a draw sheet."""
        if self.kind == ENTRY:
            return str(self.entry)
        if self.kind == BYE:
            return "轮空"
        if self.kind == WINNER:
            return f"{self.fixture}胜者"
        if self.kind == LOSER:
            return f"{self.fixture}负者"
        return f"{self.group}组第{self.place}名"


@dataclass(frozen=True)
class Fixture:
    """A scheduled meeting of two Slots (赛程中的一场)."""

    id: str
    round: int  # 1-based
    index: int  # 1-based position within the round
    home: Slot
    away: Slot

    @property
    def slots(self) -> tuple[Slot, Slot]:
        return (self.home, self.away)

    @property
    def is_bye(self) -> bool:
        """A first-round line where one side has no opponent: decided without play."""
        return BYE in (self.home.kind, self.away.kind)


@dataclass(frozen=True)
class Bracket:
    """A single-elimination draw: ``rounds[0]`` is round one, the last round the final."""

    size: int  # lines in round one: a power of two, entries + byes
    rounds: tuple[tuple[Fixture, ...], ...]
    third_place: Fixture | None = None

    @property
    def final(self) -> Fixture:
        return self.rounds[-1][0]

    @property
    def fixtures(self) -> tuple[Fixture, ...]:
        """Every fixture in playing order; the third-place match is played before the final."""
        ordered = [f for rnd in self.rounds[:-1] for f in rnd]
        if self.third_place is not None:
            ordered.append(self.third_place)
        ordered.append(self.final)
        return tuple(ordered)

    def fixture(self, fixture_id: str) -> Fixture:
        for f in self.fixtures:
            if f.id == fixture_id:
                return f
        raise ValueError(f"没有编号为 {fixture_id} 的比赛。")

    def round_name(self, round_number: int) -> str:
        """决赛 / 半决赛 / 1/4决赛 … counted back from the final."""
        from_final = len(self.rounds) - round_number
        if from_final == 0:
            return "决赛"
        if from_final == 1:
            return "半决赛"
        return f"1/{2**from_final}决赛"

    def stage_name(self, fixture: Fixture) -> str:
        """The name printed on a fixture: its round's, or 三四名决赛."""
        if fixture.id == THIRD_PLACE_ID:
            return "三四名决赛"
        return self.round_name(fixture.round)


def seed_order(size: int) -> list[int]:
    """Seeds in line order for a bracket of ``size`` lines (a power of two).

    Seed s meets seed size+1−s in round one, and seeds 1..2^k sit in different
    1/2^k sections, so they can meet only once 2^k entries remain: 1 and 2 only in
    the final, 1–4 only from the semi-finals.
    """
    if size < 1 or size & (size - 1):
        raise ValueError(f"签位数 {size} 不是 2 的整数次幂。")
    order = [1]
    while len(order) < size:
        lines = 2 * len(order)
        order = [s for top in order for s in (top, lines + 1 - top)]
    return order


def bracket_size(entry_count: int) -> int:
    """The smallest power of two that holds ``entry_count`` entries."""
    return 1 << (entry_count - 1).bit_length()


def single_elimination(entries: Sequence[EntryKey], *, third_place: bool = False) -> Bracket:
    """A seeded knock-out draw for 2 or more entries (``entries`` in seed order).

    Byes fill the lines up to a power of two; they occupy the places of the
    lowest seeds, so they fall to the top seeds and only in round one.
    """
    _check_entries(entries, minimum=2, what="单败淘汰赛")
    size = bracket_size(len(entries))
    seeded = [Slot.of_entry(entries[s - 1], seed=s) if s <= len(entries) else Slot.bye() for s in seed_order(size)]
    return _bracket_from_lines(seeded, third_place=third_place)


def _check_entries(entries: Sequence[EntryKey], *, minimum: int, what: str) -> None:
    if len(entries) < minimum:
        raise ValueError(f"{what}至少需要 {minimum} 个参赛者，现有 {len(entries)} 个。")
    seen: set[EntryKey] = set()
    for entry in entries:
        if entry in seen:
            raise ValueError(f"参赛名单中 {entry} 出现了不止一次。")
        seen.add(entry)


def _bracket_from_lines(lines: Sequence[Slot], *, third_place: bool) -> Bracket:
    rounds: list[tuple[Fixture, ...]] = []
    slots = list(lines)
    while len(slots) > 1:
        number = len(rounds) + 1
        fixtures = tuple(
            Fixture(f"R{number}-{i + 1}", number, i + 1, slots[2 * i], slots[2 * i + 1]) for i in range(len(slots) // 2)
        )
        rounds.append(fixtures)
        slots = [Slot.winner_of(f.id) for f in fixtures]
    bracket = Bracket(size=len(lines), rounds=tuple(rounds))
    if third_place:
        bracket = replace(bracket, third_place=_third_place_fixture(bracket))
    return bracket


def _third_place_fixture(bracket: Bracket) -> Fixture:
    semis = bracket.rounds[-2] if len(bracket.rounds) >= 2 else ()
    # A semi-final that is a bye has no loser to send to the third-place match.
    if len(semis) != 2 or any(f.is_bye for f in semis):
        raise ValueError("三四名决赛需要两场实际进行的半决赛（至少 4 个参赛者）。")
    last_round = len(bracket.rounds)
    return Fixture(
        THIRD_PLACE_ID,
        last_round,
        2,
        Slot.loser_of(semis[0].id),
        Slot.loser_of(semis[1].id),
    )


# Advancing ------------------------------------------------------------------


@dataclass(frozen=True)
class FixtureState:
    """Who plays in a fixture so far and, once decided, who went through."""

    fixture: Fixture
    home: EntryKey | None
    away: EntryKey | None
    winner: EntryKey | None = None
    loser: EntryKey | None = None

    @property
    def ready(self) -> bool:
        """Both sides known and no winner yet: the fixture can be played."""
        return not self.fixture.is_bye and self.home is not None and self.away is not None and self.winner is None


def advance(bracket: Bracket, winners: Mapping[str, EntryKey]) -> dict[str, FixtureState]:
    """Resolve every fixture from the winners recorded so far (fixture id → entry).

    Byes are decided without a result. A GROUP_PLACE slot stays unknown until
    ``fill_group_places`` has put the group's entries in. Raises ``ValueError``
    (Chinese) for a result on an unknown, bye or not-yet-drawn fixture, or a
    winner who is not one of the two sides.
    """
    known = {f.id for f in bracket.fixtures}
    for fixture_id in winners:
        if fixture_id not in known:
            raise ValueError(f"没有编号为 {fixture_id} 的比赛。")
    states: dict[str, FixtureState] = {}
    for fixture in bracket.fixtures:
        states[fixture.id] = _resolve(fixture, states, winners.get(fixture.id))
    return states


def _slot_entry(slot: Slot, states: Mapping[str, FixtureState]) -> EntryKey | None:
    if slot.kind == ENTRY:
        return slot.entry
    if slot.kind == WINNER:
        return states[slot.fixture].winner
    if slot.kind == LOSER:
        return states[slot.fixture].loser
    return None  # BYE, or a group place not filled in yet


def _resolve(fixture: Fixture, states: Mapping[str, FixtureState], winner: EntryKey | None) -> FixtureState:
    home = _slot_entry(fixture.home, states)
    away = _slot_entry(fixture.away, states)
    if fixture.is_bye:
        if winner is not None:
            raise ValueError(f"{fixture.id} 为轮空，无需登记结果。")
        return FixtureState(fixture, home, away, winner=home if away is None else away)
    if winner is None:
        return FixtureState(fixture, home, away)
    if home is None or away is None:
        raise ValueError(f"{fixture.id} 的对阵尚未确定，不能登记胜者。")
    if winner not in (home, away):
        raise ValueError(f"{fixture.id} 的胜者 {winner} 不是该场的参赛者（{home} 对 {away}）。")
    return FixtureState(fixture, home, away, winner=winner, loser=away if winner == home else home)


def ready_fixtures(states: Mapping[str, FixtureState]) -> list[Fixture]:
    """Fixtures that can be scheduled now, in playing order."""
    return [s.fixture for s in states.values() if s.ready]


def champion(bracket: Bracket, states: Mapping[str, FixtureState]) -> EntryKey | None:
    return states[bracket.final.id].winner


# Round robin ----------------------------------------------------------------


@dataclass(frozen=True)
class RoundRobin:
    """Every pair of entries meets once; ``resting[r]`` sits out round r+1 (odd counts)."""

    rounds: tuple[tuple[Fixture, ...], ...]
    resting: tuple[EntryKey | None, ...]

    @property
    def fixtures(self) -> tuple[Fixture, ...]:
        return tuple(f for rnd in self.rounds for f in rnd)


def round_robin(entries: Sequence[EntryKey], *, prefix: str = "") -> RoundRobin:
    """A round-robin schedule by the circle method.

    The first entry stays put while the others rotate one place per round; an
    odd count gets a dummy partner, and whoever meets it rests that round. The
    fixed entry alternates home and away, the others are home while on the top
    row, so every entry's home and away counts differ by at most one.
    """
    _check_entries(entries, minimum=2, what="单循环赛")
    circle: list[EntryKey | None] = list(entries)
    if len(circle) % 2:
        circle.append(None)
    n = len(circle)
    rounds: list[tuple[Fixture, ...]] = []
    resting: list[EntryKey | None] = []
    for r in range(n - 1):
        number = r + 1
        fixtures: list[Fixture] = []
        rest: EntryKey | None = None
        for i in range(n // 2):
            top, bottom = circle[i], circle[n - 1 - i]
            if top is None or bottom is None:
                rest = bottom if top is None else top
                continue
            home, away = (bottom, top) if i == 0 and r % 2 else (top, bottom)
            fixtures.append(
                Fixture(
                    f"{prefix}R{number}-{len(fixtures) + 1}",
                    number,
                    len(fixtures) + 1,
                    Slot.of_entry(home),
                    Slot.of_entry(away),
                )
            )
        rounds.append(tuple(fixtures))
        resting.append(rest)
        circle = [circle[0], circle[-1], *circle[1:-1]]
    return RoundRobin(rounds=tuple(rounds), resting=tuple(resting))


# Groups then knock-out ------------------------------------------------------


def snake_groups(entries: Sequence[EntryKey], group_count: int) -> tuple[tuple[EntryKey, ...], ...]:
    """Deal seeded entries into groups in a snake: A B C C B A A B C …

    Each group gets one entry from every band of ``group_count`` seeds, and the
    snake evens out the strength of the bands.
    """
    if group_count < 1:
        raise ValueError("小组数至少为 1。")
    groups: list[list[EntryKey]] = [[] for _ in range(group_count)]
    for i, entry in enumerate(entries):
        band, pos = divmod(i, group_count)
        groups[pos if band % 2 == 0 else group_count - 1 - pos].append(entry)
    return tuple(tuple(g) for g in groups)


@dataclass(frozen=True)
class Group:
    name: str  # "A"
    entries: tuple[EntryKey, ...]
    schedule: RoundRobin


@dataclass(frozen=True)
class GroupsKnockout:
    groups: tuple[Group, ...]
    knockout: Bracket  # slots are GROUP_PLACE until fill_group_places


def groups_then_knockout(
    entries: Sequence[EntryKey],
    *,
    group_count: int,
    qualifiers_per_group: int,
    third_place: bool = False,
) -> GroupsKnockout:
    """Snake the seeds into round-robin groups; the top ``qualifiers_per_group`` of
    each go into a knock-out.

    The knock-out is seeded all group winners first (A1, B1, …), then all
    runners-up (A2, B2, …) and so on, so group winners take the top seeds: they
    get any byes and meet only lower-placed qualifiers in the first knock-out
    round whenever there are no more winners than half the lines. Qualifiers of
    the same place are then swapped, where that helps, so that two entries from
    one group do not meet again in the first knock-out round.
    """
    _check_entries(entries, minimum=2, what="小组赛")
    if not 1 <= group_count <= len(GROUP_NAMES):
        raise ValueError(f"小组数须在 1 至 {len(GROUP_NAMES)} 之间，现为 {group_count}。")
    dealt = snake_groups(entries, group_count)
    smallest = min(len(g) for g in dealt)
    if smallest < 2:
        raise ValueError(f"{len(entries)} 个参赛者分成 {group_count} 个小组，有的小组不足 2 个参赛者。")
    if not 1 <= qualifiers_per_group <= smallest:
        raise ValueError(f"每组出线名额须在 1 至 {smallest} 之间（最小的小组有 {smallest} 个参赛者）。")
    if group_count * qualifiers_per_group < 2:
        raise ValueError("出线总数至少为 2，才能进行淘汰赛。")
    groups = tuple(
        Group(name, members, round_robin(members, prefix=f"{name}-"))
        for name, members in zip(GROUP_NAMES, dealt, strict=False)
    )
    qualifiers = [Slot.group_place(g.name, place) for place in range(1, qualifiers_per_group + 1) for g in groups]
    size = bracket_size(len(qualifiers))
    lines = [qualifiers[s - 1] if s <= len(qualifiers) else Slot.bye() for s in seed_order(size)]
    knockout = _bracket_from_lines(_separate_group_mates(lines), third_place=third_place)
    return GroupsKnockout(groups=groups, knockout=knockout)


def _same_group(a: Slot, b: Slot) -> bool:
    return a.kind == b.kind == GROUP_PLACE and a.group == b.group


def _separate_group_mates(lines: list[Slot]) -> list[Slot]:
    """Swap equally placed qualifiers so no first-round pair comes from one group."""
    lines = list(lines)

    def clash(line: int) -> bool:
        first = line - line % 2
        return _same_group(lines[first], lines[first + 1])

    for first in range(0, len(lines), 2):
        if not clash(first):
            continue
        # Move the lower-placed of the pair; swapping equal places keeps the
        # seeding tiers (a winner still meets a runner-up, and so on).
        mover = first if lines[first].place > lines[first + 1].place else first + 1
        for other, slot in enumerate(lines):
            if other // 2 == first // 2 or slot.kind != GROUP_PLACE:
                continue
            if slot.place != lines[mover].place:
                continue
            lines[mover], lines[other] = lines[other], lines[mover]
            if not clash(mover) and not clash(other):
                break
            lines[mover], lines[other] = lines[other], lines[mover]
    return lines


def fill_group_places(bracket: Bracket, placings: Mapping[str, Sequence[EntryKey]]) -> Bracket:
    """Put the entries into GROUP_PLACE slots once group standings are final.

    ``placings`` maps a group name to its entries in finishing order. Groups not
    given yet stay as GROUP_PLACE slots, so groups can finish one at a time.
    """

    def fill(slot: Slot) -> Slot:
        if slot.kind != GROUP_PLACE or slot.group not in placings:
            return slot
        order = placings[slot.group]
        if slot.place > len(order):
            raise ValueError(f"{slot.group}组只给出了 {len(order)} 个名次，缺少第{slot.place}名。")
        return Slot.of_entry(order[slot.place - 1])

    def fill_fixture(f: Fixture) -> Fixture:
        return replace(f, home=fill(f.home), away=fill(f.away))

    rounds = tuple(tuple(fill_fixture(f) for f in rnd) for rnd in bracket.rounds)
    third = fill_fixture(bracket.third_place) if bracket.third_place else None
    return replace(bracket, rounds=rounds, third_place=third)
