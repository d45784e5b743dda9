"""REC-01 … REC-25 (rules/recruitment.md): every rule at its boundaries, under both rule sets.

Each test names the rule it covers. Dates are chosen so that the step being judged
falls in the 2014 set (before 2026-05-11) or the 2026 set (from 2026-05-11).
"""

import calendar as pycalendar
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.dates import add_months, add_years
from core.findings import ERROR, MISSING, WARNING
from core.workdays import WorkCalendar, YearSchedule
from recruitment.rules import (
    ACTIVIST,
    APPLICANT,
    BALLOT_HANDS,
    BALLOT_SECRET,
    CANDIDATE,
    DISCIPLINE_PARTY_PROBATION,
    DISCIPLINE_REMOVAL_FROM_POST,
    DISCIPLINE_SERIOUS_WARNING,
    DISCIPLINE_WARNING,
    FULL,
    PROBATIONARY,
    BallotResult,
    MemberRef,
    RecruitmentFacts,
    RecruitmentSettings,
    audit,
    full_member_on,
    next_due,
    party_age,
    probation_end,
    rec_01_age,
    rec_02_talk,
    rec_03_activist,
    rec_04_mentors,
    rec_05_evaluations,
    rec_06_cultivation_year,
    rec_07_notice,
    rec_07l_local_notice,
    rec_08_sponsors,
    rec_09_political_review,
    rec_10_training,
    rec_11_review_order,
    rec_12_meeting_after_pre_review,
    rec_13_admission_ballot,
    rec_14_superior_talk,
    rec_15_approval,
    rec_16_approving_org,
    rec_17_oath,
    rec_18_probation,
    rec_19_conversion_meeting,
    rec_20_extension,
    rec_21_conversion_ballot,
    rec_22_conversion_approval,
    rec_23_party_age,
    rec_24_step_order,
    rec_25_archive,
    rule_set_for,
    stage_of,
    step_date,
)

CAL = WorkCalendar()
SETTINGS = RecruitmentSettings()
DAY = timedelta(days=1)
FAR_FUTURE = date(2031, 1, 1)  # a "today" after every deadline of the examples

A = MemberRef("张三")
B = MemberRef("李四")
GOOD_BALLOT = BallotResult(due=20, present=18, in_favour=17, written_in_favour=1, method=BALLOT_SECRET)
ALL_DOCUMENTS = frozenset(
    {
        "APPLICATION_FORM",
        "APPLICATION",
        "CULTIVATION_RECORD",
        "POLITICAL_REVIEW",
        "PROBATION_RECORD",
        "CONVERSION_APPLICATION",
    }
)

# A complete record judged entirely by the 2014 set.
CLEAN_2014 = RecruitmentFacts(
    birth_date=date(1995, 3, 10),
    application_on=date(2019, 3, 4),
    talk_on=date(2019, 3, 20),
    activist_on=date(2019, 6, 3),
    activist_filed_on=date(2019, 6, 10),
    mentors_assigned_on=date(2019, 6, 10),
    mentors=(A, B),
    evaluations=(date(2019, 12, 2), date(2020, 6, 1)),
    notice_start=date(2020, 6, 8),
    notice_end=date(2020, 6, 12),
    candidate_on=date(2020, 6, 15),
    candidate_agreed_by_superior=True,
    sponsors_assigned_on=date(2020, 6, 16),
    sponsors=(A, B),
    political_review_on=date(2020, 8, 3),
    training_start=date(2020, 8, 10),
    training_end=date(2020, 8, 12),
    training_hours=24,
    committee_review_on=date(2020, 8, 17),
    pre_review_on=date(2020, 8, 24),
    application_form_on=date(2020, 8, 26),
    general_meeting_on=date(2020, 9, 7),
    admission_ballot=replace(GOOD_BALLOT, method=BALLOT_HANDS),  # allowed in 2014
    superior_talk_on=date(2020, 9, 14),
    approved_on=date(2020, 10, 12),
    approving_org_kind="COMMITTEE",
    approval_filed_on=date(2020, 10, 15),
    assigned_to_branch_on=date(2020, 10, 15),
    oath_on=date(2020, 12, 20),  # more than a month: no limit in 2014
    probation_evaluations=(date(2021, 1, 10), date(2021, 4, 10)),
    conversion_application_on=date(2021, 8, 2),
    conversion_committee_review_on=date(2021, 8, 30),
    conversion_meeting_on=date(2021, 9, 10),
    conversion_ballot=GOOD_BALLOT,
    conversion_approved_on=date(2021, 10, 11),
    archived_on=date(2021, 11, 1),
    archive_checklist=ALL_DOCUMENTS,
)

# Activist under 2014, candidate and everything after under 2026 (the example of recruitment.md).
CLEAN_2026 = RecruitmentFacts(
    birth_date=date(2000, 1, 1),
    application_on=date(2025, 3, 3),
    talk_on=date(2025, 3, 20),
    activist_on=date(2025, 5, 12),
    activist_filed_on=date(2025, 5, 19),
    mentors_assigned_on=date(2025, 5, 19),
    mentors=(A,),
    evaluations=(date(2025, 11, 10), date(2026, 5, 8)),
    notice_start=date(2026, 5, 25),
    notice_end=date(2026, 5, 29),
    candidate_on=date(2026, 6, 1),
    candidate_agreed_by_superior=True,
    sponsors_assigned_on=date(2026, 6, 2),
    sponsors=(A, B),
    political_review_on=date(2026, 6, 8),
    training_start=date(2026, 6, 10),
    training_end=date(2026, 6, 12),
    committee_review_on=date(2026, 6, 15),
    pre_review_on=date(2026, 6, 22),
    application_form_on=date(2026, 6, 24),
    general_meeting_on=date(2026, 7, 6),
    admission_ballot=GOOD_BALLOT,
    superior_talk_on=date(2026, 7, 13),
    approved_on=date(2026, 8, 3),
    approving_org_kind="WORKING_COMMITTEE",
    approval_filed_on=date(2026, 8, 5),
    assigned_to_branch_on=date(2026, 8, 5),
    oath_on=date(2026, 8, 20),
    probation_evaluations=(date(2026, 11, 2), date(2027, 2, 1)),
    conversion_application_on=date(2027, 6, 1),
    conversion_meeting_on=date(2027, 7, 8),
    conversion_ballot=GOOD_BALLOT,
    conversion_approved_on=date(2027, 8, 2),
    archived_on=date(2027, 8, 20),
    archive_checklist=ALL_DOCUMENTS,
)

# A date in each rule set, for rules that apply to both (the judged step is placed there).
IN_2014 = date(2021, 3, 15)
IN_2026 = date(2026, 8, 17)
BOTH = pytest.mark.parametrize(("anchor", "rule_set"), [(IN_2014, "2014"), (IN_2026, "2026")])


def one(findings, rule):
    """The single finding of ``rule`` (None when the rule found nothing)."""
    hits = [f for f in findings if f.rule == rule]
    assert len(hits) <= 1, hits
    return hits[0] if hits else None


def assert_finding(findings, rule, severity, rule_set=None, step=None):
    finding = one(findings, rule)
    assert finding is not None, f"expected {rule} {severity}, got {findings}"
    assert finding.severity == severity, finding
    if rule_set is not None:
        assert finding.rule_set == rule_set, finding
    if step is not None:
        assert finding.step == step, finding
    assert finding.message.endswith("。")
    return finding


# --- rule sets --------------------------------------------------------------------


def test_rule_set_switches_on_2026_05_11():
    assert rule_set_for(date(2014, 5, 28)) == "2014"
    assert rule_set_for(date(2026, 5, 10)) == "2014"
    assert rule_set_for(date(2026, 5, 11)) == "2026"


@pytest.mark.parametrize(("facts", "today"), [(CLEAN_2014, date(2022, 1, 1)), (CLEAN_2026, date(2027, 12, 1))])
def test_clean_record_has_no_findings(facts, today):
    extra = {2027: YearSchedule()} if facts is CLEAN_2026 else {}
    assert audit(facts, today=today, calendar=WorkCalendar(extra), settings=SETTINGS) == []


