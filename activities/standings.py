"""Round-robin standings (积分榜) from Results.

Order: points; then, among entries level on points, head-to-head (the points of a
mini-table of only their meetings with each other); then overall score
difference; then overall score for. Entries still level share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

EntryKey = Hashable


@dataclass(frozen=True)
class PointsScheme:
    """Points for one fixture's outcome, taken from the sport preset."""

    win: int
    draw: int
    loss: int
    # A forfeit (弃权) scores below a loss where a loss earns points (胜2负1弃权0),
    # so that not turning up is never as good as playing and losing.
    forfeit: int = 0


@dataclass(frozen=True)
class Result:
    """A played fixture: scores are goals, points, games or pulls as the sport counts."""

    home: EntryKey
    away: EntryKey
    home_score: int
    away_score: int
    forfeited_by: EntryKey | None = None  # the side that forfeited loses whatever the score


@dataclass(frozen=True)
class Standing:
    entry: EntryKey
    rank: int
    played: int
    won: int
    drawn: int
    lost: int
    score_for: int
    score_against: int
    points: int

    @property
    def score_diff(self) -> int:
        return self.score_for - self.score_against


@dataclass
class _Tally:
    played: int = 0
    won: int = 0
    drawn: int = 0
    lost: int = 0
    score_for: int = 0
    score_against: int = 0
    points: int = 0

    @property
    def score_diff(self) -> int:
        return self.score_for - self.score_against


def standings(entries: Sequence[EntryKey], results: Iterable[Result], *, points: PointsScheme) -> list[Standing]:
    """The table for ``entries`` (including those yet to play), best first.

    Entries level on every criterion keep the order of ``entries`` and share a rank.
    Raises ``ValueError`` (Chinese) for a Result naming an unknown entry, an entry
    against itself, or a negative score.
    """
    results = list(results)
    _check_results(entries, results)
    table = _tally(entries, results, points)
    tiers: list[list[EntryKey]] = []
    for level in _split(list(entries), lambda e: table[e].points):
        tiers.extend(_break_tie(level, results, table, points))
    return _ranked(tiers, table)


def _check_results(entries: Sequence[EntryKey], results: Sequence[Result]) -> None:
    known = set(entries)
    for r in results:
        for side in (r.home, r.away):
            if side not in known:
                raise ValueError(f"成绩中的 {side} 不在参赛名单中。")
        if r.home == r.away:
            raise ValueError(f"成绩中 {r.home} 不能与自己比赛。")
        if r.home_score < 0 or r.away_score < 0:
            raise ValueError(f"{r.home} 对 {r.away} 的比分 {r.home_score}:{r.away_score} 不能为负数。")
        if r.forfeited_by is not None and r.forfeited_by not in (r.home, r.away):
            raise ValueError(f"弃权方 {r.forfeited_by} 不是 {r.home} 对 {r.away} 的参赛者。")


def _tally(entries: Iterable[EntryKey], results: Iterable[Result], points: PointsScheme) -> dict[EntryKey, _Tally]:
    table = {e: _Tally() for e in entries}
    for r in results:
        _count(table[r.home], r.home_score, r.away_score, _outcome(r, r.home), points)
        _count(table[r.away], r.away_score, r.home_score, _outcome(r, r.away), points)
    return table


def _outcome(result: Result, side: EntryKey) -> str:
    """The outcome for ``side`` of ``result``: "win", "draw", "loss" or "forfeit"."""
    if result.forfeited_by is not None:
        return "forfeit" if result.forfeited_by == side else "win"
    own, other = (
        (result.home_score, result.away_score) if side == result.home else (result.away_score, result.home_score)
    )
    if own == other:
        return "draw"
    return "win" if own > other else "loss"


def _count(row: _Tally, scored: int, conceded: int, outcome: str, points: PointsScheme) -> None:
    row.played += 1
    row.score_for += scored
    row.score_against += conceded
    row.points += getattr(points, outcome)
    if outcome == "win":
        row.won += 1
    elif outcome == "draw":
        row.drawn += 1
    else:
        row.lost += 1


def _split(entries: list[EntryKey], key: Callable[[EntryKey], object]) -> list[list[EntryKey]]:
    """Entries in descending ``key`` order, cut into runs of equal key (stable)."""
    ordered = sorted(entries, key=key, reverse=True)
    runs: list[list[EntryKey]] = []
    for entry in ordered:
        if runs and key(runs[-1][0]) == key(entry):
            runs[-1].append(entry)
        else:
            runs.append([entry])
    # sorted(reverse=True) keeps equal keys in input order, so ties stay in list order.
    return runs


def _break_tie(
    level: list[EntryKey],
    results: Sequence[Result],
    table: dict[EntryKey, _Tally],
    points: PointsScheme,
) -> list[list[EntryKey]]:
    if len(level) == 1:
        return [level]
    members = set(level)
    mutual = [r for r in results if r.home in members and r.away in members]
    mini = _tally(level, mutual, points)
    by_h2h = _split(level, lambda e: mini[e].points)
    if len(by_h2h) > 1:
        # Head-to-head separated some of them: those still level are compared
        # again on their own meetings only (the mini-table of the smaller set).
        tiers: list[list[EntryKey]] = []
        for sub in by_h2h:
            tiers.extend(_break_tie(sub, results, table, points))
        return tiers
    return _split(level, lambda e: (table[e].score_diff, table[e].score_for))


def _ranked(tiers: list[list[EntryKey]], table: dict[EntryKey, _Tally]) -> list[Standing]:
    rows: list[Standing] = []
    for tier in tiers:
        rank = len(rows) + 1
        for entry in tier:
            t = table[entry]
            rows.append(
                Standing(
                    entry=entry,
                    rank=rank,
                    played=t.played,
                    won=t.won,
                    drawn=t.drawn,
                    lost=t.lost,
                    score_for=t.score_for,
                    score_against=t.score_against,
                    points=t.points,
                )
            )
    return rows
