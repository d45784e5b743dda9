"""Recruitment records for tests, built through the real services (step by step)."""

from __future__ import annotations

from datetime import date, timedelta

from core.dates import add_years
from core.testing import TODAY, make_id_number
from core.workdays import WorkCalendar
from people.models import PartyMember
from recruitment import rules, services
from recruitment.models import Recruitment

D = timedelta
CAL = WorkCalendar()


def applicant(district, *, name="陈新", branch=None, by=None, on=date(2023, 1, 9), birth=date(1998, 3, 7), gender="M"):
    """A new applicant registered through ``recruitment_create`` (step 1)."""
    branch = branch or district.branch_a
    result = services.recruitment_create(
        by=by or district.district_admin,
        branch=branch,
        application_on=on,
        today=TODAY,
        person_data={"name": name, "id_number": make_id_number(birth, gender), "ethnicity": "汉族", "education": "21"},
    )
    return result.recruitment


def timeline(district, start: date) -> dict[int, dict]:
    """Rule-abiding data for every step of a record whose application is dated ``start``."""
    mentor = services.GuideInput(name="王小明", person=district.member_a.person)
    sponsor_b = PartyMember.objects.get(person__name="刘书记").person
    activist = start + D(days=40)
    candidate = add_years(activist, 1) + D(days=20)
    notice_start = candidate - D(days=14)
    meeting = candidate + D(days=40)
    conversion_meeting = add_years(meeting, 1) + D(days=3)
    converted = conversion_meeting + D(days=27)
    ballot = {"due": 20, "present": 18, "written_in_favour": 1, "in_favour": 17, "method": rules.BALLOT_SECRET}
    return {
        2: {"talk_on": start + D(days=10)},
        3: {"activist_on": activist},
        4: {"activist_filed_on": activist + D(days=5)},
        5: {"mentors_assigned_on": activist + D(days=10), "mentors": [mentor]},
        6: {"evaluations": [activist + D(days=150), activist + D(days=300)]},
        8: {"notice_start": notice_start, "notice_end": CAL.add_workdays(notice_start, 5)},
        7: {"candidate_on": candidate, "candidate_agreed_by_superior": True},
        9: {
            "sponsors_assigned_on": candidate + D(days=2),
            "sponsors": [mentor, services.GuideInput("刘书记", sponsor_b)],
        },
        10: {"political_review_on": candidate + D(days=10)},
        11: {"training_start": candidate + D(days=15), "training_end": candidate + D(days=17), "training_hours": 24},
        12: {"committee_review_on": candidate + D(days=25)},
        13: {"pre_review_on": candidate + D(days=30)},
        14: {"application_form_on": candidate + D(days=32)},
        15: {"general_meeting_on": meeting, **{f"admission_{k}": v for k, v in ballot.items()}},
        16: {"superior_talk_on": meeting + D(days=10)},
        17: {"approved_on": meeting + D(days=30), "approving_org": district.committee},
        18: {"approval_filed_on": meeting + D(days=35)},
        19: {"assigned_to_branch_on": meeting + D(days=36)},
        20: {"oath_on": meeting + D(days=40)},
        21: {"probation_evaluations": [meeting + D(days=180)]},
        22: {"conversion_application_on": add_years(meeting, 1) - D(days=15)},
        23: {
            "conversion_committee_review_on": add_years(meeting, 1) - D(days=5),
            "conversion_meeting_on": conversion_meeting,
            **{f"conversion_{k}": v for k, v in ballot.items()},
        },
        24: {"conversion_approved_on": converted},
        25: {"archived_on": converted + D(days=20), "archive_checklist": list(rules.ARCHIVE_DOCUMENTS)},
    }


def walk(district, record: Recruitment, *, until: int, start: date, by=None, today=TODAY, skip=()) -> Recruitment:
    """Record every step up to ``until`` (process order) from ``timeline``."""
    steps = timeline(district, start)
    for step in rules.PROCESS_ORDER[1 : rules.PROCESS_ORDER.index(until) + 1]:
        if step in skip:
            continue
        record = services.recruitment_step_record(
            by=by or district.district_admin, recruitment=record, step=step, data=steps[step], today=today
        ).recruitment
    return record


def record_at(district, stage_step: int, *, name="陈新", start=date(2023, 1, 9), branch=None, birth=date(1998, 3, 7)):
    record = applicant(district, name=name, on=start, branch=branch, birth=birth)
    return walk(district, record, until=stage_step, start=start) if stage_step > 1 else record
