"""Writes for competitions: entries, the draw, schedule, results, judges' marks.

The draw is kept as ``Competition.draw_order`` (entry ids in seed order) and
the Fixture rows it produced; after every result the pure draw is rebuilt from
``draw_order`` (brackets.py is deterministic) and the recorded winners are
advanced through it, so who plays whom is always derived, never typed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from activities import brackets, policies, sports
from activities import standings as standings_mod
from activities.models import Competition, Criterion, Entry, Fixture, Mark, Official, Result
from activities.policies import EDIT
from activities.rule_settings import TUG_WEIGHT_LIMIT
from core import audit
from core.policies import CHANGE
from core.rule_settings import value as setting
from core.services import save_audited


def preset_of(competition: Competition) -> sports.SportPreset | None:
    """The sport preset with this competition's settings (weight limit)."""
    preset = competition.preset
    if preset is None:
        return None
    if preset.code == sports.TUG_OF_WAR.code:
        limit = competition.weight_limit_kg or setting(TUG_WEIGHT_LIMIT)
        return sports.tug_of_war(weight_limit_kg=limit)
    return preset


def _errors(findings) -> list[str]:
    return [f.message for f in findings if f.is_error]


# Setting up -----------------------------------------------------------------


def competition_save(*, by, competition: Competition) -> Competition:
    c = competition
    if c.format == Competition.TIMED and (c.preset is None or c.preset.format != sports.TIMED):
        raise ValidationError({"format": "计时/计量赛制只适用于游泳、长跑、登山。"})
    if c.format != Competition.TIMED and c.preset is not None and c.preset.format == sports.TIMED:
        raise ValidationError({"format": f"{c.preset.name}为计时项目，请选择“计时/计量（分组赛）”赛制。"})
    if (c.format == Competition.JUDGED) != (c.discipline in (Competition.CALLIGRAPHY, Competition.SKILLS)):
        raise ValidationError({"format": "书画、技能比赛采用评委评分；体育项目不能采用评委评分。"})
    if c.format == Competition.GROUPS_KNOCKOUT and not (c.group_count and c.qualifiers_per_group):
        raise ValidationError({"group_count": "小组循环+淘汰赛制须填写小组数和每组出线名额。"})
    if c.format == Competition.TIMED and not c.lanes:
        raise ValidationError({"lanes": "计时项目须填写每组道次（人数）。"})
    if c.preset is not None:
        c.team = c.preset.team
    return save_audited(c, by=by, policy=policies.competitions)


def official_assign(*, by, competition: Competition, user, role: str) -> Official:
    policies.competitions.require(by, CHANGE, competition)
    official, created = Official.objects.get_or_create(competition=competition, user=user, role=role)
    if created:
        audit.record(actor=by, action="activities.official.assign", obj=official, after={"user": user.pk, "role": role})
    return official


def criterion_add(*, by, competition: Competition, name: str, weight, max_score) -> Criterion:
    policies.competitions.require(by, CHANGE, competition)
    if Mark.objects.filter(criterion__competition=competition).exists():
        raise ValidationError("评委已开始打分，不能再修改评分项。")
    criterion = Criterion(competition=competition, name=name, weight=weight, max_score=max_score)
    return save_audited(criterion, by=by, policy=None)


def entry_add(
    *,
    by,
    competition: Competition,
    unit,
    person=None,
    team_name: str = "",
    members=(),
    seed: int | None = None,
    weight_kg: Decimal | None = None,
    entry_time_ms: int | None = None,
    work_title: str = "",
) -> Entry:
    """报名参赛: one person, or a team whose members all work in ``unit``."""
    policies.competitions.require(by, CHANGE, competition)
    if competition.status != Competition.DRAFT:
        raise ValidationError("比赛已抽签，不能再增加参赛者。")
    members = list(members)
    if competition.team:
        if not team_name:
            raise ValidationError({"team_name": "团体项目请填写队名。"})
        if not members:
            raise ValidationError({"members": "请选择队员。"})
        others = [p.name for p in members if p.unit_id != unit.pk]
        if others:
            raise ValidationError(
                {"members": f"队员须来自同一单位（{unit.name}）：{'、'.join(others)} 不是该单位职工。"}
            )
        preset = preset_of(competition)
        if preset is not None and preset.weight_limit_kg is not None:
            if weight_kg is None:
                raise ValidationError({"weight_kg": "拔河比赛须填写全队总体重。"})
            problems = _errors(sports.team_weight_findings({team_name: weight_kg}, preset=preset))
            if problems:
                raise ValidationError({"weight_kg": problems})
    elif person is None:
        raise ValidationError({"person": "请选择参赛人员。"})
    elif Entry.objects.filter(competition=competition, person=person).exists():
        raise ValidationError({"person": f"{person.name} 已报名该比赛。"})
    entry = Entry(
        competition=competition,
        person=None if competition.team else person,
        team_name=team_name if competition.team else "",
        unit=unit,
        seed=seed,
        weight_kg=weight_kg,
        entry_time_ms=entry_time_ms,
        work_title=work_title,
    )
    with transaction.atomic():
        save_audited(entry, by=by, policy=policies.entries)
        if competition.team:
            entry.members.set(members)
    return entry


