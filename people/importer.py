"""Import party members from a messy .xlsx: all-or-nothing with a row/column error report.

The header row is the first row containing 姓名; header synonyms, merged title
rows, full-width digits and the date forms of formats/recruitment-ledger.md
are accepted. Every row is validated (BASE-01 ID numbers, duplicates in the
sheet and in the database, branches in the importer's scope, membership
dates); if any cell is bad nothing is saved and every bad cell is listed.

Large sheets are validated by forked workers (core.forking), which also make
each valid row ready for the database: the person and member rows encoded for
COPY with ids reserved beforehand, and one audit entry per row (the member with
the person created for it). The parent only chains the audit entries and writes,
slice by slice as the workers hand them over, inside a savepoint that a bad cell in
any later slice rolls back.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit, crypto, forking, pinyin
from core.bulk import encode_row, field_names, insert_encoded, reserve_ids, row_values
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
    id_column: str = ""  # letter of the ID number column, for errors found when saving

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0

    def as_dict(self) -> dict:
        return {"imported": self.imported, "errors": [e.as_dict() for e in self.errors]}


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


# the columns of the rows workers encode: every field, in table order (core.bulk.row_values)
PERSON_FIELDS = field_names(Person, lead=())
MEMBER_FIELDS = field_names(PartyMember, lead=())
PARALLEL_FROM = 20_000  # rows; below this one process is faster than forking workers
SLICES_PER_WORKER = 8  # 6,250 rows each of 100,000 on two cores: the first are written soon


@dataclass
class _Lookups:
    columns: dict[str, int]
    branches: dict[str, _Org]
    groups: dict[str, _Org]
    units: dict[str, int]
    today: date
    saving: _Saving | None  # None for a dry run: validation only


@dataclass
class _Saving:
    """What workers need to make valid rows ready for the database: ids reserved for
    every row of the sheet (rows left empty leave gaps), the time, the audit batch."""

    person_ids: list[int]
    member_ids: list[int]
    now: datetime  # created_at of the new persons
    audit: audit.Batch


@dataclass
class _Chunk:
    """What one worker found in its rows, and its valid rows made ready for the database.

    Flat lists of strings, one entry per valid row: 100,000 rows come back from the
    workers in a fraction of a second (a tuple per row took seconds to unpickle).
    """

    rows: int = 0
    errors: list[CellError] = field(default_factory=list)
    id_rows: list[tuple[str, int]] = field(default_factory=list)  # (ID number, sheet row) in row order
    sheet_rows: list[int] = field(default_factory=list)
    id_hashes: list[str] = field(default_factory=list)
    branch_ids: set[int] = field(default_factory=set)
    persons: list = field(default_factory=list)  # core.bulk.encode_row of every Person field (PERSON_FIELDS)
    members: list = field(default_factory=list)  # … of every PartyMember field (MEMBER_FIELDS)
    audit: list = field(default_factory=list)  # audit.Batch.prepare of one entry per row

    def extend(self, other: _Chunk) -> None:
        for name in ("sheet_rows", "id_hashes", "persons", "members", "audit"):
            getattr(self, name).extend(getattr(other, name))
        self.branch_ids |= other.branch_ids


def validate(
    data: bytes, *, user, today: date, batch: audit.Batch | None = None, sink=None
) -> tuple[ImportReport, _Chunk]:
    """Every check of the sheet but one: ID numbers already registered are left to
    ``import_members``. ``batch``: the valid rows are also made ready for the database
    (ids reserved, one audit entry of the batch each); ``sink``: called with each slice of them, in sheet order, as soon as
    its workers are done and for as long as no error has been found (an import writes
    while the rest is checked; the rows it is given are not kept in the result)."""
    report = ImportReport()
    # the organisations are read while the sheet is (python-calamine lets go of the GIL)
    with ThreadPoolExecutor(1) as pool:
        sheet = pool.submit(load_sheet, data, preferred="党员信息")
        (branches, groups), units = _org_lookup(user), _unit_lookup(user)
        rows = sheet.result()
    header_index = find_header(rows)
    if header_index is None:
        report.errors.append(CellError(0, "", "未找到表头：表格中应有一行包含“姓名”列。"))
        return report, _Chunk()
    columns, report.unknown_headers = map_columns(rows[header_index], COLUMNS)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        report.errors.append(CellError(header_index + 1, "", f"缺少必填列：{'、'.join(missing)}。"))
        return report, _Chunk()
    body = list(enumerate(rows[header_index + 1 :], start=header_index + 2))
    del rows
    prepare = None
    if batch is not None:
        prepare = _Saving(reserve_ids(Person, len(body)), reserve_ids(PartyMember, len(body)), timezone.now(), batch)
    lookups = _Lookups(columns, branches, groups, units, today, prepare)
    seen_ids: dict[str, int] = {}
    parsed = _Chunk()
    report.id_column = id_column = column_letter(columns["公民身份号码"])

    def take(chunk: _Chunk) -> None:
        report.rows += chunk.rows
        report.errors.extend(chunk.errors)
        for number, row in chunk.id_rows:  # duplicates across chunks (within one, the chunk found them)
            first = seen_ids.setdefault(number, row)
            if first != row:
                report.errors.append(CellError(row, id_column, f"与第 {first} 行的公民身份号码重复。"))
        if sink is not None and not report.errors:
            sink(chunk)
            chunk.persons = chunk.members = chunk.audit = []  # written: not kept
        parsed.extend(chunk)

    # the workers never use the database, so any database (even SQLite in memory) allows them
    workers = forking.cpu_count() if len(body) >= PARALLEL_FROM else 1
    if workers == 1:
        take(_validate_rows(body, lookups, 0))
    else:
        global _SHEET
        with _SHEET_LOCK:  # one large import at a time per process hands its sheet to workers
            _SHEET = (body, lookups)  # the workers read it through the fork: nothing to pickle
            try:
                bounds = _slices(len(body), workers)
                with forking.fork_imap(_validate_slice, bounds, workers) as chunks:
                    for chunk in chunks:
                        take(chunk)
            finally:
                _SHEET = None
    if report.rows == 0 and not report.errors:
        report.errors.append(CellError(header_index + 1, "", "表格中没有数据行。"))
    report.errors.sort(key=lambda e: (e.row, e.column))
    return report, parsed


def _slices(rows: int, workers: int) -> list[tuple[int, int]]:
    """Bounds of the slices the workers check: more slices than workers, so that the
    first are written while the rest are checked, and the first few a quarter of the
    size of the others, so that writing starts soon (each is written as it comes)."""
    size = -(-rows // (workers * SLICES_PER_WORKER))
    first = max(1, size // 4)
    bounds = [(i, min(i + first, rows)) for i in range(0, min(first * workers, rows), first)]
    start = bounds[-1][1]
    return bounds + [(i, min(i + size, rows)) for i in range(start, rows, size)]


_SHEET: tuple[list[tuple[int, list]], _Lookups] | None = None
_SHEET_LOCK = threading.Lock()


def _validate_slice(bounds: tuple[int, int]) -> _Chunk:
    body, lookups = _SHEET
    return _validate_rows(body[bounds[0] : bounds[1]], lookups, bounds[0])


def _validate_rows(body: list[tuple[int, list]], lookups: _Lookups, start: int) -> _Chunk:
    """Every check of one slice of the sheet that needs no database (runs in a worker);
    ``start``: the index of the slice's first row in the sheet's body (for its ids)."""
    columns, branches, groups, units, today, saving = (
        lookups.columns, lookups.branches, lookups.groups, lookups.units, lookups.today, lookups.saving
    )  # fmt: skip
    vendor = saving.audit.vendor if saving else ""
    out = _Chunk()
    seen_ids: dict[str, int] = {}
    for index, (offset, raw) in enumerate(body, start):
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
        id_hash = crypto.lookup_hash(facts.number)
        out.sheet_rows.append(offset)
        out.id_hashes.append(id_hash)
        out.branch_ids.add(branch.pk)
        if saving is None:
            continue
        phone = text.get("联系电话", "")
        name_pinyin, name_initials = pinyin.name_keys(name)
        pid, mid = saving.person_ids[index], saving.member_ids[index]
        person = row_values(Person, {
            "id": pid, "name": name, "name_pinyin": name_pinyin, "name_initials": name_initials, "gender": facts.gender,
            "ethnicity": ethnicity, "birth_date": facts.birth_date, "id_number_enc": crypto.encrypt(facts.number),
            "id_number_hash": id_hash, "id_number_masked": crypto.mask_id_number(facts.number),
            "id_last4": facts.number[-4:], "phone_enc": crypto.encrypt(phone), "phone_hash": crypto.lookup_hash(phone),
            "phone_masked": crypto.mask_phone(phone) if phone else "", "education": education, "job_code": job,
            "unit_id": unit if unit else branch.unit_id, "position": text.get("职务", ""),
            "rank": text.get("职级", ""), "address": text.get("家庭住址", ""), "created_at": saving.now,
            "updated_at": saving.now,
        }, lead=())  # fmt: skip
        member = row_values(PartyMember, {
            "id": mid, "person_id": pid, "status": status, "branch_id": branch.pk,
            "group_id": group.pk if group else None, "admitted_on": admitted, "probation_extension_months": extension,
            "full_member_on": full_on if status == PartyMember.FULL else None, "joined_org_on": admitted,
        }, lead=())  # fmt: skip
        out.persons.append(encode_row(person.values(), vendor))
        out.members.append(encode_row(member.values(), vendor))
        # one audit entry per row: the member, with the person created for it nested
        after = audit.dumps_sorted(
            audit.sorted_snapshot(PartyMember, member, extra={"person": audit.sorted_snapshot(Person, person)})
        )
        out.audit.append(
            saving.audit.prepare("people.partymember", str(mid), PartyMember.describe(name, status), after)
        )
    return out


def _existing_id_errors(parsed: _Chunk, id_column: str) -> list[CellError]:
    """Rows whose ID number is already registered."""
    hashes = parsed.id_hashes
    existing = set()
    for i in range(0, len(hashes), 10_000):
        existing.update(
            Person.objects.filter(id_number_hash__in=hashes[i : i + 10_000]).values_list("id_number_hash", flat=True)
        )
    if not existing:
        return []
    return [
        CellError(row, id_column, "该公民身份号码已登记，不能重复导入。")
        for row, id_hash in zip(parsed.sheet_rows, hashes, strict=True)
        if id_hash in existing
    ]


class _Rejected(Exception):
    """A sheet with a bad cell: what was written of it is undone."""


class _Writer:
    """Writes each slice of valid rows as it comes (``validate``'s sink): persons, members,
    their entries of the audit batch chained on."""

    def __init__(self, batch: audit.Batch):
        self.batch = batch
        self.imported = 0
        self.branch_ids: set[int] = set()

    def __call__(self, chunk: _Chunk) -> None:
        insert_encoded(Person, PERSON_FIELDS, chunk.persons)
        insert_encoded(PartyMember, MEMBER_FIELDS, chunk.members)
        self.batch.append(chunk.audit)
        self.imported += len(chunk.persons)
        self.branch_ids |= chunk.branch_ids


def import_members(data: bytes, *, user, today: date, dry_run: bool = False) -> ImportReport:
    """Validate the whole sheet; save every row or none.

    Rows are written while later ones are still checked, inside a savepoint that is
    rolled back if any cell is bad: a sheet with errors saves nothing.
    """
    # ID numbers already registered: a dry run or a sheet with errors looks them up; an
    # import lets the unique index find them while saving (no lookup of 100,000 hashes
    # before every import that has none), then reports them through a dry run
    with transaction.atomic():
        if dry_run:
            report, parsed = validate(data, user=user, today=today)
            return _with_existing_id_errors(report, parsed)
        batch = audit.Batch(actor=user, action="people.partymember.import")
        writer = _Writer(batch)
        # PostgreSQL checks the foreign keys of each slice as it is written, not all at the
        # commit: those checks too overlap the workers
        immediate = transaction.get_connection().vendor == "postgresql"
        try:
            with transaction.atomic():
                if immediate:
                    _set_constraints("IMMEDIATE")
                report, parsed = validate(data, user=user, today=today, batch=batch, sink=writer)
                if not report.ok:
                    raise _Rejected
                # the scope of every saved row is the branch chosen from the importer's
                # own scope; re-check in the database before committing
                in_scope = org_policies.party_orgs.queryset(user, CHANGE).filter(pk__in=writer.branch_ids).count()
                if in_scope != len(writer.branch_ids):
                    raise PermissionError("导入的党支部超出了您的管理范围。")
        except _Rejected:
            return _with_existing_id_errors(report, parsed)
        except IntegrityError:
            report = import_members(data, user=user, today=today, dry_run=True)
            if report.ok:  # not an ID number already registered
                raise
            return report
        finally:
            if immediate and not transaction.get_connection().needs_rollback:
                _set_constraints("DEFERRED")  # as Django declares them
        transaction.on_commit(org_selectors.members_changed)  # COPY sends no signals
    report.imported = writer.imported
    return report


def _set_constraints(mode: str) -> None:
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS ALL {mode}")


def _with_existing_id_errors(report: ImportReport, parsed: _Chunk) -> ImportReport:
    if parsed.id_hashes:
        report.errors.extend(_existing_id_errors(parsed, report.id_column))
        report.errors.sort(key=lambda e: (e.row, e.column))
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
