"""What a competition's board shows — the bracket drawing, group tables,
heats and time rankings, judged rankings and awards — read in a fixed number
of queries and computed with the pure modules. Used by the organiser's page
and by the public live page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from activities import competition_services as cs
from activities import judging, sports
from activities.models import Competition, Criterion, Entry, Fixture, Mark, Official, Result
from activities.rule_settings import award_quotas


@dataclass
class Board:
    competition: Competition
    entries: dict[int, Entry]
    fixtures: list[Fixture]
    rounds: list[tuple[str, list[Fixture]]] = field(default_factory=list)  # knock-out columns
    round_robin: list[tuple[str, list[Fixture]]] = field(default_factory=list)  # group stage by round
    tables: list[tuple[str, list[dict], bool]] = field(default_factory=list)
    heats: list[tuple[int, list[dict]]] = field(default_factory=list)
    ranking: list[dict] = field(default_factory=list)  # timed or judged
    award_findings: list = field(default_factory=list)
    incomplete: list = field(default_factory=list)
    champion: str = ""

    @property
    def ready(self) -> list[Fixture]:
        return [f for f in self.fixtures if f.status == Fixture.READY]


def build(competition: Competition) -> Board:
    entries = {e.pk: e for e in competition.entries.select_related("person", "unit")}
    fixtures = list(competition.fixtures.select_related("result"))
    board = Board(competition=competition, entries=entries, fixtures=fixtures)
    if competition.is_timed:
        _timed(board)
    elif competition.is_judged:
        _judged(board)
    elif fixtures:
        _head_to_head(board)
    return board


def result_of(fixture: Fixture) -> Result | None:
    try:
        return fixture.result
    except Result.DoesNotExist:
        return None


def score_text(fixture: Fixture) -> str:
    result = result_of(fixture)
    if result is None:
        return ""
    if result.forfeited_by_id:
        return "弃权"
    return f"{result.home_score}:{result.away_score}"


def _head_to_head(board: Board) -> None:
    c = board.competition
    by_code = {f.code: f for f in board.fixtures}
    results = {f.code: r for f in board.fixtures if (r := result_of(f)) is not None}
    for f in board.fixtures:
        f.score_text = score_text(f)
        r = results.get(f.code)
        f.winner_side = "" if r is None or r.winner_id is None else ("home" if r.winner_id == f.home_id else "away")
        f.games_text = " ".join(f"{h}:{a}" for h, a in (r.games if r else []))
        shown = r is not None and not r.forfeited_by_id
        f.home_points = r.home_score if shown else ""
        f.away_points = r.away_score if shown else ""
    group_rows = [f for f in board.fixtures if f.group or c.format == Competition.ROUND_ROBIN]
    stages: dict[str, list[Fixture]] = {}
    for f in group_rows:
        stages.setdefault(f.stage, []).append(f)
    board.round_robin = list(stages.items())
    knockout = [f for f in board.fixtures if f not in group_rows]
    columns: dict[int, list[Fixture]] = {}
    names: dict[int, str] = {}
    for f in knockout:
        columns.setdefault(f.round, []).append(f)
        if f.code != "P3":
            names[f.round] = f.stage
    board.rounds = [
        (names.get(r, f"第{r}轮"), sorted(fs, key=lambda f: (f.code == "P3", f.index)))
        for r, fs in sorted(columns.items())
    ]
    if group_rows:
        for name, (_, table, done) in cs.group_tables(c, by_code, results).items():
            rows = [
                {
                    "rank": s.rank,
                    "name": board.entries[s.entry].name,
                    "unit": board.entries[s.entry].unit.short_name or board.entries[s.entry].unit.name,
                    "played": s.played,
                    "won": s.won,
                    "drawn": s.drawn,
                    "lost": s.lost,
                    "score_for": s.score_for,
                    "score_against": s.score_against,
                    "diff": s.score_diff,
                    "points": s.points,
                }
                for s in table
            ]
            board.tables.append((f"{name}组" if name else "积分榜", rows, done))
    final = next((f for f in knockout if f.stage == "决赛"), None)
    if final is not None and final.code in results and results[final.code].winner_id:
        board.champion = board.entries[results[final.code].winner_id].name
    elif c.format == Competition.ROUND_ROBIN and board.tables and board.tables[0][2]:
        board.champion = board.tables[0][1][0]["name"]


def _timed(board: Board) -> None:
    results = {r.entry_id: r for r in Result.objects.filter(competition=board.competition, entry__isnull=False)}
    heats: dict[int, list[dict]] = {}
    pure = []
    for e in board.entries.values():
        r = results.get(e.pk)
        row = {
            "entry": e,
            "lane": e.lane,
            "time": _fmt(r.time_ms) if r and r.time_ms else "",
            "status": sports.STATUS_LABELS[r.status] if r else "",
            "result": r,
        }
        heats.setdefault(e.heat or 0, []).append(row)
        if r is not None:
            pure.append(sports.TimedResult(e.pk, timedelta(milliseconds=r.time_ms) if r.time_ms else None, r.status))
    board.heats = [(n, sorted(rows, key=lambda x: x["lane"] or 0)) for n, rows in sorted(heats.items())]
    for p in sports.rank_by_time(pure):
        e = board.entries[p.entry]
        board.ranking.append({
            "rank": p.rank, "name": e.name, "unit": e.unit.short_name or e.unit.name,
            "time": _fmt(p.time // timedelta(milliseconds=1)) if p.time else "", "status": sports.STATUS_LABELS[p.status],
        })  # fmt: skip
    if board.ranking and board.ranking[0]["rank"] == 1 and board.competition.status == Competition.FINISHED:
        board.champion = board.ranking[0]["name"]


def _fmt(ms: int | None) -> str:
    from activities.forms import format_ms

    return format_ms(ms)


def judged_sheets(competition: Competition):
    criteria = list(Criterion.objects.filter(competition=competition))
    judges = list(
        Official.objects.filter(competition=competition, role=Official.JUDGE)
        .select_related("user")
        .order_by("id")
        .values_list("user_id", "user__display_name")
    )
    sheets: dict[int, dict[int, dict[str, object]]] = {}
    for entry_id, judge_id, criterion_id, score in Mark.objects.filter(entry__competition=competition).values_list(
        "entry_id", "judge_id", "criterion_id", "score"
    ):
        sheets.setdefault(entry_id, {}).setdefault(judge_id, {})[str(criterion_id)] = score
    pure = [judging.Criterion(str(c.pk), c.name, c.weight, c.max_score) for c in criteria]
    return criteria, judges, sheets, pure


def _judged(board: Board) -> None:
    c = board.competition
    criteria, judges, sheets, pure = judged_sheets(c)
    if not criteria or not judges:
        return
    judge_ids = [j for j, _ in judges]
    judge_names = dict(judges)
    complete, board.incomplete = {}, []
    for entry_id, entry in board.entries.items():
        by_judge = {j: sheets.get(entry_id, {}).get(j) for j in judge_ids}
        problems = judging.score_findings(pure, {entry_id: {j: s for j, s in by_judge.items() if s}}, judges=judge_ids)
        if problems:
            board.incomplete.append((entry, len([p for p in problems if p.rule == "ACT-06"])))
        else:
            complete[entry_id] = by_judge
    ranked = judging.rank_contestants(pure, complete)
    prizes, board.award_findings = judging.awards(ranked, quotas=award_quotas())
    for row in ranked:
        e = board.entries[row.contestant]
        board.ranking.append({
            "rank": row.rank, "name": e.name, "unit": e.unit.short_name or e.unit.name, "work": e.work_title,
            "score": row.score, "award": prizes.get(row.contestant) or "",
            "dropped": "、".join(judge_names.get(j, "") for j in (row.dropped_high, row.dropped_low) if j),
            "entry": e,
        })  # fmt: skip
