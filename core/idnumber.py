"""BASE-01: 公民身份号码 (GB 11643-1999) — validation, 15→18 conversion, derived facts."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


class IdNumberError(ValueError):
    """A Chinese message saying what is wrong, naming the character where it can."""


@dataclass(frozen=True)
class IdFacts:
    number: str  # normalised 18-character number, upper-case X
    birth_date: date
    gender: str  # "M" | "F"


def check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits (BASE-01)."""
    total = sum(map(operator.mul, map(int, first17), WEIGHTS))
    return CHECK_CHARS[total % 11]


def normalise(raw: str) -> str:
    """Strip spaces, turn full-width characters half-width, upper-case the x."""
    text = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in (raw or ""))
    return text.replace(" ", "").replace("\u3000", "").strip().upper()


def _birth(digits: str, label: str) -> date:
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError as exc:
        raise IdNumberError(f"公民身份号码中的出生日期“{label}”不是有效日期。") from exc


def parse(raw: str, *, today: date) -> IdFacts:
    """Validate and normalise an ID number (BASE-01); 15-digit numbers are converted."""
    number = normalise(raw)
    if not number:
        raise IdNumberError("请填写公民身份号码。")
    if len(number) == 15:
        if not number.isdigit():
            bad = next(i for i, c in enumerate(number) if not c.isdigit())
            raise IdNumberError(f"15 位公民身份号码第 {bad + 1} 位“{number[bad]}”不是数字。")
        first17 = number[:6] + "19" + number[6:15]
        number = first17 + check_char(first17)
    elif len(number) != 18:
        raise IdNumberError(f"公民身份号码应为 18 位（或旧式 15 位），现为 {len(number)} 位。")
    for i, c in enumerate(number[:17]):
        if not c.isdigit():
            raise IdNumberError(f"公民身份号码第 {i + 1} 位“{c}”不是数字。")
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdNumberError(
            f"公民身份号码第 18 位（校验码）“{number[17]}”有误：按前 17 位计算应为“{expected}”，请核对号码。"
        )
    birth = _birth(number[6:14], number[6:14])
    if birth > today:
        raise IdNumberError(f"公民身份号码中的出生日期 {birth.isoformat()} 晚于今天。")
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return IdFacts(number=number, birth_date=birth, gender=gender)


def conflicts(facts: IdFacts, *, gender: str | None, birth_date: date | None) -> list[tuple[str, str]]:
    """(field, message) pairs where typed values disagree with the ID number (BASE-01)."""
    problems = []
    if gender and gender != facts.gender:
        derived = "男" if facts.gender == "M" else "女"
        problems.append(("gender", f"性别与公民身份号码不符：号码第 17 位表示“{derived}”。"))
    if birth_date and birth_date != facts.birth_date:
        problems.append(
            ("birth_date", f"出生日期与公民身份号码不符：号码中的出生日期为 {facts.birth_date.isoformat()}。")
        )
    return problems
