"""Pure rules about a member's record (no ORM)."""

from __future__ import annotations

from datetime import date

from core.dates import add_months, add_years, age_on
from core.idnumber import IdNumberError, conflicts, parse


def probation_end_on(admitted_on: date, extension_months: int = 0) -> date:
    """REC-18: probation is one year from the admitting general meeting, plus any extension."""
    return add_months(add_years(admitted_on, 1), extension_months)


def full_member_on(admitted_on: date, extension_months: int = 0) -> date:
    """REC-23: 转为正式党员日期 and the start of party age is the day probation ends."""
    return probation_end_on(admitted_on, extension_months)


def party_age(full_on: date | None, on: date) -> int | None:
    """REC-23: completed years of party age on ``on`` (None while probationary)."""
    if full_on is None or full_on > on:
        return None
    return age_on(full_on, on)


def person_field_errors(
    *, id_number: str, gender: str | None, birth_date: date | None, today: date
) -> tuple[dict[str, str], dict]:
    """BASE-01 checks of a person's identity fields.

    Returns (errors by field, derived values: normalised id_number, gender, birth_date).
    """
    try:
        facts = parse(id_number, today=today)
    except IdNumberError as exc:
        return {"id_number": str(exc)}, {}
    errors = dict(conflicts(facts, gender=gender, birth_date=birth_date))
    return errors, {"id_number": facts.number, "gender": facts.gender, "birth_date": facts.birth_date}


def member_dates_errors(
    *, status: str, admitted_on: date | None, full_on: date | None, birth_date: date | None, today: date
) -> dict[str, str]:
    """Consistency of the membership dates of a record typed or imported."""
    errors: dict[str, str] = {}
    if admitted_on and admitted_on > today:
        errors["admitted_on"] = f"加入党组织日期 {admitted_on} 晚于今天。"
    if admitted_on and birth_date and age_on(birth_date, admitted_on) < 18:
        # REC-01: at least 18 on application, so certainly on admission
        errors["admitted_on"] = f"加入党组织日期 {admitted_on} 时未满 18 周岁（REC-01）。"
    if status == "FULL" and admitted_on and full_on is None:
        errors["full_member_on"] = "正式党员须有转为正式党员日期。"
    if status == "PROBATIONARY" and full_on is not None:
        errors["full_member_on"] = "预备党员不应有转为正式党员日期。"
    if admitted_on and full_on and full_on < probation_end_on(admitted_on):
        errors["full_member_on"] = (
            f"转为正式党员日期 {full_on} 早于预备期满之日 {probation_end_on(admitted_on)}（REC-18、REC-23）。"
        )
    return errors
