"""Recruitment services: steps run the rules, errors block unless overridden, admission and
conversion change the member roll, every write is scoped and audited."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.dates import add_months, add_years
from core.models import AuditEntry, CalendarDay
from core.testing import TODAY, small_district
from core.workdays import WorkCalendar
from core.workdays_db import work_calendar
from people.models import PartyMember
from recruitment import rules, services
from recruitment.models import Evaluation, Objection, Override, Recruitment
from recruitment.tests.factories import applicant, record_at, timeline, walk

pytestmark = pytest.mark.django_db
D = timedelta
START = date(2023, 1, 9)  # every step of the timeline under the 2014 rules


def test_applicant_is_registered_with_a_new_person_and_audited(district):
    record = applicant(district)
    assert record.stage == rules.APPLICANT
    assert record.person.birth_date == date(1998, 3, 7)
    actions = set(AuditEntry.objects.filter(object_id=str(record.pk)).values_list("action", flat=True))
    assert {"recruitment.create", "recruitment.step1"} <= actions


def test_same_person_cannot_be_registered_twice(district):
    record = applicant(district)
    with pytest.raises(ValidationError) as exc:
        services.recruitment_create(
            by=district.district_admin, branch=district.branch_a, application_on=date(2024, 1, 1), today=TODAY,
            person_data={"name": "陈新", "id_number": record.person.id_number},
        )  # fmt: skip
    assert "已有发展党员记录" in str(exc.value)


def test_a_party_member_cannot_become_an_applicant(district):
    with pytest.raises(ValidationError) as exc:
        services.recruitment_create(
            by=district.district_admin, branch=district.branch_a, application_on=date(2024, 1, 1), today=TODAY,
            person_data={"name": "王小明", "id_number": district.member_a.person.id_number},
        )  # fmt: skip
    assert "已是党员" in str(exc.value)


def test_rec01_under_eighteen_blocks_the_application(district):
    """REC-01 through the service: a 17-year-old's application is an error and is not saved."""
    with pytest.raises(services.StepBlocked) as exc:
        applicant(district, on=date(2015, 3, 6), birth=date(1998, 3, 7))
    assert exc.value.findings[0].rule == "REC-01"
    assert not Recruitment.objects.exists()
    # the day he turns 18 is fine
    assert applicant(district, on=date(2016, 3, 7), birth=date(1998, 3, 7)).application_on == date(2016, 3, 7)


def test_secretary_cannot_record_a_step_in_another_branch(district):
    record = applicant(district)
    with pytest.raises(PermissionDenied):
        services.recruitment_step_record(
            by=district.secretary_b, recruitment=record, step=2, data={"talk_on": date(2023, 1, 20)}, today=TODAY
        )
    record.refresh_from_db()
    assert record.talk_on is None


def test_secretary_cannot_move_a_record_out_of_her_scope(district):
    record = applicant(district, by=district.secretary_a)
    with pytest.raises(PermissionDenied):
        services.recruitment_step_record(
            by=district.secretary_a, recruitment=record, step=0, data={"branch": district.branch_b}, today=TODAY
        )
    record.refresh_from_db()
    assert record.branch == district.branch_a


@pytest.mark.parametrize(("days_after_year", "blocked"), [(-1, True), (0, False)])
def test_rec06_boundary_through_the_service(district, days_after_year, blocked):
    """REC-06: the listing one day before activist + 1 year is an error that blocks; on the day it passes."""
    record = record_at(district, 8)
    activist = record.activist_on
    on = add_years(activist, 1) + D(days=days_after_year)
    # the notice must end before the listing (REC-07L), so move it before the tested date
    steps = timeline(district, START)
    notice_start = on - D(days=14)
    services.recruitment_step_record(
        by=district.district_admin, recruitment=record, step=8, today=TODAY,
        data={**steps[8], "notice_start": notice_start, "notice_end": WorkCalendar().add_workdays(notice_start, 5)},
    )  # fmt: skip
    call = dict(by=district.secretary_a, recruitment=record, step=7, data={"candidate_on": on}, today=TODAY)
    if blocked:
        with pytest.raises(services.StepBlocked) as exc:
            services.recruitment_step_record(**call)
        assert [f.rule for f in exc.value.findings] == ["REC-06"]
        assert "不足一年" in exc.value.findings[0].message
        record.refresh_from_db()
        assert record.candidate_on is None and record.stage == rules.ACTIVIST
    else:
        result = services.recruitment_step_record(**call)
        assert result.recruitment.stage == rules.CANDIDATE


