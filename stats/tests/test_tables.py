"""Each table's numbers on the hand-built district of conftest.py (answers counted by hand there)."""

from __future__ import annotations

from datetime import date

import pytest

from core.models import RuleSettingValue
from core.testing import TODAY, party_member, person
from stats import selectors, sources, tables
from stats.membership import subtree_of
from stats.tests.conftest import LAST_YEAR_END


def report(org, on=TODAY):
    return selectors.report_for(org=org, on=on)


def column(result, row="total"):
    """{column key: value} of one row."""
    values = next(r.values for r in result.rows if r.row.key == row)
    return {c.key: v for c, v in zip(result.columns, values, strict=True)}


def t01(result):
    return {r.row.key: r.values[0] for r in result.rows}


def assert_checks_pass(result):
    failed = [(c.label, c.expected, c.actual) for c in result.checks if not c.ok]
    assert not failed, failed


# --- T01 ------------------------------------------------------------------------------


def test_t01_whole_district_this_year(known):
    result = tables.TABLES["T01"].compute(report(known.d.root))
    v = t01(result)
    assert v["r1"] == 8  # 2025-12-31: 王 赵 刘 钱 周 吴 冯 陈
    assert (v["r3"], v["r5"], v["r7"], v["r8"]) == (1, 0, 1, 0)  # 孙 recruited, 郑 transferred in
    assert v["r2"] == 2
    assert (v["r10"], v["r11"], v["r12"], v["r13"], v["r14"]) == (0, 0, 1, 1, 0)  # 吴 died, 陈 transferred out
    assert v["r9"] == 2
    assert v["r15"] == v["r1"] + v["r2"] - v["r9"] == 8
    assert v["r16"] == 8
    assert v["r17"] == 0
    assert_checks_pass(result)


def test_t01_subtree_counts_internal_transfers_across_its_boundary(known):
    committee = t01(tables.TABLES["T01"].compute(report(known.d.committee)))
    assert (committee["r1"], committee["r3"], committee["r7"], committee["r13"]) == (5, 1, 1, 1)  # 钱 moved in
    assert committee["r15"] == committee["r16"] == 6 and committee["r17"] == 0
    branch_b = t01(tables.TABLES["T01"].compute(report(known.d.branch_b)))
    assert (branch_b["r1"], branch_b["r7"], branch_b["r12"], branch_b["r13"]) == (3, 1, 1, 1)  # 钱 moved out
    assert branch_b["r15"] == branch_b["r16"] == 2 and branch_b["r17"] == 0


def test_t01_last_year(known):
    v = t01(tables.TABLES["T01"].compute(report(known.d.root, LAST_YEAR_END)))
    assert (v["r1"], v["r3"], v["r2"], v["r9"], v["r16"], v["r17"]) == (7, 1, 1, 0, 8, 0)  # 周 recruited in 2025


def test_t01_shows_a_nonzero_difference_instead_of_hiding_it(known):
    # a member whose joining date was lost: present at the year end but never counted as an increase
    from people.models import PartyMember

    PartyMember.objects.filter(pk=known.converted.pk).update(joined_org_on=date(2026, 1, 5), joined_way="")
    result = tables.TABLES["T01"].compute(report(known.d.root))
    v = t01(result)
    check = next(c for c in result.checks if c.label.startswith("第17行"))
    assert check.actual == v["r17"]
    assert check.ok is (v["r17"] == 0)
    assert v["r17"] == 1  # 周 is counted at the year end (16) but not in any increase row
    assert not result.checks_ok


# --- T02 / T03 / T04 ------------------------------------------------------------------------


def test_t02_today(known):
    result = tables.TABLES["T02"].compute(report(known.d.root))
    total = column(result)
    assert total["total"] == 8
    assert total["probationary"] == 1  # 孙; 周 converted on 2026-06-20
    assert (total["female"], total["minority"], total["taiwan"]) == (3, 1, 0)
    ages = [total[b.key] for b in tables.rules.AGE_BANDS_MEMBERS]
    assert ages == [1, 1, 1, 2, 2, 0, 1, 0, 0, 0]
    assert column(result, "111")["total"] == 7
    assert column(result, "116")["total"] == 1 and column(result, "116m")["total"] == 1
    assert column(result, "11")["total"] == column(result, "1")["total"] == 8
    assert column(result, "5")["total"] == 0
    assert_checks_pass(result)


