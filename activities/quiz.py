"""Knowledge Quiz (知识竞赛): answer checking, drawing a paper from the question
bank, and the scoring and leaderboards of a live contest.

Time is an argument: a live contest is told when each question's countdown
opened and when each answer arrived (aware datetimes); it never reads the clock.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Key = Hashable

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
FILL_IN = "fill_in"
KIND_LABELS = {SINGLE: "单选题", MULTIPLE: "多选题", TRUE_FALSE: "判断题", FILL_IN: "填空题"}

EASY = "easy"
MEDIUM = "medium"
HARD = "hard"
DIFFICULTY_LABELS = {EASY: "容易", MEDIUM: "中等", HARD: "困难"}


class QuizError(ValueError):
    """A Quiz operation that cannot be done; the message is Chinese, for the user."""


# Questions and answers ------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A question of the bank. ``answer``: SINGLE ("B",); MULTIPLE ("A", "C");
    TRUE_FALSE ("对",) or ("错",); FILL_IN every accepted answer."""

    id: str
    kind: str
    answer: tuple[str, ...]
    tags: frozenset[str] = frozenset()
    difficulty: str = MEDIUM

    def __post_init__(self) -> None:
        if self.kind not in KIND_LABELS:
            raise QuizError(f"题目 {self.id} 的题型 {self.kind} 未知。")
        if self.difficulty not in DIFFICULTY_LABELS:
            raise QuizError(f"题目 {self.id} 的难度 {self.difficulty} 未知。")
        if not self.answer:
            raise QuizError(f"题目 {self.id} 没有标准答案。")
        if self.kind == SINGLE and len(self.answer) != 1:
            raise QuizError(f"单选题 {self.id} 只能有一个标准答案。")
        if self.kind == TRUE_FALSE and (len(self.answer) != 1 or _truth(self.answer[0]) is None):
            raise QuizError(f"判断题 {self.id} 的标准答案须为“对”或“错”。")


