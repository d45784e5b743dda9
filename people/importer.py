"""Import party members from a messy .xlsx: all-or-nothing with a row/column error report.

The header row is the first row containing 姓名; header synonyms, merged title
rows, full-width digits and the date forms of formats/recruitment-ledger.md
are accepted. Every row is validated (BASE-01 ID numbers, duplicates in the
sheet and in the database, branches in the importer's scope, membership
dates); if any cell is bad nothing is saved and every bad cell is listed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from core import audit, crypto, forking, pinyin
from core.bulk import build, insert_rows
from core.dates import add_months
from core.excel import CellError, clean_text, column_letter, find_header, load_sheet, map_columns, parse_date
from core.idnumber import IdNumberError, conflicts, parse
from core.policies import CHANGE, VIEW
from orgs import policies as org_policies
from orgs import selectors as org_selectors
from orgs.models import PartyOrg
from people import codes
from people.models import PartyMember, Person
from people.rules import member_dates_errors, probation_end_on

COLUMNS = {
    "姓名": (),
    "性别": (),
    "民族": (),
    "公民身份号码": ("身份证号", "身份证号码", "身份证"),
    "出生日期": ("出生年月",),
    "学历": ("文化程度",),
    "人员类别": ("党员类别", "类别", "党员状态"),
    "所在党支部": ("党支部", "支部", "所在支部"),
    "所在党小组": ("党小组",),
    "加入党组织日期": ("入党日期", "入党时间"),
    "转为正式党员日期": ("转正日期", "转正时间"),
    "工作岗位": ("岗位", "职业"),
    "联系电话": ("手机", "手机号码", "电话", "联系方式"),
    "家庭住址": ("住址", "家庭地址"),
    "工作单位": ("单位", "所在单位"),
    "职务": (),
    "职级": (),
    "备注": (),
}
REQUIRED = ("姓名", "公民身份号码", "人员类别", "所在党支部", "加入党组织日期")
STATUS_WORDS = {
    "正式党员": PartyMember.FULL,
    "正式": PartyMember.FULL,
    "预备党员": PartyMember.PROBATIONARY,
    "预备": PartyMember.PROBATIONARY,
}
GENDER_WORDS = {"男": "M", "女": "F"}
ETHNICITIES = frozenset(e for e, _ in codes.ETHNICITY_CHOICES)
JOB_BY_LABEL = {label: code for code, label in codes.JOB_CHOICES} | {
    codes.JOB_LABEL[c].split("、")[-1]: c for c in codes.JOB_LEAVES
}

TEMPLATE_HEADERS = list(COLUMNS)


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[CellError] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0

    def as_dict(self) -> dict:
        return {"imported": self.imported, "errors": [e.as_dict() for e in self.errors]}


@dataclass
class _Row:
    sheet_row: int
    person: Person
    member: PartyMember


class _Org(NamedTuple):
    """What validation needs of an organisation (plain tuples: a district of 100,000
    organisations loads in a fraction of the time model instances take)."""

    pk: int
    path: str
    kind: str
    unit_id: int | None


def _org_lookup(user) -> tuple[dict[str, _Org], dict[str, _Org]]:
    branches, groups = {}, {}
    for pk, path, kind, unit_id, name, short_name, code in org_policies.party_orgs.queryset(user, CHANGE).values_list(
        "id", "path", "kind", "unit_id", "name", "short_name", "code"
    ):
        org = _Org(pk, path, kind, unit_id)
        target = groups if kind == PartyOrg.GROUP else branches
        for key in (name, short_name, code):
            if key:
                target.setdefault(key, org)
    return branches, groups


def _unit_lookup(user) -> dict[str, int]:
    """Unit name (and short name) → id."""
    units = {}
    for pk, name, short_name in org_policies.units.queryset(user, VIEW).values_list("id", "name", "short_name"):
        units[name] = pk
        if short_name:
            units.setdefault(short_name, pk)
    return units


PERSON_FIELDS = ("name", "name_pinyin", "name_initials", "gender", "ethnicity", "birth_date", "id_number_enc",
                 "id_number_hash", "id_number_masked", "id_last4", "phone_enc", "phone_hash", "phone_masked",
                 "education", "job_code", "unit_id", "position", "rank", "address")  # fmt: skip
MEMBER_FIELDS = ("status", "branch_id", "group_id", "admitted_on", "probation_extension_months", "full_member_on",
                 "joined_org_on")  # fmt: skip
PARALLEL_FROM = 20_000  # rows; below this one process is faster than forking workers


@dataclass
class _Lookups:
    columns: dict[str, int]
    branches: dict[str, _Org]
    groups: dict[str, _Org]
    units: dict[str, int]
    today: date


@dataclass
class _Chunk:
    """What one worker found in its rows: plain values only (cheap to pickle back)."""

    rows: int = 0
    errors: list[CellError] = field(default_factory=list)
    id_rows: list[tuple[str, int]] = field(default_factory=list)  # (ID number, sheet row) in row order
    values: list[tuple[int, tuple, tuple]] = field(default_factory=list)  # (sheet row, person, member)


def validate(data: bytes, *, user, today: date) -> tuple[ImportReport, list[_Row]]:
    report = ImportReport()
    rows = load_sheet(data, preferred="党员信息")
    header_index = find_header(rows)
    if header_index is None:
        report.errors.append(CellError(0, "", "未找到表头：表格中应有一行包含“姓名”列。"))
        return report, []
    columns, report.unknown_headers = map_columns(rows[header_index], COLUMNS)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        report.errors.append(CellError(header_index + 1, "", f"缺少必填列：{'、'.join(missing)}。"))
        return report, []
    branches, groups = _org_lookup(user)
    lookups = _Lookups(columns, branches, groups, _unit_lookup(user), today)
    body = list(enumerate(rows[header_index + 1 :], start=header_index + 2))
    del rows
    # the workers never use the database, so any database (even SQLite in memory) allows them
    workers = forking.cpu_count() if len(body) >= PARALLEL_FROM else 1
    if workers == 1:
        chunks = [_validate_rows(body, lookups)]
    else:
        size = -(-len(body) // workers)
        global _SHEET
        with _SHEET_LOCK:  # one large import at a time per process hands its sheet to workers
            _SHEET = (body, lookups)  # the workers read it through the fork: nothing to pickle
            try:
                chunks = forking.fork_map(_validate_slice, [(i, i + size) for i in range(0, len(body), size)])
            finally:
                _SHEET = None
    seen_ids: dict[str, int] = {}
    parsed: list[_Row] = []
    now = timezone.now()
    id_column = column_letter(columns["公民身份号码"])
    for chunk in chunks:
        report.rows += chunk.rows
        report.errors.extend(chunk.errors)
        for number, row in chunk.id_rows:  # duplicates across chunks (within one, the chunk found them)
            first = seen_ids.setdefault(number, row)
            if first != row:
                report.errors.append(CellError(row, id_column, f"与第 {first} 行的公民身份号码重复。"))
        for row, person_values, member_values in chunk.values:
            person = build(Person, **dict(zip(PERSON_FIELDS, person_values, strict=True)), created_at=now,
                           updated_at=now)  # fmt: skip
            member = build(PartyMember, **dict(zip(MEMBER_FIELDS, member_values, strict=True)))
            parsed.append(_Row(row, person, member))
    _check_existing_ids(parsed, report, columns)
    if report.rows == 0 and not report.errors:
        report.errors.append(CellError(header_index + 1, "", "表格中没有数据行。"))
    report.errors.sort(key=lambda e: (e.row, e.column))
    return report, parsed


_SHEET: tuple[list[tuple[int, list]], _Lookups] | None = None
_SHEET_LOCK = threading.Lock()


def _validate_slice(bounds: tuple[int, int]) -> _Chunk:
    body, lookups = _SHEET
    return _validate_rows(body[bounds[0] : bounds[1]], lookups)


def _validate_rows(body: list[tuple[int, list]], lookups: _Lookups) -> _Chunk:
    """Every check of one slice of the sheet that needs no database (runs in a worker)."""
    columns, branches, groups, units, today = (
        lookups.columns, lookups.branches, lookups.groups, lookups.units, lookups.today
    )  # fmt: skip
    out = _Chunk()
    seen_ids: dict[str, int] = {}
    for offset, raw in body:
        cells = {name: raw[i] if i < len(raw) else None for name, i in columns.items()}
        text = {name: clean_text(v) for name, v in cells.items()}
        if not any(text.values()):
            continue
        out.rows += 1
        errors_before = len(out.errors)

        def err(col: str, message: str, _row=offset) -> None:
            out.errors.append(CellError(_row, column_letter(columns[col]) if col in columns else "", message))

        name = text["姓名"]
        if not name:
            err("姓名", "姓名为空，但该行有其他内容。")
        facts = None
        try:
            facts = parse(text["公民身份号码"], today=today)
        except IdNumberError as exc:
            err("公民身份号码", str(exc))
        gender_text = text.get("性别", "")
        gender = GENDER_WORDS.get(gender_text)
        if gender_text and gender is None:
            err("性别", f"无法识别的性别“{gender_text}”，应为“男”或“女”。")
        dates = {}
        for col in ("出生日期", "加入党组织日期", "转为正式党员日期"):
            if col in columns:
                try:
                    dates[col] = parse_date(cells[col])
                except ValueError:
                    err(col, f"无法识别的日期“{text[col]}”。")
        if facts:
            for fld, message in conflicts(facts, gender=gender, birth_date=dates.get("出生日期")):
                err("性别" if fld == "gender" else "出生日期", message)
            if facts.number in seen_ids:
                err("公民身份号码", f"与第 {seen_ids[facts.number]} 行的公民身份号码重复。")
            else:
                seen_ids[facts.number] = offset
                out.id_rows.append((facts.number, offset))
        status = STATUS_WORDS.get(text["人员类别"])
        if status is None:
            err("人员类别", f"人员类别“{text['人员类别']}”应为“正式党员”或“预备党员”。")
        branch = branches.get(text["所在党支部"])
        if branch is None or branch.kind not in (PartyOrg.BRANCH, PartyOrg.GENERAL_BRANCH):
            err("所在党支部", f"党支部“{text['所在党支部']}”不存在或不在您的管理范围内。")
        group = None
        if text.get("所在党小组"):
            group = groups.get(text["所在党小组"])
            if group is None or (branch and not group.path.startswith(branch.path)):
                err("所在党小组", f"党小组“{text['所在党小组']}”不存在或不属于该党支部。")
        admitted = dates.get("加入党组织日期")
        if admitted is None and text["加入党组织日期"] == "":
            err("加入党组织日期", "加入党组织日期为必填项。")
        education = "21"
        if text.get("学历"):
            education = codes.education_code(text["学历"])
            if education is None:
                err("学历", f"无法识别的学历“{text['学历']}”。")
        job = "111"
        if text.get("工作岗位"):
            job = JOB_BY_LABEL.get(text["工作岗位"]) or (
                text["工作岗位"] if text["工作岗位"] in codes.JOB_LEAVES else None
            )
            if job is None:
                err("工作岗位", f"无法识别的工作岗位“{text['工作岗位']}”。")
        unit = None
        if text.get("工作单位"):
            unit = units.get(text["工作单位"])
            if unit is None:
                err("工作单位", f"单位“{text['工作单位']}”不存在或不在您的管理范围内。")
        ethnicity = text.get("民族") or "汉族"
        if ethnicity not in ETHNICITIES:
            err("民族", f"无法识别的民族“{ethnicity}”。")
        extension, full_on = 0, None
        if status == PartyMember.FULL and admitted:
            typed = dates.get("转为正式党员日期")
            full_on = probation_end_on(admitted)
            if typed and typed != full_on:
                extension = next((m for m in range(6, 13) if add_months(full_on, m) == typed), None)
                if extension is None:
                    err(
                        "转为正式党员日期",
                        f"转为正式党员日期 {typed} 应为预备期满之日 {full_on}（或延长预备期 6–12 个月后），系统据入党日期计算（REC-23）。",
                    )
                    extension = 0
                full_on = typed
        if admitted and facts and status:
            for fld, message in member_dates_errors(
                status=status,
                admitted_on=admitted,
                full_on=full_on if status == PartyMember.FULL else None,
                birth_date=facts.birth_date,
                today=today,
            ).items():
                err("加入党组织日期" if fld == "admitted_on" else "转为正式党员日期", message)
        if len(out.errors) > errors_before or not (facts and status and branch and admitted):
            continue
        phone = text.get("联系电话", "")
        name_pinyin, name_initials = pinyin.name_keys(name)
        person = (
            name,
            name_pinyin,
            name_initials,
            facts.gender,
            ethnicity,
            facts.birth_date,
            crypto.encrypt(facts.number),
            crypto.lookup_hash(facts.number),
            crypto.mask_id_number(facts.number),
            facts.number[-4:],
            crypto.encrypt(phone),
            crypto.lookup_hash(phone),
            crypto.mask_phone(phone) if phone else "",
            education,
            job,
            unit if unit else branch.unit_id,  # a unit id
            text.get("职务", ""),
            text.get("职级", ""),
            text.get("家庭住址", ""),
        )  # in PERSON_FIELDS order
        member = (
            status,
            branch.pk,
            group.pk if group else None,
            admitted,
            extension,
            full_on if status == PartyMember.FULL else None,
            admitted,
        )  # in MEMBER_FIELDS order
        out.values.append((offset, person, member))
    return out


def _check_existing_ids(parsed: list[_Row], report: ImportReport, columns: dict) -> None:
    hashes = [r.person.id_number_hash for r in parsed]
    existing = set()
    for i in range(0, len(hashes), 1000):
        existing.update(
            Person.objects.filter(id_number_hash__in=hashes[i : i + 1000]).values_list("id_number_hash", flat=True)
        )
    for row in parsed:
        if row.person.id_number_hash in existing:
            report.errors.append(
                CellError(row.sheet_row, column_letter(columns["公民身份号码"]), "该公民身份号码已登记，不能重复导入。")
            )


def import_members(data: bytes, *, user, today: date, dry_run: bool = False) -> ImportReport:
    """Validate the whole sheet; save every row or none."""
    report, parsed = validate(data, user=user, today=today)
    if not report.ok or dry_run:
        return report
    with transaction.atomic():
        persons = insert_rows(Person, [r.person for r in parsed])
        for row, person in zip(parsed, persons, strict=True):
            row.member.person = person  # sets the cache too: str(member) needs no query
        members = insert_rows(PartyMember, [r.member for r in parsed])
        transaction.on_commit(org_selectors.members_changed)  # COPY sends no signals
        # the scope of every saved row is the branch chosen from the importer's own scope;
        # re-check in the database before committing
        in_scope = org_policies.party_orgs.queryset(user, CHANGE).filter(pk__in={m.branch_id for m in members}).count()
        if in_scope != len({m.branch_id for m in members}):
            raise PermissionError("导入的党支部超出了您的管理范围。")
        audit.record_many(actor=user, action="people.person.import", objects=persons)
        audit.record_many(actor=user, action="people.partymember.import", objects=members)
    report.imported = len(members)
    return report


def template_workbook() -> bytes:
    from core.excel import write_xlsx

    example = [
        "张三",
        "男",
        "汉族",
        "110105194912310011",
        "1949-12-31",
        "大学",
        "正式党员",
        "（党支部名称）",
        "",
        "1975-07-01",
        "",
        "党政机关工作人员",
        "13800001234",
        "",
        "",
        "科员",
        "",
        "",
    ]
    return write_xlsx(sheet_title="党员信息", headers=TEMPLATE_HEADERS, rows=[example[: len(TEMPLATE_HEADERS)]],
                      title="党员信息导入模板", subtitle="带 * 的列为必填：姓名、公民身份号码、人员类别、所在党支部、加入党组织日期。日期格式如 2019-07-01。")  # fmt: skip