def test_t02_before_the_conversion_and_before_the_transfer(known):
    result = tables.TABLES["T02"].compute(report(known.d.root, LAST_YEAR_END))
    total = column(result)
    assert total["total"] == 8  # 吴 and 陈 still members, 孙 and 郑 not yet
    assert total["probationary"] == 1  # 周 still probationary on 2025-12-31
    assert total["female"] == 2
    assert [total[b.key] for b in tables.rules.AGE_BANDS_MEMBERS] == [1, 1, 3, 1, 0, 1, 0, 0, 0, 1]
    assert column(result, "5")["total"] == 1
    # 钱 was in branch_b before the transfer on 2026-05-10
    committee = column(tables.TABLES["T02"].compute(report(known.d.committee, LAST_YEAR_END)))
    branch_b = column(tables.TABLES["T02"].compute(report(known.d.branch_b, LAST_YEAR_END)))
    assert (committee["total"], branch_b["total"]) == (5, 3)
    # on the transfer day itself 钱 is already in branch_a (and 陈 has not left yet)
    assert column(tables.TABLES["T02"].compute(report(known.d.committee, date(2026, 5, 10))))["total"] == 7
    assert column(tables.TABLES["T02"].compute(report(known.d.committee)))["total"] == 6


def test_totals_equal_the_sum_of_groups_and_flag_unknown_codes(known):
    from people.models import Person

    Person.objects.filter(pk=known.lost.person_id).update(job_code="999")
    result = tables.TABLES["T02"].compute(report(known.d.root))
    check = result.checks[0]
    assert check.label == "总计 = 一至六项之和"
    assert (check.expected, check.actual) == (8, 7)
    assert "999" in check.detail


def test_t03_admission_periods_and_the_2022_split(known):
    total = column(tables.TABLES["T03"].compute(report(known.d.root)))
    assert (total["p_1979_2002"], total["p_2002_2012"], total["p_from_2012"]) == (1, 4, 3)
    assert sum(total.values()) == 8
    RuleSettingValue.objects.create(key="SPLIT_2022_PERIOD", value=True)
    result = tables.TABLES["T03"].compute(report(known.d.root))
    split = column(result)
    assert "p_from_2012" not in split
    assert (split["p_2012_2022"], split["p_from_2022"]) == (1, 2)
    assert result.columns[-1].header == ("入党时间", "2022年11月及以后")
    assert_checks_pass(result)


def test_t04_education_columns(known):
    result = tables.TABLES["T04"].compute(report(known.d.root))
    total = column(result)
    assert (total["postgraduate"], total["undergraduate"], total["high_school"]) == (1, 6, 1)
    assert column(result, "116")["high_school"] == 1
    assert_checks_pass(result)


# --- T16, T43, T24 --------------------------------------------------------------------------


def test_t16_recruited_this_year(known):
    result = tables.TABLES["T16"].compute(report(known.d.root))
    total = column(result)
    assert (total["total"], total["female"], total["minority"], total["age_26_30"], total["postgraduate"]) == (
        1,
        1,
        0,
        1,
        1,
    )
    last_year = column(tables.TABLES["T16"].compute(report(known.d.root, LAST_YEAR_END)))
    assert (last_year["total"], last_year["minority"], last_year["age_26_30"], last_year["undergraduate"]) == (
        1,
        1,
        1,
        1,
    )
    assert column(tables.TABLES["T16"].compute(report(known.d.branch_b)))["total"] == 0
    # consistent with T01 row 3
    assert total["total"] == t01(tables.TABLES["T01"].compute(report(known.d.root)))["r3"]
    assert_checks_pass(result)


def test_t43_lost_members(known):
    result = tables.TABLES["T43"].compute(report(known.d.root))
    total = column(result)
    assert total["total"] == 1
    assert (total["age_46_60"], total["pa_11_20"], total["lost_1_5"]) == (1, 1, 1)
    assert column(tables.TABLES["T43"].compute(report(known.d.branch_b)))["total"] == 0
    assert_checks_pass(result)


