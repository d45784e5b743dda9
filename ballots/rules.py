"""Ballot arithmetic (票决): impossible numbers, quorum and majority. Pure functions.

A ballot is judged by the rule its caller chose:

- REC-13 / REC-21 (rules/recruitment.md): voting members present > half of those
  due; votes in favour plus written opinions in favour > half of those due. The
  arithmetic itself is ``recruitment.rules`` (one implementation), reached
  through ``recruitment_findings``.
- TERM-04 (rules/party-life.md): an election is valid when those present exceed
  four fifths of those entitled; a candidate is elected with votes in favour
  exceeding half of those entitled (``orgs.term_rules``).
- MAJORITY: a generic motion passes with votes in favour exceeding half of those
  entitled (workers' congress motions and the like; no quorum of its own).

Numbers in, ``Outcome`` / ``Finding``s / Chinese error messages out; no ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction

from core.findings import Finding
from orgs import term_rules
from recruitment import rules as recruitment_rules

REC_13 = "REC-13"
REC_21 = "REC-21"
TERM_04 = "TERM-04"
MAJORITY = "MAJORITY"
RULE_LABELS = {
    REC_13: "REC-13 接收预备党员（到会过半数，赞成票含书面意见过半数）",
    REC_21: "REC-21 预备党员转正（到会过半数，赞成票含书面意见过半数）",
    TERM_04: "TERM-04 换届选举（到会超过五分之四，得票超过应到会半数）",
    MAJORITY: "一般表决事项（赞成票超过应到人数半数）",
}
RECRUITMENT_RULES = (REC_13, REC_21)
# Written opinions of absent voters count only where the rule says so (REC-13 / REC-21).
WRITTEN_ALLOWED = frozenset(RECRUITMENT_RULES)

YES = "YES"
NO = "NO"
ABSTAIN = "ABSTAIN"
CHOICE_LABELS = {YES: "赞成", NO: "反对", ABSTAIN: "弃权"}


@dataclass(frozen=True)
class ItemCount:
    """The votes on one candidate or motion."""

    label: str
    in_favour: int
    against: int = 0
    abstain: int = 0
    written_in_favour: int = 0  # written opinions in favour from absent voting members (REC-13)

    @property
    def cast(self) -> int:
        return self.in_favour + self.against + self.abstain


@dataclass(frozen=True)
class ItemOutcome:
    count: ItemCount
    total_for: int  # in favour, written opinions included where the rule counts them
    passed: bool
    verdict: str  # 通过 / 未通过 / 当选 / 未当选
    line: str  # the arithmetic, in Chinese


@dataclass(frozen=True)
class Outcome:
    rule: str
    entitled: int
    present: int
    written_count: int
    quorum_ok: bool
    quorum_line: str
    items: tuple[ItemOutcome, ...]
    findings: tuple[Finding, ...]

    @property
    def rule_label(self) -> str:
        return RULE_LABELS[self.rule]


def fmt_number(value: Fraction) -> str:
    """5 → "5", 11/2 → "5.5", 28/5 → "5.6" (halves and fifths have one decimal)."""
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def _rule_name(rule: str) -> str:
    return "表决规则" if rule == MAJORITY else rule


def number_errors(
    *,
    rule: str,
    entitled: int,
    present: int,
    written_count: int,
    items: Sequence[ItemCount],
    meeting_on: date | None = None,
) -> dict[str, str]:
    """Impossible numbers of a ballot, as {field: Chinese message naming the rule}.

    Fields: ``entitled``, ``present``, ``written_count``, ``item-<index>`` (index in
    ``items``). Votes cast on an item may not exceed those present; written
    opinions may come only from voting members who are absent, and count only
    where the rule counts them. Each message ends with the meeting date when given.
    """
    name = _rule_name(rule)
    errors: dict[str, str] = {}
    if entitled <= 0:
        errors["entitled"] = f"{name}：应到会有表决权人数为 {entitled}，无法进行表决。"
        return _dated(errors, meeting_on)
    if present < 0 or written_count < 0:
        errors["present"] = f"{name}：人数不能为负数。"
        return _dated(errors, meeting_on)
    if present > entitled:
        errors["present"] = f"{name}：实到会有表决权人数 {present} 超过应到会人数 {entitled}。"
    absent = max(entitled - present, 0)
    if written_count and rule not in WRITTEN_ALLOWED:
        errors["written_count"] = f"{name}：本规则不计书面意见，须到会投票，书面意见份数应为 0。"
    elif written_count > absent:
        errors["written_count"] = (
            f"{name}：书面意见 {written_count} 份，超过未到会的有表决权人数 {absent}（应到 {entitled} − 实到 {present}）。"
        )
    for index, item in enumerate(items):
        problems = []
        if min(item.in_favour, item.against, item.abstain, item.written_in_favour) < 0:
            problems.append("票数不能为负数")
        if item.cast > present:
            problems.append(
                f"赞成 {item.in_favour}、反对 {item.against}、弃权 {item.abstain} 共 {item.cast} 票，超过实到会人数 {present}"
            )
        if item.written_in_favour > written_count:
            problems.append(f"书面意见赞成 {item.written_in_favour} 份，超过书面意见总数 {written_count} 份")
        if problems:
            errors[f"item-{index}"] = f"{name}：“{item.label}”{'，'.join(problems)}。"
    return _dated(errors, meeting_on)


def _dated(errors: dict[str, str], meeting_on: date | None) -> dict[str, str]:
    """Each message with the meeting date before its final full stop."""
    if meeting_on is None:
        return errors
    return {
        key: f"{message.removesuffix('。')}（会议日期 {meeting_on.isoformat()}）。" for key, message in errors.items()
    }


def recruitment_findings(
    rule: str, *, meeting_on: date, entitled: int, present: int, in_favour: int, written_in_favour: int
) -> list[Finding]:
    """REC-13 / REC-21 findings of one candidate's vote, computed by ``recruitment.rules``.

    The ballot is a secret ballot (paper or online). REC-21 also judges the
    conversion application and the committee review, which a ballot does not
    know; they are given as the day before the meeting so that only the ballot
    arithmetic is judged.
    """
    ballot = recruitment_rules.BallotResult(
        due=entitled,
        present=present,
        in_favour=in_favour,
        written_in_favour=written_in_favour,
        method=recruitment_rules.BALLOT_SECRET,
    )
    if rule == REC_13:
        facts = recruitment_rules.RecruitmentFacts(general_meeting_on=meeting_on, admission_ballot=ballot)
        return recruitment_rules.rec_13_admission_ballot(facts)
    before = meeting_on - timedelta(days=1)
    facts = recruitment_rules.RecruitmentFacts(
        conversion_application_on=before,
        conversion_committee_review_on=before,
        conversion_meeting_on=meeting_on,
        conversion_ballot=ballot,
    )
    return recruitment_rules.rec_21_conversion_ballot(facts)


def outcome(
    *, rule: str, meeting_on: date, entitled: int, present: int, written_count: int, items: Sequence[ItemCount]
) -> Outcome:
    """The result of a closed ballot with its arithmetic (numbers must be possible:
    see ``number_errors``)."""
    half = Fraction(entitled, 2)
    if rule in RECRUITMENT_RULES:
        quorum_ok = present * 2 > entitled
        quorum_line = (
            f"实到会有表决权人数 {present} 人，应到会 {entitled} 人的半数为 {fmt_number(half)}，"
            f"{present} {'>' if quorum_ok else '≤'} {fmt_number(half)}，"
            f"{'符合' if quorum_ok else '不符合'}到会人数要求（{rule}）。"
        )
    elif rule == TERM_04:
        four_fifths = Fraction(entitled * 4, 5)
        quorum_ok = term_rules.election_is_valid(entitled=entitled, present=present)
        quorum_line = (
            f"实到会有选举权人数 {present} 人，应到会 {entitled} 人的五分之四为 {fmt_number(four_fifths)}，"
            f"{present} {'>' if quorum_ok else '≤'} {fmt_number(four_fifths)}，选举{'有效' if quorum_ok else '无效'}（TERM-04）。"
        )
    else:
        quorum_ok = True
        quorum_line = (
            f"应到 {entitled} 人，实到 {present} 人；本表决以赞成票超过应到人数半数为通过，不另设到会人数要求。"
        )
    results, findings = [], []
    for item in items:
        if rule in RECRUITMENT_RULES:
            total = item.in_favour + item.written_in_favour
            passed = quorum_ok and total * 2 > entitled
            verdict = "通过" if passed else "未通过"
            sum_text = f"赞成 {item.in_favour} 票 + 书面意见赞成 {item.written_in_favour} 票 = {total} 票"
            found = recruitment_findings(
                rule,
                meeting_on=meeting_on,
                entitled=entitled,
                present=present,
                in_favour=item.in_favour,
                written_in_favour=item.written_in_favour,
            )
            findings += [replace(f, message=f"“{item.label}”：{f.message}") for f in found]
        else:
            total = item.in_favour
            if rule == TERM_04:
                passed = quorum_ok and term_rules.is_elected(entitled=entitled, votes_for=total)
                verdict = "当选" if passed else "未当选"
                sum_text = f"得赞成票 {total} 票"
            else:
                passed = total * 2 > entitled
                verdict = "通过" if passed else "未通过"
                sum_text = f"赞成 {total} 票"
        compare = ">" if total * 2 > entitled else "≤"
        line = f"{sum_text}，{compare} 应到会人数 {entitled} 的半数 {fmt_number(half)}"
        if not quorum_ok:
            line += "；到会人数不足，表决无效"
        results.append(ItemOutcome(count=item, total_for=total, passed=passed, verdict=verdict, line=line + "。"))
    if rule == TERM_04:
        findings += term_rules.check_election(
            entitled=entitled, present=present, votes={item.label: item.in_favour for item in items}
        )
    return Outcome(
        rule=rule,
        entitled=entitled,
        present=present,
        written_count=written_count,
        quorum_ok=quorum_ok,
        quorum_line=quorum_line,
        items=tuple(results),
        findings=tuple(findings),
    )