def test_error_passes_with_an_override_reason_by_the_committee_and_is_audited(district):
    record = record_at(district, 8)
    early = add_years(record.activist_on, 1) - D(days=30)
    data = {"candidate_on": early}
    # the branch secretary may not let an error through
    with pytest.raises(PermissionDenied):
        services.recruitment_step_record(
            by=district.secretary_a, recruitment=record, step=7, data=data, today=TODAY, override_reason="工作需要"
        )
    assert not Override.objects.exists()
    result = services.recruitment_step_record(
        by=district.district_admin, recruitment=record, step=7, data=data, today=TODAY,
        override_reason="经区直机关党工委研究同意提前确定",
    )  # fmt: skip
    assert result.recruitment.candidate_on == early
    assert {f.rule for f in result.overridden} >= {"REC-06"}
    override = Override.objects.get(rule="REC-06")
    assert override.reason == "经区直机关党工委研究同意提前确定" and override.by == district.district_admin
    entry = next(e for e in AuditEntry.objects.filter(action="recruitment.override") if e.after["rule"] == "REC-06")
    assert entry.actor == district.district_admin and entry.after["reason"] == "经区直机关党工委研究同意提前确定"
    # the error is still reported on the record, it no longer blocks later steps
    findings = services.audit_record(result.recruitment, today=TODAY)
    assert any(f.rule == "REC-06" and f.is_error for f in findings)
    services.recruitment_step_record(
        by=district.secretary_a,
        recruitment=result.recruitment,
        step=9,
        data={"sponsors_assigned_on": early},
        today=TODAY,
    )


def test_overdue_deadline_does_not_block_recording_an_earlier_step(district):
    """REC-05: evaluations overdue as of today are reported, yet recording a late evaluation works."""
    record = record_at(district, 5)
    result = services.recruitment_step_record(
        by=district.secretary_a, recruitment=record, step=6,
        data={"evaluations": [record.activist_on + D(days=150)]}, today=TODAY,
    )  # fmt: skip
    assert any(f.rule == "REC-05" and f.is_error for f in result.findings)
    assert Evaluation.objects.filter(recruitment=record).count() == 1


@pytest.mark.parametrize(("meeting", "blocked"), [(date(2026, 5, 10), False), (date(2026, 5, 11), True)])
def test_rec13_show_of_hands_under_each_rule_set(district, meeting, blocked):
    """REC-13: 2014 allows a show of hands; from 2026-05-11 a secret ballot is required."""
    record = record_at(district, 14)
    ballot = {"admission_due": 20, "admission_present": 18, "admission_written_in_favour": 0,
              "admission_in_favour": 17, "admission_method": rules.BALLOT_HANDS}  # fmt: skip
    call = dict(
        by=district.secretary_a,
        recruitment=record,
        step=15,
        data={"general_meeting_on": meeting, **ballot},
        today=TODAY,
    )
    if blocked:
        with pytest.raises(services.StepBlocked) as exc:
            services.recruitment_step_record(**call)
        assert any(
            f.rule == "REC-13" and "无记名投票" in f.message and f.rule_set == "2026" for f in exc.value.findings
        )
    else:
        result = services.recruitment_step_record(**call)
        assert not any(f.rule == "REC-13" for f in result.findings)


def test_impossible_ballot_numbers_block_with_the_rule_and_date(district):
    record = record_at(district, 14)
    meeting = timeline(district, START)[15]["general_meeting_on"]
    with pytest.raises(services.StepBlocked) as exc:
        services.recruitment_step_record(
            by=district.secretary_a, recruitment=record, step=15, today=TODAY,
            data={"general_meeting_on": meeting, "admission_due": 10, "admission_present": 12, "admission_in_favour": 11,
                  "admission_written_in_favour": 0, "admission_method": rules.BALLOT_SECRET},
        )  # fmt: skip
    finding = next(f for f in exc.value.findings if f.rule == "REC-13")
    assert meeting.isoformat() in finding.message and "超过应到会人数" in finding.message


