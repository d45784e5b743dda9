"""Reading, auditing and importing a recruitment ledger (formats/recruitment-ledger.md).

Reading is lenient about layout and strict about values: the first sheet (or the
one named 发展党员台账), the header row is the first row holding 姓名 (title rows
and merged cells above it are ignored; a second header row under merged group
headers is understood), header synonyms, merged cells filled from their first
cell, every accepted date form, full-width digits. A value that cannot be read
is an error naming the cell (``K7: 无法识别的日期 "2019.13.01"``).

Importing is all-or-nothing: any error and nothing is saved. An existing record
(the same ID number) is updated with the columns the sheet has; a person
approved by the superior committee becomes a probationary member, a converted
one a full member, through the same code the step service uses.
"""

from __future__ import annotations

import contextlib
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from python_calamine import CalamineWorkbook

from core import audit, crypto, pinyin
from core.excel import (
    CellError,
    UploadError,
    clean_header,
    clean_text,
    column_letter,
    parse_date,
    parse_int,
    parse_number,
    split_names,
)
from core.findings import Finding
from core.idnumber import IdNumberError, conflicts, parse
from core.policies import CHANGE
from core.services import save_audited
from orgs import policies as org_policies
from orgs.models import PartyOrg
from people import codes
from people.models import PartyMember, Person
from people.rules import member_dates_errors
from recruitment import facts as facts_module
from recruitment import policies, rules
from recruitment.ledger import (
    COLUMNS,
    DATE,
    DATES,
    INT,
    METHOD,
    METHOD_WORDS,
    NAMES,
    NUMBER,
    SEQ,
    SHEET,
    SYNONYMS,
)
from recruitment.models import Recruitment
from recruitment.services import (
    EvaluationInput,
    GuideInput,
    apply_related,
    apply_values,
    refresh_derived,
    sync_membership,
)

HEADER_TO_FIELD = {c.header: c.field for c in COLUMNS}
KIND = {c.field: c.kind for c in COLUMNS}
PERSON_FIELDS = ("name", "gender", "ethnicity", "id_number", "education")
GENDER_WORDS = {"男": "M", "女": "F"}
COUNT_FIELDS = tuple(
    f"{p}_{n}" for p in ("admission", "conversion") for n in ("due", "present", "written_in_favour", "in_favour")
)
SMALLINT_MAX = 32767
RECRUITING_KINDS = (PartyOrg.BRANCH, PartyOrg.GENERAL_BRANCH)


def _error(row: int, letter: str, message: str) -> CellError:
    """An error naming its cell: ``K7: 无法识别的日期 "2019.13.01"``."""
    ref = f"{letter}{row}" if letter else f"第 {row} 行"
    return CellError(row, letter, f"{ref}: {message}")


# --- reading ------------------------------------------------------------------------------


@dataclass
class LedgerRow:
    row: int  # sheet row number (1-based)
    values: dict[str, Any]  # field → parsed value, for the columns the sheet has
    text: dict[str, str]  # field → the cell's text
    errors: list[CellError] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values.get("name") or ""


@dataclass
class LedgerSheet:
    rows: list[LedgerRow] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)  # field → column letter
    unknown_headers: list[str] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)  # about the sheet as a whole

    def has(self, field_name: str) -> bool:
        return field_name in self.letters

    @property
    def cell_errors(self) -> list[CellError]:
        return [e for r in self.rows for e in r.errors]

    @property
    def all_errors(self) -> list[CellError]:
        return sorted([*self.errors, *self.cell_errors], key=lambda e: (e.row, e.column))


