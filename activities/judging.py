"""Judged contests (书画, 技能比赛): weighted criteria, a panel of judges, awards.

Each judge marks each criterion of each contestant. A judge's total is on a
100-point scale: Σ weight × score / max_score, divided by Σ weight, × 100 — so
weights may be given as 30/50/20 or 0.3/0.5/0.2, and criteria marked out of
their own maxima (30, 50, 20) with equal weights become a plain sum.
With 5 or more judges one highest and one lowest total are dropped before
averaging (去掉一个最高分和一个最低分); with fewer, all are averaged.

Arithmetic is exact (Fraction); the published score is rounded half up to two
decimals, and ranks are decided on the published score, so every rank can be
explained from the numbers on the notice.

ACT-05  a mark outside 0..max_score
ACT-06  a judge's mark missing
ACT-07  a tie at the last award place gives more awards than the quotas
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from core.findings import ERROR, MISSING, WARNING, Finding

Key = Hashable
Number = int | float | Decimal | Fraction

SCALE = 100
TRIM_FROM = 5  # judges needed before the highest and lowest totals are dropped
AWARD_NAMES = ("一等奖", "二等奖", "三等奖")


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    weight: Number
    max_score: Number = 100


ScoreSheet = Mapping[str, Number]  # one judge's marks for one contestant: criterion code → mark


def exact(value: Number) -> Fraction:
    """A number as an exact Fraction; a float is read as the decimal it prints as
    (85.1 → 851/10), so 85.1 + 85.3 ties with 85.2 + 85.2."""
    if isinstance(value, float):
        return Fraction(str(value))
    return Fraction(value)


def published(value: Fraction) -> Decimal:
    """The score as printed: two decimals, half up."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def judge_total(criteria: Sequence[Criterion], sheet: ScoreSheet) -> Fraction:
    """One judge's weighted total on the 100-point scale. Raises ``ValueError``
    (Chinese) when a criterion is unmarked or a weight is not positive."""
    weight_sum = sum((exact(c.weight) for c in criteria), Fraction(0))
    if not criteria or weight_sum <= 0:
        raise ValueError("评分项的权重之和须大于 0。")
    total = Fraction(0)
    for c in criteria:
        if c.code not in sheet:
            raise ValueError(f"评分项“{c.name}”没有打分。")
        total += exact(c.weight) * exact(sheet[c.code]) / exact(c.max_score)
    return total / weight_sum * SCALE


@dataclass(frozen=True)
class PanelScore:
    final: Fraction  # exact average of the totals counted
    dropped_high: Key | None  # the judge whose total was dropped as highest
    dropped_low: Key | None


def panel_score(totals: Mapping[Key, Fraction]) -> PanelScore:
    """Average of the judges' totals; from 5 judges on, without one highest and
    one lowest (only one of each even when several judges gave the same total)."""
    if not totals:
        raise ValueError("没有评委的评分。")
    counted = dict(totals)
    high = low = None
    if len(totals) >= TRIM_FROM:
        # The first judge (in the order given) holding the extreme is the one
        # dropped, so the record names a definite judge.
        high = max(counted, key=lambda j: counted[j])
        del counted[high]
        low = min(counted, key=lambda j: counted[j])
        del counted[low]
    final = sum(counted.values(), Fraction(0)) / len(counted)
    return PanelScore(final=final, dropped_high=high, dropped_low=low)


@dataclass(frozen=True)
class JudgedEntry:
    contestant: Key
    rank: int
    score: Decimal  # the published score
    final: Fraction  # exact, before rounding
    judge_totals: Mapping[Key, Fraction]
    dropped_high: Key | None
    dropped_low: Key | None


