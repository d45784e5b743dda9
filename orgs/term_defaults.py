"""Term length by kind alone, for code with no start date at hand (the demo generator).

New code uses ``orgs.term_rules.term_length`` (TERM-01), which also knows the start
date, the recorded length and the legacy lengths.
"""

from orgs.term_rules import TERM_RULES_FROM, WORKING_COMMITTEE, term_length


def term_length_years(kind: str) -> int:
    """TERM-01 length of a term begun under the 2018 任期意见 (a 工委, which has none, as a 党委: 5)."""
    try:
        return term_length(kind, TERM_RULES_FROM)
    except ValueError:
        return 5 if kind == WORKING_COMMITTEE else 3
