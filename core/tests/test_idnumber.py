from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.idnumber import IdNumberError, check_char, parse

TODAY = date(2026, 11, 23)


def test_base01_valid_number_with_lower_case_x_is_stored_upper_case():
    facts = parse("11010519491231002x", today=TODAY)
    assert facts.number == "11010519491231002X"
    assert facts.birth_date == date(1949, 12, 31)
    assert facts.gender == "F"


def test_base01_checksum_error_names_the_wrong_character():
    with pytest.raises(IdNumberError) as exc:
        parse("110105194912310021", today=TODAY)
    assert "第 18 位" in str(exc.value) and "“1”" in str(exc.value) and "“X”" in str(exc.value)


def test_base01_non_digit_is_named_by_position():
    with pytest.raises(IdNumberError) as exc:
        parse("1101051949A231002X", today=TODAY)
    assert "第 11 位" in str(exc.value)


def test_base01_fifteen_digit_number_is_converted():
    facts = parse("110105491231002", today=TODAY)
    assert facts.number == "11010519491231002X"
    assert facts.gender == "F"


def test_base01_birth_date_must_be_real_and_not_future():
    first17 = "11010520270101001"
    with pytest.raises(IdNumberError, match="晚于今天"):
        parse(first17 + check_char(first17), today=TODAY)
    first17 = "11010519990230001"
    with pytest.raises(IdNumberError, match="不是有效日期"):
        parse(first17 + check_char(first17), today=TODAY)


def test_base01_full_width_digits_are_normalised():
    assert parse("１１０１０５１９４９１２３１００２Ｘ", today=TODAY).number == "11010519491231002X"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 1, 1)), st.integers(0, 999))
def test_base01_any_generated_number_round_trips(birth, seq):
    first17 = f"500101{birth:%Y%m%d}{seq:03d}"
    facts = parse(first17 + check_char(first17), today=TODAY)
    assert facts.birth_date == birth
    assert facts.gender == ("M" if seq % 2 else "F")
