from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from people.rules import full_member_on, member_dates_errors, party_age, person_field_errors, probation_end_on

TODAY = date(2026, 11, 23)


def test_rec18_probation_is_one_year_from_the_meeting():
    assert probation_end_on(date(2025, 3, 1)) == date(2026, 3, 1)
    assert probation_end_on(date(2024, 2, 29)) == date(2025, 2, 28)
    assert probation_end_on(date(2025, 3, 1), 6) == date(2026, 9, 1)


def test_rec23_party_age_counts_from_probation_end():
    full_on = full_member_on(date(2020, 7, 1))
    assert full_on == date(2021, 7, 1)
    assert party_age(full_on, date(2026, 6, 30)) == 4
    assert party_age(full_on, date(2026, 7, 1)) == 5
    assert party_age(None, TODAY) is None


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31)), st.integers(0, 12))
def test_rec18_probation_end_after_at_least_a_year(admitted, months):
    end = probation_end_on(admitted, months)
    assert end > admitted
    assert (end - admitted).days >= 365


def test_base01_derived_values_must_agree():
    errors, derived = person_field_errors(id_number="11010519491231002x", gender="M", birth_date=None, today=TODAY)
    assert derived["id_number"] == "11010519491231002X"
    assert "gender" in errors  # 002 → even → female
    errors, _ = person_field_errors(
        id_number="11010519491231002X", gender="F", birth_date=date(1949, 12, 30), today=TODAY
    )
    assert "birth_date" in errors and "1949-12-31" in errors["birth_date"]


def test_member_dates_full_member_before_probation_end_refused():
    errors = member_dates_errors(
        status="FULL",
        admitted_on=date(2025, 1, 10),
        full_on=date(2025, 12, 1),
        birth_date=date(1990, 1, 1),
        today=TODAY,
    )
    assert "REC-18" in errors["full_member_on"]
