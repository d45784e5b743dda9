"""Party-life pages: who may see what (in scope, out of scope, anonymous), bad input as
Chinese messages, uploads, and query budgets at two data sizes."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.testing import party_member
from partylife import rules, services
from partylife.models import Attachment, Circular, Meeting
from partylife.tests.factories import hold

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64


def today():
    return timezone.localdate()


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def meeting(district):
    return hold(district.secretary_a, district.branch_a, on=today() - timedelta(days=3), today=today())


LIST_PAGES = ["partylife:meeting_list", "partylife:compliance", "partylife:calendar", "partylife:circular_list",
              "partylife:notice_board", "partylife:meeting_create", "partylife:my_meetings", "talks:talk_list"]  # fmt: skip


@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_anonymous_is_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("district_admin", 200), ("secretary_a", 200), ("secretary_b", 200), ("union_admin", 403), ("member_user", 302)],
)
def test_meeting_list_access(client, district, meeting, persona, status):
    response = login(client, getattr(district, persona)).get(reverse("partylife:meeting_list"))
    assert response.status_code == status
    if persona == "secretary_b":
        assert meeting.topic not in response.content.decode()  # branch A's meeting is out of scope
    if persona == "secretary_a":
        assert meeting.topic in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("district_admin", 200), ("secretary_a", 200), ("secretary_b", 404), ("union_admin", 404), ("member_user", 200)],
)
def test_meeting_detail_access(client, district, meeting, persona, status):
    # The member (王小明) stood on the attendance list: he sees the meeting he attended.
    response = login(client, getattr(district, persona)).get(reverse("partylife:meeting_detail", args=[meeting.pk]))
    assert response.status_code == status


def test_member_sees_the_meetings_he_attended(client, district, meeting):
    hold(district.secretary_b, district.branch_b, on=today() - timedelta(days=2), today=today(), topic="税务局学习")
    body = login(client, district.member_user).get(reverse("partylife:my_meetings")).content.decode()
    assert meeting.topic in body and "税务局学习" not in body


def test_record_a_theme_day_with_attendance_and_a_photo(client, district, settings):
    login(client, district.secretary_a)
    on = today() - timedelta(days=1)
    roster = client.get(reverse("partylife:meeting_roster"),
                        {"org": district.branch_a.pk, "held_on": on.isoformat(), "kind": rules.THEME_DAY})  # fmt: skip
    body = roster.content.decode()
    assert "王小明" in body and "刘书记" in body and "赵大海" not in body and "全部出席" in body
    secretary = district.branch_a.members.get(person__name="刘书记")
    data = {
        "org": district.branch_a.pk, "kind": rules.THEME_DAY, "status": Meeting.HELD, "held_on": on.isoformat(),
        "topic": "重温入党誓词", "host": "刘书记", "minutes": "全体党员重温入党誓词。",
        f"att-{district.member_a.pk}": rules.PRESENT, f"att-{secretary.pk}": rules.EXCUSED,
        f"reason-{secretary.pk}": "出差", "files": [SimpleUploadedFile("合影.png", PNG, "image/png")],
    }  # fmt: skip
    response = client.post(reverse("partylife:meeting_create"), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get(topic="重温入党誓词")
    assert dict(meeting.attendance.values_list("member__person__name", "status")) == {
        "王小明": rules.PRESENT, "刘书记": rules.EXCUSED}  # fmt: skip
    photo = meeting.attachments.get()
    served = client.get(reverse("partylife:attachment", args=[meeting.pk, photo.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == PNG
    assert served["X-Content-Type-Options"] == "nosniff"
    # The same photo again, for another meeting: recognised, not stored twice.
    data.update(topic="第二次", files=[SimpleUploadedFile("同一张.png", PNG, "image/png")])
    client.post(reverse("partylife:meeting_create"), data)
    assert Attachment.objects.count() == 1
    assert Meeting.objects.get(topic="第二次").attachments.get() == photo
    # Out of scope: the file is not served to another branch's secretary, nor to anonymous visitors.
    assert login(client, district.secretary_b).get(
        reverse("partylife:attachment", args=[meeting.pk, photo.pk])).status_code == 404  # fmt: skip
    client.logout()
    assert client.get(reverse("partylife:attachment", args=[meeting.pk, photo.pk])).status_code == 302


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": "FUTURE"}, "晚于今天"),
        ({"minutes": ""}, "会议记录缺少会议记录"),
        ({"stranger": True}, "不能登记其出席情况"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message_and_nothing_saved(client, district, change, message):
    login(client, district.secretary_a)
    on = today() - timedelta(days=1)
    data = {"org": district.branch_a.pk, "kind": rules.THEME_DAY, "status": Meeting.HELD, "held_on": on.isoformat(),
            "topic": "主题党日", "host": "刘书记", "minutes": "记录。"}  # fmt: skip
    for m in district.branch_a.members.all():
        data[f"att-{m.pk}"] = rules.PRESENT
    if change.get("held_on") == "FUTURE":
        data["held_on"] = (today() + timedelta(days=2)).isoformat()
    elif "minutes" in change:
        data["minutes"] = ""
    else:
        data[f"att-{district.member_b.pk}"] = rules.PRESENT
    response = client.post(reverse("partylife:meeting_create"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Meeting.objects.exists()


def test_disallowed_upload_is_refused_beside_the_field(client, district):
    login(client, district.secretary_a)
    data = {"org": district.branch_a.pk, "kind": rules.THEME_DAY, "status": Meeting.PLANNED,
            "held_on": (today() + timedelta(days=5)).isoformat(), "topic": "计划",
            "files": [SimpleUploadedFile("病毒.exe", b"MZ\x00", "application/octet-stream")]}  # fmt: skip
    response = client.post(reverse("partylife:meeting_create"), data)
    assert response.status_code == 200 and "文件类型不允许上传" in response.content.decode()
    assert not Meeting.objects.exists() and not Attachment.objects.exists()


def test_all_present_button(client, district, meeting):
    meeting.attendance.update(status=rules.ABSENT)
    login(client, district.secretary_a).post(reverse("partylife:meeting_all_present", args=[meeting.pk]))
    assert set(meeting.attendance.values_list("status", flat=True)) == {rules.PRESENT}
    assert login(client, district.secretary_b).post(
        reverse("partylife:meeting_all_present", args=[meeting.pk])).status_code == 404  # fmt: skip


def test_compliance_heat_map_table_and_drill_down(client, district, meeting):
    body = login(client, district.district_admin).get(reverse("partylife:compliance")).content.decode()
    assert 'class="dq-chart"' in body and "区财政局第一支部" in body and "区税务局支部" in body
    start = body.index('data-chart="') + len('data-chart="')
    raw = body[start : body.index('"', start)].replace("&quot;", '"').replace("&amp;", "&").replace("&#x27;", "'")
    option = json.loads(raw)
    row = option["dq"]["orgs"].index(district.branch_a.pk)
    month = option["dq"]["months"].index(meeting.held_on.replace(day=1).isoformat())
    assert [month, row, 1] in option["series"][0]["data"]
    assert option["dq"]["url"] == reverse("partylife:meeting_list")
    drill = client.get(reverse("partylife:meeting_list"), {"org": district.branch_a.pk,
                       "start": meeting.held_on.replace(day=1).isoformat(), "end": meeting.held_on.isoformat()})  # fmt: skip
    assert meeting.topic in drill.content.decode()


def test_compliance_sorts_and_exports(client, district, meeting):
    login(client, district.district_admin)
    body = client.get(reverse("partylife:compliance"), {"sort": "-meetings"}).content.decode()
    assert body.index("区财政局第一支部") < body.index("区税务局支部")
    export = client.get(reverse("partylife:compliance"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert "区财政局第一支部" in names and "区税务局支部" in names


def test_compliance_out_of_scope_org_falls_back_to_own_scope(client, district):
    body = login(client, district.secretary_a).get(reverse("partylife:compliance"),
                                                   {"org": district.branch_b.pk}).content.decode()  # fmt: skip
    assert "区税务局支部" not in body and "区财政局第一支部" in body


def test_absence_reminder_one_click(client, district):
    member = district.member_a
    for days in (40, 30, 20):
        hold(district.secretary_a, district.branch_a, on=today() - timedelta(days=days), today=today(),
             statuses={member.pk: rules.ABSENT})  # fmt: skip
    login(client, district.secretary_a)
    body = client.get(reverse("partylife:compliance")).content.decode()
    assert "提醒谈话" in body and "王小明" in body
    response = client.post(reverse("partylife:absence_reminder", args=[member.pk]), follow=True)
    assert "已为王小明安排提醒谈话" in response.content.decode()
    body = client.get(reverse("partylife:compliance")).content.decode()
    assert "没有连续3次无故缺席的党员" in body
    assert login(client, district.secretary_b).post(
        reverse("partylife:absence_reminder", args=[member.pk])).status_code == 404  # fmt: skip


def test_calendar_shows_held_planned_and_due(client, district, meeting):
    services.meeting_save(by=district.secretary_a, meeting=Meeting(org=district.branch_a, kind=rules.PARTY_LECTURE,
                          status=Meeting.PLANNED, held_on=today() + timedelta(days=3), topic="专题党课"),
                          marks={}, today=today())  # fmt: skip
    body = login(client, district.secretary_a).get(reverse("partylife:calendar")).content.decode()
    assert meeting.topic in body and "专题党课" in body and "计划" in body and "本月还需召开" in body
    body = client.get(reverse("partylife:calendar"), {"org": district.branch_b.pk}).content.decode()
    assert "区税务局支部" not in body  # out of scope: her own branch instead


def test_circular_flow_draft_edit_publish_notice_board_receipts(client, district):
    login(client, district.district_admin)
    response = client.post(reverse("partylife:circular_create"), {
        "scope_org": district.root.pk, "period_start": f"{today().year}-01-01", "period_end": today().isoformat()})  # fmt: skip
    circular = Circular.objects.get()
    assert response.status_code == 302 and circular.status == Circular.DRAFT
    client.post(reverse("partylife:circular_edit", args=[circular.pk]), {
        "title": circular.title, "opening": "特此开头。", "conclusions": "一要整改。\n二要落实。"})  # fmt: skip
    client.post(reverse("partylife:circular_publish", args=[circular.pk]))
    circular.refresh_from_db()
    assert circular.status == Circular.PUBLISHED and circular.doc_number.endswith("1号")
    docx = client.get(reverse("partylife:circular_file", args=[circular.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    login(client, district.secretary_a)
    board = client.get(reverse("partylife:notice_board")).content.decode()
    assert circular.title in board and "未读" in board
    assert "特此开头" in client.get(reverse("partylife:circular_detail", args=[circular.pk])).content.decode()
    assert "已读" in client.get(reverse("partylife:notice_board")).content.decode()
    login(client, district.district_admin)
    body = client.get(reverse("partylife:circular_detail", args=[circular.pk])).content.decode()
    assert "阅读回执（已阅 1/3）" in body and "sec_a" in body
    # A member or a union administrator never sees it; a secretary cannot draft.
    assert login(client, district.member_user).get(
        reverse("partylife:circular_detail", args=[circular.pk])).status_code == 404  # fmt: skip
    assert login(client, district.union_admin).get(
        reverse("partylife:circular_detail", args=[circular.pk])).status_code == 404  # fmt: skip
    assert login(client, district.secretary_a).get(reverse("partylife:circular_create")).status_code == 403


def test_draft_is_seen_by_its_author_only(client, district):
    circular = services.circular_draft(by=district.district_admin, root=district.root,
                                       start=today().replace(month=1, day=1), end=today(), today=today())  # fmt: skip
    assert login(client, district.secretary_a).get(
        reverse("partylife:circular_detail", args=[circular.pk])).status_code == 404  # fmt: skip


# --- query budgets: the same number at two sizes ------------------------------------------


def _grow(district, n):
    for i in range(n):
        party_member(district.branch_a, f"测试{i}")
    for days in range(2, 2 + n // 5):
        hold(district.secretary_a, district.branch_a, on=today() - timedelta(days=days * 3), today=today())


@pytest.mark.parametrize("extra", [5, 25])
@pytest.mark.parametrize(
    ("url_name", "budget"),
    [("partylife:meeting_list", 14), ("partylife:compliance", 28), ("partylife:calendar", 26),
     ("partylife:circular_list", 12), ("partylife:notice_board", 14), ("partylife:my_meetings", 10),
     ("partylife:meeting_create", 16)],
)  # fmt: skip
def test_query_budget(client, district, django_assert_max_num_queries, extra, url_name, budget):
    _grow(district, extra)
    login(client, district.secretary_a)
    with django_assert_max_num_queries(budget):
        assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("extra", [5, 25])
def test_meeting_detail_query_budget(client, district, django_assert_max_num_queries, extra, meeting):
    _grow(district, extra)
    meeting = hold(district.secretary_a, district.branch_a, on=today() - timedelta(days=1), today=today())
    login(client, district.secretary_a)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("partylife:meeting_detail", args=[meeting.pk])).status_code == 200
