"""Writes of the dues area: pay bases, monthly rolls, payments, payroll imports,
reductions and the yearly publication. Each runs in one transaction and is audited;
bad input raises ``ValidationError`` with a Chinese message and saves nothing.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.scope import scope_of
from core import audit, crypto
from core import rule_settings as rs
from core.dates import add_months
from core.excel import CellError, clean_header, clean_text, column_letter, find_header, load_sheet, map_columns
from core.findings import Finding
from core.idnumber import normalise
from core.policies import CHANGE
from core.services import save_audited
from dues import policies, rules
from dues.models import PARTY, UNION, DuesLine, DuesPayment, DuesPublication, DuesReduction, DuesRoll, PayBase
from orgs.models import PartyOrg, UnionOrg
from people.models import PartyMember, Person, UnionMember
from union.rules import union_dues

ZERO = Decimal("0.00")
SCHEME_LABELS = {PARTY: "党费", UNION: "会费"}


def month_of(d: date) -> date:
    return d.replace(day=1)


def fmt_month(d: date) -> str:
    return f"{d.year}年{d.month}月"


def _amount(value, *, field_name: str, label: str) -> Decimal:
    try:
        return rules.parse_amount(value, label=label)
    except ValueError as exc:
        raise ValidationError({field_name: str(exc)}) from None


# ---------------------------------------------------------------- pay bases


def pay_base_record(
    *, by, person: Person, scheme: str, amount, effective_from: date, kind: str = rules.SALARY, note: str = "", today
) -> PayBase:
    """Record a member's base from ``effective_from``'s month (one record per month:
    a second one for the same month replaces the amount). Negative or non-numeric
    bases are refused; a farmer's "base" is his chosen 0.20–1.00 (DUES-04)."""
    if scheme not in (PARTY, UNION):
        raise ValidationError({"scheme": "请选择党费或工会会费。"})
    value = _amount(amount, field_name="amount", label="计算基数")
    if scheme == UNION:
        kind = rules.SALARY
    if kind not in rules.KIND_LABELS:
        raise ValidationError({"kind": "请选择党员交费类别。"})
    if scheme == PARTY:
        try:
            rules.monthly_dues(kind, value)
        except ValueError as exc:
            raise ValidationError({"amount": str(exc)}) from None
    if scheme == PARTY and not PartyMember.objects.filter(person=person, left_on__isnull=True).exists():
        raise ValidationError({"person": f"{person.name}不是在册党员，不能登记党费基数。"})
    if scheme == UNION and not UnionMember.objects.filter(person=person, left_on__isnull=True).exists():
        raise ValidationError({"person": f"{person.name}不是在册工会会员，不能登记会费基数。"})
    start = month_of(effective_from)
    with transaction.atomic():
        base = PayBase.objects.filter(person=person, scheme=scheme, effective_from=start).first() or PayBase(
            person=person, scheme=scheme, effective_from=start
        )
        base.kind, base.amount, base.note = kind, value, note
        return save_audited(base, by=by, policy=policies.pay_bases)


# ---------------------------------------------------------------- monthly roll


@dataclass
class RollResult:
    scheme: str
    month: date
    lines: int = 0  # lines written (new or recomputed)
    kept_paid: int = 0  # lines already paid, left as they were
    removed: int = 0  # unpaid lines of people no longer members
    missing_base: int = 0
    rolls: int = 0
    due: Decimal = ZERO


def _base_records(rows: Iterable[tuple]) -> dict[int, list[tuple[date, str, Decimal]]]:
    records: dict[int, list] = defaultdict(list)
    for person_id, effective_from, kind, amount in rows:
        records[person_id].append((effective_from, kind, amount))
    return records