def test_clean_record_in_progress_has_no_findings():
    # Mid-way through, with no deadline passed yet: nothing to report.
    facts = replace(CLEAN_2026, oath_on=None, probation_evaluations=(), conversion_application_on=None)
    facts = replace(facts, conversion_meeting_on=None, conversion_ballot=None, conversion_approved_on=None)
    facts = replace(facts, archived_on=None, archive_checklist=None)
    assert audit(facts, today=date(2026, 8, 20), calendar=CAL, settings=SETTINGS) == []


# --- REC-01 ---------------------------------------------------------------------------


@BOTH
def test_rec_01_eighteenth_birthday_passes_day_before_fails(anchor, rule_set):
    assert rec_01_age(RecruitmentFacts(birth_date=add_years(anchor, -18), application_on=anchor)) == []
    young = RecruitmentFacts(birth_date=add_years(anchor, -18) + DAY, application_on=anchor)
    finding = assert_finding(rec_01_age(young), "REC-01", ERROR, rule_set, step=1)
    assert "17 岁" in finding.message and "未满18周岁" in finding.message


def test_rec_01_born_on_29_february():
    # REC-01: a 29 February birthday is reached on 1 March in a common year (core.dates.age_on).
    born = date(2008, 2, 29)
    assert rec_01_age(RecruitmentFacts(birth_date=born, application_on=date(2026, 2, 28)))
    assert rec_01_age(RecruitmentFacts(birth_date=born, application_on=date(2026, 3, 1))) == []


def test_rec_01_application_date_missing():
    facts = RecruitmentFacts(talk_on=date(2026, 6, 1))
    assert_finding(rec_01_age(facts), "REC-01", MISSING, "2026", step=1)


# --- REC-02 ------------------------------------------------------------------------------


@BOTH
def test_rec_02_talk_within_one_month(anchor, rule_set):
    deadline = add_months(anchor, 1)
    assert rec_02_talk(RecruitmentFacts(application_on=anchor, talk_on=deadline), today=FAR_FUTURE) == []
    assert rec_02_talk(RecruitmentFacts(application_on=anchor, talk_on=anchor), today=FAR_FUTURE) == []
    late = RecruitmentFacts(application_on=anchor, talk_on=deadline + DAY)
    finding = assert_finding(rec_02_talk(late, today=FAR_FUTURE), "REC-02", ERROR, rule_set, step=2)
    assert deadline.isoformat() in finding.message


@pytest.mark.parametrize(
    ("application", "deadline"), [(date(2021, 1, 31), date(2021, 2, 28)), (date(2026, 8, 31), date(2026, 9, 30))]
)
def test_rec_02_month_end_clamps(application, deadline):
    assert rec_02_talk(RecruitmentFacts(application_on=application, talk_on=deadline), today=FAR_FUTURE) == []
    assert rec_02_talk(RecruitmentFacts(application_on=application, talk_on=deadline + DAY), today=FAR_FUTURE)


def test_rec_02_talk_before_application_is_an_error():
    facts = RecruitmentFacts(application_on=IN_2014, talk_on=IN_2014 - DAY)
    assert_finding(rec_02_talk(facts, today=FAR_FUTURE), "REC-02", ERROR)


@BOTH
def test_rec_02_overdue_as_of_today(anchor, rule_set):
    facts = RecruitmentFacts(application_on=anchor)
    deadline = add_months(anchor, 1)
    assert rec_02_talk(facts, today=deadline) == []
    finding = assert_finding(rec_02_talk(facts, today=deadline + DAY), "REC-02", ERROR, rule_set, step=2)
    assert "尚未完成" in finding.message


def test_rec_02_unrecorded_talk_with_later_step_is_missing_not_overdue():
    facts = RecruitmentFacts(application_on=IN_2014, activist_on=add_months(IN_2014, 4))
    assert_finding(rec_02_talk(facts, today=FAR_FUTURE), "REC-02", MISSING, "2014", step=2)


# --- REC-03 ---------------------------------------------------------------------------------


@BOTH
def test_rec_03_activist_after_application_and_talk(anchor, rule_set):
    base = RecruitmentFacts(application_on=anchor - 30 * DAY, talk_on=anchor - DAY, activist_on=anchor)
    assert rec_03_activist(base) == []
    same_day = replace(base, talk_on=anchor)
    assert_finding(rec_03_activist(same_day), "REC-03", ERROR, rule_set, step=3)
    before_application = replace(base, application_on=anchor + DAY, talk_on=None)
    assert_finding(rec_03_activist(before_application), "REC-03", ERROR, rule_set)


@BOTH
def test_rec_03_filing_and_activist_date_required(anchor, rule_set):
    no_filing = RecruitmentFacts(activist_on=anchor, evaluations=(add_months(anchor, 6),))
    assert_finding(rec_03_activist(no_filing), "REC-03", MISSING, step=4)
    no_activist = RecruitmentFacts(activist_filed_on=anchor)
    assert_finding(rec_03_activist(no_activist), "REC-03", MISSING, rule_set, step=3)
    assert rec_03_activist(RecruitmentFacts(activist_on=anchor)) == []  # filing may still come


# --- REC-04 ------------------------------------------------------------------------------------


@BOTH
def test_rec_04_one_or_two_full_member_mentors(anchor, rule_set):
    base = RecruitmentFacts(activist_on=anchor, mentors_assigned_on=anchor)
    assert rec_04_mentors(replace(base, mentors=(A,))) == []
    assert rec_04_mentors(replace(base, mentors=(A, B))) == []
    three = replace(base, mentors=(A, B, MemberRef("王五")))
    assert_finding(rec_04_mentors(three), "REC-04", ERROR, rule_set, step=5)
    probationary = replace(base, mentors=(A, MemberRef("王五", is_full_member_on_date=False)))
    assert "王五" in assert_finding(rec_04_mentors(probationary), "REC-04", ERROR, rule_set).message


def test_rec_04_no_mentor_but_evaluated_is_missing():
    facts = RecruitmentFacts(activist_on=IN_2014, evaluations=(add_months(IN_2014, 6),))
    assert_finding(rec_04_mentors(facts), "REC-04", MISSING, step=5)
    assert rec_04_mentors(RecruitmentFacts(activist_on=IN_2014)) == []


# --- REC-05 ---------------------------------------------------------------------------------------


@BOTH
def test_rec_05_gap_of_exactly_six_months_passes(anchor, rule_set):
    activist = add_months(anchor, -18)
    first = add_months(activist, 6)
    second = add_months(first, 6)
    ok = RecruitmentFacts(activist_on=activist, evaluations=(first, second), candidate_on=add_months(second, 6))
    assert rec_05_evaluations(ok, today=FAR_FUTURE) == []
    late_candidate = replace(ok, candidate_on=add_months(second, 6) + DAY)
    assert_finding(rec_05_evaluations(late_candidate, today=FAR_FUTURE), "REC-05", ERROR, rule_set, step=6)
    late_first = replace(ok, evaluations=(first + DAY, second))
    assert_finding(rec_05_evaluations(late_first, today=FAR_FUTURE), "REC-05", ERROR)


def test_rec_05_month_end_gap():
    # 2025-08-31 + 6 months = 2026-02-28: that day passes, 03-01 fails.
    base = RecruitmentFacts(activist_on=date(2025, 8, 31), candidate_on=date(2026, 2, 28))
    assert rec_05_evaluations(base, today=FAR_FUTURE) == []
    assert rec_05_evaluations(replace(base, candidate_on=date(2026, 3, 1)), today=FAR_FUTURE)


def test_rec_05_no_evaluation_in_a_year_is_an_error():
    facts = RecruitmentFacts(activist_on=IN_2014, candidate_on=add_years(IN_2014, 1))
    assert_finding(rec_05_evaluations(facts, today=FAR_FUTURE), "REC-05", ERROR)


