from datetime import date

import pytest

from ballots.tests.factories import make_ballot
from core.testing import party_member
from people.models import PartyMember


@pytest.fixture
def voters(district):
    """Branch A on TODAY: 王小明, 刘书记 and three more full members; one probationary member."""
    extra = [party_member(district.branch_a, name) for name in ("陈一", "林二", "黄三")]
    party_member(district.branch_a, "周预备", status=PartyMember.PROBATIONARY, admitted_on=date(2026, 3, 1))
    return [district.member_a, *extra]


@pytest.fixture
def online(district, voters):
    return make_ballot(district)