def _base_and_kind(records: list[tuple[date, str, Decimal]], month: date, policy: str) -> tuple[Decimal | None, str]:
    """DUES-07 through ``rules.base_for_month``; the kind is the one of the record in force."""
    if not records:
        return None, rules.SALARY
    base = rules.base_for_month(
        [rules.BaseRecord(effective_from=eff, base=amount) for eff, _, amount in records], month, policy=policy
    )
    in_force = [r for r in records if r[0] <= month]
    kind = max(in_force)[1] if in_force else rules.SALARY
    return base, kind


def roll_compute(*, by, scheme: str, month: date, org=None, today: date) -> RollResult:
    """Compute and save the monthly roll of ``month`` for every organisation in the actor's
    scope (or under ``org``): one line per member with his base and his due.

    Party dues (DUES-02…07): members admitted by the end of the month (DUES-06) and not
    left before it; the base in force per DUES_BASE_POLICY; approved reductions and
    exemptions (DUES-08) replace the amount. Union dues (UNION-01): 0.5 % of the base.
    Lines already paid are never changed; repeating the computation is safe.
    """
    scope = scope_of(by)
    if not policies.may_manage(scope, scheme):
        raise PermissionDenied(f"您无权生成{SCHEME_LABELS.get(scheme, '')}台账。")
    month = month_of(month)
    if month > month_of(add_months(today, 1)):
        raise ValidationError({"month": "只能生成本月及以前（最多提前一个月）的台账。"})
    root_path = scope.party_path if scheme == PARTY else scope.union_path
    if org is not None:
        if not org.path.startswith(root_path):
            raise PermissionDenied("所选组织不在您的管理范围内。")
        root_path = org.path
    month_end = add_months(month, 1)
    result = RollResult(scheme=scheme, month=month)
    with transaction.atomic():
        if scheme == PARTY:
            members_qs = PartyMember.objects.filter(
                branch__path__startswith=root_path, admitted_on__lt=month_end
            ).filter(Q(left_on__isnull=True) | Q(left_on__gte=month))
            members = list(members_qs.values_list("person_id", "branch_id"))
            base_rows = PayBase.objects.filter(
                scheme=PARTY, effective_from__lt=month_end, person_id__in=members_qs.values("person_id")
            ).values_list("person_id", "effective_from", "kind", "amount")
            policy_name = rs.value("DUES_BASE_POLICY")
            reductions = {
                r.person_id: r
                for r in DuesReduction.objects.filter(
                    status=DuesReduction.APPROVED,
                    from_month__lte=month,
                    to_month__gte=month,
                    person_id__in=members_qs.values("person_id"),
                ).order_by("approved_on", "id")
            }
        else:
            members_qs = UnionMember.objects.filter(
                union_org__path__startswith=root_path, joined_on__lt=month_end
            ).filter(Q(left_on__isnull=True) | Q(left_on__gte=month))
            members = list(members_qs.values_list("person_id", "union_org_id"))
            base_rows = PayBase.objects.filter(
                scheme=UNION, effective_from__lt=month_end, person_id__in=members_qs.values("person_id")
            ).values_list("person_id", "effective_from", "kind", "amount")
            policy_name = rules.POLICY_MONTHLY  # union dues follow the pay of the month
            reductions = {}
        records = _base_records(base_rows)
        org_ids = sorted({org_id for _, org_id in members})
        roll_ids = _ensure_rolls(scheme=scheme, month=month, org_ids=org_ids, by=by)
        result.rolls = len(roll_ids)
        member_ids = {person_id for person_id, _ in members}
        # The month's lines of these members (wherever they are) and of these rolls (whoever they are).
        existing = list(
            DuesLine.objects.filter(scheme=scheme, month=month)
            .filter(Q(person_id__in=members_qs.values("person_id")) | Q(roll_id__in=list(roll_ids.values())))
            .values_list("pk", "person_id", "payment_id")
        )
        paid = {person_id for _, person_id, payment_id in existing if payment_id}
        stale = [pk for pk, person_id, payment_id in existing if person_id not in member_ids and not payment_id]
        rows = []
        for person_id, org_id in members:
            if person_id in paid:
                result.kept_paid += 1
                continue
            base, kind = _base_and_kind(records.get(person_id, []), month, policy_name)
            due, reduction = ZERO, None
            if scheme == PARTY:
                if base is not None or kind in rules.FLAT_KINDS:
                    try:
                        due = rules.monthly_dues(kind, base)
                    except ValueError:
                        base = None
                reduction = reductions.get(person_id)
                if reduction is not None:
                    due = ZERO if reduction.kind == DuesReduction.EXEMPT else reduction.monthly_amount
            elif base is not None:
                due = union_dues(base)
            if base is None and kind not in rules.FLAT_KINDS:
                result.missing_base += 1
            result.due += due
            rows.append((roll_ids[org_id], person_id, scheme, month, kind, base, due,
                         reduction.pk if reduction else None))  # fmt: skip
        _upsert_lines(rows)
        result.lines = len(rows)
        if stale:
            result.removed, _ = DuesLine.objects.filter(pk__in=stale, payment__isnull=True).delete()
        DuesRoll.objects.filter(pk__in=roll_ids.values()).update(computed_at=timezone.now(), computed_by=by)
        audit.record(
            actor=by, action="dues.duesroll.compute", object_type="dues.duesroll", object_id=f"{scheme}-{month:%Y-%m}",
            object_repr=f"{fmt_month(month)}{SCHEME_LABELS[scheme]}台账（{org.name if org else scope.org_name}）",
            after={"lines": result.lines, "kept_paid": result.kept_paid, "removed": result.removed,
                   "missing_base": result.missing_base, "due": str(result.due), "rolls": result.rolls},
        )  # fmt: skip
    return result


