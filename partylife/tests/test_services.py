"""Meetings, attendance, attachments, compliance and circulars through the services."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEntry, RuleSettingValue
from core.testing import TODAY, party_member
from partylife import attachments, rules, selectors, services
from partylife.models import Attachment, Attendance, Circular, CircularRecipient, Meeting
from partylife.tests.factories import hold
from people.models import PartyMember, Transfer

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _meeting(org, **kw):
    fields = dict(org=org, kind=rules.THEME_DAY, status=Meeting.HELD, held_on=date(2026, 11, 2), topic="主题党日",
                  host="刘书记", minutes="记录。")  # fmt: skip
    fields.update(kw)
    return Meeting(**fields)


def _all_present(org, on, kind=rules.THEME_DAY):
    return {m.pk: services.Mark(rules.PRESENT) for m in selectors.roster(org, on, kind=kind)}


# --- rosters and the LIFE-09 record -------------------------------------------------------


def test_roster_follows_joining_leaving_and_transfers(district):
    a, b = district.branch_a, district.branch_b
    party_member(a, "钱新来", admitted_on=date(2026, 10, 1))
    leaver = party_member(a, "孙离开")
    leaver.left_on = date(2026, 9, 1)
    leaver.save()
    mover = party_member(b, "周转来")  # now in B, was in A until 2026-08-01
    Transfer.objects.create(member=mover, from_branch=a, to_branch=b, transferred_on=date(2026, 8, 1))
    names = lambda on: {m.person.name for m in selectors.roster(a, on)}  # noqa: E731
    assert names(date(2026, 7, 15)) == {"王小明", "刘书记", "孙离开", "周转来"}
    assert names(date(2026, 8, 15)) == {"王小明", "刘书记", "孙离开"}
    assert names(date(2026, 10, 15)) == {"王小明", "刘书记", "钱新来"}
    assert "周转来" in {m.person.name for m in selectors.roster(b, date(2026, 8, 15))}


def test_group_roster_is_its_members_and_committee_roster_its_officers(district):
    from orgs.models import OrgOfficer

    a = district.branch_a
    district.member_a.group = district.group_a
    district.member_a.save()
    assert [m.person.name for m in selectors.roster(district.group_a, TODAY)] == ["王小明"]
    secretary = PartyMember.objects.get(person__name="刘书记")
    OrgOfficer.objects.create(
        party_org=a, person=secretary.person, role=OrgOfficer.SECRETARY, started_on=date(2025, 1, 1)
    )
    roster = selectors.roster(a, TODAY, kind=rules.COMMITTEE_MEETING)
    assert [m.person.name for m in roster] == ["刘书记"]


def test_life09_held_meeting_with_everyone_present_is_saved_with_attendance(district):
    org = district.branch_a
    meeting = services.meeting_save(
        by=district.secretary_a, meeting=_meeting(org), marks=_all_present(org, date(2026, 11, 2)), today=TODAY
    )
    assert Attendance.objects.filter(meeting=meeting, status=rules.PRESENT).count() == 2
    assert AuditEntry.objects.filter(action="partylife.meeting.attendance", object_id=str(meeting.pk)).exists()


def test_life09_future_date_is_refused(district):
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(by=district.secretary_a, meeting=_meeting(district.branch_a, held_on=date(2026, 11, 24)),
                              marks={}, today=TODAY)  # fmt: skip
    assert "晚于今天" in str(exc.value.message_dict["held_on"])
    assert not Meeting.objects.exists()


def test_life09_planned_meeting_may_lie_ahead_without_attendance(district):
    meeting = _meeting(district.branch_a, status=Meeting.PLANNED, held_on=date(2026, 12, 5), minutes="")
    services.meeting_save(by=district.secretary_a, meeting=meeting, marks={}, today=TODAY)
    assert meeting.pk and not meeting.attendance.exists()


def test_life09_attendance_for_someone_not_in_the_org_on_that_date_is_refused(district):
    org = district.branch_a
    marks = _all_present(org, date(2026, 11, 2))
    marks[district.member_b.pk] = services.Mark(rules.PRESENT)  # 赵大海 belongs to branch B
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(by=district.secretary_a, meeting=_meeting(org), marks=marks, today=TODAY)
    assert "不是区财政局第一支部于2026-11-02的党员" in str(exc.value.message_dict["attendance"])
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_life09_empty_minutes_missing_member_and_excuse_without_reason_are_refused(district):
    org = district.branch_a
    marks = {district.member_a.pk: services.Mark(rules.EXCUSED, "  ")}
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(by=district.secretary_a, meeting=_meeting(org, minutes="  "), marks=marks, today=TODAY)
    errors = exc.value.message_dict
    assert "会议记录" in errors["minutes"][0]
    text = "".join(errors["attendance"])
    assert "刘书记" in text and "未登记出席情况" in text and "请假须填写事由" in text


def test_kind_must_fit_the_organisation(district):
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(by=district.secretary_a, meeting=_meeting(district.group_a), marks={}, today=TODAY)
    assert "党小组只能登记党小组会" in str(exc.value)
    lecture = _meeting(district.branch_a, kind=rules.PARTY_LECTURE)
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(by=district.secretary_a, meeting=lecture, marks=_all_present(district.branch_a,
                              date(2026, 11, 2)), today=TODAY)  # fmt: skip
    assert "授课人" in str(exc.value)


def test_another_branchs_secretary_cannot_record_a_meeting_here(district):
    org = district.branch_a
    with pytest.raises(PermissionDenied):
        services.meeting_save(by=district.secretary_b, meeting=_meeting(org), marks=_all_present(org, date(2026, 11, 2)),
                              today=TODAY)  # fmt: skip
    assert not Meeting.objects.exists()


def test_all_present_in_one_click(district):
    org = district.branch_a
    meeting = hold(district.secretary_a, org, on=date(2026, 11, 2), today=TODAY,
                   statuses={district.member_a.pk: rules.ABSENT})  # fmt: skip
    assert services.meeting_all_present(by=district.secretary_a, meeting=meeting, today=TODAY) == 2
    assert set(meeting.attendance.values_list("status", flat=True)) == {rules.PRESENT}


# --- attachments ---------------------------------------------------------------------------


def test_same_photo_is_stored_once(district, settings):
    first, created = attachments.store(by=district.secretary_a, name="合影.png", data=PNG)
    again, created_again = attachments.store(by=district.secretary_b, name="另存为.PNG", data=PNG)
    assert created and not created_again and again.pk == first.pk
    files = list((settings.PRIVATE_MEDIA_ROOT / "partylife").rglob("*.png"))
    assert len(files) == 1 and files[0].read_bytes() == PNG
    assert str(settings.PRIVATE_MEDIA_ROOT) in str(attachments.path_of(first))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("脚本.exe", b"MZ\x90\x00", "文件类型不允许"),
        ("假照片.jpg", b"<html>not a photo</html>", "内容与扩展名不符"),
        ("空.pdf", b"", "空文件"),
        ("大.pdf", b"%PDF-" + b"0" * (attachments.MAX_BYTES), "超过"),
    ],
)
def test_upload_type_content_and_size_are_checked(district, name, data, message):
    with pytest.raises(ValidationError) as exc:
        attachments.store(by=district.secretary_a, name=name, data=data)
    assert message in str(exc.value)
    assert not Attachment.objects.exists()


# --- compliance ----------------------------------------------------------------------------


def test_compliance_counts_by_org_and_month_and_judges_each_rule(district):
    org = district.branch_a
    for month in range(1, 11):
        hold(district.secretary_a, org, on=date(2026, month, 10), today=TODAY)
    hold(district.secretary_a, org, kind=rules.GENERAL_MEETING, on=date(2026, 2, 10), today=TODAY)
    report = selectors.compliance(root=district.root, start=date(2026, 1, 1), end=date(2026, 12, 31), today=TODAY,
                                  lectures_per_year=4)  # fmt: skip
    row = next(r for r in report.rows if r.org.pk == org.pk)
    theme = row.cells["LIFE-05"]
    assert (theme.held, theme.required, theme.short, theme.due) == (10, 11, 0, 1)  # November is still due
    general = row.cells["LIFE-01"]
    assert (general.held, general.required, general.short, general.due) == (1, 4, 2, 1)  # Q2, Q3 short; Q4 due
    assert row.attendance_rate == 1.0 and row.meetings == 11
    assert not row.compliant
    other = next(r for r in report.rows if r.org.pk == district.branch_b.pk)
    assert other.cells["LIFE-05"].short == 10
    heat_row = report.heat.orgs.index(org.pk)
    assert report.heat.cells[heat_row][0] == 1 and report.heat.cells[heat_row][1] == 2


def test_compliance_is_a_fixed_number_of_queries(district, django_assert_max_num_queries):
    for month in range(1, 11):
        hold(district.secretary_a, district.branch_a, on=date(2026, month, 10), today=TODAY)
    with django_assert_max_num_queries(13):
        selectors.compliance(root=district.root, start=date(2026, 1, 1), end=date(2026, 12, 31), today=TODAY,
                             lectures_per_year=4)  # fmt: skip


def test_life09_three_absences_in_a_row_are_listed_until_a_reminder_is_scheduled(district):
    from talks.models import Talk
    from talks.services import reminder_schedule

    org, member = district.branch_a, district.member_a
    for month in (6, 7, 8):
        hold(district.secretary_a, org, on=date(2026, month, 10), today=TODAY, statuses={member.pk: rules.ABSENT})
    found = selectors.absent_members(root=district.root, start=date(2026, 1, 1), end=TODAY)
    assert [(a.member.person.name, a.streak) for a in found] == [("王小明", 3)]
    talk = reminder_schedule(by=district.district_admin, member=member, streak=3, dates=found[0].dates, today=TODAY)
    assert talk.kind == Talk.REMINDER and talk.status == Talk.DUE and "2026-06-10" in talk.reason
    assert selectors.absent_members(root=district.root, start=date(2026, 1, 1), end=TODAY) == []


def test_life09_an_excused_absence_breaks_the_run(district):
    org, member = district.branch_a, district.member_a
    for month, status in ((6, rules.ABSENT), (7, rules.EXCUSED), (8, rules.ABSENT), (9, rules.ABSENT)):
        hold(district.secretary_a, org, on=date(2026, month, 10), today=TODAY, statuses={member.pk: status})
    assert selectors.absent_members(root=district.root, start=date(2026, 1, 1), end=TODAY) == []


# --- circulars -----------------------------------------------------------------------------


def _draft(district, **kw):
    return services.circular_draft(by=district.district_admin, root=district.root, start=date(2026, 1, 1),
                                   end=date(2026, 9, 30), today=TODAY, **kw)  # fmt: skip


def test_circular_findings_name_the_rule_and_source(district):
    for month in range(1, 10):
        hold(district.secretary_a, district.branch_a, on=date(2026, month, 10), today=TODAY)
    circular = _draft(district)
    life = next(s for s in circular.findings["sections"] if s["key"] == "LIFE")
    by_name = {o["name"]: o["findings"] for o in life["orgs"]}
    assert "区税务局支部" in by_name
    theme = next(f for f in by_name["区税务局支部"] if f["rule"] == "LIFE-05")
    assert "2026年1月" in theme["message"] and theme["source"] == "《中国共产党支部工作条例（试行）》"
    assert all(f["rule"] != "LIFE-05" for f in by_name["区财政局第一支部"])  # held every month
    assert circular.findings["skipped"] == ["REC"] or "REC" in {s["key"] for s in circular.findings["sections"]}


def test_circular_numbering_follows_the_setting_and_the_year(district):
    RuleSettingValue.objects.create(key="CIRCULAR_NUMBER_FORMAT", value="测直党〔{year}〕{n}号")
    first = services.circular_publish(by=district.district_admin, circular=_draft(district), today=TODAY,
                                      with_pdf=False)  # fmt: skip
    second = services.circular_publish(by=district.district_admin, circular=_draft(district), today=TODAY,
                                       with_pdf=False)  # fmt: skip
    assert (first.doc_number, second.doc_number) == ("测直党〔2026〕1号", "测直党〔2026〕2号")
    assert set(first.recipients.values_list("org__name", flat=True)) == {
        "区财政局机关党委",
        "区财政局第一支部",
        "区税务局支部",
    }
    with pytest.raises(ValidationError):
        services.circular_publish(by=district.district_admin, circular=first, today=TODAY)


def test_only_the_working_committee_drafts_circulars(district):
    with pytest.raises(PermissionDenied):
        services.circular_draft(by=district.secretary_a, root=district.branch_a, start=date(2026, 1, 1),
                                end=date(2026, 9, 30), today=TODAY)  # fmt: skip
    assert not Circular.objects.exists()


def test_read_receipt_is_kept_for_the_readers_organisation(district):
    from accounts.scope import scope_of

    circular = services.circular_publish(by=district.district_admin, circular=_draft(district), today=TODAY,
                                         with_pdf=False)  # fmt: skip
    assert services.circular_mark_read(user=district.secretary_a, circular=circular,
                                       scope=scope_of(district.secretary_a)) == 1  # fmt: skip
    receipt = CircularRecipient.objects.get(circular=circular, org=district.branch_a)
    assert receipt.read_by == district.secretary_a and receipt.read_at
    assert CircularRecipient.objects.filter(circular=circular, read_at__isnull=True).count() == 2
