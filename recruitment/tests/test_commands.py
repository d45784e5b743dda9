"""The two commands of formats/recruitment-ledger.md on a messy sheet built here with openpyxl:
title rows, merged header cells over sub-headers, header synonyms, merged data cells,
every accepted date form, full-width digits, an empty row, and one unreadable cell."""

import io
import json
from datetime import date, datetime

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from core.testing import make_id_number
from core.workdays import WorkCalendar
from people.models import PartyMember, Person
from recruitment import rules
from recruitment.models import Evaluation, Recruitment

pytestmark = pytest.mark.django_db

EXCEL_EPOCH = date(1899, 12, 30)
ID_1 = make_id_number(date(1990, 5, 1), "M")
ID_2 = make_id_number(date(1995, 8, 8), "F")
ID_3 = make_id_number(date(2000, 1, 1), "F")
NOTICE_START = date(2020, 5, 11)
NOTICE_END = WorkCalendar().add_workdays(NOTICE_START, 5)

# (column, top header, sub header or None); a None sub header means the top cell is merged over both rows
HEADER = [
    ("A", "序号", None), ("B", "姓名", None), ("C", "性别", None), ("D", "身份证号", None), ("E", "党支部", None),
    ("F", "申请日期", None), ("G", "派人谈话日期", None), ("H", "确定积极分子日期", None), ("I", "培养联系人", None),
    ("J", "培养考察日期", None), ("K", "确定发展对象日期", None), ("L", "发展对象公示", "开始日期"),
    ("M", "发展对象公示", "结束日期"), ("N", "入党介绍人", None), ("O", "政审日期", None), ("P", "集中培训", "开始日期"),
    ("Q", "集中培训", "结束日期"), ("R", "集中培训", "学时"), ("S", "支委会审查日期", None), ("T", "预审日期", None),
    ("U", "志愿书日期", None), ("V", "接收预备党员支部大会日期", None), ("W", "支部大会表决情况", "应到会有表决权人数"),
    ("X", "支部大会表决情况", "实到会有表决权人数"), ("Y", "支部大会表决情况", "书面意见赞成数"),
    ("Z", "支部大会表决情况", "赞成票数"), ("AA", "支部大会表决情况", "表决方式"), ("AB", "上级党委谈话日期", None),
    ("AC", "审批日期", None), ("AD", "审批党组织", None), ("AE", "宣誓日期", None), ("AF", "备注", None),
]  # fmt: skip


def _serial(d: date) -> int:
    return (d - EXCEL_EPOCH).days


