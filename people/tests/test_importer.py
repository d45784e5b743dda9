"""Member import from a messy real-world sheet: all-or-nothing, every bad cell reported."""

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from core.idnumber import check_char
from core.testing import TODAY
from people.importer import import_members
from people.models import PartyMember, Person

pytestmark = pytest.mark.django_db


def valid_id(birth: str, seq: str) -> str:
    first17 = f"500101{birth}{seq}"
    return first17 + check_char(first17)


def messy_sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "党员信息"
    ws["A1"] = "区财政局党员信息采集表"
    ws.merge_cells("A1:H1")
    ws["A2"] = "填报单位：区财政局机关党委"
    ws.append(["序号", "姓 名", "身份证号", "性别", "党员类别", "支部", "入党时间", "转正日期", "手机", "学历"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def good_rows():
    return [
        [
            1,
            " 陈静 ",
            valid_id("19880512", "002"),
            "女",
            "正式党员",
            "区财政局第一支部",
            "2012/7/1",
            "2013年7月1日",
            "１３９０００００１１１",
            "本科",
        ],
        [
            2,
            "周强",
            valid_id("19950101", "013").lower(),
            "男",
            "预备党员",
            "BA",
            datetime(2026, 3, 1),
            None,
            "",
            "硕士研究生",
        ],
        [],
        [
            3,
            "吴敏",
            valid_id("19900220", "024"),
            "女",
            "正式",
            "区财政局第一支部",
            "２０１５．０６．３０",
            "",
            "",
            "大专",
        ],
        [4, "郑伟", valid_id("19790909", "035"), "", "正式党员", "区财政局第一支部", 40000, "", "", "21"],
    ]


def test_messy_sheet_imports_every_row(district):
    report = import_members(messy_sheet(good_rows()), user=district.secretary_a, today=TODAY)
    assert report.errors == []
    assert report.imported == 4
    chen = PartyMember.objects.get(person__name="陈静")
    assert chen.branch == district.branch_a
    assert chen.full_member_on == date(2013, 7, 1)
    assert chen.person.phone == "13900000111"
    assert PartyMember.objects.get(person__name="吴敏").admitted_on == date(2015, 6, 30)
    assert PartyMember.objects.get(person__name="郑伟").admitted_on == date(2009, 7, 6)  # Excel serial 40000
    assert PartyMember.objects.get(person__name="周强").person.id_number.endswith(
        valid_id("19950101", "013")[-1].upper()
    )


def test_any_bad_row_saves_nothing_and_lists_every_bad_cell(district):
    rows = good_rows()
    bad_id = valid_id("19880512", "046")[:-1] + ("0" if valid_id("19880512", "046")[-1] != "0" else "1")
    rows += [
        [5, "钱多", bad_id, "男", "正式党员", "区财政局第一支部", "2019.13.01", "", "", ""],
        [6, "", "", "", "", "", "", "", "", "本科"],
        [7, "孙悟", valid_id("19880512", "057"), "女", "正式党员", "区税务局支部", "2010-01-01", "", "", ""],
    ]
    before = Person.objects.count()
    report = import_members(messy_sheet(rows), user=district.secretary_a, today=TODAY)
    assert Person.objects.count() == before
    assert report.imported == 0
    cells = {(e.row, e.column) for e in report.errors}
    assert (9, "C") in cells  # checksum of row 9 (sheet row), column 身份证号
    assert (9, "G") in cells  # 2019.13.01
    assert any(e.row == 10 and "姓名为空" in e.message for e in report.errors)
    assert (11, "D") in cells  # 孙悟: gender 女 disagrees with an odd sequence digit
    assert (11, "F") in cells  # 区税务局支部 is outside the secretary's scope
    assert any("2019.13.01" in e.message for e in report.errors)


def test_duplicate_in_sheet_and_in_database(district):
    rows = good_rows()
    rows.append([5, "陈静二", rows[0][2], "女", "正式党员", "区财政局第一支部", "2012-07-01", "", "", ""])
    rows.append(
        [
            6,
            "王小明",
            district.member_a.person.id_number,
            "男",
            "正式党员",
            "区财政局第一支部",
            "2010-07-01",
            "",
            "",
            "",
        ]
    )
    report = import_members(messy_sheet(rows), user=district.secretary_a, today=TODAY)
    messages = " ".join(e.message for e in report.errors)
    assert "与第 4 行的公民身份号码重复" in messages
    assert "已登记" in messages


def test_large_sheet_split_over_workers_gives_the_same_result(district, monkeypatch):
    """A large sheet is validated by forked workers (here 3 for 6 rows); the rows saved,
    their order and the errors, duplicates across two workers' slices included, are
    those of one process."""
    from core import forking
    from people import importer

    bad = good_rows()
    bad.append([5, "陈静二", bad[0][2], "女", "正式党员", "区财政局第一支部", "2012-07-01", "", "", ""])
    monkeypatch.setattr(importer, "PARALLEL_FROM", 2)
    monkeypatch.setattr(forking, "cpu_count", lambda: 3)
    split_errors = import_members(messy_sheet(bad), user=district.secretary_a, today=TODAY, dry_run=True).errors
    assert [(e.row, e.column, e.message) for e in split_errors] == [(9, "C", "与第 4 行的公民身份号码重复。")]

    report = import_members(messy_sheet(good_rows()), user=district.secretary_a, today=TODAY)
    assert (report.errors, report.imported) == ([], 4)
    saved = Person.objects.filter(party_member__isnull=False).order_by("id").values_list("name", flat=True)
    assert list(saved)[-4:] == ["陈静", "周强", "吴敏", "郑伟"]


@pytest.mark.parametrize("workers", [1, 3])
def test_each_imported_row_is_one_audit_entry_and_the_chain_verifies(district, monkeypatch, workers):
    """One entry per row: the member's snapshot with the person created for it nested,
    exactly what snapshots of the saved rows give, chained after the entries before it."""
    from core import audit, forking
    from core.models import AuditEntry
    from people import importer

    monkeypatch.setattr(importer, "PARALLEL_FROM", 2 if workers > 1 else 10**9)
    monkeypatch.setattr(forking, "cpu_count", lambda: workers)
    before = AuditEntry.objects.count()
    report = import_members(messy_sheet(good_rows()), user=district.secretary_a, today=TODAY)
    assert report.imported == 4
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [e.action for e in entries] == ["people.partymember.import"] * 4
    for entry in entries:
        member = PartyMember.objects.select_related("person").get(pk=int(entry.object_id))
        assert entry.object_repr == str(member) and entry.actor_id == district.secretary_a.pk
        assert entry.after == {**audit.snapshot(member), "person": audit.snapshot(member.person)}
        assert "id_number_enc" not in entry.after["person"]
    assert audit.verify_chain() is None


def test_an_id_number_already_registered_is_found_by_the_unique_index(district):
    """A clean sheet is not looked up before saving: the unique index finds the ID number
    already registered, nothing is saved, the row is named (not a 500)."""
    rows = good_rows()
    assert import_members(messy_sheet(rows[:1]), user=district.secretary_a, today=TODAY).imported == 1
    count = PartyMember.objects.count()
    report = import_members(messy_sheet(rows), user=district.secretary_a, today=TODAY)
    assert report.imported == 0 and PartyMember.objects.count() == count
    assert [(e.row, e.message) for e in report.errors] == [(4, "该公民身份号码已登记，不能重复导入。")]


def _split_over_workers(monkeypatch, workers=3):
    """Forked workers even for a few rows: one row per slice, written as each comes."""
    from core import forking
    from people import importer

    monkeypatch.setattr(importer, "PARALLEL_FROM", 2)
    monkeypatch.setattr(forking, "cpu_count", lambda: workers)


def test_rows_written_before_a_bad_one_is_found_are_undone(district, monkeypatch):
    """Slices are written while later ones are checked: a bad cell in the last slice
    still leaves nothing saved, and the audit log without an entry of the sheet."""
    from core.models import AuditEntry

    _split_over_workers(monkeypatch)
    rows = good_rows()
    rows.append(
        [5, "钱多", valid_id("19880512", "046"), "女", "正式党员", "区财政局第一支部", "2019.13.01", "", "", ""]
    )
    persons, entries = Person.objects.count(), AuditEntry.objects.count()
    report = import_members(messy_sheet(rows), user=district.secretary_a, today=TODAY)
    assert report.imported == 0
    assert [(e.row, e.column) for e in report.errors] == [(9, "G")]
    assert (Person.objects.count(), AuditEntry.objects.count()) == (persons, entries)


def test_a_registered_id_number_in_a_later_slice_is_named_and_nothing_saved(district, monkeypatch):
    """The unique index stops the write of the slice holding an ID number already
    registered, after earlier slices were written: the report names that row (and any
    other bad cell of the sheet) and nothing is saved."""
    rows = good_rows()
    assert import_members(messy_sheet(rows[-1:]), user=district.secretary_a, today=TODAY).imported == 1
    _split_over_workers(monkeypatch)
    count = PartyMember.objects.count()
    report = import_members(messy_sheet(rows), user=district.secretary_a, today=TODAY)
    assert report.imported == 0 and PartyMember.objects.count() == count
    assert [(e.row, e.message) for e in report.errors] == [(8, "该公民身份号码已登记，不能重复导入。")]


def test_import_page_refuses_non_xlsx_and_empty_and_oversize(client, district, settings):
    client.force_login(district.secretary_a)
    url = reverse("people:member_import")
    body = client.post(url, {"file": SimpleUploadedFile("a.csv", b"a,b")}).content.decode()
    assert "只支持 Excel .xlsx 文件" in body
    body = client.post(url, {"file": SimpleUploadedFile("a.xlsx", b"")}).content.decode()
    assert "空" in body
    body = client.post(url, {"file": SimpleUploadedFile("a.xlsx", b"not a zip at all")}).content.decode()
    assert "不是有效的 .xlsx" in body
    settings.MAX_UPLOAD_BYTES = 10
    body = client.post(url, {"file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04" + b"0" * 20)}).content.decode()
    assert "不能超过" in body


def test_import_page_checks_then_imports_on_confirmation(client, district):
    client.force_login(district.secretary_a)
    url = reverse("people:member_import")
    response = client.post(url, {"file": SimpleUploadedFile("m.xlsx", messy_sheet(good_rows()))})
    body = response.content.decode()
    assert "检查通过" in body and not PartyMember.objects.filter(person__name="陈静").exists()
    token = response.context["token"]
    response = client.post(url, {"token": token})
    assert response.status_code == 302
    assert PartyMember.objects.filter(person__name="陈静").exists()


def test_import_page_error_report_lists_cells(client, district):
    client.force_login(district.secretary_a)
    rows = good_rows() + [[5, "钱多", "123", "男", "正式党员", "区财政局第一支部", "2019-01-01", "", "", ""]]
    body = client.post(
        reverse("people:member_import"), {"file": SimpleUploadedFile("m.xlsx", messy_sheet(rows))}
    ).content.decode()
    assert "检查未通过" in body and "未保存任何数据" in body
    assert not PartyMember.objects.filter(person__name="陈静").exists()
    response = client.get(reverse("people:member_import_errors"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert any("公民身份号码" in str(row[2]) for row in sheet.iter_rows(min_row=3, values_only=True))


def test_template_download(client, district):
    client.force_login(district.secretary_a)
    response = client.get(reverse("people:member_import_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


@given(rows=st.integers(min_value=1, max_value=300_000), workers=st.integers(min_value=2, max_value=16))
def test_slices_cover_the_sheet_in_order_the_first_ones_smaller(rows, workers):
    from people.importer import _slices

    bounds = _slices(rows, workers)
    assert bounds[0][0] == 0 and bounds[-1][1] == rows
    assert all(end == start for (_, end), (start, _) in zip(bounds, bounds[1:], strict=False))
    sizes = [end - start for start, end in bounds]
    assert min(sizes) >= 1 and sizes[0] <= max(sizes)
    assert len(bounds) >= min(rows, workers)  # every worker has a slice