@BOTH
def test_rec_05_overdue_evaluation_of_a_current_activist(anchor, rule_set):
    facts = RecruitmentFacts(activist_on=add_months(anchor, -6), evaluations=(anchor,))
    deadline = add_months(anchor, 6)
    assert rec_05_evaluations(facts, today=deadline) == []
    finding = assert_finding(rec_05_evaluations(facts, today=deadline + DAY), "REC-05", ERROR, step=6)
    assert finding.rule_set == rule_set_for(deadline + DAY)


def test_rec_05_one_finding_for_several_gaps():
    facts = RecruitmentFacts(
        activist_on=date(2019, 1, 1), evaluations=(date(2019, 9, 1), date(2020, 5, 1)), candidate_on=date(2021, 1, 1)
    )
    findings = rec_05_evaluations(facts, today=FAR_FUTURE)
    assert len(findings) == 1 and findings[0].message.count("间隔超过六个月") == 3


@given(
    st.dates(min_value=date(2015, 1, 1), max_value=date(2024, 12, 31)),
    st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=5),
)
def test_rec_05_flags_exactly_the_gaps_longer_than_six_months(activist, gaps):
    # REC-05 property: a finding iff some consecutive gap ends after its start + 6 months.
    points = [activist]
    for gap in gaps:
        points.append(points[-1] + timedelta(days=gap))
    facts = RecruitmentFacts(activist_on=activist, evaluations=tuple(points[1:-1]), candidate_on=points[-1])
    too_long = any(b > add_months(a, 6) for a, b in zip(points, points[1:], strict=False))
    assert bool(rec_05_evaluations(facts, today=FAR_FUTURE)) == too_long


@given(st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=1, max_value=4))
def test_rec_05_evaluations_exactly_every_six_months_pass(activist, count):
    points = [activist]
    for _ in range(count):
        points.append(add_months(points[-1], 6))
    facts = RecruitmentFacts(activist_on=activist, evaluations=tuple(points[1:-1]), candidate_on=points[-1])
    assert rec_05_evaluations(facts, today=FAR_FUTURE) == []


# --- add_months (the arithmetic under every "within N months") --------------------------------------


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)), st.integers(min_value=-240, max_value=240))
def test_add_months_clamps_to_the_month_end(d, months):
    result = add_months(d, months)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == months
    assert result.day == min(d.day, pycalendar.monthrange(result.year, result.month)[1])


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)), st.integers(min_value=0, max_value=120))
def test_add_months_is_monotonic(d, months):
    assert add_months(d, months) <= add_months(d, months + 1)
    assert add_months(d, months) >= d
    assert add_months(d, 12) == add_years(d, 1)


# --- REC-06 ---------------------------------------------------------------------------------------------


@BOTH
def test_rec_06_one_year_as_activist(anchor, rule_set):
    activist = add_years(anchor, -1)
    assert rec_06_cultivation_year(RecruitmentFacts(activist_on=activist, candidate_on=anchor)) == []
    early = RecruitmentFacts(activist_on=activist, candidate_on=anchor - DAY)
    assert_finding(rec_06_cultivation_year(early), "REC-06", ERROR, rule_set, step=7)


def test_rec_06_message_names_the_dates():
    facts = RecruitmentFacts(activist_on=date(2025, 6, 1), candidate_on=date(2026, 3, 1))
    [finding] = rec_06_cultivation_year(facts)
    assert (
        finding.message
        == "确定发展对象日期 2026-03-01 距确定入党积极分子日期 2025-06-01 不足一年（应不早于 2026-06-01）。"
    )
    assert finding.rule_set == "2014"


def test_rec_06_leap_day_activist():
    facts = RecruitmentFacts(activist_on=date(2024, 2, 29), candidate_on=date(2025, 2, 28))
    assert rec_06_cultivation_year(facts) == []
    assert rec_06_cultivation_year(replace(facts, candidate_on=date(2025, 2, 27)))


def test_rec_06_listing_date_missing():
    facts = RecruitmentFacts(activist_on=IN_2014, political_review_on=add_years(IN_2014, 1))
    assert_finding(rec_06_cultivation_year(facts), "REC-06", MISSING, step=7)
    # A running notice does not imply the listing happened (the notice comes first).
    assert rec_06_cultivation_year(replace(facts, political_review_on=None, notice_start=IN_2026)) == []


# --- REC-07 (2026) and REC-07L (2014) -------------------------------------------------------------------

NATIONAL_DAY_NOTICE = {"notice_start": date(2026, 9, 28), "notice_end": date(2026, 10, 9)}  # 5 working days


def test_rec_07_five_working_days_across_national_day():
    facts = RecruitmentFacts(candidate_on=date(2026, 10, 10), candidate_agreed_by_superior=True, **NATIONAL_DAY_NOTICE)
    assert rec_07_notice(facts, calendar=CAL) == []
    short = replace(facts, notice_end=date(2026, 10, 8))  # 4 working days
    finding = assert_finding(rec_07_notice(short, calendar=CAL), "REC-07", ERROR, "2026", step=8)
    assert "仅 4 个工作日" in finding.message and "2026-10-09" in finding.message


def test_rec_07_makeup_saturday_counts():
    # Thu 10-08, Fri 10-09, Sat 10-10 (调休), Mon 10-12, Tue 10-13 = 5 working days.
    facts = RecruitmentFacts(
        candidate_on=date(2026, 10, 14), notice_start=date(2026, 10, 8), notice_end=date(2026, 10, 13)
    )
    assert rec_07_notice(facts, calendar=CAL) == []


def test_rec_07_listing_must_follow_the_notice_end():
    facts = RecruitmentFacts(candidate_on=date(2026, 10, 9), **NATIONAL_DAY_NOTICE)
    assert_finding(rec_07_notice(facts, calendar=CAL), "REC-07", ERROR, "2026", step=7)


def test_rec_07_mobile_member_and_superior_agreement():
    base = RecruitmentFacts(candidate_on=date(2026, 10, 12), **NATIONAL_DAY_NOTICE)
    assert_finding(rec_07_notice(replace(base, mobile_member=True), calendar=CAL), "REC-07", ERROR)
    both = replace(base, mobile_member=True, notice_in_both_places=True)
    assert rec_07_notice(both, calendar=CAL) == []
    refused = replace(base, candidate_agreed_by_superior=False)
    assert "上级党委同意" in assert_finding(rec_07_notice(refused, calendar=CAL), "REC-07", ERROR).message


def test_rec_07_no_notice_is_missing():
    facts = RecruitmentFacts(candidate_on=date(2026, 10, 12))
    assert_finding(rec_07_notice(facts, calendar=CAL), "REC-07", MISSING, "2026", step=8)
    half = replace(facts, notice_start=date(2026, 9, 28))
    assert_finding(rec_07_notice(half, calendar=CAL), "REC-07", MISSING)


def test_rec_07_notice_in_an_unknown_year():
    # BASE-02 through REC-07: no 2027 schedule → a MISSING finding naming the year, no guess.
    facts = RecruitmentFacts(
        candidate_on=date(2027, 3, 15), notice_start=date(2027, 3, 8), notice_end=date(2027, 3, 12)
    )
    finding = assert_finding(rec_07_notice(facts, calendar=CAL), "REC-07", MISSING, "2026", step=8)
    assert "2027年的节假日安排尚未录入" in finding.message
    entered = WorkCalendar(extra_years={2027: YearSchedule()})
    assert rec_07_notice(facts, calendar=entered) == []


def test_rec_07_only_2026_and_rec_07l_only_2014():
    listed_2014 = RecruitmentFacts(candidate_on=date(2026, 5, 10))
    listed_2026 = RecruitmentFacts(candidate_on=date(2026, 5, 11))
    assert rec_07_notice(listed_2014, calendar=CAL) == []
    assert rec_07l_local_notice(listed_2026, calendar=CAL, settings=SETTINGS) == []
    assert_finding(rec_07_notice(listed_2026, calendar=CAL), "REC-07", MISSING, "2026")
    assert_finding(rec_07l_local_notice(listed_2014, calendar=CAL, settings=SETTINGS), "REC-07L", MISSING, "2014")