def normalise(text: str) -> str:
    """Fold the differences that do not make an answer wrong: full-width to
    half-width (ＡＢ１ → AB1, 全角空格), all whitespace removed — Chinese answers
    have no spaces between words — and case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


_SEPARATORS = re.compile(r"[,、;/|]")  # after NFKC: ，→ ,  ；→ ;  ／→ /
_TRUE = {"对", "正确", "是", "√", "✓", "t", "true", "y", "yes", "1"}
_FALSE = {"错", "错误", "否", "×", "✗", "x", "f", "false", "n", "no", "0"}


def _truth(given: object) -> bool | None:
    if isinstance(given, bool):
        return given
    if not isinstance(given, str):
        return None
    text = normalise(given)
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _letters(given: object) -> frozenset[str] | None:
    """The option letters of a choice answer ("A,C", "ＡＣ", ["a", "c"]), or None
    when it is not made of letters."""
    if isinstance(given, str):
        parts = list(_SEPARATORS.sub("", normalise(given)))
    elif isinstance(given, Iterable):
        parts = [normalise(str(p)) for p in given]
    else:
        return None
    if not parts or any(len(p) != 1 or not p.isascii() or not p.isalpha() for p in parts):
        return None
    return frozenset(p.upper() for p in parts)


def check_answer(question: Question, given: str | bool | Iterable[str] | None) -> bool:
    """Is ``given`` right? A multiple-choice answer must be exactly the right set
    (a partial set is wrong); a blank answer is wrong."""
    if given is None:
        return False
    if question.kind == TRUE_FALSE:
        truth = _truth(given)
        return truth is not None and truth == _truth(question.answer[0])
    if question.kind in (SINGLE, MULTIPLE):
        chosen = _letters(given)
        if chosen is None or (question.kind == SINGLE and len(chosen) != 1):
            return False
        return chosen == _letters(question.answer)
    if not isinstance(given, str):
        return False
    text = normalise(given)
    return bool(text) and any(text == normalise(a) for a in question.answer)


# Drawing a paper ------------------------------------------------------------


@dataclass(frozen=True)
class DrawRule:
    """Draw ``count`` questions with this tag and/or difficulty (None: any)."""

    count: int
    tag: str | None = None
    difficulty: str | None = None

    def matches(self, question: Question) -> bool:
        return (self.tag is None or self.tag in question.tags) and (
            self.difficulty is None or self.difficulty == question.difficulty
        )

    @property
    def label(self) -> str:
        parts = []
        if self.tag is not None:
            parts.append(f"标签“{self.tag}”")
        if self.difficulty is not None:
            parts.append(f"难度“{DIFFICULTY_LABELS.get(self.difficulty, self.difficulty)}”")
        return "、".join(parts) or "全部"


def draw_paper(bank: Iterable[Question], rules: Sequence[DrawRule], *, rng: random.Random) -> list[Question]:
    """A paper drawn at random: for each rule, ``count`` questions matching it,
    no question twice, in the order of the rules.

    The bank is sorted by id before drawing so that the same seed gives the same
    paper whatever order the database returned. Rules with both tag and
    difficulty draw first, so a broad rule cannot use up the few questions a
    narrow rule needs. Raises ``QuizError`` when the bank has too few.
    """
    pool = sorted(bank, key=lambda q: q.id)
    if len({q.id for q in pool}) != len(pool):
        raise QuizError("题库中有重复的题目编号。")
    taken: set[str] = set()
    drawn: dict[int, list[Question]] = {}
    narrow_first = sorted(range(len(rules)), key=lambda i: (rules[i].tag is None) + (rules[i].difficulty is None))
    for i in narrow_first:
        drawn[i] = _draw_one(pool, rules[i], taken, rng)
        taken.update(q.id for q in drawn[i])
    return [q for i in range(len(rules)) for q in drawn[i]]


def _draw_one(pool: list[Question], rule: DrawRule, taken: set[str], rng: random.Random) -> list[Question]:
    if rule.count < 0:
        raise QuizError("抽题数量不能为负数。")
    matching = [q for q in pool if rule.matches(q)]
    free = [q for q in matching if q.id not in taken]
    if len(free) < rule.count:
        used = len(matching) - len(free)
        note = f"（其中 {used} 道已被其他抽题规则抽中）" if used else ""
        raise QuizError(
            f"题库中{rule.label}的题目只有 {len(matching)} 道{note}，"
            f"不足以抽取 {rule.count} 道，请补充题库或减少抽题数量。"
        )
    return rng.sample(free, rule.count)


# Live contest ---------------------------------------------------------------

BASE_POINTS = 1000

ACCEPTED = "accepted"
DUPLICATE = "duplicate"
REFUSED = "refused"


@dataclass(frozen=True)
class Window:
    """The countdown of one question in a live contest."""

    question_id: str
    opened_at: datetime
    limit: timedelta


@dataclass(frozen=True)
class KeptAnswer:
    """An answer accepted and marked — the one kept for this participant and question."""

    participant: Key
    question_id: str
    given: object
    answered_at: datetime
    elapsed: timedelta
    correct: bool
    points: int


@dataclass(frozen=True)
class Outcome:
    status: str  # ACCEPTED | DUPLICATE | REFUSED
    message: str
    points: int = 0
    correct: bool | None = None


class AnswerRefused(QuizError):
    """An answer that is not taken at all (too late, before the start, …)."""


def speed_points(*, elapsed: timedelta, limit: timedelta, base: int = BASE_POINTS) -> int:
    """Points for a correct answer: base × (1 − 0.5 × elapsed / limit), rounded half
    up — 1000 at once, 500 at the last moment, so being right always outweighs
    being fast. An answer at exactly the limit still counts."""
    if limit <= timedelta(0):
        raise QuizError("答题限时须大于 0。")
    if elapsed < timedelta(0) or elapsed > limit:
        raise AnswerRefused("答题时间不在本题计时范围内。")
    value = base * (1 - Fraction(1, 2) * Fraction(elapsed // _US, limit // _US))
    return math.floor(value + Fraction(1, 2))


_US = timedelta(microseconds=1)


def _seconds(span: timedelta) -> str:
    """21.5, 20, 20.000001 — exact seconds without trailing zeros."""
    return f"{Decimal(span // _US).scaleb(-6).normalize():f}"


def _require_aware(moment: datetime) -> None:
    # A naive time could be read in either time zone and shift a countdown by hours.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise QuizError("答题时间须带时区。")


def mark_answer(
    question: Question,
    window: Window,
    *,
    participant: Key,
    given: object,
    at: datetime,
    base: int = BASE_POINTS,
) -> KeptAnswer:
    """Mark an answer that arrived ``at``: speed points when correct, 0 when wrong.
    Raises ``AnswerRefused`` (Chinese) for an answer before the countdown opened or
    after it ran out."""
    _require_aware(at)
    elapsed = at - window.opened_at
    if elapsed < timedelta(0):
        raise AnswerRefused(f"题目 {question.id} 尚未开始计时，答案不予受理。")
    if elapsed > window.limit:
        raise AnswerRefused(
            f"题目 {question.id} 限时 {_seconds(window.limit)} 秒，提交时已用 "
            f"{_seconds(elapsed)} 秒，超时答案不予受理。"
        )
    correct = check_answer(question, given)
    points = speed_points(elapsed=elapsed, limit=window.limit, base=base) if correct else 0
    return KeptAnswer(participant, question.id, given, at, elapsed, correct, points)


def keep_first(answers: Iterable[KeptAnswer]) -> list[KeptAnswer]:
    """One answer per participant and question: the earliest (then the first
    given). Later ones are resubmissions and are ignored."""
    kept: dict[tuple[Key, str], KeptAnswer] = {}
    for a in answers:
        key = (a.participant, a.question_id)
        if key not in kept or a.answered_at < kept[key].answered_at:
            kept[key] = a
    return list(kept.values())


class LiveContest:
    """The state of one live Quiz round: countdowns opened and answers kept.

    Submitting is idempotent: the first accepted answer of a participant to a
    question is kept; any later one (a double click, a retry, a changed mind)
    gets the first one's result back with status DUPLICATE and changes nothing.
    """

    def __init__(
        self,
        questions: Iterable[Question],
        *,
        roster: Mapping[Key, Key],
        base: int = BASE_POINTS,
    ) -> None:
        self._questions = {q.id: q for q in questions}
        self._roster = dict(roster)  # participant → unit
        self._base = base
        self._windows: dict[str, Window] = {}
        self._kept: dict[tuple[Key, str], KeptAnswer] = {}

    @property
    def kept(self) -> tuple[KeptAnswer, ...]:
        return tuple(self._kept.values())

    def open(self, question_id: str, *, at: datetime, limit: timedelta) -> Window:
        """Start the countdown of a question. A countdown cannot be restarted: that
        would give the slow a second chance."""
        _require_aware(at)
        if question_id not in self._questions:
            raise QuizError(f"没有编号为 {question_id} 的题目。")
        if question_id in self._windows:
            raise QuizError(f"题目 {question_id} 已开始计时，不能重新开始。")
        if limit <= timedelta(0):
            raise QuizError("答题限时须大于 0。")
        window = Window(question_id, at, limit)
        self._windows[question_id] = window
        return window

    def submit(self, participant: Key, question_id: str, given: object, *, at: datetime) -> Outcome:
        if participant not in self._roster:
            return Outcome(REFUSED, f"{participant} 未报名本场竞赛，答案不予受理。")
        if question_id not in self._questions:
            return Outcome(REFUSED, f"没有编号为 {question_id} 的题目。")
        first = self._kept.get((participant, question_id))
        if first is not None:
            # Checked before the clock, so a retry of an answer that was in time
            # returns the same result even when it arrives late.
            return Outcome(DUPLICATE, "本题已作答，以第一次提交的答案为准。", first.points, first.correct)
        window = self._windows.get(question_id)
        if window is None:
            return Outcome(REFUSED, f"题目 {question_id} 尚未开始计时，答案不予受理。")
        try:
            kept = mark_answer(
                self._questions[question_id],
                window,
                participant=participant,
                given=given,
                at=at,
                base=self._base,
            )
        except AnswerRefused as refusal:
            return Outcome(REFUSED, str(refusal))
        self._kept[(participant, question_id)] = kept
        verdict = "回答正确" if kept.correct else "回答错误"
        return Outcome(ACCEPTED, f"{verdict}，得 {kept.points} 分。", kept.points, kept.correct)

    def person_leaderboard(self) -> list[PersonRow]:
        return person_leaderboard(self.kept, roster=self._roster)

    def unit_leaderboard(self) -> list[UnitRow]:
        return unit_leaderboard(self.kept, roster=self._roster)


# Leaderboards ---------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    participant: Key
    unit: Key
    rank: int
    points: int
    correct: int
    answered: int


@dataclass(frozen=True)
class UnitRow:
    unit: Key
    rank: int
    score: Decimal  # average points per registered participant, two decimals
    points: int  # the unit's total
    participants: int


def person_leaderboard(answers: Iterable[KeptAnswer], *, roster: Mapping[Key, Key]) -> list[PersonRow]:
    """Everyone on the roster (participant → unit), by points then correct
    answers; equal on both share a rank and keep roster order."""
    totals = {p: [0, 0, 0] for p in roster}  # points, correct, answered
    for a in keep_first(answers):
        if a.participant not in totals:
            raise QuizError(f"{a.participant} 不在本场竞赛的报名名单中。")
        row = totals[a.participant]
        row[0] += a.points
        row[1] += int(a.correct)
        row[2] += 1
    ordered = sorted(roster, key=lambda p: (totals[p][0], totals[p][1]), reverse=True)
    rows: list[PersonRow] = []
    for i, p in enumerate(ordered):
        points, correct, answered = totals[p]
        shared = i > 0 and (rows[-1].points, rows[-1].correct) == (points, correct)
        rank = rows[-1].rank if shared else i + 1
        rows.append(PersonRow(p, roster[p], rank, points, correct, answered))
    return rows


def unit_leaderboard(answers: Iterable[KeptAnswer], *, roster: Mapping[Key, Key]) -> list[UnitRow]:
    """Units by the average points of their registered participants.

    The average, not the sum: a unit that sends more people should not win for
    that alone. Registered participants who answered nothing count as 0, so a
    unit cannot lift its average by keeping weaker members silent. Ranks go by
    the published two-decimal score; equal scores share a rank.
    """
    people = {row.participant: row for row in person_leaderboard(answers, roster=roster)}
    members: dict[Key, list[PersonRow]] = {}
    for participant, unit in roster.items():
        members.setdefault(unit, []).append(people[participant])
    scored = []
    for unit, rows in members.items():
        total = sum(r.points for r in rows)
        average = Decimal(total) / Decimal(len(rows))
        scored.append((unit, average.quantize(Decimal("0.01"), ROUND_HALF_UP), total, len(rows)))
    # Units keep the order they first appear in the roster when scores are equal.
    scored.sort(key=lambda s: s[1], reverse=True)
    result: list[UnitRow] = []
    for i, (unit, score, total, count) in enumerate(scored):
        shared = i > 0 and result[-1].score == score
        result.append(UnitRow(unit, result[-1].rank if shared else i + 1, score, total, count))
    return result