def _load_rows(data: bytes) -> list[list]:
    """The cells of the ledger sheet from A1, merged areas filled from their first cell."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        sheet = workbook.get_sheet_by_name(SHEET if SHEET in names else names[0])
        rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
        merged = sheet.merged_cell_ranges or []
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise UploadError("无法读取该 Excel 文件，文件可能已损坏或已加密。") from exc
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value
    return rows


def _lookup() -> dict[str, str]:
    lookup = {}
    for header, synonyms in SYNONYMS.items():
        for name in (header, *synonyms):
            lookup[name] = header
    return lookup


def _header_texts(rows: list[list], index: int) -> tuple[list[str], int]:
    """The header texts and the index of the last header row (two when a group header
    is merged over sub-headers, e.g. 发展对象公示 over 开始日期 / 结束日期)."""
    lookup = _lookup()
    top = [clean_header(c) for c in rows[index]]
    if index + 1 >= len(rows):
        return top, index
    sub_raw = rows[index + 1]
    name_col = top.index("姓名")
    name_cell = clean_header(sub_raw[name_col]) if name_col < len(sub_raw) else ""
    if name_cell not in ("", "姓名") or any(not isinstance(c, str) for c in sub_raw if c not in ("", None)):
        return top, index
    sub = [clean_header(c) for c in sub_raw]
    combined, matched = [], False
    for i in range(max(len(top), len(sub))):
        t = top[i] if i < len(top) else ""
        s = sub[i] if i < len(sub) else ""
        if not s or s == t:
            combined.append(t)
            continue
        candidates = [t + s, *(["转正" + s] if "转正" in t else []), s]
        found = next((c for c in candidates if c in lookup), None)
        matched = matched or found is not None
        combined.append(found or (t + s))
    return (combined, index + 1) if matched else (top, index)


def read_ledger(data: bytes) -> LedgerSheet:
    """Parse every cell of the ledger; errors are collected, never raised (except UploadError)."""
    sheet = LedgerSheet()
    rows = _load_rows(data)
    lookup = _lookup()
    header_index = next((i for i, row in enumerate(rows) if any(clean_header(c) == "姓名" for c in row)), None)
    if header_index is None:
        sheet.errors.append(CellError(0, "", "未找到表头：表格中应有一行包含“姓名”列。"))
        return sheet
    headers, last_header = _header_texts(rows, header_index)
    columns: dict[str, int] = {}
    for i, text in enumerate(headers):
        if not text:
            continue
        canonical = lookup.get(text)
        if canonical is None:
            if text not in sheet.unknown_headers:
                sheet.unknown_headers.append(text)
        elif HEADER_TO_FIELD[canonical] not in columns:
            columns[HEADER_TO_FIELD[canonical]] = i
    sheet.letters = {f: column_letter(i) for f, i in columns.items()}
    if "id_number" not in columns:
        sheet.errors.append(CellError(header_index + 1, "", "缺少必填列：公民身份号码。"))
        return sheet
    for index in range(last_header + 1, len(rows)):
        raw = rows[index]
        cells = {f: (raw[i] if i < len(raw) else "") for f, i in columns.items()}
        if all(clean_text(v) == "" for f, v in cells.items() if f != "seq"):
            continue
        sheet.rows.append(_parse_row(index + 1, cells, sheet.letters))
    if not sheet.rows:
        sheet.errors.append(CellError(last_header + 1, "", "表格中没有数据行。"))
    return sheet


def _parse_row(number: int, cells: dict[str, Any], letters: dict[str, str]) -> LedgerRow:
    row = LedgerRow(row=number, values={}, text={})
    for name, raw in cells.items():
        kind = KIND[name]
        text = clean_text(raw) if not hasattr(raw, "isoformat") else raw.isoformat()[:10]
        row.text[name] = text
        letter = letters[name]
        try:
            if kind == SEQ:
                continue
            if kind == DATE:
                row.values[name] = parse_date(raw)
            elif kind == DATES:
                row.values[name] = _parse_dates(raw, number, letter, row)
            elif kind == NAMES:
                row.values[name] = split_names(raw)
            elif kind == INT:
                row.values[name] = parse_int(raw)
            elif kind == NUMBER:
                row.values[name] = parse_number(raw)
            elif kind == METHOD:
                row.values[name] = METHOD_WORDS.get(text, text) if text else ""
            else:
                row.values[name] = text
        except ValueError:
            what = {DATE: "日期", INT: "整数", NUMBER: "数字"}[kind]
            row.errors.append(_error(number, letter, f'无法识别的{what} "{text}"'))
            row.values[name] = None
    if not row.values.get("name"):
        row.errors.append(_error(number, letters.get("name", ""), "姓名为空，但该行有其他内容"))
    return row


def _parse_dates(raw, number: int, letter: str, row: LedgerRow) -> list[date]:
    if raw in (None, ""):
        return []
    if hasattr(raw, "isoformat") or isinstance(raw, (int, float)):
        return [parse_date(raw)]
    result = []
    for part in split_names(raw):
        try:
            result.append(parse_date(part))
        except ValueError:
            row.errors.append(_error(number, letter, f'无法识别的日期 "{part}"'))
    return result


# --- the organisation and the people the sheet names ----------------------------------------------


ORG_KIND_WORDS = (
    ("临时", "TEMPORARY"),
    ("党组", "PARTY_GROUP"),
    ("总支", PartyOrg.GENERAL_BRANCH),
    ("支部", PartyOrg.BRANCH),
    ("工委", PartyOrg.WORKING_COMMITTEE),
    ("工作委员会", PartyOrg.WORKING_COMMITTEE),
    ("党委", PartyOrg.COMMITTEE),
    ("委员会", PartyOrg.COMMITTEE),
)


def infer_org_kind(name: str) -> str:
    """The kind of an organisation named in a sheet but not in the system (REC-16)."""
    for word, kind in ORG_KIND_WORDS:
        if word in name:
            return kind
    return ""


@dataclass
class Context:
    """What a sheet's names resolve to, within the organisation ``org`` (and ``user``'s scope)."""

    org: PartyOrg
    user: Any
    branches: dict[str, PartyOrg]
    orgs: dict[str, PartyOrg]
    members: dict[str, list[tuple[int, str, date | None, date | None, str]]]

    @classmethod
    def build(cls, org: PartyOrg, user, names: set[str]) -> Context:
        qs = PartyOrg.objects.filter(path__startswith=org.path)
        if user is not None:
            qs = qs.filter(pk__in=org_policies.party_orgs.queryset(user, CHANGE).values("pk"))
        branches: dict[str, PartyOrg] = {}
        for o in qs.filter(kind__in=RECRUITING_KINDS).order_by("path"):
            for key in (o.name, o.short_name, o.code):
                if key:
                    branches.setdefault(key, o)
        orgs: dict[str, PartyOrg] = {}
        for o in (
            PartyOrg.objects.exclude(kind=PartyOrg.GROUP)
            .order_by("path")
            .only("id", "name", "short_name", "code", "kind", "path")
        ):
            for key in (o.name, o.short_name, o.code):
                if key:
                    orgs.setdefault(key, o)
        members: dict[str, list] = defaultdict(list)
        for person_id, name, status, full_on, left_on, path in PartyMember.objects.filter(
            person__name__in=names, branch__path__startswith=org.path
        ).values_list("person_id", "person__name", "status", "full_member_on", "left_on", "branch__path"):
            members[name].append((person_id, status, full_on, left_on, path))
        return cls(org=org, user=user, branches=branches, orgs=orgs, members=dict(members))

    def member(self, name: str, branch: PartyOrg | None):
        """The one member of that name (preferring the row's branch), or None."""
        found = self.members.get(name, [])
        if branch is not None and len(found) > 1:
            found = [m for m in found if m[4].startswith(branch.path)] or found
        return found[0] if len(found) == 1 else None

    def full_on(self, name: str, branch: PartyOrg | None, on: date | None) -> bool:
        """Whether the named member was a full member on ``on``; True when unknown."""
        member = self.member(name, branch)
        if member is None:
            return True
        _, status, full_on, left_on, _ = member
        if status != PartyMember.FULL or full_on is None:
            return False
        return on is None or (full_on <= on and (left_on is None or left_on > on))

    def approving(self, text: str) -> tuple[PartyOrg | None, str]:
        if not text:
            return None, ""
        org = self.orgs.get(text)
        return (org, org.kind) if org else (None, infer_org_kind(text))


def _names_in(sheet: LedgerSheet) -> set[str]:
    return {n for r in sheet.rows for key in ("mentors", "sponsors") for n in r.values.get(key) or ()}


# --- auditing a sheet ---------------------------------------------------------------------------


def row_facts(row: LedgerRow, ctx: Context, branch: PartyOrg | None, today: date) -> rules.RecruitmentFacts:
    """The facts a sheet row states (for the audit of a sheet that is not imported)."""
    v = row.values
    birth = None
    with contextlib.suppress(IdNumberError):
        birth = parse(v.get("id_number") or "", today=today).birth_date
    mentor_on = v.get("activist_on")
    sponsor_on = v.get("candidate_on") or v.get("general_meeting_on")
    _, kind = ctx.approving(v.get("approving_org") or "")
    values = {k: v.get(k) for k in facts_module.PLAIN_FIELDS}
    for prefix in ("admission", "conversion"):
        for name in facts_module.BALLOT_FIELDS:
            values[f"{prefix}_{name}"] = v.get(f"{prefix}_{name}")
    values["training_hours"] = v.get("training_hours")
    values["approving_org_kind"] = kind
    return facts_module.build(
        values,
        birth_date=birth,
        evaluations=v.get("evaluations") or (),
        mentors=[rules.MemberRef(n, ctx.full_on(n, branch, mentor_on)) for n in v.get("mentors") or ()],
        sponsors=[rules.MemberRef(n, ctx.full_on(n, branch, sponsor_on)) for n in v.get("sponsors") or ()],
    )


@dataclass
class RowFindings:
    row: int
    name: str
    findings: list[Finding]


def audit_sheet(sheet: LedgerSheet, *, org: PartyOrg, user, today: date, calendar, settings) -> list[RowFindings]:
    """The REC findings of every readable row (rows with unreadable cells are left out)."""
    ctx = Context.build(org, user, _names_in(sheet))
    result = []
    for row in sheet.rows:
        if row.errors:
            continue
        branch = ctx.branches.get(row.values.get("branch") or "")
        facts = row_facts(row, ctx, branch, today)
        result.append(
            RowFindings(row.row, row.name, rules.audit(facts, today=today, calendar=calendar, settings=settings))
        )
    return result


def findings_json(results: list[RowFindings]) -> list[dict]:
    return [f.as_json(row=r.row, person=r.name) for r in results for f in r.findings]


# --- importing ----------------------------------------------------------------------------------


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    created: int = 0
    updated: int = 0
    errors: list[CellError] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    findings: list[RowFindings] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0

    def as_dict(self) -> dict:
        return {"imported": self.imported, "errors": [e.as_dict() for e in self.errors]}

    def by_rule(self) -> list[tuple[str, int, int]]:
        """(rule, error count, other count) over the sheet, in rule order."""
        errors, others = Counter(), Counter()
        for r in self.findings:
            for f in r.findings:
                (errors if f.is_error else others)[f.rule] += 1
        return sorted(((k, errors[k], others[k]) for k in set(errors) | set(others)), key=lambda t: _rule_key(t[0]))


def _rule_key(rule: str) -> tuple[int, str]:
    return int(rule[4:6]), rule


@dataclass
class _Plan:
    row: LedgerRow
    number: str  # normalised ID number
    branch: PartyOrg
    person: Person | None
    record: Recruitment | None
    gender: str
    birth: date


def _validate(sheet: LedgerSheet, ctx: Context, *, today: date) -> tuple[list[CellError], list[_Plan]]:
    errors: list[CellError] = []
    plans: list[_Plan] = []
    letters = sheet.letters
    seen: dict[str, int] = {}
    numbers = {}
    for row in sheet.rows:
        if row.errors:
            continue
        with contextlib.suppress(IdNumberError):
            numbers[row.row] = parse(row.values.get("id_number") or "", today=today)
    hashes = {crypto.lookup_hash(f.number): f.number for f in numbers.values()}
    persons = {
        p.id_number_hash: p
        for p in Person.objects.filter(id_number_hash__in=list(hashes)).select_related("recruitment__branch")
    }
    ethnicities = {e for e, _ in codes.ETHNICITY_CHOICES}
    for row in sheet.rows:
        if row.errors:
            continue
        v, n = row.values, row.row
        start = len(errors)

        def err(name: str, message: str, _n=n) -> None:
            errors.append(_error(_n, letters.get(name, ""), message))

        facts = numbers.get(n)
        if facts is None:
            try:
                parse(v.get("id_number") or "", today=today)
            except IdNumberError as exc:
                err("id_number", str(exc).rstrip("。"))
        else:
            gender = GENDER_WORDS.get(v.get("gender") or "")
            if v.get("gender") and gender is None:
                err("gender", f'无法识别的性别 "{v["gender"]}"，应为“男”或“女”')
            for _, message in conflicts(facts, gender=gender, birth_date=None):
                err("gender", message.rstrip("。"))
            if facts.number in seen:
                err("id_number", f"与第 {seen[facts.number]} 行的公民身份号码重复")
            seen.setdefault(facts.number, n)
        if v.get("ethnicity") and v["ethnicity"] not in ethnicities:
            err("ethnicity", f'无法识别的民族 "{v["ethnicity"]}"')
        if v.get("education") and codes.education_code(v["education"]) is None:
            err("education", f'无法识别的学历 "{v["education"]}"')
        branch_text = v.get("branch") or ""
        branch = ctx.branches.get(branch_text) if branch_text else None
        if branch is None and not branch_text and ctx.org.kind in RECRUITING_KINDS:
            branch = ctx.org
        if branch is None:
            shown = f"“{branch_text}”" if branch_text else "（未填写）"
            err("branch", f"党支部{shown}不存在或不在导入范围（{ctx.org.name}）内")
        for name in COUNT_FIELDS:
            value = v.get(name)
            if value is not None and not 0 <= value <= SMALLINT_MAX:
                err(name, f"人数 {value} 有误")
        months = v.get("extension_months")
        if months is not None and abs(months) > SMALLINT_MAX:
            err("extension_months", f"延长预备期月数 {months} 有误")
        hours = v.get("training_hours")
        if hours is not None and not 0 <= hours < 10000:
            err("training_hours", f"集中培训学时 {hours:g} 有误")
        for name in ("admission_method", "conversion_method"):
            method = v.get(name)
            if method and method not in (rules.BALLOT_SECRET, rules.BALLOT_HANDS):
                err(name, f'无法识别的表决方式 "{method}"，应为“无记名投票”或“举手”')
        person = persons.get(crypto.lookup_hash(facts.number)) if facts else None
        record = getattr(person, "recruitment", None) if person else None
        if record is not None and not record.branch.path.startswith(ctx.org.path):
            err("id_number", f"该人员已有发展党员记录，属于{record.branch.name}，不在导入范围内")
        if record is not None and ctx.user is not None and not policies.recruitments.may(ctx.user, CHANGE, record):
            err("id_number", "该人员的发展党员记录不在您的管理范围内")
        meeting, approved = v.get("general_meeting_on"), v.get("approved_on")
        if facts and meeting and approved and approved <= today and not (person and hasattr(person, "party_member")):
            for message in member_dates_errors(
                status=PartyMember.PROBATIONARY, admitted_on=meeting, full_on=None, birth_date=facts.birth_date,
                today=today,
            ).values():  # fmt: skip
                err("general_meeting_on", f"不能登记为预备党员：{message.rstrip('。')}")
        if len(errors) == start and facts and branch:
            plans.append(_Plan(row, facts.number, branch, person, record, facts.gender, facts.birth_date))
    return errors, plans


def import_ledger(
    data: bytes, *, org: PartyOrg, by, today: date, calendar, settings, dry_run: bool = False
) -> ImportReport:
    """Validate the whole sheet, audit it, and save every row or none."""
    report = ImportReport()
    sheet = read_ledger(data)
    report.rows = len(sheet.rows)
    report.unknown_headers = sheet.unknown_headers
    ctx = Context.build(org, by, _names_in(sheet))
    errors, plans = _validate(sheet, ctx, today=today) if not sheet.errors else ([], [])
    report.errors = sorted([*sheet.all_errors, *errors], key=lambda e: (e.row, e.column))
    report.findings = audit_sheet(sheet, org=org, user=by, today=today, calendar=calendar, settings=settings)
    if not report.ok or dry_run:
        return report
    with transaction.atomic():
        for plan in plans:
            created = _save_plan(plan, sheet, ctx, by=by, today=today)
            report.created += created
            report.updated += not created
        saved = Recruitment.objects.filter(person__id_number_hash__in=[crypto.lookup_hash(p.number) for p in plans])
        if saved.exclude(branch__path__startswith=org.path).exists():
            raise PermissionError("导入的记录超出了导入范围。")
        if by is not None and policies.recruitments.queryset(by, CHANGE, saved).count() != len(plans):
            raise PermissionError("导入的记录超出了您的管理范围。")
    report.imported = len(plans)
    return report


def _person_for(plan: _Plan, by) -> Person:
    if plan.person is not None:
        return plan.person
    v = plan.row.values
    name = v["name"]
    person = Person(
        name=name,
        name_pinyin=pinyin.full_pinyin(name),
        name_initials=pinyin.initials(name),
        gender=plan.gender,
        birth_date=plan.birth,
        ethnicity=v.get("ethnicity") or "汉族",
        education=codes.education_code(v.get("education") or "") or "21",
        unit_id=plan.branch.unit_id,
    )
    person.id_number = plan.number
    person.phone = ""
    return save_audited(person, by=by, policy=None, action="recruitment.import.person")


def _save_plan(plan: _Plan, sheet: LedgerSheet, ctx: Context, *, by, today: date) -> bool:
    """Create or update one record from its row: only the columns the sheet has are written."""
    v = plan.row.values
    person = _person_for(plan, by)
    created = plan.record is None
    if created:
        record, before = Recruitment(person=person, branch=plan.branch), None
    else:
        record = facts_module.with_related(Recruitment.objects.filter(pk=plan.record.pk)).get()
        before = {**audit.snapshot(record), **_related_snapshot(record)}
    values = {}
    for column in COLUMNS:
        name = column.field
        if not sheet.has(name) or name in PERSON_FIELDS or name in ("seq", "mentors", "sponsors", "evaluations"):
            continue
        if name == "branch":
            values["branch"] = plan.branch
        elif name == "approving_org":
            continue
        elif name == "notes":
            values[name] = v.get(name) or ""
        elif name == "training_hours":
            hours = v.get(name)
            values[name] = None if hours is None else _decimal(hours)
        else:
            values[name] = v.get(name)
    apply_values(record, values)
    if sheet.has("approving_org"):
        text = v.get("approving_org") or ""
        org, kind = ctx.approving(text)
        record.approving_org, record.approving_org_kind = org, kind
        record.approving_org_name = "" if org else text
    record.full_clean()
    record.save()
    apply_related(record, _related_inputs(plan, sheet, ctx), today=today)
    record._prefetched_objects_cache = {}
    facts = facts_module.facts_of(record)
    refresh_derived(record, facts, today=today)
    record.save(update_fields=["stage", "probation_end_on", "next_due_on", "next_due_text", "updated_at"])
    after = {**audit.snapshot(record), **_related_snapshot(record)}
    if created or audit.diff(before, after):
        action = "recruitment.import.create" if created else "recruitment.import.update"
        audit.record(actor=by, action=action, obj=record, before=before, after=after)
    sync_membership(record, facts, by=by, today=today)
    return created


def _related_snapshot(record: Recruitment) -> dict:
    return {
        "mentors": [m.name for m in record.mentors.all()],
        "sponsors": [s.name for s in record.sponsors.all()],
        "evaluations": sorted(e.on.isoformat() for e in record.evaluations.all() if e.kind == "CULTIVATION"),
    }


def _related_inputs(plan: _Plan, sheet: LedgerSheet, ctx: Context) -> dict:
    v = plan.row.values
    related: dict = {}
    found: dict[str, list] = {}
    for key in ("mentors", "sponsors"):
        if sheet.has(key):
            found[key] = [(name, ctx.member(name, plan.branch)) for name in v.get(key) or ()]
    people = Person.objects.in_bulk([m[0] for pairs in found.values() for _, m in pairs if m])
    for key, pairs in found.items():
        related[key] = [GuideInput(name=name, person=people.get(m[0]) if m else None) for name, m in pairs]
    if sheet.has("evaluations"):
        related["evaluations"] = [EvaluationInput(on=d) for d in v.get("evaluations") or ()]
    return related


def _decimal(value: float) -> Decimal:
    try:
        return Decimal(str(round(value, 1)))
    except InvalidOperation:  # pragma: no cover - parse_number only returns finite floats here
        return Decimal(0)
