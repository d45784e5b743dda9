"""The ledger layout of formats/recruitment-ledger.md: one column list for import and export.

The export writes exactly these headers in this order (sheet 发展党员台账, a title
row above the header), so an exported ledger can be imported again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from core.excel import write_xlsx
from people import codes
from recruitment import rules
from recruitment.models import Evaluation, Recruitment

SHEET = "发展党员台账"

TEXT, DATE, DATES, NAMES, INT, NUMBER, METHOD, SEQ = "text", "date", "dates", "names", "int", "number", "method", "seq"


@dataclass(frozen=True)
class LedgerColumn:
    header: str
    field: str  # the key the importer produces (a model field, or name/gender/… for the person)
    kind: str = DATE
    synonyms: tuple[str, ...] = ()


def _c(header: str, field: str, kind: str = DATE, *synonyms: str) -> LedgerColumn:
    return LedgerColumn(header, field, kind, synonyms)


COLUMNS: tuple[LedgerColumn, ...] = (
    _c("序号", "seq", SEQ),
    _c("姓名", "name", TEXT),
    _c("性别", "gender", TEXT),
    _c("民族", "ethnicity", TEXT),
    _c("公民身份号码", "id_number", TEXT, "身份证号", "身份证号码"),
    _c("学历", "education", TEXT),
    _c("所在党支部", "branch", TEXT, "党支部", "支部"),
    _c("递交入党申请书日期", "application_on", DATE, "申请日期", "申请入党日期"),
    _c("谈话日期", "talk_on", DATE, "派人谈话日期"),
    _c("确定入党积极分子日期", "activist_on", DATE, "确定积极分子日期"),
    _c("积极分子备案日期", "activist_filed_on"),
    _c("培养联系人", "mentors", NAMES),
    _c("考察日期", "evaluations", DATES, "培养考察日期"),
    _c("确定发展对象日期", "candidate_on"),
    _c("发展对象公示开始日期", "notice_start", DATE, "公示开始"),
    _c("发展对象公示结束日期", "notice_end", DATE, "公示结束"),
    _c("入党介绍人", "sponsors", NAMES),
    _c("政治审查日期", "political_review_on", DATE, "政审日期"),
    _c("集中培训开始日期", "training_start"),
    _c("集中培训结束日期", "training_end"),
    _c("集中培训学时", "training_hours", NUMBER),
    _c("支部委员会审查日期", "committee_review_on", DATE, "支委会审查日期"),
    _c("上级党委预审日期", "pre_review_on", DATE, "预审日期"),
    _c("填写入党志愿书日期", "application_form_on", DATE, "志愿书日期"),
    _c("支部大会日期", "general_meeting_on", DATE, "接收预备党员支部大会日期"),
    _c("应到会有表决权人数", "admission_due", INT),
    _c("实到会有表决权人数", "admission_present", INT),
    _c("书面意见赞成数", "admission_written_in_favour", INT),
    _c("赞成票数", "admission_in_favour", INT),
    _c("表决方式", "admission_method", METHOD),
    _c("上级党委谈话日期", "superior_talk_on"),
    _c("上级党委审批日期", "approved_on", DATE, "审批日期"),
    _c("审批党组织", "approving_org", TEXT),
    _c("入党宣誓日期", "oath_on", DATE, "宣誓日期"),
    _c("延长预备期月数", "extension_months", INT),
    _c("转正申请日期", "conversion_application_on"),
    _c("转正支部大会日期", "conversion_meeting_on"),
    _c("转正应到会有表决权人数", "conversion_due", INT),
    _c("转正实到会有表决权人数", "conversion_present", INT),
    _c("转正书面意见赞成数", "conversion_written_in_favour", INT),
    _c("转正赞成票数", "conversion_in_favour", INT),
    _c("转正表决方式", "conversion_method", METHOD),
    _c("转正审批日期", "conversion_approved_on"),
    _c("材料归档日期", "archived_on", DATE, "归档日期"),
    _c("备注", "notes", TEXT),
)
BY_FIELD = {c.field: c for c in COLUMNS}
HEADERS = [c.header for c in COLUMNS]
SYNONYMS = {c.header: c.synonyms for c in COLUMNS}

METHOD_WORDS = {
    "无记名投票": rules.BALLOT_SECRET,
    "无记名投票表决": rules.BALLOT_SECRET,
    "无记名": rules.BALLOT_SECRET,
    "投票": rules.BALLOT_SECRET,
    "秘密投票": rules.BALLOT_SECRET,
    "举手": rules.BALLOT_HANDS,
    "举手表决": rules.BALLOT_HANDS,
}
METHOD_TEXT = {rules.BALLOT_SECRET: "无记名投票", rules.BALLOT_HANDS: "举手"}
GENDER_TEXT = {"M": "男", "F": "女"}


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


def export_row(record: Recruitment, number: int, *, reveal: bool) -> list:
    """One ledger row; the ID number in clear only for those who may see it (``reveal``)."""
    person = record.person
    evaluations = [e.on for e in record.evaluations.all() if e.kind == Evaluation.CULTIVATION]
    values = {
        "seq": number,
        "name": person.name,
        "gender": GENDER_TEXT.get(person.gender, ""),
        "ethnicity": person.ethnicity,
        "id_number": person.id_number if reveal else person.id_number_masked,
        "education": codes.EDUCATION_LABEL.get(person.education, ""),
        "branch": record.branch.name,
        "mentors": "、".join(m.name for m in record.mentors.all()),
        "evaluations": "、".join(_d(d) for d in sorted(evaluations)),
        "sponsors": "、".join(s.name for s in record.sponsors.all()),
        "approving_org": record.approving_org_label,
        "admission_method": METHOD_TEXT.get(record.admission_method, ""),
        "conversion_method": METHOD_TEXT.get(record.conversion_method, ""),
        "training_hours": float(record.training_hours) if record.training_hours is not None else "",
        "notes": record.notes,
    }
    row = []
    for column in COLUMNS:
        if column.field in values:
            row.append(values[column.field])
        else:
            value = getattr(record, column.field)
            row.append(_d(value) if column.kind == DATE else ("" if value is None else value))
    return row


def export_rows(records: Iterable[Recruitment], *, reveal: bool) -> Iterator[list]:
    for number, record in enumerate(records, 1):
        yield export_row(record, number, reveal=reveal)


def export_workbook(records: Iterable[Recruitment], *, title: str, subtitle: str, reveal: bool) -> bytes:
    return write_xlsx(
        sheet_title=SHEET, headers=HEADERS, rows=export_rows(records, reveal=reveal), title=title, subtitle=subtitle
    )