def test_a_sponsor_who_is_not_a_full_member_blocks(district):
    """REC-08: a probationary member cannot sponsor."""
    from core.testing import party_member

    probationary = party_member(
        district.branch_a, "钱预备", status=PartyMember.PROBATIONARY, admitted_on=date(2025, 1, 1)
    )
    record = record_at(district, 7)
    with pytest.raises(services.StepBlocked) as exc:
        services.recruitment_step_record(
            by=district.secretary_a, recruitment=record, step=9, today=TODAY,
            data={"sponsors_assigned_on": record.candidate_on + D(days=2),
                  "sponsors": [services.GuideInput("王小明", district.member_a.person), services.GuideInput("钱预备", probationary.person)]},
        )  # fmt: skip
    finding = exc.value.findings[0]
    assert finding.rule == "REC-08" and "钱预备不是正式党员" in finding.message


def test_warning_is_kept_and_returned_not_blocking(district):
    """REC-15: approval four months after the meeting is a warning (allowed with a recorded reason)."""
    record = record_at(district, 16)
    meeting = record.general_meeting_on
    result = services.recruitment_step_record(
        by=district.secretary_a, recruitment=record, step=17, today=TODAY,
        data={"approved_on": add_months(meeting, 4), "approving_org": district.committee},
    )  # fmt: skip
    warning = next(f for f in result.step_findings if f.rule == "REC-15")
    assert warning.severity == "warning" and "须记录特殊情况" in warning.message
    services.recruitment_reason_record(
        by=district.secretary_a,
        recruitment=result.recruitment,
        rule="REC-15",
        reason="上级党委换届，推迟审批",
        today=TODAY,
    )
    findings = services.audit_record(Recruitment.objects.get(pk=record.pk), today=TODAY)
    assert "已记录特殊情况：上级党委换届，推迟审批" in next(f for f in findings if f.rule == "REC-15").message


def test_admission_creates_the_probationary_member_from_the_meeting_date(district):
    record = record_at(district, 17)
    member = PartyMember.objects.get(person=record.person)
    assert member.status == PartyMember.PROBATIONARY
    assert member.admitted_on == record.general_meeting_on  # REC-18: probation counts from the meeting
    assert member.branch == district.branch_a
    assert record.stage == rules.PROBATIONARY
    assert AuditEntry.objects.filter(action="recruitment.admit", object_id=str(member.pk)).exists()


@pytest.mark.parametrize("extension", [None, 6])
def test_conversion_makes_a_full_member_from_probation_end(district, extension):
    """REC-23: full membership (and party age) counts from the end of probation, not the approval."""
    record = record_at(district, 22)
    steps = timeline(district, START)
    meeting = record.general_meeting_on
    end = add_months(add_years(meeting, 1), extension or 0)
    conversion = {**steps[23], "extension_months": extension, "conversion_meeting_on": end + D(days=3)}
    record = services.recruitment_step_record(
        by=district.secretary_a, recruitment=record, step=23, data=conversion, today=TODAY
    ).recruitment
    record = services.recruitment_step_record(
        by=district.secretary_a,
        recruitment=record,
        step=24,
        data={"conversion_approved_on": end + D(days=30)},
        today=TODAY,
    ).recruitment
    member = PartyMember.objects.get(person=record.person)
    assert member.status == PartyMember.FULL
    assert member.full_member_on == end != record.conversion_approved_on
    assert member.probation_extension_months == (extension or 0)
    assert record.stage == rules.FULL and record.probation_end_on == end


def test_stage_and_next_due_are_stored_for_lists(district):
    record = record_at(district, 15)
    assert record.stage == rules.CANDIDATE
    assert record.next_due_on == add_months(record.general_meeting_on, 3)
    assert "REC-15" in record.next_due_text
    assert Recruitment.objects.filter(next_due_on__lt=TODAY).filter(pk=record.pk).exists()