def test_t43_counts_only_members_out_of_contact_for_six_months(known):
    from people.models import PartyMember

    PartyMember.objects.filter(pk=known.lost.pk).update(lost_since=date(2026, 8, 1))
    assert column(tables.TABLES["T43"].compute(report(known.d.root)))["total"] == 0


def test_t24_organisations_and_reelections(known):
    result = tables.TABLES["T24"].compute(report(known.d.root))
    total = column(result)
    assert (total["committees"], total["general_branches"], total["branches"], total["joint_branches"], total["groups"]) == (1, 0, 2, 0, 1)  # fmt: skip
    assert (total["term_due"], total["term_on_time"], total["term_overdue"]) == (2, 1, 1)
    by_unit = {r.row.label: column(result, r.row.key) for r in result.rows[1:]}
    assert by_unit["区财政局"]["term_on_time"] == 1 and by_unit["区税务局"]["term_overdue"] == 1
    last_year = column(tables.TABLES["T24"].compute(report(known.d.root, LAST_YEAR_END)))
    assert last_year["term_due"] == 0 and last_year["branches"] == 2
    assert_checks_pass(result)


# --- tables from other apps' records ---------------------------------------------------------


def test_t08_shows_zeros_with_a_note_without_appraisal_records(known, monkeypatch):
    monkeypatch.setattr(
        sources, "appraisal", lambda: sources.Source(None, "民主评议结果不可用（测试），本表暂按 0 显示。")
    )
    result = tables.TABLES["T08"].compute(report(known.d.root))
    assert all(v == 0 for r in result.rows for v in r.values)
    assert [r.row.label for r in result.rows][2:] == ["区财政局机关党委", "区税务局支部"]
    assert "暂按 0 显示" in result.notes[0]


@pytest.fixture
def recruitment_records(known):
    if not sources.recruitment().available or not sources.conversion().available:
        pytest.skip("the recruitment records are not available")
    model = sources.recruitment().model
    a = known.d.branch_a

    def record(name, **dates):
        return model.objects.create(person=person(name, gender="F", birth=date(1998, 1, 1)), branch=a, **dates)

    record("申请人", application_on=date(2026, 5, 1))
    record("积极分子", application_on=date(2025, 9, 1), activist_on=date(2026, 2, 1))
    record("发展对象", application_on=date(2024, 6, 1), activist_on=date(2025, 1, 1), candidate_on=date(2026, 9, 1))
    record("按期转正", general_meeting_on=date(2025, 7, 1), probation_end_on=date(2026, 7, 1),
           conversion_approved_on=date(2026, 7, 20))  # fmt: skip
    record("延长后待审", general_meeting_on=date(2025, 3, 1), extension_months=6, probation_end_on=date(2026, 9, 1))
    record("延长预备期", general_meeting_on=date(2025, 5, 1), extension_months=12, probation_end_on=date(2027, 5, 1))
    record("尚未讨论", general_meeting_on=date(2025, 10, 1), probation_end_on=date(2026, 10, 1))
    return known


def test_t18_t19_t20_stages_on_the_date(recruitment_records):
    root = recruitment_records.d.root
    today = {code: column(tables.TABLES[code].compute(report(root)))["total"] for code in ("T18", "T19", "T20")}
    assert today == {"T18": 1, "T19": 1, "T20": 1}
    then = {
        code: column(tables.TABLES[code].compute(report(root, LAST_YEAR_END)))["total"]
        for code in ("T18", "T19", "T20")
    }
    assert then == {"T18": 0, "T19": 1, "T20": 1}
    t20 = column(tables.TABLES["T20"].compute(report(root)))
    assert (t20["female"], t20["age_26_30"], t20["undergraduate"]) == (1, 1, 1)
    assert column(tables.TABLES["T20"].compute(report(recruitment_records.d.branch_b)))["total"] == 0


def test_t15_conversions(recruitment_records):
    result = tables.TABLES["T15"].compute(report(recruitment_records.d.root))
    v = column(result)
    assert v == {"due": 4, "converted": 1, "converted_after_ext": 0, "postponed": 0, "extended": 1, "cancelled": 0,
                 "pending": 2, "cancelled_early": 0}  # fmt: skip
    assert_checks_pass(result)


