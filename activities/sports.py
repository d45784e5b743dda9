"""Sport presets and the checks on their scores; heats and time rankings.

Head-to-head sports (乒乓球, 篮球, 拔河, 棋牌) carry the points a Result earns in a
round robin. Timed events (游泳, 长跑, 登山) are run in heats and ranked by time.
Checks return ``Finding``s (core.findings) with Chinese messages:

ACT-01  a table-tennis game score that cannot happen
ACT-02  a best-of match (games, pulls) that is not a finished match
ACT-03  a negative score, or a draw in a sport without draws
ACT-04  a tug-of-war team above the weight limit
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from core.findings import ERROR, Finding

from .standings import PointsScheme

EntryKey = Hashable

HEAD_TO_HEAD = "head_to_head"
TIMED = "timed"


@dataclass(frozen=True)
class SportPreset:
    code: str
    name: str  # the Chinese name, used in messages
    format: str  # HEAD_TO_HEAD | TIMED
    team: bool
    points: PointsScheme | None = None  # HEAD_TO_HEAD only
    allows_draw: bool = False
    best_of: int | None = None  # games (乒乓球) or pulls (拔河) in one match
    weight_limit_kg: Decimal | None = None  # 拔河: a team's total body weight

    @property
    def wins_needed(self) -> int | None:
        return self.best_of // 2 + 1 if self.best_of else None


# 胜2负1弃权0 is the usual table of 机关 ball games (as in FIBA and ITTF team
# events): a loss still earns a point, a forfeit does not.
TABLE_TENNIS = SportPreset("TABLE_TENNIS", "乒乓球", HEAD_TO_HEAD, False, PointsScheme(2, 0, 1), best_of=5)
BASKETBALL = SportPreset("BASKETBALL", "篮球", HEAD_TO_HEAD, True, PointsScheme(2, 0, 1))
TUG_OF_WAR = SportPreset("TUG_OF_WAR", "拔河", HEAD_TO_HEAD, True, PointsScheme(2, 0, 1), best_of=3)
BOARD_GAMES = SportPreset("BOARD_GAMES", "棋牌", HEAD_TO_HEAD, False, PointsScheme(2, 1, 0), allows_draw=True)
SWIMMING = SportPreset("SWIMMING", "游泳", TIMED, team=False)
LONG_RUN = SportPreset("LONG_RUN", "长跑", TIMED, team=False)
HILL_CLIMB = SportPreset("HILL_CLIMB", "登山", TIMED, team=False)

PRESETS: Mapping[str, SportPreset] = {
    p.code: p for p in (TABLE_TENNIS, BASKETBALL, TUG_OF_WAR, BOARD_GAMES, SWIMMING, LONG_RUN, HILL_CLIMB)
}


def basketball(*, allow_draw: bool = False) -> SportPreset:
    """篮球 with the draw setting. With draws allowed the table becomes 胜3平2负1
    弃权0, so a draw sits between a win and a loss."""
    if not allow_draw:
        return BASKETBALL
    return replace(BASKETBALL, allows_draw=True, points=PointsScheme(win=3, draw=2, loss=1))


def tug_of_war(*, weight_limit_kg: Decimal | int | str | None) -> SportPreset:
    """拔河 with the team weight limit of this Competition (None: no limit)."""
    limit = None if weight_limit_kg is None else Decimal(str(weight_limit_kg))
    return replace(TUG_OF_WAR, weight_limit_kg=limit)


def board_games(*, win: int = 2, draw: int = 1, loss: int = 0) -> SportPreset:
    """棋牌 with this Competition's points, e.g. 2/1/0 (default) or 3/1/0."""
    return replace(BOARD_GAMES, points=PointsScheme(win=win, draw=draw, loss=loss))


# Table tennis ---------------------------------------------------------------

GAME_POINTS = 11  # a table-tennis game is won at 11 …
GAME_MARGIN = 2  # … by two clear points; from 10:10 play goes on until one leads by 2


def table_tennis_game_findings(home: int, away: int) -> list[Finding]:
    """ACT-01: is ``home``:``away`` a finished table-tennis game?

    11:9, 12:10, 13:11 are; 11:10 (no 2-point lead) and 13:10 (the game ended at
    12:10) are not.
    """
    score = f"{home}:{away}"
    if home < 0 or away < 0:
        return [_act01(f"乒乓球单局比分 {score} 不可能：得分不能为负数。")]
    high, low = max(home, away), min(home, away)
    if high < GAME_POINTS or high - low < GAME_MARGIN:
        return [_act01(f"乒乓球单局比分 {score} 不可能：一方须领先 2 分且至少 11 分。")]
    if high > GAME_POINTS and high - low != GAME_MARGIN:
        # Beyond 11 the game can only have gone on from 10:10, and it stops the
        # moment one side leads by 2.
        return [_act01(f"乒乓球单局比分 {score} 不可能：胜方超过 11 分时，比赛应在一方领先 2 分时结束，分差只能是 2。")]
    return []