def test_unresolved_objection_blocks_the_listing_until_resolved(district):
    record = record_at(district, 6, start=date(2025, 3, 3))
    notice = services.notice_create(
        by=district.secretary_a,
        org=district.branch_a,
        recruitments=[record],
        start_on=date(2026, 6, 1),
        workdays=5,
        today=TODAY,
    )
    with pytest.raises(ValidationError) as exc:
        services.objection_record(
            by=district.secretary_a, notice=notice, received_on=date(2026, 6, 20), content="x", today=TODAY
        )
    assert "公示期内" in str(exc.value)
    objection = services.objection_record(
        by=district.secretary_a,
        notice=notice,
        recruitment=record,
        received_on=date(2026, 6, 3),
        content="反映考勤问题",
        today=TODAY,
    )
    with pytest.raises(ValidationError) as exc:
        services.recruitment_step_record(
            by=district.secretary_a, recruitment=record, step=7, data={"candidate_on": date(2026, 6, 15)}, today=TODAY
        )
    assert "异议尚未处理完毕" in str(exc.value)
    services.objection_resolve(
        by=district.secretary_a,
        objection=objection,
        resolved_on=date(2026, 6, 8),
        resolution="经核实不影响",
        today=TODAY,
    )
    result = services.recruitment_step_record(
        by=district.secretary_a, recruitment=record, step=7, data={"candidate_on": date(2026, 6, 15)}, today=TODAY
    )
    assert result.recruitment.stage == rules.CANDIDATE
    assert Objection.objects.get().is_resolved


def test_notice_period_in_working_days_across_national_day(district):
    """REC-07 / BASE-02: five working days from 2026-09-28 skip the 国庆 holiday (10-01 … 10-07)."""
    record = record_at(district, 6, start=date(2025, 3, 3))
    notice = services.notice_create(
        by=district.secretary_a,
        org=district.branch_a,
        recruitments=[record],
        start_on=date(2026, 9, 28),
        workdays=5,
        today=TODAY,
    )
    # 09-28, 09-29, 09-30, then the holiday, then 10-08 and 10-09
    assert notice.end_on == date(2026, 10, 9)
    assert notice.rule == "REC-07"
    record.refresh_from_db()
    assert (record.notice_start, record.notice_end) == (date(2026, 9, 28), date(2026, 10, 9))


def test_notice_counts_a_makeup_working_saturday(district):
    record = record_at(district, 6, start=date(2025, 3, 3))
    notice = services.notice_create(
        by=district.secretary_a,
        org=district.branch_a,
        recruitments=[record],
        start_on=date(2026, 10, 8),
        workdays=5,
        today=TODAY,
    )
    # 10-08, 10-09, Saturday 10-10 (调休上班), 10-12, 10-13
    assert notice.end_on == date(2026, 10, 13)


def test_local_notice_minimum_under_2014_and_five_days_under_2026(district):
    from core.models import RuleSettingValue

    RuleSettingValue.objects.create(key="LOCAL_NOTICE_WORKDAYS", value=7)
    record = record_at(district, 6, start=date(2024, 3, 4))
    with pytest.raises(ValidationError) as exc:
        services.notice_create(
            by=district.secretary_a,
            org=district.branch_a,
            recruitments=[record],
            start_on=date(2026, 3, 2),
            workdays=5,
            today=TODAY,
        )
    assert "不少于 7 个工作日（REC-07L）" in str(exc.value)
    notice = services.notice_create(
        by=district.secretary_a,
        org=district.branch_a,
        recruitments=[record],
        start_on=date(2026, 3, 2),
        workdays=7,
        today=TODAY,
    )
    assert notice.rule == "REC-07L"


def test_notice_in_a_year_nobody_entered_names_the_year(district):
    record = record_at(district, 6, start=date(2025, 3, 3))
    with pytest.raises(ValidationError) as exc:
        services.notice_create(
            by=district.secretary_a,
            org=district.branch_a,
            recruitments=[record],
            start_on=date(2031, 3, 3),
            workdays=5,
            today=TODAY,
        )
    assert "2031年的节假日安排尚未录入" in str(exc.value)
    CalendarDay.objects.create(year=2031, day=date(2031, 3, 4), kind=CalendarDay.HOLIDAY, name="测试")
    notice = services.notice_create(
        by=district.secretary_a,
        org=district.branch_a,
        recruitments=[record],
        start_on=date(2031, 3, 3),
        workdays=5,
        today=TODAY,
    )
    assert notice.end_on == date(2031, 3, 10)  # 3, 5, 6, 7, 10 (the 4th entered as a holiday)