def _upsert_lines(rows: list[tuple]) -> None:
    """Insert or (on the one-line-per-member-and-month key) update roll lines, 500 rows per
    statement: at 25,000 lines the ORM's per-object preparation, or one round trip per
    row, would cost more than the database work. Works on SQLite and PostgreSQL."""
    table = DuesLine._meta.db_table
    head = (
        f"INSERT INTO {table} (roll_id, person_id, scheme, month, kind, base, due, reduction_id, payment_id, "
        "excused_reason) VALUES "
    )
    tail = (
        " ON CONFLICT (scheme, person_id, month) DO UPDATE SET roll_id = excluded.roll_id, kind = excluded.kind, "
        "base = excluded.base, due = excluded.due, reduction_id = excluded.reduction_id"
    )
    one = "(%s, %s, %s, %s, %s, %s, %s, %s, NULL, '')"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            cursor.execute(head + ", ".join([one] * len(batch)) + tail, [v for row in batch for v in row])


def _ensure_rolls(*, scheme: str, month: date, org_ids: list[int], by) -> dict[int, int]:
    """org id → roll id for ``month``, creating the rolls that do not exist yet."""
    org_field = "party_org_id" if scheme == PARTY else "union_org_id"
    have = dict(
        DuesRoll.objects.filter(scheme=scheme, month=month, **{f"{org_field}__in": org_ids}).values_list(
            org_field, "id"
        )
    )
    now = timezone.now()
    missing = [
        DuesRoll(scheme=scheme, month=month, computed_at=now, computed_by=by, **{org_field: oid})
        for oid in org_ids
        if oid not in have
    ]
    if missing:
        DuesRoll.objects.bulk_create(missing, batch_size=2000)
        have.update(
            DuesRoll.objects.filter(scheme=scheme, month=month, **{f"{org_field}__in": org_ids}).values_list(
                org_field, "id"
            )
        )
    return have


# ---------------------------------------------------------------- payments


@dataclass
class PaymentResult:
    payment: DuesPayment
    findings: list[Finding] = field(default_factory=list)


