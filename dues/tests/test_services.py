"""Dues services: bases, rolls, payments, payroll import, reductions, arrears, report.

Each test names the rule it exercises (DUES-xx / UNION-01)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from core.models import AuditEntry, RuleSettingValue
from core.testing import TODAY, party_member
from dues import selectors, services
from dues.models import PARTY, UNION, DuesLine, DuesPayment, DuesReduction, PayBase
from people.models import PartyMember
from union.tests.factories import members_of, party_roll, pay_base, union_roll

pytestmark = pytest.mark.django_db
D = Decimal
MARCH = date(2026, 3, 1)


def _line(person, month=MARCH, scheme=PARTY):
    return DuesLine.objects.get(person=person, month=month, scheme=scheme)


# ------------------------------------------------------------ pay bases (bad input)


@pytest.mark.parametrize("bad", ["-1", "abc", "12.345", "", "NaN"])
def test_pay_base_negative_or_not_a_number_is_refused_and_nothing_saved(district, bad):
    with pytest.raises(ValidationError) as info:
        services.pay_base_record(by=district.district_admin, person=district.member_a.person, scheme=PARTY,
                                 amount=bad, effective_from=MARCH, today=TODAY)  # fmt: skip
    assert "amount" in info.value.message_dict
    assert not PayBase.objects.exists()


def test_pay_base_out_of_scope_is_refused(district):
    with pytest.raises(PermissionDenied):
        services.pay_base_record(by=district.secretary_a, person=district.member_b.person, scheme=PARTY,
                                 amount="4000", effective_from=MARCH, today=TODAY)  # fmt: skip
    assert not PayBase.objects.exists()


def test_pay_base_same_month_replaces_amount_and_is_audited(district):
    person = district.member_a.person
    for amount in ("4000", "4200.50"):
        services.pay_base_record(by=district.secretary_a, person=person, scheme=PARTY, amount=amount,
                                 effective_from=date(2026, 3, 17), today=TODAY)  # fmt: skip
    base = PayBase.objects.get(person=person)
    assert base.amount == D("4200.50") and base.effective_from == MARCH
    assert AuditEntry.objects.filter(action="dues.paybase.update").exists()


# ------------------------------------------------------------ DUES-02 boundaries through the roll


@pytest.mark.parametrize(("base", "due"), [("3000.00", "15.00"), ("3000.01", "30.00"), ("5000.00", "50.00"),
                                            ("5000.01", "75.00"), ("10000.00", "150.00"), ("10000.01", "200.00")])  # fmt: skip
def test_dues02_tier_boundaries_through_roll(district, base, due):
    pay_base(district.member_a.person, base)
    party_roll(district, MARCH)
    assert _line(district.member_a.person).due == D(due)


def test_dues03_retired_boundary_through_roll(district):
    pay_base(district.member_a.person, "5000.00", kind="retired")
    pay_base(district.member_b.person, "5000.01", kind="retired")
    party_roll(district, MARCH)
    assert _line(district.member_a.person).due == D("25.00")
    assert _line(district.member_b.person).due == D("50.00")


def test_union01_dues_through_roll(district):
    (m,) = members_of(district.union_a, ["会员甲"])
    pay_base(m.person, "4999.00", scheme=UNION)
    union_roll(district, MARCH)
    assert _line(m.person, scheme=UNION).due == D("25.00")  # 24.995 half-up


def test_dues07_annual_policy_ignores_mid_year_raise_until_january(district):
    person = district.member_a.person
    pay_base(person, "4000", start=date(2025, 1, 1))
    pay_base(person, "6000", start=date(2026, 4, 1))
    party_roll(district, date(2026, 5, 1))
    assert _line(person, date(2026, 5, 1)).due == D("40.00")  # annual (default): 1 % of 4000
    RuleSettingValue.objects.create(key="DUES_BASE_POLICY", value="monthly")
    party_roll(district, date(2026, 6, 1))
    assert _line(person, date(2026, 6, 1)).due == D("90.00")  # monthly: 1.5 % of 6000


def test_dues06_probationary_member_from_admission_month(district):
    new = party_member(district.branch_a, "新党员", status=PartyMember.PROBATIONARY, admitted_on=date(2026, 3, 31))
    pay_base(new.person, "3500", start=date(2026, 1, 1))
    party_roll(district, date(2026, 2, 1))
    party_roll(district, MARCH)
    assert not DuesLine.objects.filter(person=new.person, month=date(2026, 2, 1)).exists()
    assert _line(new.person).due == D("35.00")


def test_roll_missing_base_is_counted_not_guessed(district):
    result = party_roll(district, MARCH)
    assert result.missing_base == 3  # 王小明, 赵大海, 刘书记: no base recorded
    assert _line(district.member_a.person).due == 0


def test_roll_recompute_keeps_paid_lines(district):
    person = district.member_a.person
    pay_base(person, "4000")
    party_roll(district, MARCH)
    services.payment_record(by=district.secretary_a, person=person, scheme=PARTY, months=[MARCH], amount="40.00",
                            paid_on=date(2026, 3, 20), today=TODAY)  # fmt: skip
    PayBase.objects.filter(person=person).update(amount=D("8000"))
    result = party_roll(district, MARCH)
    assert result.kept_paid == 1
    assert _line(person).due == D("40.00")


def test_roll_is_scoped_to_the_actor(district):
    pay_base(district.member_a.person, "4000")
    pay_base(district.member_b.person, "4000")
    party_roll(district, MARCH, by=district.secretary_a)
    assert DuesLine.objects.filter(person=district.member_a.person).exists()
    assert not DuesLine.objects.filter(person=district.member_b.person).exists()
    with pytest.raises(PermissionDenied):
        party_roll(district, MARCH, by=district.union_admin)


# ------------------------------------------------------------ payments (DUES-09/10, bad input)


def _ready(district, base="4000"):
    pay_base(district.member_a.person, base)
    party_roll(district, MARCH)
    return district.member_a.person


def test_payment_for_a_month_already_paid_is_refused(district):
    person = _ready(district)
    kwargs = dict(by=district.secretary_a, person=person, scheme=PARTY, months=[MARCH], amount="40",
                  paid_on=date(2026, 3, 20), today=TODAY)  # fmt: skip
    services.payment_record(**kwargs)
    with pytest.raises(ValidationError, match="已于2026-03-20交纳，不能重复登记"):
        services.payment_record(**kwargs)
    assert DuesPayment.objects.count() == 1


def test_payment_below_due_or_without_roll_is_refused(district):
    person = _ready(district)
    with pytest.raises(ValidationError, match="少于应交"):
        services.payment_record(by=district.secretary_a, person=person, scheme=PARTY, months=[MARCH],
                                amount="39.99", paid_on=date(2026, 3, 20), today=TODAY)  # fmt: skip
    with pytest.raises(ValidationError, match="尚未生成"):
        services.payment_record(by=district.secretary_a, person=person, scheme=PARTY, months=[MARCH, date(2026, 4, 1)],
                                amount="80", paid_on=date(2026, 4, 20), today=TODAY)  # fmt: skip
    assert not DuesPayment.objects.exists()
    assert _line(person).payment_id is None


def test_dues10_voluntary_extra_above_1000_is_flagged(district):
    person = _ready(district)
    result = services.payment_record(by=district.secretary_a, person=person, scheme=PARTY, months=[MARCH],
                                     amount="1040.01", paid_on=date(2026, 3, 20), today=TODAY)  # fmt: skip
    assert result.payment.voluntary_extra == D("1000.01") and result.payment.remit_in_full
    assert any(f.rule == "DUES-10" for f in result.findings)
    exact = _ready_month(district, date(2026, 4, 1))
    result = services.payment_record(by=district.secretary_a, person=person, scheme=PARTY, months=[exact],
                                     amount="1040.00", paid_on=date(2026, 4, 20), today=TODAY)  # fmt: skip
    assert not result.payment.remit_in_full  # 1000.00 itself is not above


def _ready_month(district, month):
    party_roll(district, month)
    return month


def test_dues09_quarterly_payment_and_back_payment_warning(district):
    person = district.member_a.person
    pay_base(person, "4000", start=date(2025, 1, 1))
    months = [date(2026, m, 1) for m in range(1, 8)]
    for m in months:
        party_roll(district, m)
    result = services.payment_record(by=district.secretary_a, person=person, scheme=PARTY, months=months,
                                     amount="280", paid_on=date(2026, 8, 5), today=TODAY)  # fmt: skip
    assert DuesLine.objects.filter(person=person, payment=result.payment).count() == 7
    assert [f.rule for f in result.findings] == ["DUES-09"]  # 7 months back: more than 6


def test_union_dues_must_be_paid_exactly(district):
    (m,) = members_of(district.union_a, ["会员甲"])
    pay_base(m.person, "4000", scheme=UNION)
    union_roll(district, MARCH)
    with pytest.raises(ValidationError, match="应按应交金额"):
        services.payment_record(by=district.union_admin, person=m.person, scheme=UNION, months=[MARCH], amount="25",
                                paid_on=date(2026, 3, 10), today=TODAY)  # fmt: skip


# ------------------------------------------------------------ payroll import


def _sheet(rows, headers=("序号", "姓名", "公民身份号码", "党费", "会费")) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["区财政局2026年3月工资代扣表"])
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _import(district, data, dry_run=False, by=None):
    return services.payroll_import(by=by or district.district_admin, data=data, month=MARCH,
                                   paid_on=date(2026, 3, 25), today=TODAY, dry_run=dry_run)  # fmt: skip


def test_import_unknown_id_number_lists_the_row_and_saves_nothing(district):
    person = _ready(district)
    data = _sheet([(1, person.name, person.id_number, 40, None), (2, "查无此人", "110101199001011237", 30, None)])
    report = _import(district, data)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(4, "C")]
    assert "没有对应人员" in report.errors[0].message and "110101********1237" in report.errors[0].message
    assert not DuesPayment.objects.exists()
    assert _line(person).payment_id is None


def test_import_name_mismatch_and_duplicate_rows_are_refused(district):
    person = _ready(district)
    data = _sheet([(1, "王大明", person.id_number, 40, None)])
    assert "姓名" in _import(district, data).errors[0].message
    data = _sheet([(1, person.name, person.id_number, 40, None), (2, person.name, person.id_number, 40, None)])
    report = _import(district, data)
    assert "重复" in report.errors[0].message and not DuesPayment.objects.exists()


def test_import_reconciles_with_the_roll(district):
    """The roll's paid total equals the payments imported from the sheet, fen for fen."""
    people = [district.member_a.person, district.member_b.person]
    for person, base in zip(people, ["3000.00", "3000.01"], strict=True):
        pay_base(person, base)
    extra = party_member(district.branch_a, "钱多多").person
    pay_base(extra, "10000.01")
    union_people = [m.person for m in members_of(district.union_a, ["会员甲", "会员乙"])]
    for person, base in zip(union_people, ["4999.00", "3333.33"], strict=True):
        pay_base(person, base, scheme=UNION)
    party_roll(district, MARCH)
    union_roll(district, MARCH)
    rows = [(i, p.name, p.id_number, str(_line(p).due), None) for i, p in enumerate([*people, extra], 1)]
    rows += [(9, p.name, p.id_number, None, str(_line(p, scheme=UNION).due)) for p in union_people]
    data = _sheet(rows)
    assert _import(district, data, dry_run=True).ok
    assert not DuesPayment.objects.exists()  # a dry run saves nothing
    report = _import(district, data)
    assert report.ok and report.imported == 5
    for scheme in (PARTY, UNION):
        totals = selectors.totals(selectors.roll_lines(user=district.district_admin, scheme=scheme, month=MARCH))
        paid = selectors.payments_total(user=district.district_admin, scheme=scheme, batch=report.batch)
        assert totals.paid == paid and totals.arrears == totals.due - totals.paid
    party = selectors.totals(selectors.roll_lines(user=district.district_admin, scheme=PARTY, month=MARCH))
    assert party.paid == D("15.00") + D("30.00") + D("200.00")
    assert party.unpaid_count == 0 and party.missing_base == 1  # 刘书记: no base, nothing due, not in arrears
    assert report.total == sum((p.amount for p in DuesPayment.objects.all()), D("0"))
    assert AuditEntry.objects.filter(action="dues.duespayment.import").count() == 5
    again = _import(district, data)
    assert not again.ok and "不能重复登记" in again.errors[0].message


