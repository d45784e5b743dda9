"""Organisation set-up rules ORG-01…05 (rules/party-life.md). Pure functions."""

from __future__ import annotations

from core.findings import ERROR, WARNING, Finding


def branch_setup(
    *,
    kind: str,
    members: int,
    full_members: int,
    committee_size: int,
    covered_units: int,
    approval_note: str = "",
) -> list[Finding]:
    """ORG-01…04: the findings shown on an organisation's page."""
    findings: list[Finding] = []
    if kind == "BRANCH":
        if full_members < 3:
            # ORG-01
            findings.append(
                Finding("ORG-01", WARNING, f"正式党员仅 {full_members} 人，不足 3 人，应与邻近单位成立联合党支部。")
            )
        if covered_units > 5:
            # ORG-01: a joint branch covers at most 5 units
            findings.append(Finding("ORG-01", WARNING, f"联合党支部覆盖 {covered_units} 个单位，超过 5 个。"))
        if members > 50:
            # ORG-02
            findings.append(Finding("ORG-02", WARNING, f"党员 {members} 人，超过 50 人，应分设党支部或改设党总支。"))
        if full_members >= 7 and not 3 <= committee_size <= 7:
            # ORG-03: 7+ full members → a committee of 3–5 (at most 7)
            findings.append(
                Finding(
                    "ORG-03",
                    WARNING,
                    f"正式党员 {full_members} 人（7 人以上）应设支部委员会（3至5人，最多不超过7人），现有委员 {committee_size} 人。",
                )
            )
        elif full_members >= 7 and committee_size > 5:
            findings.append(Finding("ORG-03", WARNING, f"支部委员会 {committee_size} 人，一般为 3至5 人。"))
        if full_members < 7 and committee_size > 2:
            findings.append(
                Finding(
                    "ORG-03",
                    WARNING,
                    f"正式党员不足 7 人，不设支部委员会，只设书记（必要时设副书记 1 人），现有班子成员 {committee_size} 人。",
                )
            )
    if kind == "GENERAL_BRANCH" and members < 50 and not approval_note:
        # ORG-04
        findings.append(
            Finding("ORG-04", WARNING, f"党员 {members} 人，不足 50 人设立党总支，须有上级党组织批准记录。")
        )
    if kind == "COMMITTEE" and members < 100 and not approval_note:
        findings.append(
            Finding("ORG-04", WARNING, f"党员 {members} 人，不足 100 人设立基层党委，须有上级党组织批准记录。")
        )
    return findings


def may_vote(*, status: str, under_probation_discipline: bool = False) -> bool:
    """ORG-05: only full members vote, elect and may be elected (not 留党察看)."""
    return status == "FULL" and not under_probation_discipline


def voting_findings(*, status: str, name: str, under_probation_discipline: bool = False) -> list[Finding]:
    """ORG-05 as a finding, for ballots and elections."""
    if may_vote(status=status, under_probation_discipline=under_probation_discipline):
        return []
    reason = "受留党察看处分" if under_probation_discipline else "为预备党员"
    return [Finding("ORG-05", ERROR, f"{name}{reason}，没有表决权、选举权和被选举权。")]