def test_rec_07_switch_uses_the_local_setting_only_before_2026_05_11():
    # 2026-04-29 … 05-08: Wed, Thu, then Labour Day (05-01…05-05), then Wed–Fri = 5 working days.
    notice = {"notice_start": date(2026, 4, 29), "notice_end": date(2026, 5, 8)}
    strict_local = RecruitmentSettings(LOCAL_NOTICE_WORKDAYS=6)
    on_10th = RecruitmentFacts(candidate_on=date(2026, 5, 10), **notice)
    on_11th = RecruitmentFacts(candidate_on=date(2026, 5, 11), **notice)
    assert_finding(rec_07l_local_notice(on_10th, calendar=CAL, settings=strict_local), "REC-07L", ERROR, "2014")
    assert audit_rules(on_11th, settings=strict_local).isdisjoint({"REC-07", "REC-07L"})
    assert rec_07l_local_notice(on_10th, calendar=CAL, settings=SETTINGS) == []


@pytest.mark.parametrize("minimum", [5, 7])
def test_rec_07l_local_minimum_is_a_setting(minimum):
    start = date(2021, 3, 1)  # Monday
    end = CAL.add_workdays(start, minimum)
    settings = RecruitmentSettings(LOCAL_NOTICE_WORKDAYS=minimum)
    facts = RecruitmentFacts(candidate_on=end + DAY, notice_start=start, notice_end=end)
    assert rec_07l_local_notice(facts, calendar=CAL, settings=settings) == []
    short = replace(facts, notice_end=CAL.add_workdays(start, minimum - 1))
    assert_finding(rec_07l_local_notice(short, calendar=CAL, settings=settings), "REC-07L", ERROR, "2014", step=8)


def test_rec_07l_notice_must_end_before_the_listing():
    facts = RecruitmentFacts(candidate_on=date(2021, 3, 5), notice_start=date(2021, 3, 1), notice_end=date(2021, 3, 5))
    assert_finding(rec_07l_local_notice(facts, calendar=CAL, settings=SETTINGS), "REC-07L", ERROR, step=7)
    assert rec_07l_local_notice(replace(facts, candidate_on=date(2021, 3, 6)), calendar=CAL, settings=SETTINGS) == []


def test_rec_07l_reversed_notice_is_an_error():
    facts = RecruitmentFacts(candidate_on=date(2021, 3, 10), notice_start=date(2021, 3, 8), notice_end=date(2021, 3, 1))
    finding = assert_finding(rec_07l_local_notice(facts, calendar=CAL, settings=SETTINGS), "REC-07L", ERROR)
    assert "结束日期早于开始日期" in finding.message


def test_rec_07l_before_the_package_years_is_missing():
    facts = RecruitmentFacts(
        candidate_on=date(2003, 6, 16), notice_start=date(2003, 6, 9), notice_end=date(2003, 6, 13)
    )
    finding = assert_finding(rec_07l_local_notice(facts, calendar=CAL, settings=SETTINGS), "REC-07L", MISSING)
    assert "2003年的节假日安排尚未录入" in finding.message


# --- REC-08 ---------------------------------------------------------------------------------------------------


@BOTH
def test_rec_08_two_full_member_sponsors(anchor, rule_set):
    base = RecruitmentFacts(candidate_on=anchor, sponsors_assigned_on=anchor)
    assert rec_08_sponsors(replace(base, sponsors=(A, B))) == []
    assert_finding(rec_08_sponsors(replace(base, sponsors=(A,))), "REC-08", ERROR, rule_set, step=9)
    assert_finding(rec_08_sponsors(replace(base, sponsors=(A, B, MemberRef("王五")))), "REC-08", ERROR)
    probationary = replace(base, sponsors=(A, MemberRef("王五", is_full_member_on_date=False)))
    assert_finding(rec_08_sponsors(probationary), "REC-08", ERROR, rule_set)


@BOTH
@pytest.mark.parametrize("discipline", [DISCIPLINE_WARNING, DISCIPLINE_SERIOUS_WARNING, DISCIPLINE_REMOVAL_FROM_POST])
def test_rec_08_sanctioned_sponsor_should_not_sponsor(anchor, rule_set, discipline):
    facts = RecruitmentFacts(sponsors_assigned_on=anchor, sponsors=(A, MemberRef("王五", discipline=discipline)))
    assert_finding(rec_08_sponsors(facts), "REC-08", WARNING, rule_set)


@BOTH
def test_rec_08_party_probation_cannot_sponsor(anchor, rule_set):
    facts = RecruitmentFacts(
        sponsors_assigned_on=anchor, sponsors=(A, MemberRef("王五", discipline=DISCIPLINE_PARTY_PROBATION))
    )
    assert "留党察看" in assert_finding(rec_08_sponsors(facts), "REC-08", ERROR, rule_set).message


def test_rec_08_error_leads_a_warning_in_one_finding():
    facts = RecruitmentFacts(
        sponsors_assigned_on=IN_2014,
        sponsors=(MemberRef("甲", is_full_member_on_date=False), MemberRef("乙", discipline=DISCIPLINE_WARNING)),
    )
    finding = assert_finding(rec_08_sponsors(facts), "REC-08", ERROR)
    assert "甲" in finding.message and "乙" in finding.message


def test_rec_08_no_sponsors_is_missing_once_reviewed():
    facts = RecruitmentFacts(candidate_on=IN_2014, political_review_on=IN_2014 + 30 * DAY)
    assert_finding(rec_08_sponsors(facts), "REC-08", MISSING, step=9)
    assert rec_08_sponsors(RecruitmentFacts(candidate_on=IN_2014)) == []


# --- REC-09 ------------------------------------------------------------------------------------------------------


@BOTH
def test_rec_09_political_review_before_committee_review(anchor, rule_set):
    ok = RecruitmentFacts(political_review_on=anchor - DAY, committee_review_on=anchor)
    assert rec_09_political_review(ok) == []
    same_day = replace(ok, political_review_on=anchor)
    assert_finding(rec_09_political_review(same_day), "REC-09", ERROR, rule_set, step=10)


def test_rec_09_missing_review():
    assert_finding(rec_09_political_review(RecruitmentFacts(committee_review_on=IN_2026)), "REC-09", MISSING, "2026")
    # Training may run while the review is pending: nothing to report yet.
    assert rec_09_political_review(RecruitmentFacts(training_start=IN_2026)) == []


# --- REC-10 -----------------------------------------------------------------------------------------------------


@BOTH
def test_rec_10_three_days_or_24_hours(anchor, rule_set):
    meeting = anchor + 10 * DAY
    three_days = RecruitmentFacts(training_start=anchor, training_end=anchor + 2 * DAY, general_meeting_on=meeting)
    assert rec_10_training(three_days) == []
    two_days = replace(three_days, training_end=anchor + DAY, training_hours=23.5)
    finding = assert_finding(rec_10_training(two_days), "REC-10", ERROR, rule_set, step=11)
    assert "23.5 学时" in finding.message
    assert rec_10_training(replace(two_days, training_hours=24)) == []


@BOTH
def test_rec_10_finished_before_the_general_meeting(anchor, rule_set):
    facts = RecruitmentFacts(training_start=anchor - 3 * DAY, training_end=anchor - DAY, general_meeting_on=anchor)
    assert rec_10_training(facts) == []
    assert_finding(rec_10_training(replace(facts, training_end=anchor)), "REC-10", ERROR, step=11)