# The draw -------------------------------------------------------------------


@dataclass(frozen=True)
class Structure:
    """The pure draw of a competition, rebuilt from its ``draw_order``."""

    knockout: brackets.Bracket | None = None
    round_robin: brackets.RoundRobin | None = None
    groups: tuple[brackets.Group, ...] = ()


def structure(competition: Competition) -> Structure:
    order = list(competition.draw_order)
    if not order or competition.format in (Competition.TIMED, Competition.JUDGED):
        return Structure()
    if competition.format == Competition.SINGLE_ELIMINATION:
        return Structure(knockout=brackets.single_elimination(order, third_place=competition.third_place))
    if competition.format == Competition.ROUND_ROBIN:
        return Structure(round_robin=brackets.round_robin(order))
    gk = brackets.groups_then_knockout(
        order,
        group_count=competition.group_count,
        qualifiers_per_group=competition.qualifiers_per_group,
        third_place=competition.third_place,
    )
    return Structure(knockout=gk.knockout, groups=gk.groups)


def draw_order(entries, rng: random.Random) -> list[int]:
    """Seeded entries by seed, then the others in a random order (replayable from the seed)."""
    seeded = sorted((e for e in entries if e.seed), key=lambda e: (e.seed, e.pk))
    others = sorted((e for e in entries if not e.seed), key=lambda e: e.pk)
    rng.shuffle(others)
    return [e.pk for e in seeded + others]


def competition_draw(*, by, competition: Competition, seed: int, now: datetime) -> Competition:
    """抽签: fix the order of the entries and create the fixtures (or heats)."""
    policies.competitions.require(by, CHANGE, competition)
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        if competition.status != Competition.DRAFT:
            raise ValidationError("该比赛已抽签。")
        entries = list(competition.entries.all())
        if len(entries) < 2:
            raise ValidationError(f"参赛者不足 2 个（现有 {len(entries)} 个），不能抽签。")
        competition.draw_order = draw_order(entries, random.Random(seed))
        try:
            fixtures = _fixtures_for(competition)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if competition.format == Competition.TIMED:
            _assign_heats(competition, entries)
        Fixture.objects.bulk_create(fixtures)
        competition.status = Competition.DRAWN
        save_audited(competition, by=by, policy=policies.competitions, action="activities.competition.draw")
        refresh(competition)
    return competition


def _fixtures_for(competition: Competition) -> list[Fixture]:
    s = structure(competition)
    rows: list[Fixture] = []

    names = {e.pk: e.name for e in competition.entries.select_related("person")}

    def side(slot: brackets.Slot) -> tuple[int | None, str]:
        if slot.kind == brackets.ENTRY:
            return slot.entry, names[slot.entry]
        return None, slot.label

    def add(f: brackets.Fixture, stage: str, group: str = "") -> None:
        (home, home_label), (away, away_label) = side(f.home), side(f.away)
        rows.append(
            Fixture(
                competition=competition,
                code=f.id,
                stage=stage,
                group=group,
                round=f.round,
                index=f.index,
                order=len(rows) + 1,
                home_id=home,
                away_id=away,
                home_label=home_label,
                away_label=away_label,
            )
        )

    if s.round_robin is not None:
        for f in s.round_robin.fixtures:
            add(f, f"第{f.round}轮")
    if s.groups:
        # Round by round across the groups, so every group plays at the same pace.
        rounds = max(len(g.schedule.rounds) for g in s.groups)
        for r in range(rounds):
            for g in s.groups:
                for f in g.schedule.rounds[r] if r < len(g.schedule.rounds) else ():
                    add(f, f"{g.name}组第{f.round}轮", g.name)
    if s.knockout is not None:
        for f in s.knockout.fixtures:
            add(f, s.knockout.stage_name(f))
    return rows


