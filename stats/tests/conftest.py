"""A hand-built district whose statistics are known (counted by hand in the docstring).

On top of core.testing.small_district (root → committee → branch_a (+group_a),
root → branch_b; 王小明, 刘书记 in branch_a, 赵大海 in branch_b, all admitted
2010-07-01, full 2011-07-01, job 111, education 21, 汉族):

| name   | branch now | facts                                                                       |
|--------|------------|-----------------------------------------------------------------------------|
| 钱转接 | a          | M 1988-04-04, admitted 2015-03-01; moved b → a on 2026-05-10 (a transfer)    |
| 孙预备 | a          | F 2000-02-10, admitted 2026-03-15, probationary, 研究生 (12)                  |
| 周转正 | a          | F 1995-08-08, 土家族, admitted 2025-06-20, full 2026-06-20 (a conversion)     |
| 吴去世 | b          | M 1940-01-01, 离退休 (5), admitted 1975-05-01, died 2026-02-01               |
| 郑转入 | b          | M 1980-10-10, 工勤技能 (116) 农民工, 高中 (61), admitted 2001-07-01,         |
|        |            | transferred in from outside on 2026-04-01                                    |
| 冯失联 | a          | M 1970-01-01, admitted 2010-07-01, lost since 2024-03-01                     |
| 陈转出 | a          | M 1990-01-01, admitted 2012-12-01, transferred out of the district 2026-08-01 |

Dates used by the tests: TODAY = 2026-11-23 (core.testing) and LAST_YEAR_END = 2025-12-31.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from core.testing import SmallDistrict, party_member, small_district
from orgs.models import PartyOrg, Term
from people.models import PartyMember, Transfer

LAST_YEAR_END = date(2025, 12, 31)


@dataclass
class KnownDistrict:
    d: SmallDistrict
    moved: PartyMember  # 钱转接
    probationary: PartyMember  # 孙预备
    converted: PartyMember  # 周转正
    deceased: PartyMember  # 吴去世
    transferred_in: PartyMember  # 郑转入
    lost: PartyMember  # 冯失联
    transferred_out: PartyMember  # 陈转出


def build_known_district() -> KnownDistrict:
    d = small_district()
    a, b = d.branch_a, d.branch_b
    moved = party_member(a, "钱转接", admitted_on=date(2015, 3, 1), birth=date(1988, 4, 4))
    Transfer.objects.create(
        member=moved, kind=Transfer.INTERNAL, from_branch=b, to_branch=a, transferred_on=date(2026, 5, 10)
    )
    probationary = party_member(a, "孙预备", status=PartyMember.PROBATIONARY, admitted_on=date(2026, 3, 15),
                                gender="F", birth=date(2000, 2, 10), education="12")  # fmt: skip
    converted = party_member(a, "周转正", admitted_on=date(2025, 6, 20), gender="F", birth=date(1995, 8, 8),
                             ethnicity="土家族")  # fmt: skip
    deceased = party_member(b, "吴去世", admitted_on=date(1975, 5, 1), birth=date(1940, 1, 1), job_code="5")
    PartyMember.objects.filter(pk=deceased.pk).update(left_on=date(2026, 2, 1), left_reason="DECEASED")
    transferred_in = party_member(b, "郑转入", admitted_on=date(2001, 7, 1), birth=date(1980, 10, 10),
                                  job_code="116", is_migrant_worker=True, education="61")  # fmt: skip
    PartyMember.objects.filter(pk=transferred_in.pk).update(joined_way="TRANSFERRED_IN", joined_org_on=date(2026, 4, 1))
    Transfer.objects.create(member=transferred_in, kind=Transfer.IN, to_branch=b, outside_org="外区某支部",
                            transferred_on=date(2026, 4, 1))  # fmt: skip
    lost = party_member(a, "冯失联", birth=date(1970, 1, 1))
    PartyMember.objects.filter(pk=lost.pk).update(is_lost=True, lost_since=date(2024, 3, 1))
    transferred_out = party_member(a, "陈转出", admitted_on=date(2012, 12, 1), birth=date(1990, 1, 1))
    PartyMember.objects.filter(pk=transferred_out.pk).update(left_on=date(2026, 8, 1), left_reason="TRANSFERRED_OUT")
    Transfer.objects.create(member=transferred_out, kind=Transfer.OUT, from_branch=a, outside_org="外区某支部",
                            transferred_on=date(2026, 8, 1))  # fmt: skip
    # terms (T24): branch_a re-elected on time, branch_b overdue, the committee not yet due
    Term.objects.create(
        org=a, started_on=date(2023, 6, 30), planned_end_on=date(2026, 6, 30), ended_on=date(2026, 6, 15)
    )
    Term.objects.create(org=b, started_on=date(2023, 3, 31), planned_end_on=date(2026, 3, 31))
    Term.objects.create(org=d.committee, started_on=date(2023, 9, 1), planned_end_on=date(2028, 9, 1))
    PartyOrg.objects.filter(pk=d.root.pk).update(established_on=date(2008, 3, 1))
    d.root.refresh_from_db()
    for m in (moved, probationary, converted, deceased, transferred_in, lost, transferred_out):
        m.refresh_from_db()
    return KnownDistrict(d, moved, probationary, converted, deceased, transferred_in, lost, transferred_out)


@pytest.fixture
def known(db) -> KnownDistrict:
    return build_known_district()
