"""Helpers of the ballot tests: ballots built through the real services."""

from ballots import rules, services
from core.testing import TODAY


def make_ballot(district, *, mode="ONLINE", rule=rules.REC_13, items=("张三",), org=None, by=None, meeting_on=TODAY):
    return services.ballot_create(
        by=by or district.secretary_a,
        title="接收预备党员表决",
        party_org=org or district.branch_a,
        meeting_on=meeting_on,
        mode=mode,
        rule=rule,
        items=list(items),
        today=TODAY,
    )


def open_with_codes(district, ballot, persons, *, by=None):
    """Issue codes to ``persons`` and open the ballot: {person name: code}."""
    by = by or district.secretary_a
    issued = services.ballot_issue_codes(by=by, ballot=ballot, persons=persons, today=TODAY)
    services.ballot_open(by=by, ballot=ballot, today=TODAY)
    return {person.name: code for person, code in issued}


def item_ids(ballot):
    return list(ballot.items.values_list("id", flat=True))


def choose(ballot, *choices):
    return dict(zip(item_ids(ballot), choices, strict=True))