def payment_record(
    *,
    by,
    person: Person,
    scheme: str,
    months: list[date],
    amount,
    paid_on: date,
    method: str = "CASH",
    note: str = "",
    today: date,
) -> PaymentResult:
    """Record one payment covering ``months`` (monthly or quarterly payment, DUES-09).

    The amount must cover the dues of those months; for party dues what is paid above
    is a voluntary extra payment (DUES-10: above 1000 flagged for remittance in full);
    union dues are paid exactly. A month already paid, or whose roll does not exist,
    is refused and nothing is saved. Back payment of more than six months is a warning.
    """
    if not months:
        raise ValidationError({"months": "请选择交纳的月份。"})
    if paid_on > today:
        raise ValidationError({"paid_on": "交纳日期不能晚于今天。"})
    value = _amount(amount, field_name="amount", label="实交金额")
    wanted = sorted({month_of(m) for m in months})
    label = SCHEME_LABELS[scheme]
    with transaction.atomic():
        lines = list(
            DuesLine.objects.select_for_update(of=("self",))
            .filter(person=person, scheme=scheme, month__in=wanted)
            .select_related("payment")
            .order_by("month")
        )
        found = {line.month for line in lines}
        absent = [m for m in wanted if m not in found]
        if absent:
            listed = "、".join(fmt_month(m) for m in absent)
            raise ValidationError({"months": f"{listed}的{label}台账尚未生成，请先生成台账。"})
        for line in lines:
            if not policies.lines.may(by, CHANGE, line):
                raise PermissionDenied("该党员（会员）不在您的管理范围内。")
            if line.payment_id:
                raise ValidationError(
                    {
                        "months": f"{fmt_month(line.month)}的{label}已于{line.payment.paid_on:%Y-%m-%d}交纳，不能重复登记。"
                    }
                )
        due = sum((line.due for line in lines), ZERO)
        if value < due:
            raise ValidationError({"amount": f"实交金额{value:,.2f}元少于应交{label}{due:,.2f}元。"})
        extra = value - due
        if scheme == UNION and extra:
            raise ValidationError({"amount": f"工会会费应按应交金额{due:,.2f}元交纳。"})
        findings = rules.check_back_payment(months_covered=wanted, paid_on=paid_on)
        if scheme == PARTY and extra:
            findings += rules.check_voluntary_payment(extra)
        payment = DuesPayment(
            person=person, scheme=scheme, amount=value, voluntary_extra=extra,
            remit_in_full=scheme == PARTY and rules.must_remit_in_full(extra), paid_on=paid_on,
            method=method, note=note, recorded_by=by,
        )  # fmt: skip
        save_audited(payment, by=by, policy=policies.payments)
        DuesLine.objects.filter(pk__in=[line.pk for line in lines]).update(payment=payment)
    return PaymentResult(payment=payment, findings=findings)


def excuse_record(*, by, line: DuesLine, reason: str) -> DuesLine:
    """DUES-09: record the reason a month is not paid (breaks a run of unpaid months)."""
    reason = reason.strip()
    if line.payment_id and reason:
        raise ValidationError({"reason": "该月已交纳，无需登记未交原因。"})
    line.excused_reason = reason
    return save_audited(line, by=by, policy=policies.lines, action="dues.duesline.excuse")


# ---------------------------------------------------------------- payroll import

ID_HEADERS = ("公民身份号码", "身份证号", "身份证号码", "证件号码", "身份证")
SYNONYMS = {
    "id_number": ID_HEADERS,
    "name": ("姓名",),
    "party": ("党费", "代扣党费", "党费(元)", "党费（元）", "扣党费"),
    "union": ("会费", "工会会费", "代扣会费", "会费(元)", "会费（元）", "扣会费", "工会会费（元）"),
    "month": ("月份", "所属月份", "扣款月份", "工资月份"),
}
_MONTH_RE = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(?:\d{1,2}日)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
]