def test_import_out_of_scope_line_is_refused(district):
    pay_base(district.member_b.person, "4000")
    party_roll(district, MARCH)
    data = _sheet([(1, district.member_b.person.name, district.member_b.person.id_number, 40, None)])
    report = _import(district, data, by=district.secretary_a)
    assert "不在您的管理范围" in report.errors[0].message


def test_import_without_id_column_or_amount_columns(district):
    assert "公民身份号码" in _import(district, _sheet([], headers=("姓名", "党费"))).errors[0].message
    assert "党费" in _import(district, _sheet([], headers=("姓名", "公民身份号码"))).errors[0].message


def test_import_accepts_month_column_and_full_width_digits(district):
    person = _ready(district)
    number = person.id_number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    data = _sheet(
        [(1, person.name, number, "2026年3月", "40.00")], headers=("序号", "姓名", "身份证号", "月份", "党费")
    )
    report = services.payroll_import(by=district.district_admin, data=data, month=None, paid_on=date(2026, 3, 25),
                                     today=TODAY, dry_run=False)  # fmt: skip
    assert report.ok and _line(person).payment_id


# ------------------------------------------------------------ DUES-08 reductions


def test_dues08_reduction_needs_branch_study_then_committee_above(district):
    person = district.member_a.person
    pay_base(person, "4000")
    reduction = services.reduction_apply(by=district.secretary_a, person=person, kind=DuesReduction.REDUCE,
                                         from_month=MARCH, to_month=date(2026, 12, 1), reason="家庭困难",
                                         applied_on=date(2026, 2, 1), monthly_amount="5", today=TODAY)  # fmt: skip
    with pytest.raises(ValidationError, match="须先由党支部研究"):
        services.reduction_decide(by=district.district_admin, reduction=reduction, approve=True,
                                  decided_on=date(2026, 2, 20), today=TODAY)  # fmt: skip
    services.reduction_study(by=district.secretary_a, reduction=reduction, studied_on=date(2026, 2, 10), today=TODAY)
    with pytest.raises(PermissionDenied):  # the branch cannot approve its own member's reduction
        services.reduction_decide(by=district.secretary_a, reduction=reduction, approve=True,
                                  decided_on=date(2026, 2, 20), today=TODAY)  # fmt: skip
    services.reduction_decide(by=district.district_admin, reduction=reduction, approve=True,
                              decided_on=date(2026, 2, 20), today=TODAY)  # fmt: skip
    party_roll(district, MARCH)
    assert _line(person).due == D("5.00") and _line(person).reduction_id == reduction.pk
    party_roll(district, date(2026, 2, 1))
    assert _line(person, date(2026, 2, 1)).due == D("40.00")  # before the reduction's first month