@BOTH
def test_rec_10_no_training_is_an_error_or_a_warning_with_reason(anchor, rule_set):
    facts = RecruitmentFacts(general_meeting_on=anchor)
    assert_finding(rec_10_training(facts), "REC-10", ERROR, rule_set, step=11)
    excused = replace(facts, recorded_reasons={"REC-10": "援藏期间，经党委同意补训"})
    assert "援藏期间" in assert_finding(rec_10_training(excused), "REC-10", WARNING, rule_set).message
    assert rec_10_training(RecruitmentFacts(committee_review_on=anchor)) == []  # still time before the meeting


# --- REC-11 -------------------------------------------------------------------------------------------------


@BOTH
def test_rec_11_review_pre_review_form_in_order(anchor, rule_set):
    ok = RecruitmentFacts(committee_review_on=anchor, pre_review_on=anchor, application_form_on=anchor)
    assert rec_11_review_order(ok) == []
    assert_finding(rec_11_review_order(replace(ok, pre_review_on=anchor - DAY)), "REC-11", ERROR, step=13)
    form_early = replace(ok, application_form_on=anchor - DAY)
    assert_finding(rec_11_review_order(form_early), "REC-11", ERROR, step=14)


def test_rec_11_missing_steps():
    assert_finding(rec_11_review_order(RecruitmentFacts(pre_review_on=IN_2014)), "REC-11", MISSING, step=12)
    facts = RecruitmentFacts(committee_review_on=IN_2014, general_meeting_on=IN_2014 + 20 * DAY)
    finding = assert_finding(rec_11_review_order(facts), "REC-11", MISSING, step=13)
    assert "填写入党志愿书日期未录入" in finding.message  # both gaps in one finding


@BOTH
def test_rec_11_leaving_within_three_months_is_a_warning(anchor, rule_set):
    facts = RecruitmentFacts(committee_review_on=anchor, planned_leave_on=add_months(anchor, 3))
    assert_finding(rec_11_review_order(facts), "REC-11", WARNING, rule_set, step=12)
    assert rec_11_review_order(replace(facts, planned_leave_on=add_months(anchor, 3) + DAY)) == []


# --- REC-12 (2026 only) ------------------------------------------------------------------------------------------


def test_rec_12_meeting_within_one_month_of_pre_review():
    pre_review = date(2026, 6, 30)
    deadline = date(2026, 7, 30)
    ok = RecruitmentFacts(pre_review_on=pre_review, general_meeting_on=deadline)
    assert rec_12_meeting_after_pre_review(ok, today=FAR_FUTURE) == []
    late = replace(ok, general_meeting_on=deadline + DAY)
    assert_finding(rec_12_meeting_after_pre_review(late, today=FAR_FUTURE), "REC-12", ERROR, "2026", step=15)


def test_rec_12_not_in_2014_and_the_switch():
    pre_review = date(2026, 4, 1)  # deadline 2026-05-01
    on_10th = RecruitmentFacts(pre_review_on=pre_review, general_meeting_on=date(2026, 5, 10))
    assert rec_12_meeting_after_pre_review(on_10th, today=FAR_FUTURE) == []
    on_11th = replace(on_10th, general_meeting_on=date(2026, 5, 11))
    assert_finding(rec_12_meeting_after_pre_review(on_11th, today=FAR_FUTURE), "REC-12", ERROR, "2026")
    old = RecruitmentFacts(pre_review_on=date(2020, 1, 2), general_meeting_on=date(2020, 6, 1))
    assert rec_12_meeting_after_pre_review(old, today=FAR_FUTURE) == []


def test_rec_12_overdue_only_under_2026():
    facts = RecruitmentFacts(pre_review_on=date(2026, 3, 2))
    assert rec_12_meeting_after_pre_review(facts, today=date(2026, 5, 10)) == []
    assert_finding(rec_12_meeting_after_pre_review(facts, today=date(2026, 5, 11)), "REC-12", ERROR, "2026")
    fresh = RecruitmentFacts(pre_review_on=date(2026, 7, 1))
    assert rec_12_meeting_after_pre_review(fresh, today=date(2026, 8, 1)) == []
    assert rec_12_meeting_after_pre_review(fresh, today=date(2026, 8, 2))


# --- REC-13 and REC-21: ballots ------------------------------------------------------------------------------------


def ballot_findings(rule, anchor, ballot):
    if rule == "REC-13":
        return rec_13_admission_ballot(RecruitmentFacts(general_meeting_on=anchor, admission_ballot=ballot))
    facts = RecruitmentFacts(conversion_application_on=anchor - 30 * DAY, conversion_meeting_on=anchor)
    return rec_21_conversion_ballot(replace(facts, conversion_ballot=ballot))


BALLOT_RULES = pytest.mark.parametrize("rule", ["REC-13", "REC-21"])


@BALLOT_RULES
@BOTH
def test_ballot_quorum_more_than_half_due(rule, anchor, rule_set):
    assert ballot_findings(rule, anchor, BallotResult(10, 6, 6, method=BALLOT_SECRET)) == []
    finding = assert_finding(
        ballot_findings(rule, anchor, BallotResult(10, 5, 5, written_in_favour=1, method=BALLOT_SECRET)),
        rule,
        ERROR,
        rule_set,
    )
    assert "未超过应到会人数 10 的半数" in finding.message
    # An odd number due: 5 of 9 is more than half, 4 is not.
    assert ballot_findings(rule, anchor, BallotResult(9, 5, 5, method=BALLOT_SECRET)) == []
    assert ballot_findings(rule, anchor, BallotResult(9, 4, 4, written_in_favour=1, method=BALLOT_SECRET))


@BALLOT_RULES
@BOTH
def test_ballot_majority_counts_written_opinions(rule, anchor, rule_set):
    assert ballot_findings(rule, anchor, BallotResult(10, 7, 4, written_in_favour=2, method=BALLOT_SECRET)) == []
    short = BallotResult(10, 7, 4, written_in_favour=1, method=BALLOT_SECRET)
    finding = assert_finding(ballot_findings(rule, anchor, short), rule, ERROR, rule_set)
    assert "共 5 票" in finding.message


@BALLOT_RULES
@pytest.mark.parametrize(
    ("ballot", "text"),
    [
        (BallotResult(10, 11, 6), "实到会有表决权人数 11 超过应到会人数 10"),
        (BallotResult(10, 6, 7), "赞成票数 7 超过实到会有表决权人数 6"),
        (BallotResult(10, 8, 5, written_in_favour=3), "书面意见赞成数 3 超过未到会的有表决权人数 2"),
        (BallotResult(0, 0, 0), "应到会有表决权人数 0 有误"),
    ],
)
def test_ballot_impossible_numbers(rule, ballot, text):
    finding = assert_finding(ballot_findings(rule, IN_2014, replace(ballot, method=BALLOT_SECRET)), rule, ERROR)
    assert text in finding.message


@BALLOT_RULES
def test_ballot_numbers_missing(rule):
    assert_finding(ballot_findings(rule, IN_2014, None), rule, MISSING)
    assert_finding(ballot_findings(rule, IN_2014, BallotResult(10, None, 6)), rule, MISSING)


def test_rec_13_show_of_hands_error_only_from_2026_05_11():
    hands = replace(GOOD_BALLOT, method=BALLOT_HANDS)
    assert ballot_findings("REC-13", date(2026, 5, 10), hands) == []
    finding = assert_finding(ballot_findings("REC-13", date(2026, 5, 11), hands), "REC-13", ERROR, "2026", step=15)
    assert "无记名投票" in finding.message
    assert ballot_findings("REC-13", date(2026, 5, 11), GOOD_BALLOT) == []


def test_rec_13_method_required_under_2026_only():
    unknown = replace(GOOD_BALLOT, method=None)
    assert ballot_findings("REC-13", IN_2014, unknown) == []
    assert_finding(ballot_findings("REC-13", IN_2026, unknown), "REC-13", MISSING, "2026")
    assert_finding(ballot_findings("REC-13", IN_2014, replace(GOOD_BALLOT, method="鼓掌")), "REC-13", ERROR)