def test_work_calendar_knows_entered_years(db):
    assert not work_calendar().knows_year(2032)
    CalendarDay.objects.create(year=2032, day=date(2032, 1, 1), kind=CalendarDay.HOLIDAY, name="元旦")
    calendar = work_calendar()
    assert calendar.knows_year(2032) and not calendar.is_workday(date(2032, 1, 1))


def test_delete_is_refused_once_admitted(district):
    record = record_at(district, 17)
    with pytest.raises(ValidationError):
        services.recruitment_delete(by=district.district_admin, recruitment=record)
    early = applicant(district, name="孙早")
    services.recruitment_delete(by=district.district_admin, recruitment=early)
    assert not Recruitment.objects.filter(pk=early.pk).exists()
    assert AuditEntry.objects.filter(action="recruitment.recruitment.delete").exists()


def test_full_walk_under_both_rule_sets_has_no_error(district):
    """A record through all 25 steps, listing in 2014 and admission in 2026, breaks no rule."""
    start = date(2025, 3, 1)
    record = applicant(district, on=start)
    record = walk(district, record, until=20, start=start)
    findings = services.audit_record(record, today=date(2026, 11, 1))
    assert not [f for f in findings if f.is_error], findings
    assert {rules.rule_set_for(record.candidate_on), rules.rule_set_for(record.general_meeting_on)} == {"2014", "2026"}


@pytest.mark.django_db(transaction=True)  # the worker processes must see committed rows
def test_parallel_audit_gives_the_single_process_findings(monkeypatch):
    """The audit split over worker processes returns the same findings, in id order."""
    from django.db import connection

    from recruitment import auditing
    from recruitment.rule_settings import current

    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database they can share (PostgreSQL)")
    district = small_district()
    applicant(district, name="甲", on=date(2026, 9, 1))
    record_at(district, 6, name="乙", start=date(2025, 3, 3))
    applicant(district, name="丙", branch=district.branch_b, on=date(2026, 11, 20))
    monkeypatch.setattr(auditing, "PARALLEL_FROM", 0)
    qs = Recruitment.objects.all()
    args = dict(today=TODAY, calendar=work_calendar(), settings=current())
    single = auditing.audit_parallel(qs, workers=1, **args)
    split = auditing.audit_parallel(qs, workers=3, **args)
    assert [(pk, name, [f.message for f in found]) for pk, name, found in split] == [
        (pk, name, [f.message for f in found]) for pk, name, found in single
    ]
    assert [name for _, name, _ in split] == ["甲", "乙", "丙"]
    assert auditing.audit_parallel(qs, workers=2, summary=True, **args) == (3, sum(len(f) for _, _, f in single))


@given(
    days=st.lists(st.one_of(st.none(), st.integers(0, 3000)), min_size=25, max_size=25),
    evaluations=st.lists(st.integers(0, 3000), max_size=3),
    probation=st.lists(st.integers(0, 3000), max_size=3),
)
def test_cached_process_dates_are_step_date_in_process_order(days, evaluations, probation):
    """The per-facts cache the rules use for speed gives ``step_date`` of every step."""
    base = date(2018, 1, 1)
    on = [None if d is None else base + D(days=d) for d in days]
    fields = ["application_on", "talk_on", "activist_on", "activist_filed_on", "mentors_assigned_on", "candidate_on",
              "notice_start", "notice_end", "sponsors_assigned_on", "political_review_on", "training_start",
              "training_end", "committee_review_on", "pre_review_on", "application_form_on", "general_meeting_on",
              "superior_talk_on", "approved_on", "approval_filed_on", "assigned_to_branch_on", "oath_on",
              "conversion_application_on", "conversion_meeting_on", "conversion_approved_on", "archived_on"]  # fmt: skip
    facts = rules.RecruitmentFacts(
        **dict(zip(fields, on, strict=True)),
        evaluations=tuple(base + D(days=d) for d in evaluations),
        probation_evaluations=tuple(base + D(days=d) for d in probation),
    )
    dates, following = rules._process_dates(facts)
    assert dates == tuple(rules.step_date(facts, n) for n in rules.PROCESS_ORDER)
    for i, n in enumerate(rules.PROCESS_ORDER):
        later = [(m, dates[j]) for j, m in enumerate(rules.PROCESS_ORDER) if j >= i and dates[j] is not None]
        assert rules._dated_from(facts, n) == (later[0] if later else None)