def rank_contestants(
    criteria: Sequence[Criterion], sheets: Mapping[Key, Mapping[Key, ScoreSheet]]
) -> list[JudgedEntry]:
    """Contestants by published score, best first; equal published scores share a
    rank (1, 2, 2, 4) and keep the order given. ``sheets``: contestant → judge →
    marks. Check the sheets with ``score_findings`` first: this raises
    ``ValueError`` on a missing mark."""
    rows = []
    for contestant, by_judge in sheets.items():
        totals = {judge: judge_total(criteria, sheet) for judge, sheet in by_judge.items()}
        panel = panel_score(totals)
        rows.append((contestant, totals, panel))
    rows.sort(key=lambda row: published(row[2].final), reverse=True)
    ranked: list[JudgedEntry] = []
    for i, (contestant, totals, panel) in enumerate(rows):
        score = published(panel.final)
        shared = i > 0 and ranked[-1].score == score
        ranked.append(
            JudgedEntry(
                contestant=contestant,
                rank=ranked[-1].rank if shared else i + 1,
                score=score,
                final=panel.final,
                judge_totals=totals,
                dropped_high=panel.dropped_high,
                dropped_low=panel.dropped_low,
            )
        )
    return ranked


def score_findings(
    criteria: Sequence[Criterion],
    sheets: Mapping[Key, Mapping[Key, ScoreSheet]],
    *,
    judges: Sequence[Key],
) -> list[Finding]:
    """ACT-05 marks out of range, ACT-06 marks missing, for every contestant ×
    judge × criterion. Every judge of the panel marks every contestant, so that all
    contestants are averaged over the same panel."""
    findings: list[Finding] = []
    for contestant, by_judge in sheets.items():
        for judge in judges:
            sheet = by_judge.get(judge)
            if sheet is None:
                findings.append(Finding("ACT-06", MISSING, f"评委 {judge} 尚未给 {contestant} 打分。"))
                continue
            findings.extend(_sheet_findings(criteria, sheet, contestant, judge))
    return findings


def _sheet_findings(criteria: Sequence[Criterion], sheet: ScoreSheet, contestant: Key, judge: Key) -> list[Finding]:
    findings: list[Finding] = []
    for c in criteria:
        if c.code not in sheet:
            message = f"评委 {judge} 尚未给 {contestant} 的“{c.name}”打分。"
            findings.append(Finding("ACT-06", MISSING, message))
        elif not 0 <= exact(sheet[c.code]) <= exact(c.max_score):
            message = (
                f"评委 {judge} 给 {contestant} 的“{c.name}”打了 {sheet[c.code]} 分，超出 0 至 {c.max_score} 分的范围。"
            )
            findings.append(Finding("ACT-05", ERROR, message))
    return findings


def awards(
    ranked: Sequence[JudgedEntry],
    *,
    quotas: Sequence[int],
    names: Sequence[str] = AWARD_NAMES,
) -> tuple[dict[Key, str | None], list[Finding]]:
    """Awards by quota, e.g. ``quotas=(1, 3, 5)`` for 一等奖 1, 二等奖 3, 三等奖 5.

    A contestant of rank r gets the first award whose cumulative quota reaches r.
    Tied contestants share a rank, so a tie across a boundary all take the
    higher award and the next award has that many fewer places. A tie across the
    last boundary gives everyone tied the award, and ACT-07 warns that the quotas
    are exceeded so the committee can decide.
    """
    if len(quotas) > len(names):
        raise ValueError(f"给出了 {len(quotas)} 个奖项名额，但只有 {len(names)} 个奖项名称。")
    if any(q < 0 for q in quotas):
        raise ValueError("奖项名额不能为负数。")
    limits: list[tuple[int, str]] = []
    reached = 0
    for quota, name in zip(quotas, names, strict=False):
        reached += quota
        limits.append((reached, name))
    result: dict[Key, str | None] = {}
    for entry in ranked:
        result[entry.contestant] = next((n for limit, n in limits if entry.rank <= limit), None)
    given = sum(1 for name in result.values() if name is not None)
    findings: list[Finding] = []
    if given > reached:
        findings.append(
            Finding(
                "ACT-07",
                WARNING,
                f"末位并列，获奖数 {given} 超出名额 {reached}（多 {given - reached} 个），请评委会确定。",
            )
        )
    return result, findings