def test_rec_21_does_not_judge_the_method():
    # REC-21 takes REC-13's quorum and majority only.
    assert ballot_findings("REC-21", IN_2026, replace(GOOD_BALLOT, method=BALLOT_HANDS)) == []


@BOTH
def test_rec_21_after_written_application_and_committee_review(anchor, rule_set):
    ok = RecruitmentFacts(
        conversion_application_on=anchor - 10 * DAY,
        conversion_committee_review_on=anchor - DAY,
        conversion_meeting_on=anchor,
        conversion_ballot=GOOD_BALLOT,
    )
    assert rec_21_conversion_ballot(ok) == []
    assert_finding(rec_21_conversion_ballot(replace(ok, conversion_application_on=anchor)), "REC-21", ERROR, rule_set)
    same_day_review = replace(ok, conversion_committee_review_on=anchor)
    assert_finding(rec_21_conversion_ballot(same_day_review), "REC-21", ERROR, rule_set)
    no_application = replace(ok, conversion_application_on=None)
    assert_finding(rec_21_conversion_ballot(no_application), "REC-21", MISSING, rule_set, step=22)


# --- REC-14 ------------------------------------------------------------------------------------------------------------


@BOTH
def test_rec_14_superior_talk_before_approval(anchor, rule_set):
    ok = RecruitmentFacts(superior_talk_on=anchor - DAY, approved_on=anchor)
    assert rec_14_superior_talk(ok) == []
    assert_finding(rec_14_superior_talk(replace(ok, superior_talk_on=anchor)), "REC-14", ERROR, rule_set, step=16)
    assert_finding(rec_14_superior_talk(replace(ok, superior_talk_on=None)), "REC-14", MISSING, rule_set, step=16)


# --- REC-15 -------------------------------------------------------------------------------------------------------------


@BOTH
def test_rec_15_approval_three_and_six_months(anchor, rule_set):
    meeting = add_months(anchor, -4)
    three, six = add_months(meeting, 3), add_months(meeting, 6)

    def judged(approved):
        return rec_15_approval(RecruitmentFacts(general_meeting_on=meeting, approved_on=approved), today=FAR_FUTURE)

    assert judged(three) == []
    assert_finding(judged(three + DAY), "REC-15", WARNING, step=17)
    assert_finding(judged(six), "REC-15", WARNING)
    assert_finding(judged(six + DAY), "REC-15", ERROR, step=17)
    assert judged(three + DAY)[0].rule_set == rule_set_for(three + DAY)


def test_rec_15_special_circumstances_are_named():
    facts = RecruitmentFacts(
        general_meeting_on=date(2020, 1, 6),
        approved_on=date(2020, 5, 6),
        recorded_reasons={"REC-15": "疫情期间党委暂停集中审批"},
    )
    finding = assert_finding(rec_15_approval(facts, today=FAR_FUTURE), "REC-15", WARNING, "2014")
    assert "疫情期间党委暂停集中审批" in finding.message
    assert "须记录特殊情况" in rec_15_approval(replace(facts, recorded_reasons={}), today=FAR_FUTURE)[0].message


@BOTH
def test_rec_15_overdue_approval(anchor, rule_set):
    facts = RecruitmentFacts(general_meeting_on=anchor)
    three, six = add_months(anchor, 3), add_months(anchor, 6)
    assert rec_15_approval(facts, today=three) == []
    assert_finding(rec_15_approval(facts, today=three + DAY), "REC-15", WARNING)
    assert_finding(rec_15_approval(facts, today=six), "REC-15", WARNING)
    assert_finding(rec_15_approval(facts, today=six + DAY), "REC-15", ERROR)


def test_rec_15_missing_approval_date():
    facts = RecruitmentFacts(general_meeting_on=IN_2014, oath_on=add_months(IN_2014, 2))
    assert_finding(rec_15_approval(facts, today=FAR_FUTURE), "REC-15", MISSING, step=17)


# --- REC-16 -------------------------------------------------------------------------------------------------------------


@BOTH
@pytest.mark.parametrize("kind", ["COMMITTEE", "WORKING_COMMITTEE"])
def test_rec_16_committee_approves(anchor, rule_set, kind):
    assert rec_16_approving_org(RecruitmentFacts(approved_on=anchor, approving_org_kind=kind)) == []


@BOTH
@pytest.mark.parametrize(
    ("kind", "label"), [("GENERAL_BRANCH", "党总支"), ("BRANCH", "党支部"), ("PARTY_GROUP", "党组")]
)
def test_rec_16_others_cannot_approve(anchor, rule_set, kind, label):
    finding = assert_finding(
        rec_16_approving_org(RecruitmentFacts(approved_on=anchor, approving_org_kind=kind)), "REC-16", ERROR, rule_set
    )
    assert label in finding.message


def test_rec_16_approving_org_not_recorded():
    assert_finding(rec_16_approving_org(RecruitmentFacts(approved_on=IN_2026)), "REC-16", MISSING)


# --- REC-17 (2026 only) ---------------------------------------------------------------------------------------------------


def test_rec_17_oath_within_one_month_of_approval():
    approved = date(2026, 7, 31)
    ok = RecruitmentFacts(approved_on=approved, oath_on=date(2026, 8, 31))
    assert rec_17_oath(ok, today=FAR_FUTURE) == []
    late = replace(ok, oath_on=date(2026, 9, 1))
    assert_finding(rec_17_oath(late, today=FAR_FUTURE), "REC-17", ERROR, "2026", step=20)
    assert rec_17_oath(replace(late, collective_oath=True), today=FAR_FUTURE) == []


def test_rec_17_switch_and_2014():
    approved = date(2026, 3, 31)  # deadline 2026-04-30
    assert rec_17_oath(RecruitmentFacts(approved_on=approved, oath_on=date(2026, 5, 10)), today=FAR_FUTURE) == []
    on_11th = RecruitmentFacts(approved_on=approved, oath_on=date(2026, 5, 11))
    assert_finding(rec_17_oath(on_11th, today=FAR_FUTURE), "REC-17", ERROR, "2026")
    old = RecruitmentFacts(approved_on=date(2020, 1, 2), oath_on=date(2020, 7, 1))
    assert rec_17_oath(old, today=FAR_FUTURE) == []


def test_rec_17_overdue_oath():
    facts = RecruitmentFacts(approved_on=date(2026, 6, 1))
    assert rec_17_oath(facts, today=date(2026, 7, 1)) == []
    assert_finding(rec_17_oath(facts, today=date(2026, 7, 2)), "REC-17", ERROR, "2026")
    assert rec_17_oath(replace(facts, collective_oath=True), today=date(2026, 7, 2)) == []


def test_rec_17_missing_oath_only_under_2026():
    assert_finding(
        rec_17_oath(RecruitmentFacts(conversion_application_on=IN_2026), today=FAR_FUTURE), "REC-17", MISSING, "2026"
    )
    assert rec_17_oath(RecruitmentFacts(conversion_application_on=IN_2014), today=FAR_FUTURE) == []


# --- REC-18 and REC-20: probation ---------------------------------------------------------------------------------------


@BOTH
def test_rec_18_probation_is_one_year_from_the_meeting(anchor, rule_set):
    assert probation_end(RecruitmentFacts(general_meeting_on=anchor)) == add_years(anchor, 1)
    assert probation_end(RecruitmentFacts()) is None


def test_rec_18_extension_runs_from_the_end_of_the_year():
    # 2024-02-29 + 1 year = 2025-02-28; + 6 months = 2025-08-28 (not 08-29).
    facts = RecruitmentFacts(general_meeting_on=date(2024, 2, 29))
    assert probation_end(facts) == date(2025, 2, 28)
    assert probation_end(replace(facts, extension_months=6)) == date(2025, 8, 28)
    assert probation_end(replace(facts, extension_months=0)) == date(2025, 2, 28)