# --- drill-down ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(tables.TABLES))
@pytest.mark.parametrize("on", [TODAY, LAST_YEAR_END])
def test_every_cell_lists_what_it_counts(known, code, on):
    """Each non-zero cell's drill-down holds exactly as many rows as the cell counts."""
    for org in (known.d.root, known.d.committee, known.d.branch_b):
        rep = report(org, on)
        table = tables.TABLES[code]
        result = table.compute(rep)
        for r in result.rows:
            if not r.row.drill or (r.row.kind == "derived" and code != "T01"):
                continue
            for col, value in zip(result.columns, r.values, strict=True):
                if not value:
                    continue
                listed = table.drill(rep, r.row.key, col.key).distinct().count()
                assert listed == value, (code, org.name, on, r.row.label, col.header)


def test_unknown_cells_are_key_errors(known):
    rep = report(known.d.root)
    with pytest.raises(KeyError):
        tables.TABLES["T02"].drill(rep, "nope", "total")
    with pytest.raises(KeyError):
        tables.TABLES["T02"].drill(rep, "total", "nope")
    with pytest.raises(KeyError):
        tables.TABLES["T01"].drill(rep, "r15", "n")


# --- the bulletin and charts ------------------------------------------------------------------


def test_bulletin_is_derived_from_the_tables(known):
    b = selectors.bulletin(report(known.d.root))
    assert (b.members, b.probationary, b.female, b.minority, b.college) == (8, 1, 3, 1, 7)
    assert sum(line.value for line in b.ages) == 8
    assert sum(line.value for line in b.admission) == 8
    assert sum(line.value for line in b.jobs) == 8
    assert dict((line.label, line.value) for line in b.jobs)["工人（工勤技能人员）"] == 1
    assert b.recruits == 1 and b.recruits_35 == 1
    assert [line.value for line in b.orgs] == [1, 0, 2]


def test_dashboard_charts_for_the_home_page(known, django_assert_max_num_queries):
    from accounts.scope import scope_of

    scope = scope_of(known.d.district_admin)
    with django_assert_max_num_queries(12):
        options = selectors.dashboard_charts(scope, TODAY)
    import json

    titles = [json.loads(o)["title"]["text"] for o in options]
    assert "党员年龄结构" in titles and "党员学历结构" in titles and "近十年党员数量与发展党员" in titles
    trend = json.loads(options[-1])
    assert trend["series"][0]["data"][-1] == 8  # members today
    assert selectors.dashboard_charts(scope_of(known.d.member_user), TODAY) == []


def test_trend_counts_members_at_each_year_end(known):
    years, members, recruits = selectors.trend(report(known.d.committee))
    assert years[-1] == 2026 and members[-1] == 6 and members[-2] == 5
    assert recruits[-1] == 1 and recruits[-2] == 1


def test_trend_counts_a_recruit_in_the_branch_that_recruited_him_though_he_moved_since(known):
    """The recruits of a subtree include those recruited there who have moved out since
    (the second part of Subtree.parts), and not those who moved in."""
    from people.models import PartyMember, Transfer

    d = known.d
    before_b, before_a = selectors.trend(report(d.branch_b))[2][3], selectors.trend(report(d.branch_a))[2][3]
    moved = party_member(d.branch_b, "迁走者", admitted_on=date(2020, 7, 1))
    Transfer.objects.create(
        member=moved,
        kind=Transfer.INTERNAL,
        from_branch=d.branch_b,
        to_branch=d.branch_a,
        transferred_on=date(2026, 6, 1),
    )
    PartyMember.objects.filter(pk=moved.pk).update(branch=d.branch_a)
    years, _, recruits_b = selectors.trend(report(d.branch_b))
    assert years[3] == 2020 and recruits_b[3] == before_b + 1
    assert selectors.trend(report(d.branch_a))[2][3] == before_a


def test_subtree_of_a_single_root_is_the_whole_district(known):
    assert subtree_of(known.d.root).whole_district
    assert not subtree_of(known.d.committee).whole_district
    extra = party_member(known.d.branch_b, "新党员", admitted_on=date(2026, 11, 1))
    assert column(tables.TABLES["T02"].compute(report(known.d.root)))["total"] == 9
    assert extra.pk