def test_dues08_reduction_without_amount_or_reversed_period_refused(district):
    kwargs = dict(by=district.secretary_a, person=district.member_a.person, reason="x", applied_on=date(2026, 2, 1),
                  today=TODAY)  # fmt: skip
    with pytest.raises(ValidationError, match="每月交纳金额"):
        services.reduction_apply(kind=DuesReduction.REDUCE, from_month=MARCH, to_month=MARCH, **kwargs)
    with pytest.raises(ValidationError, match="截止月份"):
        services.reduction_apply(kind=DuesReduction.EXEMPT, from_month=MARCH, to_month=date(2026, 1, 1), **kwargs)
    assert not DuesReduction.objects.exists()


# ------------------------------------------------------------ DUES-09 arrears flag


@pytest.mark.parametrize(("unpaid_months", "flagged"), [(5, False), (6, True)])
def test_dues09_six_consecutive_unpaid_months_flagged(district, unpaid_months, flagged):
    person = district.member_a.person
    pay_base(person, "4000", start=date(2025, 1, 1))
    months = [date(2026, m, 1) for m in range(1, 11)]  # January…October, all completed by 2026-11-23
    for m in months:
        party_roll(district, m)
    paid = months[: len(months) - unpaid_months]
    if paid:
        services.payment_record(by=district.secretary_a, person=person, scheme=PARTY, months=paid,
                                amount=str(40 * len(paid)), paid_on=date(2026, 5, 1), today=TODAY)  # fmt: skip
    cases = selectors.arrears_streaks(user=district.secretary_a, scheme=PARTY, today=TODAY)
    names = {c.name for c in cases}
    assert ("王小明" in names) is flagged
    if flagged:
        case = next(c for c in cases if c.name == "王小明")
        assert case.months == 6 and case.amount == D("240.00") and case.finding.rule == "DUES-09"


