"""Boundary tests of the talk rules; each test names the rule it pins."""

from datetime import date
from itertools import product

from core.findings import ERROR, MISSING, WARNING
from talks import rules as r

# --- TALK-01 -------------------------------------------------------------------


def test_talk01_each_of_the_three_facts_grants_sight():
    for talker, secretary, discipline in product([False, True], repeat=3):
        expected = talker or secretary or discipline
        assert (
            r.may_see_talk(is_talker=talker, is_responsible_secretary=secretary, has_discipline_role=discipline)
            is expected
        )


def test_talk01_nobody_else_sees():
    assert r.may_see_talk(is_talker=False, is_responsible_secretary=False, has_discipline_role=False) is False


# --- TALK-02 -------------------------------------------------------------------


def test_talk02_due_date_is_30_days_after_taking_office_by_default():
    assert r.appointment_talk_due(date(2026, 11, 1)) == date(2026, 12, 1)
    assert r.appointment_talk_due(date(2026, 11, 1), days=10) == date(2026, 11, 11)


def test_talk02_on_the_due_day_nothing_is_overdue():
    assert r.appointment_talk_findings(took_office_on=date(2026, 11, 1), talked_on=None, today=date(2026, 12, 1)) == []


def test_talk02_the_day_after_the_due_day_is_an_error():
    (finding,) = r.appointment_talk_findings(took_office_on=date(2026, 11, 1), talked_on=None, today=date(2026, 12, 2))
    assert finding.rule == "TALK-02" and finding.severity == ERROR
    assert "2026-12-01" in finding.message and "尚未谈话" in finding.message


def test_talk02_talk_on_the_last_day_is_in_time_and_one_day_later_is_late():
    kw = dict(took_office_on=date(2026, 11, 1), today=date(2027, 1, 1))
    assert r.appointment_talk_findings(talked_on=date(2026, 12, 1), **kw) == []
    (late,) = r.appointment_talk_findings(talked_on=date(2026, 12, 2), **kw)
    assert late.severity == ERROR and "已超期" in late.message


def test_talk02_setting_changes_the_limit():
    kw = dict(took_office_on=date(2026, 11, 1), talked_on=None, today=date(2026, 11, 20))
    assert r.appointment_talk_findings(**kw) == []
    assert len(r.appointment_talk_findings(days=15, **kw)) == 1


def test_talk02_applies_to_secretary_and_committee_members_only():
    assert r.needs_appointment_talk("secretary") and r.needs_appointment_talk("discipline")
    assert not r.needs_appointment_talk("chair")


# --- TALK-03 -------------------------------------------------------------------


def test_talk03_follow_up_on_the_due_day_is_in_time():
    assert (
        r.admonition_follow_up_findings(follow_up_due=date(2026, 6, 30), followed_up_on=None, today=date(2026, 6, 30))
        == []
    )
    assert (
        r.admonition_follow_up_findings(
            follow_up_due=date(2026, 6, 30), followed_up_on=date(2026, 6, 30), today=date(2026, 8, 1)
        )
        == []
    )


def test_talk03_overdue_follow_up_is_a_warning():
    (finding,) = r.admonition_follow_up_findings(
        follow_up_due=date(2026, 6, 30), followed_up_on=None, today=date(2026, 7, 1)
    )
    assert finding.rule == "TALK-03" and finding.severity == WARNING
    assert "2026-06-30" in finding.message


def test_talk03_late_follow_up_stays_a_warning():
    (finding,) = r.admonition_follow_up_findings(
        follow_up_due=date(2026, 6, 30), followed_up_on=date(2026, 7, 1), today=date(2026, 8, 1)
    )
    assert finding.severity == WARNING and "已超期" in finding.message


def test_talk03_missing_follow_up_date():
    (finding,) = r.admonition_follow_up_findings(follow_up_due=None, followed_up_on=None, today=date(2026, 8, 1))
    assert finding.rule == "TALK-03" and finding.severity == MISSING


def test_talk02_accepts_the_officer_role_codes():
    """TALK-02 with orgs.OrgOfficer role codes (the codes the ledger stores)."""
    for code in ("SECRETARY", "DEPUTY_SECRETARY", "ORGANISER", "PUBLICITY", "DISCIPLINE"):
        assert r.needs_appointment_talk(code), code
    for code in ("UNION_CHAIR", "UNION_VICE_CHAIR", "UNION_COMMITTEE"):
        assert not r.needs_appointment_talk(code), code
