"""Default term lengths (TERM-01) used where no term rule computation is at hand."""

# TERM-01: from 2018-07-01, 基层党委 5 years; 总支 and 支部 3 years.
TERM_YEARS_SINCE_2018 = {"WORKING_COMMITTEE": 5, "COMMITTEE": 5, "GENERAL_BRANCH": 3, "BRANCH": 3}


def term_length_years(kind: str) -> int:
    return TERM_YEARS_SINCE_2018.get(kind, 3)
