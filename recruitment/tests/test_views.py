"""Recruitment pages: what each persona may see and do, query budgets, exports, import page."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry, Notification
from core.testing import TODAY, person
from orgs.models import OrgOfficer
from recruitment import ledger, rules
from recruitment.models import Evaluation, Mentor, PublicNotice, Recruitment
from recruitment.tests.factories import applicant, record_at

pytestmark = pytest.mark.django_db

LISTS = [
    "recruitment:ledger",
    "recruitment:activist_ledger",
    "recruitment:candidate_ledger",
    "recruitment:conversion_ledger",
    "recruitment:notice_list",
]


def clone(record: Recruitment, n: int, *, branch=None) -> list[Recruitment]:
    """``n`` more records like ``record`` (new people), with its evaluations and mentors."""
    fields = [
        f.name for f in Recruitment._meta.concrete_fields if f.name not in ("id", "person", "created_at", "updated_at")
    ]
    made = []
    for i in range(n):
        p = person(f"复制{i}", birth=date(1996, 1, 1) if i % 2 else date(1997, 2, 2))
        copy = Recruitment(person=p, **{f: getattr(record, f) for f in fields})
        if branch is not None:
            copy.branch = branch
        copy.save()
        Evaluation.objects.bulk_create(
            [Evaluation(recruitment=copy, kind=e.kind, on=e.on) for e in record.evaluations.all()]
        )
        Mentor.objects.bulk_create(
            [Mentor(recruitment=copy, name=m.name, person=m.person) for m in record.mentors.all()]
        )
        made.append(copy)
    return made


@pytest.fixture
def records(district):
    """A candidate in branch A (admitted, probationary) and an applicant in branch B."""
    a = record_at(district, 17, name="周发展")
    b = applicant(district, name="吴申请", branch=district.branch_b, on=date(2026, 11, 2))
    return a, b


@pytest.mark.parametrize("url_name", LISTS)
def test_lists_are_scoped(client, district, records, url_name):
    a, b = records
    client.force_login(district.secretary_a)
    body = client.get(reverse(url_name)).content.decode()
    assert "吴申请" not in body
    client.force_login(district.district_admin)
    assert client.get(reverse(url_name)).status_code == 200


def test_record_list_shows_each_persona_its_scope(client, district, records):
    for persona, shown, hidden in (("secretary_a", "周发展", "吴申请"), ("secretary_b", "吴申请", "周发展")):
        client.force_login(getattr(district, persona))
        body = client.get(reverse("recruitment:ledger")).content.decode()
        assert shown in body and hidden not in body
    client.force_login(district.district_admin)
    body = client.get(reverse("recruitment:ledger")).content.decode()
    assert "周发展" in body and "吴申请" in body


@pytest.mark.parametrize(
    "url_name", [*LISTS, "recruitment:record_create", "recruitment:import", "recruitment:pipeline"]
)
@pytest.mark.parametrize("persona", ["union_admin", "member_user"])
def test_people_without_party_grants_are_refused(client, district, url_name, persona):
    client.force_login(getattr(district, persona))
    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize(
    "url_name", [*LISTS, "recruitment:record_create", "recruitment:import", "recruitment:pipeline", "core:calendar"]
)
def test_anonymous_is_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("district_admin", 200), ("secretary_a", 200), ("secretary_b", 404), ("union_admin", 404), ("member_user", 404)],
)
@pytest.mark.parametrize("url_name", ["recruitment:record_detail", "recruitment:record_print"])
def test_record_detail_access_matrix(client, district, records, persona, expected, url_name):
    client.force_login(getattr(district, persona))
    assert client.get(reverse(url_name, args=[records[0].pk])).status_code == expected


def test_anonymous_detail_redirects(client, district, records):
    assert client.get(reverse("recruitment:record_detail", args=[records[0].pk])).status_code == 302


@pytest.mark.parametrize("persona", ["secretary_b", "union_admin", "member_user"])
def test_out_of_scope_cannot_record_steps(client, district, records, persona):
    client.force_login(getattr(district, persona))
    url = reverse("recruitment:step_edit", args=[records[0].pk, 18])
    assert client.get(url).status_code == 404
    assert client.post(url, {"approval_filed_on": "2024-06-01"}).status_code == 404
    records[0].refresh_from_db()
    assert records[0].approval_filed_on is None


def test_pipeline_is_for_the_working_committee(client, district, records):
    client.force_login(district.secretary_a)
    assert client.get(reverse("recruitment:pipeline")).status_code == 403
    client.force_login(district.district_admin)
    body = client.get(reverse("recruitment:pipeline")).content.decode()
    assert "区财政局机关党委" in body and "区税务局支部" in body and "dq-chart" in body


def test_detail_shows_the_timeline_with_findings_per_step(client, district, records):
    client.force_login(district.secretary_a)
    body = client.get(reverse("recruitment:record_detail", args=[records[0].pk])).content.decode()
    assert body.count('<li class="rc-step') == 25
    # approved in 2024 and no oath recorded: the 2026 oath rule does not apply to a 2024 approval,
    # the REC-18 probation end is shown, and the 2014 rule set is named where it judges
    assert "预备期满日期" in body
    assert "REC-" in body


def test_step_form_blocks_an_error_and_the_committee_may_override(client, district):
    record = record_at(district, 8, name="冯提前")
    early = date(record.activist_on.year + 1, record.activist_on.month, record.activist_on.day).replace(day=1)
    url = reverse("recruitment:step_edit", args=[record.pk, 7])
    client.force_login(district.secretary_a)
    body = client.post(
        url, {"candidate_on": early.isoformat(), "candidate_agreed_by_superior": "true"}
    ).content.decode()
    assert "REC-06" in body and "不足一年" in body and "未保存" in body
    assert 'name="override_reason"' not in body  # a branch secretary cannot override
    record.refresh_from_db()
    assert record.candidate_on is None
    client.force_login(district.district_admin)
    body = client.post(url, {"candidate_on": early.isoformat()}).content.decode()
    assert 'name="override_reason"' in body
    response = client.post(url, {"candidate_on": early.isoformat(), "override_reason": "经党工委研究同意"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.candidate_on == early and record.overrides.filter(rule="REC-06").exists()


def test_step_form_with_a_bad_date_shows_a_field_error(client, district, records):
    client.force_login(district.secretary_a)
    url = reverse("recruitment:step_edit", args=[records[0].pk, 6])
    body = client.post(url, {"evaluations": "2019-13-01 差"}).content.decode()
    assert "无法识别的日期“2019-13-01”" in body


def test_create_applicant_page(client, district):
    client.force_login(district.secretary_a)
    from core.idnumber import check_char

    number = "11010519990307001" + check_char("11010519990307001")
    response = client.post(
        reverse("recruitment:record_create"),
        {"name": "卫新", "id_number": number, "ethnicity": "汉族", "education": "21", "branch": district.branch_a.pk,
         "application_on": "2026-11-20"},
    )  # fmt: skip
    assert response.status_code == 302
    record = Recruitment.objects.get(person__name="卫新")
    assert record.stage == rules.APPLICANT and record.next_due_on == date(2026, 12, 20)
    # a branch outside her scope is not offered
    response = client.post(
        reverse("recruitment:record_create"),
        {"name": "卫二", "id_number": number, "branch": district.branch_b.pk, "application_on": "2026-11-20"},
    )
    assert response.status_code == 200 and not Recruitment.objects.filter(person__name="卫二").exists()


@pytest.mark.parametrize(
    "url_name", ["recruitment:ledger", "recruitment:activist_ledger", "recruitment:conversion_ledger"]
)
def test_export_has_the_import_layout_and_reimports(client, district, records, url_name, tmp_path):
    client.force_login(district.secretary_a)
    response = client.get(reverse(url_name), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == ledger.SHEET
    assert list(rows[2]) == ledger.HEADERS
    names = [r[1] for r in rows[3:]]
    assert names == ["周发展"]
    assert AuditEntry.objects.filter(action="recruitment.ledger.export").exists()
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    before = Recruitment.objects.get(pk=records[0].pk)
    out = io.StringIO()
    call_command("import_recruitment_ledger", str(path), "--org", "BA", stdout=out)
    after = Recruitment.objects.get(pk=records[0].pk)
    assert Recruitment.objects.count() == 2
    for field in ("application_on", "activist_on", "candidate_on", "general_meeting_on", "approved_on", "approving_org_id",
                  "admission_in_favour", "admission_method", "stage", "next_due_on"):  # fmt: skip
        assert getattr(after, field) == getattr(before, field), field


def test_export_masks_id_numbers_for_readers_only(client, district, records):
    from accounts.models import Grant
    from core.testing import user_with_grant

    reader = user_with_grant("jw", Grant.DISCIPLINE, party_org=district.branch_a)
    client.force_login(reader)
    response = client.get(reverse("recruitment:ledger"), {"export": "xlsx"})
    row = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[3]
    assert "*" in row[4]


def test_import_page_shows_findings_then_imports(client, district):
    from recruitment.tests.test_commands import messy_sheet

    client.force_login(district.secretary_a)
    upload = io.BytesIO(messy_sheet())
    upload.name = "台账.xlsx"
    response = client.post(reverse("recruitment:import"), {"file": upload, "org": district.branch_a.pk})
    body = response.content.decode()
    assert "读取通过" in body and "REC-06" in body and "李红" in body
    assert not Recruitment.objects.exists()
    token = response.context["token"]
    response = client.post(reverse("recruitment:import"), {"token": token, "org_id": district.branch_a.pk})
    assert response.status_code == 302
    assert Recruitment.objects.count() == 3
    assert AuditEntry.objects.filter(action="recruitment.import.create", actor=district.secretary_a).count() == 3


def test_import_page_with_a_bad_cell_saves_nothing(client, district):
    from recruitment.tests.test_commands import messy_sheet

    client.force_login(district.secretary_a)
    upload = io.BytesIO(messy_sheet("K7"))
    upload.name = "台账.xlsx"
    body = client.post(reverse("recruitment:import"), {"file": upload, "org": district.branch_a.pk}).content.decode()
    assert "K7: 无法识别的日期 &quot;2019.13.01&quot;" in body and "未保存任何数据" in body
    assert not Recruitment.objects.exists()


def test_import_page_refuses_other_files(client, district):
    client.force_login(district.secretary_a)
    upload = io.BytesIO(b"not a workbook")
    upload.name = "台账.xls"
    body = client.post(reverse("recruitment:import"), {"file": upload, "org": district.branch_a.pk}).content.decode()
    assert "只支持 Excel .xlsx 文件" in body


def test_notice_pages(client, district):
    record = record_at(district, 6, name="郑公示", start=date(2025, 3, 3))
    client.force_login(district.secretary_a)
    response = client.post(
        reverse("recruitment:notice_create"),
        {"org": district.branch_a.pk, "recruitments": [record.pk], "start_on": "2026-09-28", "workdays": "5",
         "contact": "区财政局机关党委 023-12345678"},
    )  # fmt: skip
    assert response.status_code == 302
    notice = PublicNotice.objects.get()
    assert notice.end_on == date(2026, 10, 9)
    body = client.get(reverse("recruitment:notice_detail", args=[notice.pk])).content.decode()
    assert "郑公示" in body and "2026-10-09" in body
    html = client.get(reverse("recruitment:notice_print", args=[notice.pk])).content.decode()
    assert "关于郑公示同志拟确定为发展对象的公示" in html and "2026年9月28日至2026年10月9日" in html
    docx = client.get(reverse("recruitment:notice_docx", args=[notice.pk]))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats") and docx.content[:2] == b"PK"
    # an objection outside the period is refused with a Chinese message
    body = client.post(
        reverse("recruitment:notice_detail", args=[notice.pk]), {"received_on": "2026-10-20", "content": "意见"}
    ).content.decode()
    assert "只登记公示期内" in body
    client.post(
        reverse("recruitment:notice_detail", args=[notice.pk]), {"received_on": "2026-09-29", "content": "反映问题"}
    )
    objection = notice.objections.get()
    client.post(
        reverse("recruitment:objection_resolve", args=[objection.pk]),
        {"resolved_on": "2026-10-09", "resolution": "不属实"},
    )
    objection.refresh_from_db()
    assert objection.is_resolved
    client.force_login(district.secretary_b)
    assert client.get(reverse("recruitment:notice_detail", args=[notice.pk])).status_code == 404
    assert client.get(reverse("recruitment:notice_docx", args=[notice.pk])).status_code == 404


def test_home_dashboard_alerts_for_the_scope(client, district, records, monkeypatch):
    # The records are dated around TODAY; the dashboard reads the clock.
    monkeypatch.setattr("core.views.timezone.localdate", lambda *a: TODAY)
    client.force_login(district.secretary_a)
    body = client.get(reverse("core:home")).content.decode()
    assert "发展党员：已逾期的步骤" in body and "周发展" in body
    client.force_login(district.secretary_b)
    body = client.get(reverse("core:home")).content.decode()
    assert "周发展" not in body
    assert "发展党员：30天内到期的步骤" in body  # 吴申请's talk is due 2026-12-02


def test_send_reminders_twice_notifies_the_secretary_once(district, records):
    OrgOfficer.objects.create(
        party_org=district.branch_a,
        person=district.secretary_a.person,
        role=OrgOfficer.SECRETARY,
        started_on=date(2020, 1, 1),
    )
    out = io.StringIO()
    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=out)
    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=out)
    notes = Notification.objects.filter(user=district.secretary_a)
    assert notes.count() == 1
    note = notes.get()
    assert "周发展" in note.title and note.url == reverse("recruitment:record_detail", args=[records[0].pk])
    assert "新建 0 条" in out.getvalue().splitlines()[-1]
    # branch B has no secretary with an account: nobody there is notified
    assert Notification.objects.count() == 1


# --- query budgets: the same number of queries at two data sizes ---------------------------------------


@pytest.mark.parametrize("extra", [0, 12])
@pytest.mark.parametrize("url_name", [*LISTS, "recruitment:pipeline"])
def test_list_query_budget(client, district, records, django_assert_max_num_queries, extra, url_name):
    clone(records[0], extra)
    clone(records[1], extra, branch=district.branch_b)
    client.force_login(district.district_admin)
    with django_assert_max_num_queries(20):
        assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("extra", [0, 12])
def test_ledger_export_query_budget(client, district, records, django_assert_max_num_queries, extra):
    clone(records[0], extra)
    client.force_login(district.district_admin)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("recruitment:activist_ledger"), {"export": "xlsx"})
    assert len(list(load_workbook(io.BytesIO(response.content)).active.iter_rows())) == 3 + 1 + extra


@pytest.mark.parametrize("evaluations", [0, 10])
def test_detail_query_budget(client, district, records, django_assert_max_num_queries, evaluations):
    record = records[0]
    Evaluation.objects.bulk_create(
        [Evaluation(recruitment=record, kind=Evaluation.PROBATION, on=date(2024, 9, i + 1)) for i in range(evaluations)]
    )
    client.force_login(district.secretary_a)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("recruitment:record_detail", args=[record.pk])).status_code == 200


@pytest.mark.parametrize("extra", [0, 12])
def test_home_query_budget(client, district, records, django_assert_max_num_queries, extra):
    clone(records[0], extra)
    client.force_login(district.district_admin)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.parametrize("step", [6, 9, 15, 17, 25])
def test_step_form_renders(client, district, records, django_assert_max_num_queries, step):
    client.force_login(district.secretary_a)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("recruitment:step_edit", args=[records[0].pk, step])).status_code == 200


@pytest.mark.parametrize("extra", [0, 12])
@pytest.mark.parametrize("url_name", ["recruitment:record_create", "recruitment:import", "recruitment:notice_create"])
def test_form_pages_query_budget(client, district, django_assert_max_num_queries, extra, url_name):
    activist = record_at(district, 6, name="郑积极", start=date(2025, 3, 3))
    clone(activist, extra)
    client.force_login(district.secretary_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    if url_name == "recruitment:notice_create":
        assert response.content.decode().count('name="recruitments"') == 1 + extra


@pytest.mark.parametrize("people", [1, 6])
def test_notice_detail_query_budget(client, district, django_assert_max_num_queries, people):
    from recruitment import services

    first = record_at(district, 6, name="郑积极", start=date(2025, 3, 3))
    records = [first, *clone(first, people - 1)]
    notice = services.notice_create(
        by=district.secretary_a, org=district.branch_a, recruitments=records, start_on=date(2026, 9, 28), workdays=5,
        today=TODAY,
    )  # fmt: skip
    for r in records:
        services.objection_record(
            by=district.secretary_a,
            notice=notice,
            recruitment=r,
            received_on=date(2026, 9, 29),
            content="意见",
            today=TODAY,
        )
    client.force_login(district.secretary_a)
    with django_assert_max_num_queries(16):
        body = client.get(reverse("recruitment:notice_detail", args=[notice.pk])).content.decode()
    assert f"公示对象（{people} 人）" in body


@pytest.mark.parametrize("evaluations", [0, 10])
@pytest.mark.parametrize("url_name", ["recruitment:record_print", "recruitment:step_edit"])
def test_record_pages_query_budget(client, district, records, django_assert_max_num_queries, evaluations, url_name):
    record = records[0]
    Evaluation.objects.bulk_create(
        [Evaluation(recruitment=record, kind=Evaluation.PROBATION, on=date(2024, 9, i + 1)) for i in range(evaluations)]
    )
    args = [record.pk, 21] if url_name == "recruitment:step_edit" else [record.pk]
    client.force_login(district.secretary_a)
    with django_assert_max_num_queries(20):
        assert client.get(reverse(url_name, args=args)).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "args"),
    [("recruitment:record_print", 1), ("recruitment:step_edit", 2), ("recruitment:record_delete", 1),
     ("recruitment:notice_detail", 1), ("recruitment:notice_print", 1), ("recruitment:notice_docx", 1)],
)  # fmt: skip
def test_anonymous_record_and_notice_pages_redirect(client, db, url_name, args):
    response = client.get(reverse(url_name, args=[1, 3][:args]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