def _act01(message: str) -> Finding:
    return Finding(rule="ACT-01", severity=ERROR, message=message)


def table_tennis_match_findings(
    games: Sequence[tuple[int, int]], *, preset: SportPreset = TABLE_TENNIS
) -> list[Finding]:
    """ACT-01 for each game and ACT-02 for the match: someone won ``wins_needed``
    games (3 of 5) and no game was played after that."""
    findings: list[Finding] = []
    for number, (home, away) in enumerate(games, start=1):
        for f in table_tennis_game_findings(home, away):
            findings.append(replace(f, message=f"第{number}局：{f.message}"))
    if findings:
        return findings
    winners = ["home" if home > away else "away" for home, away in games]
    return best_of_findings(winners, preset=preset)


def games_won(games: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """Games won by each side — the score of the match's Result."""
    home = sum(1 for h, a in games if h > a)
    return home, len(games) - home


# Best-of matches (games, pulls) ---------------------------------------------


def best_of_findings(winners: Sequence[str], *, preset: SportPreset) -> list[Finding]:
    """ACT-02: ``winners`` of each game (局: a table-tennis game, a tug-of-war pull)
    in order, "home" | "away", make a finished best-of match: one side reached
    ``wins_needed`` with the last game and no game followed."""
    need = preset.wins_needed
    tally = {"home": 0, "away": 0}
    for number, side in enumerate(winners, start=1):
        if side not in tally:
            raise ValueError(f"第{number}局的胜方须为 home 或 away，现为 {side}。")
        if max(tally.values()) == need:
            return [_act02(f"{preset.name}比赛先胜 {need} 局即结束，第{number}局不应再进行。")]
        tally[side] += 1
    if max(tally.values()) != need:
        score = f"{tally['home']}:{tally['away']}"
        return [_act02(f"{preset.name}比赛须一方先胜 {need} 局，现为 {score}，比赛尚未结束。")]
    return []


def _act02(message: str) -> Finding:
    return Finding(rule="ACT-02", severity=ERROR, message=message)


def score_findings(preset: SportPreset, home_score: int, away_score: int) -> list[Finding]:
    """ACT-03 (and ACT-02 for best-of sports, where the score is games or pulls
    won): a Result's score is possible for the sport."""
    score = f"{home_score}:{away_score}"
    if home_score < 0 or away_score < 0:
        return [_act03(f"{preset.name}比分 {score} 不能为负数。")]
    if preset.best_of:
        need = preset.wins_needed
        if max(home_score, away_score) != need or min(home_score, away_score) >= need:
            return [_act02(f"{preset.name}比赛须一方先胜 {need} 局，比分 {score} 不可能。")]
        return []
    if home_score == away_score and not preset.allows_draw:
        return [_act03(f"{preset.name}比赛不设平局：比分 {score} 须决出胜负（如加时）。")]
    return []


def _act03(message: str) -> Finding:
    return Finding(rule="ACT-03", severity=ERROR, message=message)


def team_weight_findings(weights_kg: Mapping[EntryKey, Decimal | int | str], *, preset: SportPreset) -> list[Finding]:
    """ACT-04: the team's total body weight is within the preset's limit.

    Weights are Decimal (or int/str) so that 600.0 kg never fails a 600 kg limit
    through rounding.
    """
    if preset.weight_limit_kg is None:
        return []
    total = sum((Decimal(str(w)) for w in weights_kg.values()), Decimal(0))
    if total <= preset.weight_limit_kg:
        return []
    over = total - preset.weight_limit_kg
    return [
        Finding(
            rule="ACT-04",
            severity=ERROR,
            message=(
                f"{preset.name}队 {len(weights_kg)} 人总体重 {total} 公斤，"
                f"超过限重 {preset.weight_limit_kg} 公斤 {over} 公斤。"
            ),
        )
    ]


# Timed events ---------------------------------------------------------------

OK = "ok"
DNF = "dnf"  # 未完成
DSQ = "dsq"  # 取消资格
DNS = "dns"  # 未出发
STATUS_LABELS = {OK: "完成", DNF: "未完成", DSQ: "取消资格", DNS: "未出发"}
# Non-finishers are listed after every finisher, in this order, without a rank.
_UNRANKED_ORDER = (DNF, DSQ, DNS)


@dataclass(frozen=True)
class TimedResult:
    entry: EntryKey
    time: timedelta | None = None
    status: str = OK

    def __post_init__(self) -> None:
        if self.status not in STATUS_LABELS:
            raise ValueError(f"未知的成绩状态 {self.status}。")
        if self.status == OK and self.time is None:
            raise ValueError(f"{self.entry} 已完成比赛，须填写用时。")


@dataclass(frozen=True)
class Placing:
    entry: EntryKey
    rank: int | None  # None for DNF / DSQ / DNS
    time: timedelta | None
    status: str


def rank_by_time(results: Iterable[TimedResult]) -> list[Placing]:
    """Finishers by time, equal times sharing a rank (1, 2, 2, 4); then DNF, DSQ
    and DNS unranked. Ties keep the order given."""
    results = list(results)
    finishers = sorted((r for r in results if r.status == OK), key=lambda r: r.time)
    placings: list[Placing] = []
    for i, r in enumerate(finishers):
        shared = i > 0 and r.time == finishers[i - 1].time
        rank = placings[-1].rank if shared else i + 1
        placings.append(Placing(r.entry, rank, r.time, OK))
    for status in _UNRANKED_ORDER:
        placings.extend(Placing(r.entry, None, r.time, status) for r in results if r.status == status)
    return placings


SERPENTINE = "serpentine"
BY_TIME = "by_time"


@dataclass(frozen=True)
class Heat:
    number: int  # 1-based
    lanes: tuple[tuple[int, EntryKey], ...]  # (lane, entry), by lane

    @property
    def entries(self) -> tuple[EntryKey, ...]:
        return tuple(entry for _, entry in self.lanes)


def lane_order(lanes: int) -> list[int]:
    """Lanes from the centre outwards (8 lanes: 4 5 3 6 2 7 1 8): the fastest
    seed of a heat swims in the middle, away from the walls' wash."""
    centre = (lanes + 1) // 2
    order = [centre]
    for step in range(1, lanes):
        lane = centre + (step + 1) // 2 if step % 2 else centre - step // 2
        order.append(lane)
    return order


def assign_heats(
    entry_times: Mapping[EntryKey, timedelta | None],
    *,
    lanes: int,
    method: str = SERPENTINE,
) -> list[Heat]:
    """Split entries into heats of at most ``lanes`` (pool lanes, or start places
    per wave for a run or climb), fewest heats possible, sizes differing by at most one.

    Seeds are ordered by entry time (报名成绩), fastest first; entries without
    one come last in the order given.

    SERPENTINE deals the seeds across heats in a snake (1 2 3 3 2 1 …) so every
    heat is equally strong — for events decided on time over all heats.
    BY_TIME puts the fastest together, the fastest heat last (swimming practice:
    the contenders race each other in the final heat).
    Within a heat the better seed gets the more central lane.
    """
    if lanes < 1:
        raise ValueError("每组道次至少为 1。")
    seeds = sorted(entry_times, key=_seed_key(entry_times))
    if not seeds:
        return []
    count = math.ceil(len(seeds) / lanes)
    if method == SERPENTINE:
        heats = _serpentine(seeds, count)
    elif method == BY_TIME:
        heats = _fastest_last(seeds, count)
    else:
        raise ValueError(f"未知的分组方式 {method}。")
    order = lane_order(lanes)
    return [
        Heat(number, tuple(sorted(zip(order, heat_seeds, strict=False))))
        for number, heat_seeds in enumerate(heats, start=1)
    ]


def _seed_key(
    entry_times: Mapping[EntryKey, timedelta | None],
) -> Callable[[EntryKey], tuple[bool, timedelta, int]]:
    position = {entry: i for i, entry in enumerate(entry_times)}

    def key(entry: EntryKey) -> tuple[bool, timedelta, int]:
        time = entry_times[entry]
        return (time is None, time or timedelta(0), position[entry])

    return key


def _serpentine(seeds: list[EntryKey], count: int) -> list[list[EntryKey]]:
    heats: list[list[EntryKey]] = [[] for _ in range(count)]
    for i, entry in enumerate(seeds):
        band, pos = divmod(i, count)
        heats[pos if band % 2 == 0 else count - 1 - pos].append(entry)
    return heats


def _fastest_last(seeds: list[EntryKey], count: int) -> list[list[EntryKey]]:
    base, extra = divmod(len(seeds), count)
    # The fuller heats are the faster ones: the last ``extra`` heats get one more.
    sizes = [base + (1 if number >= count - extra else 0) for number in range(count)]
    heats: list[list[EntryKey]] = []
    remaining = list(seeds)
    for size in reversed(sizes):
        heats.insert(0, remaining[:size])
        remaining = remaining[size:]
    return heats