def _assign_heats(competition: Competition, entries: list[Entry]) -> None:
    from datetime import timedelta

    by_id = {e.pk: e for e in entries}
    times = {
        pk: (timedelta(milliseconds=by_id[pk].entry_time_ms) if by_id[pk].entry_time_ms else None)
        for pk in competition.draw_order
    }
    for heat in sports.assign_heats(times, lanes=competition.lanes):
        for lane, pk in heat.lanes:
            by_id[pk].heat, by_id[pk].lane = heat.number, lane
    Entry.objects.bulk_update(entries, ["heat", "lane"])


def _pure_result(result: Result, fixture: Fixture) -> standings_mod.Result:
    return standings_mod.Result(
        home=fixture.home_id,
        away=fixture.away_id,
        home_score=result.home_score or 0,
        away_score=result.away_score or 0,
        forfeited_by=result.forfeited_by_id,
    )


def group_tables(competition: Competition, fixtures: dict[str, Fixture], results: dict[str, Result]):
    """{group name: (entries, [Standing], finished)} for round-robin play; "" is the whole round robin."""
    s = structure(competition)
    preset = preset_of(competition)
    points = preset.points if preset and preset.points else standings_mod.PointsScheme(2, 1, 0)
    groups = list(s.groups)
    if s.round_robin is not None:
        groups = [brackets.Group("", tuple(competition.draw_order), s.round_robin)]
    tables = {}
    for g in groups:
        codes = [f.id for f in g.schedule.fixtures]
        played = [_pure_result(results[c], fixtures[c]) for c in codes if c in results]
        table = standings_mod.standings(list(g.entries), played, points=points)
        tables[g.name] = (g.entries, table, len(played) == len(codes))
    return tables


def refresh(competition: Competition) -> None:
    """Work out who plays in every fixture from the results so far, and whether
    the competition is finished. Called inside the writing transaction."""
    if competition.format in (Competition.TIMED, Competition.JUDGED):
        return
    fixtures = {f.code: f for f in competition.fixtures.all()}
    results = {r.fixture.code: r for r in competition.results.filter(fixture__isnull=False).select_related("fixture")}
    names = {e.pk: e.name for e in competition.entries.select_related("person")}
    s = structure(competition)
    changed = []
    finished = False

    def update(code: str, home, away, status: str, home_label: str, away_label: str) -> None:
        f = fixtures[code]
        new = (home, away, status, home_label, away_label)
        if (f.home_id, f.away_id, f.status, f.home_label, f.away_label) != new:
            f.home_id, f.away_id, f.status, f.home_label, f.away_label = new
            changed.append(f)

    tables = group_tables(competition, fixtures, results) if (s.round_robin or s.groups) else {}
    round_robin_codes = [f.id for f in s.round_robin.fixtures] if s.round_robin else []
    for g in s.groups:
        round_robin_codes += [f.id for f in g.schedule.fixtures]
    for code in round_robin_codes:
        f = fixtures[code]
        status = Fixture.DONE if code in results else Fixture.READY
        update(code, f.home_id, f.away_id, status, f.home_label, f.away_label)
    if s.round_robin is not None:
        finished = all(done for _, _, done in tables.values())
    if s.knockout is not None:
        bracket = s.knockout
        if s.groups:
            placings = {name: [row.entry for row in table] for name, (_, table, done) in tables.items() if done}
            bracket = brackets.fill_group_places(bracket, placings)
        winners = {f.id: results[f.id].winner_id for f in bracket.fixtures if f.id in results}
        states = brackets.advance(bracket, winners)
        for code, st in states.items():
            fx = st.fixture
            if fx.is_bye:
                status = Fixture.BYE
            elif code in results:
                status = Fixture.DONE
            elif st.home is not None and st.away is not None:
                status = Fixture.READY
            else:
                status = Fixture.PENDING
            home_label = names[st.home] if st.home is not None else fx.home.label
            away_label = names[st.away] if st.away is not None else fx.away.label
            update(code, st.home, st.away, status, home_label, away_label)
        finished = brackets.champion(bracket, states) is not None and (
            bracket.third_place is None or states[bracket.third_place.id].winner is not None
        )
    if changed:
        Fixture.objects.bulk_update(changed, ["home", "away", "status", "home_label", "away_label"])
    status = Competition.FINISHED if finished else Competition.DRAWN
    if competition.status != status:
        Competition.objects.filter(pk=competition.pk).update(status=status)
        competition.status = status