def test_rec_18_meeting_date_missing():
    facts = RecruitmentFacts(approved_on=IN_2026)
    assert "无法计算预备期" in assert_finding(rec_18_probation(facts), "REC-18", MISSING, "2026", step=15).message
    assert rec_18_probation(RecruitmentFacts(general_meeting_on=IN_2026, approved_on=IN_2026)) == []


@BOTH
@pytest.mark.parametrize(("months", "ok"), [(None, True), (0, True), (5, False), (6, True), (12, True), (13, False)])
def test_rec_20_extension_six_to_twelve_months(anchor, rule_set, months, ok):
    facts = RecruitmentFacts(
        general_meeting_on=add_years(anchor, -1), conversion_meeting_on=anchor, extension_months=months
    )
    findings = rec_20_extension(facts)
    if ok:
        assert findings == []
    else:
        assert_finding(findings, "REC-20", ERROR, rule_set)


# --- REC-19 -------------------------------------------------------------------------------------------------------------------


@BOTH
def test_rec_19_conversion_meeting_at_probation_end(anchor, rule_set):
    meeting = add_years(anchor, -1)
    end = anchor

    def judged(conversion, settings=SETTINGS, **extra):
        facts = RecruitmentFacts(general_meeting_on=meeting, conversion_meeting_on=conversion, **extra)
        return rec_19_conversion_meeting(facts, today=FAR_FUTURE, settings=settings)

    assert judged(end) == []
    assert_finding(judged(end - DAY), "REC-19", ERROR, rule_set_for(end - DAY), step=23)
    assert judged(end + 30 * DAY) == []
    assert_finding(judged(end + 31 * DAY), "REC-19", WARNING, step=23)
    short_grace = RecruitmentSettings(CONVERSION_GRACE_DAYS=10)
    assert judged(end + 10 * DAY, short_grace) == []
    assert_finding(judged(end + 11 * DAY, short_grace), "REC-19", WARNING)


def test_rec_19_extension_moves_the_end():
    facts = RecruitmentFacts(
        general_meeting_on=date(2020, 3, 2), extension_months=6, conversion_meeting_on=date(2021, 3, 2)
    )
    assert_finding(rec_19_conversion_meeting(facts, today=FAR_FUTURE, settings=SETTINGS), "REC-19", ERROR)
    on_time = replace(facts, conversion_meeting_on=date(2021, 9, 2))
    assert rec_19_conversion_meeting(on_time, today=FAR_FUTURE, settings=SETTINGS) == []


def test_rec_19_transferred_in_may_be_postponed_six_months_with_a_record():
    end = date(2021, 3, 2)
    facts = RecruitmentFacts(
        general_meeting_on=date(2020, 3, 2),
        transferred_in=True,
        recorded_reasons={"REC-19": "2021-01 自区外转入，需重新考察"},
        conversion_meeting_on=add_months(end, 6),
    )
    assert rec_19_conversion_meeting(facts, today=FAR_FUTURE, settings=SETTINGS) == []
    later = replace(facts, conversion_meeting_on=add_months(end, 6) + DAY)
    assert_finding(rec_19_conversion_meeting(later, today=FAR_FUTURE, settings=SETTINGS), "REC-19", WARNING)
    unrecorded = replace(facts, recorded_reasons={})
    assert_finding(rec_19_conversion_meeting(unrecorded, today=FAR_FUTURE, settings=SETTINGS), "REC-19", WARNING)


@BOTH
def test_rec_19_overdue_conversion_is_a_warning(anchor, rule_set):
    facts = RecruitmentFacts(general_meeting_on=add_years(anchor, -1), approved_on=add_months(anchor, -11))
    assert rec_19_conversion_meeting(facts, today=anchor + 30 * DAY, settings=SETTINGS) == []
    assert_finding(
        rec_19_conversion_meeting(facts, today=anchor + 31 * DAY, settings=SETTINGS), "REC-19", WARNING, step=23
    )


def test_rec_19_conversion_meeting_date_missing():
    facts = RecruitmentFacts(general_meeting_on=IN_2014, conversion_approved_on=add_years(IN_2014, 1) + 40 * DAY)
    assert_finding(rec_19_conversion_meeting(facts, today=FAR_FUTURE, settings=SETTINGS), "REC-19", MISSING)


# --- REC-22 ---------------------------------------------------------------------------------------------------------------------


@BOTH
def test_rec_22_conversion_approval_within_three_months(anchor, rule_set):
    meeting = add_months(anchor, -3)
    ok = RecruitmentFacts(conversion_meeting_on=meeting, conversion_approved_on=anchor)
    assert rec_22_conversion_approval(ok, today=FAR_FUTURE) == []
    late = replace(ok, conversion_approved_on=anchor + DAY)
    assert_finding(rec_22_conversion_approval(late, today=FAR_FUTURE), "REC-22", ERROR, step=24)
    pending = replace(ok, conversion_approved_on=None)
    assert rec_22_conversion_approval(pending, today=anchor) == []
    assert_finding(rec_22_conversion_approval(pending, today=anchor + DAY), "REC-22", ERROR, step=24)


def test_rec_22_missing_approval_date():
    facts = RecruitmentFacts(conversion_meeting_on=IN_2014, archived_on=IN_2014 + 60 * DAY)
    assert_finding(rec_22_conversion_approval(facts, today=FAR_FUTURE), "REC-22", MISSING, step=24)


# --- REC-23 ------------------------------------------------------------------------------------------------------------------------


def test_rec_23_full_member_from_probation_end_not_approval():
    facts = replace(CLEAN_2014)
    assert full_member_on(facts) == date(2021, 9, 7)  # meeting 2020-09-07 + 1 year
    assert full_member_on(facts) != facts.conversion_approved_on
    assert full_member_on(replace(facts, conversion_approved_on=None)) is None


@BOTH
def test_rec_23_typed_date_must_match(anchor, rule_set):
    facts = RecruitmentFacts(general_meeting_on=add_years(anchor, -1), conversion_approved_on=anchor + 40 * DAY)
    assert rec_23_party_age(replace(facts, recorded_full_member_on=anchor)) == []
    typed_approval = replace(facts, recorded_full_member_on=anchor + 40 * DAY)
    assert_finding(rec_23_party_age(typed_approval), "REC-23", ERROR, rule_set)


def test_rec_23_party_age_counts_completed_years():
    start = date(2021, 9, 7)
    assert party_age(start, date(2021, 9, 6)) == 0
    assert party_age(start, date(2022, 9, 6)) == 0
    assert party_age(start, date(2022, 9, 7)) == 1
    assert party_age(start, date(2031, 9, 7)) == 10


# --- REC-24 --------------------------------------------------------------------------------------------------------------------------


@BOTH
def test_rec_24_each_step_on_or_after_the_previous(anchor, rule_set):
    facts = RecruitmentFacts(committee_review_on=anchor, pre_review_on=anchor, application_form_on=anchor)
    assert rec_24_step_order(facts) == []
    inverted = replace(facts, application_form_on=anchor - DAY)
    finding = assert_finding(rec_24_step_order(inverted), "REC-24", ERROR, rule_set_for(anchor - DAY), step=14)
    assert "填写入党志愿书日期" in finding.message and "上级党委预审日期" in finding.message


def test_rec_24_skips_unrecorded_steps_and_the_notice():
    # The notice (step 8) precedes the listing (step 7); REC-07/REC-07L place it.
    assert rec_24_step_order(CLEAN_2026) == []
    gap = RecruitmentFacts(application_on=date(2020, 1, 2), approved_on=date(2019, 12, 31))
    assert_finding(rec_24_step_order(gap), "REC-24", ERROR, step=17)


def test_rec_24_one_finding_for_several_inversions():
    facts = replace(CLEAN_2014, talk_on=date(2019, 3, 1), oath_on=date(2020, 10, 1))
    findings = rec_24_step_order(facts)
    assert len(findings) == 1 and findings[0].step == 2
    assert "入党宣誓日期" in findings[0].message