def parse_month(value) -> date | None:
    """A month from a cell or a form: 2026-03, 2026/3, 2026年3月, 202603 or a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    text = clean_text(value)
    for pattern in _MONTH_RE:
        m = pattern.match(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12 and 1900 < year < 2200:
                return date(year, month, 1)
    raise ValueError(f"月份“{text}”无法识别，应写作 2026-03 或 2026年3月。")


@dataclass
class ImportRow:
    row: int
    person: Person
    scheme: str
    month: date
    amount: Decimal
    line_id: int
    due: Decimal


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[CellError] = field(default_factory=list)
    payments: list[ImportRow] = field(default_factory=list)
    imported: int = 0
    total: Decimal = ZERO
    batch: str = ""

    @property
    def ok(self) -> bool:
        return self.rows > 0 and not self.errors


def payroll_import(*, by, data: bytes, month: date | None, paid_on: date, today: date, dry_run: bool) -> ImportReport:
    """Import a payroll deduction sheet (.xlsx): one row per person, matched by ID number,
    with a 党费 and/or 会费 column (and optionally 月份, else ``month``).

    Every row is checked first; an unknown ID number, a name that does not match, a month
    already paid or without a roll, or an amount below the due lists the row and nothing
    at all is saved. Otherwise one payment per person, scheme and month is recorded.
    """
    report = ImportReport()
    rows = load_sheet(data)
    header_index = None
    for i, row in enumerate(rows):
        if any(clean_header(c) in ID_HEADERS for c in row):
            header_index = i
            break
    if header_index is None:
        header_index = find_header(rows)
    if header_index is None:
        report.errors.append(CellError(1, "", "未找到表头：表格须有“公民身份号码”（或“身份证号”）列。"))
        return report
    columns, _ = map_columns(rows[header_index], SYNONYMS)
    if "id_number" not in columns:
        report.errors.append(CellError(header_index + 1, "", "未找到“公民身份号码”（或“身份证号”）列。"))
        return report
    schemes = [s for s, key in ((PARTY, "party"), (UNION, "union")) if key in columns]
    if not schemes:
        report.errors.append(CellError(header_index + 1, "", "未找到“党费”或“会费”列。"))
        return report
    if paid_on > today:
        report.errors.append(CellError(header_index + 1, "", "扣款日期不能晚于今天。"))
        return report

    def cell(row, key):
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    parsed = []
    hashes = set()
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(clean_text(c) for c in row):
            continue
        report.rows += 1
        number = normalise(clean_text(cell(row, "id_number"))).upper()
        if not number:
            report.errors.append(CellError(offset, column_letter(columns["id_number"]), "公民身份号码为空。"))
            continue
        row_month = month
        if "month" in columns:
            try:
                row_month = parse_month(cell(row, "month")) or month
            except ValueError as exc:
                report.errors.append(CellError(offset, column_letter(columns["month"]), str(exc)))
                continue
        if row_month is None:
            report.errors.append(CellError(offset, "", "未指定扣款所属月份。"))
            continue
        hashed = crypto.lookup_hash(number)
        hashes.add(hashed)
        parsed.append((offset, row, number, hashed, row_month))
    persons = {p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=hashes)}
    wanted: list[tuple] = []
    for offset, row, number, hashed, row_month in parsed:
        person = persons.get(hashed)
        if person is None:
            masked = crypto.mask_id_number(number)
            report.errors.append(
                CellError(offset, column_letter(columns["id_number"]), f"公民身份号码{masked}在系统中没有对应人员。")
            )
            continue
        name = clean_text(cell(row, "name")) if "name" in columns else ""
        if name and name != person.name:
            report.errors.append(
                CellError(offset, column_letter(columns["name"]), f"姓名“{name}”与该身份号码登记的姓名不一致。")
            )
            continue
        for scheme in schemes:
            key = "party" if scheme == PARTY else "union"
            raw = cell(row, key)
            if clean_text(raw) == "":
                continue
            try:
                amount = rules.parse_amount(clean_text(raw), label=SCHEME_LABELS[scheme])
            except ValueError as exc:
                report.errors.append(CellError(offset, column_letter(columns[key]), str(exc)))
                continue
            if amount == 0:
                continue
            wanted.append((offset, person, scheme, row_month, amount, column_letter(columns[key])))
    keys = {(p.pk, s, m) for _, p, s, m, _, _ in wanted}
    lines = {}
    if keys:
        line_qs = policies.lines.queryset(by, CHANGE).filter(
            person_id__in={k[0] for k in keys}, month__in={k[2] for k in keys}, scheme__in={k[1] for k in keys}
        )
        lines = {(line.person_id, line.scheme, line.month): line for line in line_qs.select_related("payment")}
    seen = set()
    for offset, person, scheme, row_month, amount, col in wanted:
        label = SCHEME_LABELS[scheme]
        line = lines.get((person.pk, scheme, row_month))
        if line is None:
            report.errors.append(
                CellError(
                    offset,
                    col,
                    f"{person.name}{fmt_month(row_month)}的{label}台账不存在或不在您的管理范围内，请先生成台账。",
                )
            )
            continue
        if line.payment_id or (person.pk, scheme, row_month) in seen:
            when = f"已于{line.payment.paid_on:%Y-%m-%d}交纳" if line.payment_id else "在本表中重复出现"
            report.errors.append(
                CellError(offset, col, f"{person.name}{fmt_month(row_month)}的{label}{when}，不能重复登记。")
            )
            continue
        if amount < line.due or (scheme == UNION and amount != line.due):
            report.errors.append(
                CellError(
                    offset,
                    col,
                    f"{person.name}{fmt_month(row_month)}应交{label}{line.due:,.2f}元，表中为{amount:,.2f}元。",
                )
            )
            continue
        seen.add((person.pk, scheme, row_month))
        report.payments.append(ImportRow(offset, person, scheme, row_month, amount, line.pk, line.due))
        report.total += amount
    if report.errors or dry_run or not report.payments:
        return report
    report.batch = f"PAYROLL-{timezone.localtime():%Y%m%d%H%M%S}-{uuid.uuid4().hex[:6]}"
    with transaction.atomic():
        locked = set(
            DuesLine.objects.select_for_update()
            .filter(pk__in=[p.line_id for p in report.payments], payment__isnull=True)
            .values_list("pk", flat=True)
        )
        if len(locked) != len(report.payments):
            report.errors.append(CellError(0, "", "导入期间台账已被他人修改，请重新上传。"))
            return report
        payments = []
        for item in report.payments:
            extra = item.amount - item.due
            payments.append(
                DuesPayment(
                    person=item.person,
                    scheme=item.scheme,
                    amount=item.amount,
                    voluntary_extra=extra,
                    remit_in_full=item.scheme == PARTY and rules.must_remit_in_full(extra),
                    paid_on=paid_on,
                    method="PAYROLL",
                    source=DuesPayment.PAYROLL,
                    batch=report.batch,
                    recorded_by=by,
                )  # fmt: skip
            )
        DuesPayment.objects.bulk_create(payments, batch_size=2000)
        by_line = [
            DuesLine(pk=item.line_id, payment_id=p.pk) for item, p in zip(report.payments, payments, strict=True)
        ]
        DuesLine.objects.bulk_update(by_line, ["payment"], batch_size=2000)
        audit.record_many(actor=by, action="dues.duespayment.import", objects=payments)
        report.imported = len(payments)
    return report


# ---------------------------------------------------------------- reductions (DUES-08)


def reduction_apply(
    *, by, person: Person, kind: str, from_month: date, to_month: date, reason: str, applied_on: date,
    monthly_amount=None, today: date,
) -> DuesReduction:  # fmt: skip
    """DUES-08 step 1: record the member's application to pay less (or nothing)."""
    member = PartyMember.objects.filter(person=person, left_on__isnull=True).select_related("branch").first()
    if member is None:
        raise ValidationError({"person": "只有在册党员可以申请少交或免交党费。"})
    if applied_on > today:
        raise ValidationError({"applied_on": "申请日期不能晚于今天。"})
    if month_of(to_month) < month_of(from_month):
        raise ValidationError({"to_month": "截止月份不能早于起始月份。"})
    amount = None
    if kind == DuesReduction.REDUCE:
        if monthly_amount in (None, ""):
            raise ValidationError({"monthly_amount": "少交党费须填写每月交纳金额。"})
        amount = _amount(monthly_amount, field_name="monthly_amount", label="每月交纳金额")
    reduction = DuesReduction(
        person=person, branch=member.branch, kind=kind, monthly_amount=amount, from_month=month_of(from_month),
        to_month=month_of(to_month), reason=reason.strip(), applied_on=applied_on, created_by=by,
    )  # fmt: skip
    return save_audited(reduction, by=by, policy=policies.reductions)