# Results --------------------------------------------------------------------


def parse_games(text: str) -> list[tuple[int, int]]:
    """ "11:9 9:11 11:5" (any of : ： - separators, spaces or commas between) → games."""
    import re

    games = []
    for part in re.split(r"[\s,，;；、]+", text.strip()):
        if not part:
            continue
        m = re.fullmatch(r"(\d{1,3})\s*[:：\-]\s*(\d{1,3})", part)
        if not m:
            raise ValidationError(f"局分“{part}”格式不对，请按 11:9 的格式填写，各局之间用空格分隔。")
        games.append((int(m.group(1)), int(m.group(2))))
    return games


def result_record(
    *,
    by,
    fixture: Fixture,
    home_score: int | None = None,
    away_score: int | None = None,
    games: list[tuple[int, int]] | None = None,
    forfeited_by: Entry | None = None,
    now: datetime,
) -> Result:
    """登记成绩 of a fixture (referees of the competition and its organisers).

    Refused in Chinese when the players are not yet known, the fixture is a bye
    or already has a result, or the score is impossible for the sport (ACT-01,
    ACT-02, ACT-03); a knock-out fixture must have a winner.
    """
    competition = fixture.competition
    if not policies.competitions.may(by, EDIT, competition):
        raise PermissionDenied("只有本比赛的裁判或主办单位管理员可以登记成绩。")
    with transaction.atomic():
        fixture = Fixture.objects.select_for_update().select_related("competition").get(pk=fixture.pk)
        competition = fixture.competition
        if fixture.status == Fixture.BYE:
            raise ValidationError(f"{fixture.code} 为轮空，无需登记成绩。")
        if fixture.home_id is None or fixture.away_id is None:
            raise ValidationError(
                f"{fixture.code}（{fixture.home_label} 对 {fixture.away_label}）的对阵尚未确定，不能登记成绩。"
            )
        if Result.objects.filter(fixture=fixture).exists():
            raise ValidationError(f"{fixture.code} 已登记成绩；如需更正，请先撤销该成绩。")
        preset = preset_of(competition)
        games = list(games or [])
        if forfeited_by is not None:
            if forfeited_by.pk not in (fixture.home_id, fixture.away_id):
                raise ValidationError("弃权方须为该场的参赛者之一。")
            home_score, away_score = home_score or 0, away_score or 0
            winner_id = fixture.away_id if forfeited_by.pk == fixture.home_id else fixture.home_id
        else:
            if preset is not None and preset.code == sports.TABLE_TENNIS.code:
                if not games:
                    raise ValidationError("乒乓球请填写各局比分，如 11:9 9:11 11:5 11:7。")
                problems = _errors(sports.table_tennis_match_findings(games, preset=preset))
                if problems:
                    raise ValidationError(problems)
                home_score, away_score = sports.games_won(games)
            if home_score is None or away_score is None:
                raise ValidationError("请填写双方比分。")
            if preset is not None:
                problems = _errors(sports.score_findings(preset, home_score, away_score))
                if problems:
                    raise ValidationError(problems)
            knockout = not fixture.group and competition.format != Competition.ROUND_ROBIN
            if home_score == away_score:
                if knockout:
                    raise ValidationError(f"淘汰赛须决出胜负：比分 {home_score}:{away_score} 为平局。")
                winner_id = None
            else:
                winner_id = fixture.home_id if home_score > away_score else fixture.away_id
        result = Result(
            competition=competition,
            fixture=fixture,
            home_score=home_score,
            away_score=away_score,
            games=[list(g) for g in games],
            winner_id=winner_id,
            forfeited_by=forfeited_by,
            recorded_by=by,
            recorded_at=now,
        )
        save_audited(result, by=by, policy=None, action="activities.result.record")
        try:
            refresh(competition)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    return result


def result_void(*, by, fixture: Fixture) -> None:
    """撤销成绩, while no later fixture fed by this one has been played."""
    competition = fixture.competition
    if not policies.competitions.may(by, EDIT, competition):
        raise PermissionDenied("只有本比赛的裁判或主办单位管理员可以撤销成绩。")
    with transaction.atomic():
        result = Result.objects.select_for_update().filter(fixture=fixture).first()
        if result is None:
            raise ValidationError("该场尚未登记成绩。")
        s = structure(competition)
        fed = []
        if s.knockout is not None:
            fed = [
                f.id
                for f in s.knockout.fixtures
                if any(slot.fixture == fixture.code for slot in f.slots)
                or (fixture.group and any(slot.group == fixture.group for slot in f.slots))
            ]
        played = list(
            Result.objects.filter(competition=competition, fixture__code__in=fed).values_list(
                "fixture__code", flat=True
            )
        )
        if played:
            raise ValidationError(f"后续场次 {'、'.join(played)} 已登记成绩，不能撤销本场成绩。")
        before = audit.snapshot(result)
        result.delete()
        audit.record(actor=by, action="activities.result.void", obj=fixture, before=before, after=None)
        refresh(competition)