def test_step_date_of_spanning_steps():
    assert step_date(CLEAN_2014, 6) == date(2019, 12, 2)
    assert step_date(CLEAN_2014, 8) == date(2020, 6, 8)
    assert step_date(CLEAN_2014, 11) == date(2020, 8, 10)
    assert step_date(CLEAN_2014, 21) == date(2021, 1, 10)


# --- REC-25 -----------------------------------------------------------------------------------------------------------------------------


@BOTH
def test_rec_25_archive_within_sixty_days(anchor, rule_set):
    deadline = anchor + 60 * DAY
    facts = RecruitmentFacts(conversion_approved_on=anchor, archived_on=deadline)
    assert rec_25_archive(facts, today=FAR_FUTURE) == []
    assert_finding(rec_25_archive(replace(facts, archived_on=deadline + DAY), today=FAR_FUTURE), "REC-25", WARNING)
    pending = replace(facts, archived_on=None)
    assert rec_25_archive(pending, today=deadline) == []
    assert_finding(rec_25_archive(pending, today=deadline + DAY), "REC-25", WARNING, step=25)


def test_rec_25_incomplete_checklist():
    approved = date(2021, 10, 11)
    facts = RecruitmentFacts(
        conversion_approved_on=approved,
        archived_on=approved + 10 * DAY,
        archive_checklist=ALL_DOCUMENTS - {"POLITICAL_REVIEW"},
    )
    assert rec_25_archive(facts, today=approved + 60 * DAY) == []
    finding = assert_finding(rec_25_archive(facts, today=approved + 61 * DAY), "REC-25", WARNING)
    assert "政审材料" in finding.message
    assert rec_25_archive(replace(facts, archive_checklist=None), today=FAR_FUTURE) == []  # not recorded


# --- the whole record ---------------------------------------------------------------------------------------------------------------------


def audit_rules(facts, *, today=FAR_FUTURE, settings=SETTINGS):
    return {f.rule for f in audit(facts, today=today, calendar=CAL, settings=settings)}


def test_audit_reports_one_finding_per_rule_with_rule_set_and_step():
    messy = replace(
        CLEAN_2014,
        talk_on=date(2019, 5, 1),  # REC-02 late, REC-24 fine
        candidate_on=date(2020, 5, 1),  # REC-06 (and REC-07L: listing before the notice ends)
        sponsors=(A,),  # REC-08
        admission_ballot=BallotResult(20, 9, 9),  # REC-13 quorum and majority
        approving_org_kind="BRANCH",  # REC-16
        extension_months=3,  # REC-20
    )
    findings = audit(messy, today=FAR_FUTURE, calendar=CAL, settings=SETTINGS)
    rules = [f.rule for f in findings]
    assert len(rules) == len(set(rules))
    assert {"REC-02", "REC-06", "REC-07L", "REC-08", "REC-13", "REC-16", "REC-20"} <= set(rules)
    for finding in findings:
        assert finding.rule_set in {"2014", "2026"}
        assert finding.step in range(1, 26)


def test_audit_mixed_record_judges_each_step_by_its_own_set():
    # Activist under 2014, meeting under 2026: a show of hands at the meeting is REC-13 (2026).
    facts = replace(CLEAN_2026, admission_ballot=replace(GOOD_BALLOT, method=BALLOT_HANDS))
    findings = audit(facts, today=date(2027, 12, 1), calendar=WorkCalendar({2027: YearSchedule()}), settings=SETTINGS)
    assert [(f.rule, f.severity, f.rule_set) for f in findings] == [("REC-13", ERROR, "2026")]


def test_audit_unknown_calendar_year_does_not_stop_the_audit():
    facts = RecruitmentFacts(
        activist_on=date(2026, 3, 2),
        evaluations=(date(2026, 9, 1),),
        notice_start=date(2027, 3, 1),
        notice_end=date(2027, 3, 5),
        candidate_on=date(2027, 3, 8),
    )
    findings = audit(facts, today=date(2027, 3, 9), calendar=CAL, settings=SETTINGS)
    assert_finding(findings, "REC-07", MISSING, "2026")


# --- stages and deadlines ------------------------------------------------------------------------------------------------------------------


def test_stage_of_follows_the_furthest_step():
    assert stage_of(RecruitmentFacts()) == APPLICANT
    assert stage_of(RecruitmentFacts(application_on=IN_2014, talk_on=IN_2014)) == APPLICANT
    assert stage_of(RecruitmentFacts(activist_on=IN_2014)) == ACTIVIST
    assert stage_of(RecruitmentFacts(activist_on=IN_2014, notice_start=IN_2026)) == ACTIVIST  # notice ≠ listing
    assert stage_of(RecruitmentFacts(candidate_on=IN_2014)) == CANDIDATE
    assert stage_of(RecruitmentFacts(political_review_on=IN_2014)) == CANDIDATE  # listing date missing
    assert stage_of(RecruitmentFacts(general_meeting_on=IN_2014)) == CANDIDATE  # not approved yet
    assert stage_of(RecruitmentFacts(approved_on=IN_2014)) == PROBATIONARY
    assert stage_of(RecruitmentFacts(conversion_meeting_on=IN_2014)) == PROBATIONARY
    assert stage_of(CLEAN_2014) == FULL


def test_next_due_walks_through_the_record():
    app = date(2026, 6, 1)
    assert next_due(RecruitmentFacts(), today=app) == (None, "")
    assert next_due(RecruitmentFacts(application_on=app), today=app) == (date(2026, 7, 1), "党组织派人谈话（REC-02）")
    talked = RecruitmentFacts(application_on=app, talk_on=date(2026, 6, 10))
    assert next_due(talked, today=app) == (None, "")
    activist = replace(talked, activist_on=date(2026, 9, 1), evaluations=(date(2027, 3, 1),))
    assert next_due(activist, today=app) == (date(2027, 9, 1), "培养教育考察（REC-05）")
    pre_reviewed = RecruitmentFacts(candidate_on=date(2027, 9, 1), pre_review_on=date(2027, 11, 30))
    assert next_due(pre_reviewed, today=date(2027, 12, 1)) == (date(2027, 12, 30), "支部党员大会讨论（REC-12）")
    met = replace(pre_reviewed, general_meeting_on=date(2027, 12, 20))
    assert next_due(met, today=date(2027, 12, 20)) == (date(2028, 3, 20), "上级党委审批（REC-15）")
    approved = replace(met, approved_on=date(2028, 1, 15))
    assert next_due(approved, today=date(2028, 1, 15)) == (date(2028, 2, 15), "入党宣誓（REC-17）")
    sworn = replace(approved, oath_on=date(2028, 2, 1))
    assert next_due(sworn, today=date(2028, 2, 1)) == (date(2028, 12, 20), "预备期满，支部党员大会讨论转正（REC-19）")
    converted_meeting = replace(sworn, conversion_meeting_on=date(2028, 12, 22))
    assert next_due(converted_meeting, today=date(2029, 1, 1))[0] == date(2029, 3, 22)
    converted = replace(converted_meeting, conversion_approved_on=date(2029, 1, 10))
    assert next_due(converted, today=date(2029, 1, 10)) == (date(2029, 3, 11), "材料归档（REC-25）")
    assert next_due(replace(converted, archived_on=date(2029, 2, 1)), today=date(2029, 2, 1)) == (None, "")


def test_next_due_overdue_deadline_sorts_first():
    # Oath overdue (2026 set) and conversion still to come: the oath is next.
    facts = RecruitmentFacts(general_meeting_on=date(2026, 6, 1), approved_on=date(2026, 7, 1))
    assert next_due(facts, today=date(2026, 12, 1)) == (date(2026, 8, 1), "入党宣誓（REC-17）")
    # Under 2014 no oath deadline: the conversion is next.
    old = RecruitmentFacts(general_meeting_on=date(2020, 6, 1), approved_on=date(2020, 7, 1))
    assert next_due(old, today=date(2020, 12, 1))[0] == date(2021, 6, 1)