def reduction_study(*, by, reduction: DuesReduction, studied_on: date, today: date) -> DuesReduction:
    """DUES-08 step 2: the branch studied the application."""
    if reduction.status != DuesReduction.PENDING:
        raise ValidationError({"studied_on": "该申请不在待支部研究状态。"})
    if studied_on > today or studied_on < reduction.applied_on:
        raise ValidationError({"studied_on": "支部研究日期应在申请日期之后、今天之前。"})
    reduction.branch_studied_on = studied_on
    reduction.status = DuesReduction.STUDIED
    return save_audited(reduction, by=by, policy=policies.reductions, action="dues.duesreduction.study")


def reduction_decide(
    *, by, reduction: DuesReduction, approve: bool, decided_on: date, note: str = "", today: date
) -> DuesReduction:
    """DUES-08 step 3: the committee above the branch approves or rejects. The branch's own
    administrator cannot approve its own member's reduction."""
    scope = scope_of(by)
    branch_path = reduction.branch.path
    above = scope is not None and scope.party_path and branch_path.startswith(scope.party_path)
    if not above or scope.party_path == branch_path:
        raise PermissionDenied("少交或免交党费须由上一级党委批准。")
    if reduction.status != DuesReduction.STUDIED:
        raise ValidationError({"decided_on": "须先由党支部研究后，再报上一级党委审批。"})
    if decided_on > today:
        raise ValidationError({"decided_on": "审批日期不能晚于今天。"})
    if approve:
        findings = rules.check_reduction(
            applied_on=reduction.applied_on, branch_studied_on=reduction.branch_studied_on, approved_on=decided_on,
            exemption=reduction.kind == DuesReduction.EXEMPT,
        )  # fmt: skip
        errors = [f.message for f in findings]
        if errors:
            raise ValidationError({"decided_on": errors})
        reduction.approved_on = decided_on
    reduction.status = DuesReduction.APPROVED if approve else DuesReduction.REJECTED
    reduction.decision_note = note
    return save_audited(reduction, by=by, policy=policies.reductions, action="dues.duesreduction.decide")


# ---------------------------------------------------------------- publication (DUES-11)


def publication_publish(
    *, by, branch: PartyOrg, year: int, due: Decimal, paid: Decimal, used=ZERO, note: str = "", today: date
) -> DuesPublication:
    """DUES-11: publish a branch's yearly collection (and use) to its members, once a year."""
    if year > today.year:
        raise ValidationError({"year": "不能公布未来年度的党费收缴情况。"})
    used_value = _amount(used, field_name="used", label="使用（上缴）金额")
    publication = DuesPublication.objects.filter(branch=branch, year=year).first() or DuesPublication(
        branch=branch, year=year
    )
    publication.published_on, publication.due, publication.paid = today, due, paid
    publication.used, publication.note, publication.published_by = used_value, note, by
    return save_audited(publication, by=by, policy=policies.publications)


def org_label(org: PartyOrg | UnionOrg | None) -> str:
    return (org.short_name or org.name) if org else ""