def fixture_schedule(*, by, fixture: Fixture, court: str, scheduled_at: datetime | None) -> Fixture:
    """安排场地/球台和时间."""
    if not policies.competitions.may(by, EDIT, fixture.competition):
        raise PermissionDenied("只有本比赛的裁判或主办单位管理员可以安排赛程。")
    fixture.court = court
    fixture.scheduled_at = scheduled_at
    return save_audited(fixture, by=by, policy=None, action="activities.fixture.schedule")


def timed_result_record(*, by, entry: Entry, time_ms: int | None, status: str = sports.OK, now: datetime) -> Result:
    """Time (or DNF/DSQ/DNS) of an entry in a timed event; entering again corrects it."""
    competition = Competition.objects.select_related("activity").get(pk=entry.competition_id)
    if not policies.competitions.may(by, EDIT, competition):
        raise PermissionDenied("只有本比赛的裁判或主办单位管理员可以登记成绩。")
    if competition.format != Competition.TIMED:
        raise ValidationError("该比赛不是计时项目。")
    if competition.status == Competition.DRAFT:
        raise ValidationError("比赛尚未分组，不能登记成绩。")
    if status not in sports.STATUS_LABELS:
        raise ValidationError("成绩状态无效。")
    if status == sports.OK and not time_ms:
        raise ValidationError(f"{entry.name} 已完成比赛，须填写用时。")
    if status != sports.OK:
        time_ms = None
    with transaction.atomic():
        result = Result.objects.filter(entry=entry).first() or Result(competition=competition, entry=entry)
        result.time_ms, result.status, result.recorded_by, result.recorded_at = time_ms, status, by, now
        save_audited(result, by=by, policy=None, action="activities.result.timed")
        done = Result.objects.filter(competition=competition, entry__isnull=False).count()
        if done == competition.entries.count():
            Competition.objects.filter(pk=competition.pk).update(status=Competition.FINISHED)
    return result


# Judged contests ------------------------------------------------------------


def marks_save(*, by, entry: Entry, marks: dict[int, str]) -> int:
    """A judge's marks for one entry (criterion id → mark); ACT-05 refuses a mark
    outside 0..max. Saving again replaces the judge's marks."""
    competition = entry.competition
    if not Official.objects.filter(competition=competition, user=by, role=Official.JUDGE).exists():
        raise PermissionDenied("您不是本比赛的评委。")
    if competition.status == Competition.FINISHED:
        raise ValidationError("评比已结束，不能再修改评分。")
    criteria = {c.pk: c for c in competition.criteria.all()}
    errors, rows = [], []
    for cid, criterion in criteria.items():
        raw = (marks.get(cid) or "").strip() if isinstance(marks.get(cid), str) else marks.get(cid)
        if raw in (None, ""):
            errors.append(f"“{criterion.name}”没有打分。")
            continue
        try:
            score = Decimal(str(raw))
        except InvalidOperation:
            errors.append(f"“{criterion.name}”的分数“{raw}”不是数字。")
            continue
        if not Decimal(0) <= score <= criterion.max_score:
            errors.append(
                f"“{criterion.name}”打了 {score} 分，超出 0 至 {criterion.max_score.normalize():f} 分的范围（ACT-05）。"
            )
            continue
        rows.append(Mark(entry=entry, criterion=criterion, judge=by, score=score))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Mark.objects.filter(entry=entry, judge=by).delete()
        Mark.objects.bulk_create(rows)
        audit.record(
            actor=by,
            action="activities.marks.save",
            obj=entry,
            after={str(m.criterion_id): str(m.score) for m in rows},
        )
    return len(rows)


def competition_finish(*, by, competition: Competition) -> Competition:
    """Close judging (or a competition ended by the organiser)."""
    policies.competitions.require(by, CHANGE, competition)
    competition.status = Competition.FINISHED
    return save_audited(competition, by=by, policy=policies.competitions, action="activities.competition.finish")
