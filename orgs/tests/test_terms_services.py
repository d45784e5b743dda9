"""Term services (TERM-01 … TERM-04): create, refresh, re-election, approved postponement."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEntry, RuleSettingValue
from core.testing import TODAY
from orgs import services
from orgs.models import Reelection, Term
from orgs.rule_settings import LEGACY_YEARS, term_settings

pytestmark = pytest.mark.django_db


def make_term(district, org, started_on, *, number=3, length_years=None, by=None):
    return services.term_create(
        by=by or district.district_admin, org=org, number=number, started_on=started_on,
        length_years=length_years, today=TODAY,
    )  # fmt: skip


def test_create_stores_planned_end_and_next_due(district):
    term = make_term(district, district.branch_a, date(2024, 5, 24))
    assert term.planned_end_on == date(2027, 5, 24)  # TERM-01: a branch from 2018-07-01, 3 years
    assert term.next_due_on == date(2026, 11, 24)  # TERM-03: the warning starts 6 months before
    assert AuditEntry.objects.filter(action="orgs.term.create", object_id=str(term.pk)).exists()
    committee = make_term(district, district.committee, date(2022, 1, 10))
    assert committee.planned_end_on == date(2027, 1, 10)  # 党委 5 years


def test_create_refuses_a_second_open_term_a_group_and_out_of_scope(district):
    make_term(district, district.branch_a, date(2024, 5, 24))
    with pytest.raises(ValidationError, match="已有未换届"):
        make_term(district, district.branch_a, date(2025, 1, 1))
    with pytest.raises(ValidationError, match="不设任期"):
        make_term(district, district.group_a, date(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        make_term(district, district.branch_b, date(2025, 1, 1), by=district.secretary_a)
    assert Term.objects.count() == 1


def test_working_committee_term_needs_a_recorded_length(district):
    with pytest.raises(ValidationError) as exc:
        make_term(district, district.root, date(2024, 1, 1))
    assert "没有规定任期年限" in str(exc.value)
    assert make_term(district, district.root, date(2024, 1, 1), length_years=5).planned_end_on == date(2029, 1, 1)


def test_legacy_length_comes_from_the_setting_and_refresh_applies_a_change(district):
    term = make_term(district, district.branch_a, date(2016, 3, 1))
    assert term.planned_end_on == date(2018, 3, 1)  # LEGACY_TERM_YEARS: 支部 2
    RuleSettingValue.objects.create(key="LEGACY_TERM_YEARS", value=LEGACY_YEARS.parse("党委:4，总支:3，支部:3"))
    assert services.terms_refresh(today=TODAY) == 1
    term.refresh_from_db()
    assert term.planned_end_on == date(2019, 3, 1)
    assert services.terms_refresh(today=TODAY) == 0  # nothing left to change


def test_legacy_years_setting_parses_what_the_settings_page_shows():
    assert LEGACY_YEARS.parse("党委:5，总支:3，支部:3") == {"COMMITTEE": 5, "GENERAL_BRANCH": 3, "BRANCH": 3}
    shown = str({"COMMITTEE": 4, "GENERAL_BRANCH": 3, "BRANCH": 2})
    assert LEGACY_YEARS.parse(shown) == {"COMMITTEE": 4, "GENERAL_BRANCH": 3, "BRANCH": 2}
    assert LEGACY_YEARS.parse('{"COMMITTEE": 4, "GENERAL_BRANCH": 3, "BRANCH": 2}')["BRANCH"] == 2
    for bad in ("党委:4", "党委:40，总支:3，支部:2", "四年", "科室:3，总支:3，支部:2，党委:4"):
        with pytest.raises(ValueError):
            LEGACY_YEARS.parse(bad)


def test_term_settings_read_overrides(district):
    assert term_settings().TERM_WARNING_MONTHS == 6
    RuleSettingValue.objects.create(key="TERM_WARNING_MONTHS", value=3)
    assert term_settings().TERM_WARNING_MONTHS == 3


# --- re-election (TERM-04) ---------------------------------------------------------------------------------


def test_reelection_closes_the_term_and_opens_the_next(district):
    term = make_term(district, district.branch_a, date(2023, 11, 20))
    following, findings = services.term_record_reelection(
        by=district.secretary_a, term=term, held_on=date(2026, 11, 20), entitled=10, present=9,
        approval_ref="区直机关党工委〔2026〕5号", today=TODAY,
    )  # fmt: skip
    term.refresh_from_db()
    assert term.ended_on == date(2026, 11, 20) and term.next_due_on is None
    election = Reelection.objects.get(closed_term=term)
    assert (election.entitled, election.present) == (10, 9)
    assert following.number == 4 and following.started_on == date(2026, 11, 20)
    assert following.planned_end_on == date(2029, 11, 20)
    assert findings == []  # held on the planned end


def test_invalid_election_is_refused_and_nothing_saved(district):
    term = make_term(district, district.branch_a, date(2023, 11, 20))
    with pytest.raises(ValidationError) as exc:
        services.term_record_reelection(
            by=district.secretary_a, term=term, held_on=TODAY, entitled=10, present=8, today=TODAY
        )
    assert "TERM-04" in str(exc.value) and "五分之四" in str(exc.value)
    term.refresh_from_db()
    assert term.ended_on is None and not Reelection.objects.exists() and Term.objects.count() == 1


def test_late_reelection_without_approval_is_reported(district):
    term = make_term(district, district.branch_a, date(2023, 6, 1))
    _, findings = services.term_record_reelection(
        by=district.secretary_a, term=term, held_on=date(2026, 7, 1), entitled=10, present=9, today=TODAY
    )
    assert [(f.rule, f.severity) for f in findings] == [("TERM-02", "error")]


def test_reelection_out_of_scope_or_twice_is_refused(district):
    term = make_term(district, district.branch_a, date(2023, 11, 20))
    with pytest.raises(PermissionDenied):
        services.term_record_reelection(
            by=district.secretary_b, term=term, held_on=TODAY, entitled=10, present=9, today=TODAY
        )
    services.term_record_reelection(
        by=district.secretary_a, term=term, held_on=TODAY, entitled=10, present=9, today=TODAY
    )
    with pytest.raises(ValidationError, match="已于"):
        services.term_record_reelection(
            by=district.secretary_a, term=term, held_on=TODAY, entitled=10, present=9, today=TODAY
        )


# --- approved postponement (TERM-02) -----------------------------------------------------------------------


def test_postponement_within_a_year_with_approval(district):
    term = make_term(district, district.branch_a, date(2023, 9, 1))  # planned end 2026-09-01: overdue
    with pytest.raises(ValidationError, match="批准情况"):
        services.term_record_postponement(
            by=district.secretary_a, term=term, postponed_to=date(2027, 3, 1), approval_note=" ", today=TODAY
        )
    with pytest.raises(ValidationError) as exc:
        services.term_record_postponement(
            by=district.secretary_a, term=term, postponed_to=date(2027, 9, 2), approval_note="批复", today=TODAY
        )
    assert "TERM-02" in str(exc.value) and "超过一年" in str(exc.value)
    term = services.term_record_postponement(
        by=district.secretary_a,
        term=term,
        postponed_to=date(2027, 9, 1),
        approval_note="区直机关党工委批复",
        today=TODAY,
    )
    assert term.postponed_to == date(2027, 9, 1)
    assert term.next_due_on == date(2027, 3, 1)  # warning from six months before the approved date
    assert services.term_status(term, today=TODAY).status == "POSTPONED"
    assert AuditEntry.objects.filter(action="orgs.term.postpone").exists()