def messy_sheet(bad_cell: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "区财政局第一支部发展党员工作台账"
    ws.merge_cells("A1:AF1")
    ws["A2"] = "填报单位：区财政局机关党委（盖章）      填报日期：2026年11月"
    ws.merge_cells("A2:AF2")
    groups = {}
    for col, top, sub in HEADER:
        if sub is None:
            ws[f"{col}4"] = f" {top} "  # stray spaces around header text
            ws.merge_cells(f"{col}4:{col}5")
        else:
            groups.setdefault(top, []).append(col)
            ws[f"{col}5"] = sub
    for top, cols in groups.items():
        ws[f"{cols[0]}4"] = top
        ws.merge_cells(f"{cols[0]}4:{cols[-1]}4")
    # row 6: admitted under the 2014 rules; every accepted date form
    row6 = {
        "A": 1, "B": "张志强", "C": "男", "D": ID_1, "E": "区财政局第一支部",
        "F": date(2019, 3, 1),  # a real Excel date
        "G": _serial(date(2019, 3, 20)),  # an Excel serial number
        "H": "2019-04-22", "I": "王小明", "J": "2019/10/15、2020/4/10",
        "K": "2020.05.25", "L": f"{NOTICE_START:%Y}年{NOTICE_START.month}月{NOTICE_START.day}日",
        "M": NOTICE_END.strftime("%Y%m%d"), "N": "王小明、刘书记",
        "O": "２０２０．０６．０１",  # full-width digits and punctuation
        "P": " 2020-06-03 ", "Q": "2020-06-05", "R": "２４", "S": "2020/6/10", "T": 20200612,  # yyyymmdd as a number
        "U": "2020年6月15日", "V": datetime(2020, 6, 20, 0, 0), "W": 20, "X": 18, "Y": 1, "Z": 17, "AA": "无记名投票",
        "AB": "2020-07-01", "AC": "2020-07-20", "AD": "区财政局机关党委", "AE": "2020-07-25", "AF": "示例",
    }  # fmt: skip
    # row 7: listed as a candidate less than a year after becoming an activist (REC-06); the
    # branch cell is merged with row 6
    row7 = {"A": 2, "B": "李红", "C": "女", "D": ID_2, "F": "2021-01-05", "G": "2021-01-15", "H": "2021-02-10",
            "K": "2021.12.01"}  # fmt: skip
    if bad_cell == "K7":
        row7["K"] = "2019.13.01"
    # row 8 is empty; row 9: a recent applicant
    row9 = {"A": 3, "B": "王芳", "C": "女", "D": ID_3, "E": "区财政局第一支部", "F": "2026/11/01"}
    for number, row in ((6, row6), (7, row7), (9, row9)):
        for col, value in row.items():
            ws[f"{col}{number}"] = value
    ws.merge_cells("E6:E7")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write(tmp_path, data: bytes, name="台账.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def run(name, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_import_reads_every_form_of_the_messy_sheet(district, tmp_path):
    code, out, _ = run("import_recruitment_ledger", _write(tmp_path, messy_sheet()), "--org", "C1")
    report = json.loads(out)
    assert (code, report["errors"], report["imported"]) == (0, [], 3)
    zhang = Recruitment.objects.get(person__name="张志强")
    assert zhang.branch == district.branch_a
    assert (zhang.application_on, zhang.talk_on, zhang.activist_on) == (
        date(2019, 3, 1),
        date(2019, 3, 20),
        date(2019, 4, 22),
    )
    assert list(zhang.evaluations.filter(kind=Evaluation.CULTIVATION).values_list("on", flat=True)) == [
        date(2019, 10, 15), date(2020, 4, 10)
    ]  # fmt: skip
    assert (zhang.candidate_on, zhang.notice_start, zhang.notice_end) == (date(2020, 5, 25), NOTICE_START, NOTICE_END)
    assert zhang.political_review_on == date(2020, 6, 1)
    assert (zhang.training_start, zhang.training_end, zhang.training_hours) == (date(2020, 6, 3), date(2020, 6, 5), 24)
    assert (zhang.pre_review_on, zhang.application_form_on) == (date(2020, 6, 12), date(2020, 6, 15))
    assert zhang.general_meeting_on == date(2020, 6, 20)
    assert (zhang.admission_due, zhang.admission_present, zhang.admission_in_favour) == (20, 18, 17)
    assert zhang.admission_method == rules.BALLOT_SECRET
    assert zhang.approving_org == district.committee
    assert [m.name for m in zhang.mentors.all()] == ["王小明"]
    assert [s.name for s in zhang.sponsors.all()] == ["王小明", "刘书记"]
    assert zhang.sponsors.first().person == district.member_a.person
    # approved by the superior committee: a probationary member from the meeting date
    member = PartyMember.objects.get(person__name="张志强")
    assert (member.status, member.admitted_on) == (PartyMember.PROBATIONARY, date(2020, 6, 20))
    li = Recruitment.objects.get(person__name="李红")
    assert li.branch == district.branch_a  # from the merged cell E6:E7
    assert li.person.gender == "F" and li.stage == rules.CANDIDATE
    assert Recruitment.objects.get(person__name="王芳").stage == rules.APPLICANT


def test_import_with_an_unreadable_cell_saves_nothing(district, tmp_path):
    persons = Person.objects.count()
    code, out, _ = run("import_recruitment_ledger", _write(tmp_path, messy_sheet("K7")), "--org", "C1")
    report = json.loads(out)
    assert code == 1 and report["imported"] == 0
    assert {"row": 7, "column": "K", "message": 'K7: 无法识别的日期 "2019.13.01"'} in report["errors"]
    assert not Recruitment.objects.exists()
    assert Person.objects.count() == persons


def test_dry_run_checks_and_saves_nothing(district, tmp_path):
    code, out, _ = run("import_recruitment_ledger", _write(tmp_path, messy_sheet()), "--org", "C1", "--dry-run")
    report = json.loads(out)
    assert code == 0 and report["errors"] == [] and report["imported"] == 0
    assert not Recruitment.objects.exists()


def test_import_outside_the_org_scope_is_an_error(district, tmp_path):
    code, out, _ = run("import_recruitment_ledger", _write(tmp_path, messy_sheet()), "--org", "BB")
    report = json.loads(out)
    assert code == 1
    assert any(e["column"] == "E" and "不存在或不在导入范围" in e["message"] for e in report["errors"])
    assert not Recruitment.objects.exists()


def test_import_of_an_unknown_org_or_missing_file_exits_1(district, tmp_path):
    code, out, _ = run("import_recruitment_ledger", _write(tmp_path, messy_sheet()), "--org", "NOPE")
    assert code == 1 and "组织代码“NOPE”不存在" in json.loads(out)["errors"][0]["message"]
    code, out, _ = run("import_recruitment_ledger", str(tmp_path / "missing.xlsx"), "--org", "C1")
    assert code == 1
    not_xlsx = tmp_path / "a.xlsx"
    not_xlsx.write_text("姓名,身份证号")
    code, out, _ = run("import_recruitment_ledger", str(not_xlsx), "--org", "C1")
    assert code == 1 and "不是有效的 .xlsx" in out


def test_import_twice_updates_instead_of_duplicating(district, tmp_path):
    path = _write(tmp_path, messy_sheet())
    run("import_recruitment_ledger", path, "--org", "C1")
    code, out, _ = run("import_recruitment_ledger", path, "--org", "C1")
    assert code == 0 and json.loads(out)["imported"] == 3
    assert Recruitment.objects.count() == 3
    assert PartyMember.objects.filter(person__name="张志强").count() == 1


def test_audit_of_a_sheet_reports_sheet_rows_and_rule_sets(district, tmp_path):
    code, out, err = run(
        "audit_recruitment", "--file", _write(tmp_path, messy_sheet()), "--org", "C1", "--today", "2026-11-23",
        "--format", "json",
    )  # fmt: skip
    findings = json.loads(out)
    assert code == 0 and err == ""
    assert {f["row"] for f in findings} <= {6, 7, 9}
    rec06 = [f for f in findings if f["rule"] == "REC-06"]
    assert rec06 == [
        {
            "row": 7, "person": "李红", "rule": "REC-06", "severity": "error", "rule_set": "2014",
            "message": "确定发展对象日期 2021-12-01 距确定入党积极分子日期 2021-02-10 不足一年（应不早于 2022-02-10）。",
        }
    ]  # fmt: skip
    # the notice of row 7 is missing (REC-07L, local rule under 2014)
    assert any(f["row"] == 7 and f["rule"] == "REC-07L" and f["severity"] == "missing" for f in findings)
    # the applicant of row 9 is not overdue yet on 2026-11-23 (talk due by 2026-12-01) …
    assert not [f for f in findings if f["row"] == 9]
    # … and is on 2026-12-02
    _, out, _ = run(
        "audit_recruitment", "--file", _write(tmp_path, messy_sheet()), "--today", "2026-12-02", "--format", "json"
    )
    late = [f for f in json.loads(out) if f["row"] == 9]
    assert [(f["rule"], f["severity"], f["rule_set"]) for f in late] == [("REC-02", "error", "2026")]
    assert not Recruitment.objects.exists()  # auditing a sheet imports nothing


def test_audit_of_a_sheet_with_an_unreadable_cell_exits_1(district, tmp_path):
    code, out, err = run("audit_recruitment", "--file", _write(tmp_path, messy_sheet("K7")), "--format", "json")
    assert code == 1
    assert 'K7: 无法识别的日期 "2019.13.01"' in err
    assert all(f["row"] != 7 for f in json.loads(out))


def test_audit_of_stored_records_by_org(district, tmp_path):
    run("import_recruitment_ledger", _write(tmp_path, messy_sheet()), "--org", "C1")
    code, out, _ = run("audit_recruitment", "--org", "C1", "--today", "2026-11-23", "--format", "json")
    findings = json.loads(out)
    assert code == 0 and findings
    assert all(f["row"] is None for f in findings)
    assert {"row", "person", "rule", "severity", "rule_set", "message"} == set(findings[0])
    assert any(f["person"] == "李红" and f["rule"] == "REC-06" for f in findings)
    _, out, _ = run("audit_recruitment", "--org", "BB", "--format", "json")
    assert json.loads(out) == []


def test_audit_requires_json_format_and_a_valid_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("audit_recruitment", "--today", "2026-13-01", "--format", "json", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("audit_recruitment", stdout=io.StringIO(), stderr=io.StringIO())