def test_dues09_recorded_reason_breaks_the_streak(district):
    person = district.member_a.person
    pay_base(person, "4000", start=date(2025, 1, 1))
    for m in range(1, 11):
        party_roll(district, date(2026, m, 1))
    services.excuse_record(by=district.secretary_a, line=_line(person, date(2026, 6, 1)), reason="长期病假")
    cases = selectors.arrears_streaks(user=district.secretary_a, scheme=PARTY, today=TODAY)
    assert all(c.months < 6 for c in cases if c.name == "王小明")


# ------------------------------------------------------------ DUES-11 report


def test_dues11_collection_report_reconciles_and_publishes(district):
    for person, base in (
        (district.member_a.person, "4000"),
        (party_member(district.branch_a, "孙丽").person, "2999.99"),
    ):
        pay_base(person, base, start=date(2025, 1, 1))
    for m in range(1, 4):
        party_roll(district, date(2026, m, 1))
    services.payment_record(by=district.secretary_a, person=district.member_a.person, scheme=PARTY,
                            months=[date(2026, 1, 1), date(2026, 2, 1)], amount="80", paid_on=date(2026, 2, 20),
                            today=TODAY)  # fmt: skip
    report, lines, _ = selectors.collection_report(user=district.secretary_a, branch=district.branch_a, year=2026)
    assert report.reconciles()
    assert report.due == D("120.00") + D("45.00")  # 3 × 40 + 3 × 15.00 (2999.99 × 0.5 % = 14.99995 → 15.00)
    assert report.paid == D("80.00") and report.arrears == D("85.00")
    publication = services.publication_publish(by=district.secretary_a, branch=district.branch_a, year=2026,
                                               due=report.due, paid=report.paid, used="50", today=TODAY)  # fmt: skip
    assert publication.used == D("50.00")
    with pytest.raises(ValidationError):
        services.publication_publish(by=district.secretary_a, branch=district.branch_a, year=2027, due=D(0),
                                     paid=D(0), today=TODAY)  # fmt: skip
