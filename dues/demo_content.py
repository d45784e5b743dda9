"""Demo content of the dues area: pay bases for every member, a year of monthly rolls
(party dues and union dues) with payments, some arrears (DUES-09), a few reductions
(DUES-08) and last year's publications (DUES-11). Bulk inserts, deterministic."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from core import audit
from core import rule_settings as rs
from core.dates import add_months
from dues import rules
from dues.models import PARTY, UNION, DuesLine, DuesPayment, DuesPublication, DuesReduction, DuesRoll, PayBase
from dues.services import _base_and_kind
from people.models import PartyMember, UnionMember
from union.rules import union_dues

BATCH = 5000
MONTHS = 12


def _amount(rng, low: int, high: int) -> Decimal:
    # whole yuan mostly, sometimes with fen; a few exactly on the DUES-02 tier bounds
    roll = rng.random()
    if roll < 0.02:
        return Decimal(rng.choice(["3000.00", "5000.00", "10000.00"]))
    if roll < 0.03:
        return Decimal(rng.choice(["3000.01", "5000.01"]))
    return Decimal(rng.randint(low * 100, high * 100)) / 100


@contextmanager
def indexes_deferred(*models):
    """On SQLite (the ``make run`` demo), drop the secondary indexes of ``models`` for a bulk
    insert and build them once afterwards — three times faster than maintaining five
    indexes row by row. Other databases keep their indexes (and constraints) as they are."""
    if connection.vendor != "sqlite":
        yield
        return
    saved = []
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            for name, info in connection.introspection.get_constraints(cursor, table).items():
                if info.get("primary_key") or not info.get("index") or name.startswith("sqlite_autoindex"):
                    continue
                saved.append((name, table, info["columns"], info.get("unique")))
                cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, table, columns, unique in saved:
                cols = ", ".join(f'"{c}"' for c in columns)
                cursor.execute(f'CREATE {"UNIQUE " if unique else ""}INDEX "{name}" ON "{table}" ({cols})')


def _insert(model, names: list[str], rows: list) -> None:
    """INSERT ``rows`` (tuples in the order of ``names``) with executemany, in batches."""
    columns = [model._meta.get_field(n).column for n in names]
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _insert_payments_and_lines(payments: list, lines: list) -> None:
    _insert(DuesPayment, ["id", "person", "scheme", "amount", "voluntary_extra", "remit_in_full", "paid_on", "method",
                          "source", "batch", "note", "recorded_by", "created_at"], payments)  # fmt: skip
    _insert(DuesLine, ["id", "roll", "person", "scheme", "month", "kind", "base", "due", "reduction", "payment",
                       "excused_reason"], lines)  # fmt: skip


def extend(district) -> str:
    rng, today = district.rng, district.today
    this_month = today.replace(day=1)
    first = add_months(this_month, -(MONTHS - 1))
    # last year's January: before the first roll month, and never the January of a raise
    # (in December the twelve rolls start this January)
    last_january = date(today.year - 1, 1, 1)

    party = list(
        PartyMember.objects.filter(left_on__isnull=True).values_list(
            "person_id", "branch_id", "admitted_on", "person__job_code"
        )
    )
    union = list(UnionMember.objects.filter(left_on__isnull=True).values_list("person_id", "union_org_id", "joined_on"))

    # --- pay bases: one from last January, a raise this January for some ----------
    bases: list[tuple] = []
    records: dict[tuple[str, int], list] = defaultdict(list)
    for person_id, _, _, job in party:
        retired = job == "5"
        kind = rules.RETIRED if retired else rules.SALARY
        amount = _amount(rng, 3200, 7800) if retired else _amount(rng, 2600, 12500)
        bases.append((person_id, PARTY, kind, last_january, amount, ""))
        if not retired and rng.random() < 0.35:
            raised = (amount * Decimal("1.06")).quantize(Decimal("0.01"))
            bases.append((person_id, PARTY, kind, date(today.year, 1, 1), raised, "年度调资"))
    for person_id, _, _ in union:
        amount = _amount(rng, 2400, 6500)
        bases.append((person_id, UNION, rules.SALARY, last_january, amount, ""))
        if rng.random() < 0.2:
            raise_on = date(today.year, rng.randint(1, max(1, today.month)), 1)
            raised = (amount * Decimal("1.05")).quantize(Decimal("0.01"))
            bases.append((person_id, UNION, rules.SALARY, raise_on, raised, "晋升调资"))
    for person_id, scheme, kind, effective_from, amount, _ in bases:
        records[(scheme, person_id)].append((effective_from, kind, amount))
    stamp = timezone.now()
    _insert(PayBase, ["person", "scheme", "kind", "effective_from", "amount", "note", "created_at"],
            [(*b, stamp) for b in bases])  # fmt: skip

    # --- a few approved reductions / exemptions (DUES-08) ---------------------------
    reductions = []
    for person_id, branch_id, _, _job in rng.sample(party, k=min(12, len(party))):
        exempt = rng.random() < 0.4
        applied = add_months(first, rng.randint(0, 3)) + timedelta(days=3)
        reductions.append(
            DuesReduction(
                person_id=person_id,
                branch_id=branch_id,
                kind=DuesReduction.EXEMPT if exempt else DuesReduction.REDUCE,
                monthly_amount=None if exempt else Decimal("5.00"),
                from_month=applied.replace(day=1),
                to_month=add_months(applied.replace(day=1), 11),
                reason="长期患病，生活困难" if exempt else "家庭遭遇重大变故，经济困难",
                applied_on=applied,
                branch_studied_on=applied + timedelta(days=7),
                approved_on=applied + timedelta(days=20),
                status=DuesReduction.APPROVED,
                decision_note="同意",
            )  # fmt: skip
        )
    DuesReduction.objects.bulk_create(reductions)
    reduction_of = {r.person_id: r for r in reductions}

    # --- members who stopped paying (arrears) and who pay late --------------------
    stopped = {p[0] for p in party if rng.random() < 0.025}
    stopped |= {u[0] for u in union if rng.random() < 0.01}
    excused = set(rng.sample(sorted(stopped), k=len(stopped) // 5)) if stopped else set()

    now = timezone.now()
    policy = rs.value("DUES_BASE_POLICY")
    rolls: dict[tuple, DuesRoll] = {}
    months = [add_months(first, i) for i in range(MONTHS)]
    branch_ids = sorted({p[1] for p in party})
    union_ids = sorted({u[1] for u in union})
    for month in months:
        for branch_id in branch_ids:
            rolls[(PARTY, month, branch_id)] = DuesRoll(
                scheme=PARTY, month=month, party_org_id=branch_id, computed_at=now
            )
        for union_id in union_ids:
            rolls[(UNION, month, union_id)] = DuesRoll(
                scheme=UNION, month=month, union_org_id=union_id, computed_at=now
            )
    DuesRoll.objects.bulk_create(list(rolls.values()), batch_size=BATCH)

    # Lines and payments as plain rows with explicit ids (raw executemany: the ORM's
    # per-object cost would dominate at 300,000 rows); sequences are reset afterwards.
    line_id = (DuesLine.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    pay_id = (DuesPayment.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    roll_ids = {key: roll.pk for key, roll in rolls.items()}
    lines: list[list] = []
    pay_groups: dict[tuple, list[list]] = {}
    people = [(PARTY, pid, org, start) for pid, org, start, _ in party] + [
        (UNION, pid, org, start) for pid, org, start in union
    ]
    zero = Decimal("0.00")
    dues_memo: dict[tuple, tuple] = {}
    next_month = {m: add_months(m, 1) for m in months}
    month_end = {m: next_month[m] - timedelta(days=1) for m in months}
    for scheme, person_id, org_id, start in people:
        recs = records.get((scheme, person_id), [])
        dates = [r[0] for r in recs]  # in date order, as built above
        stop_from = add_months(this_month, -rng.randint(6, 9)) if person_id in stopped else None
        reduction = reduction_of.get(person_id) if scheme == PARTY else None
        month_policy = policy if scheme == PARTY else rules.POLICY_MONTHLY
        for month in months:
            if start and start > month_end[month]:
                continue  # DUES-06 / joined later
            # The base only changes when another record comes into force (or, under the
            # annual policy, in January): compute once per such period, through the rules.
            in_force = bisect_right(dates, month)
            key = (scheme, person_id, in_force, month.year if month_policy == rules.POLICY_ANNUAL else 0)
            if key not in dues_memo:
                base, kind = _base_and_kind(recs, month, month_policy)
                dues_memo[key] = (base, kind, rules.monthly_dues(kind, base) if scheme == PARTY else union_dues(base))
            base, kind, due = dues_memo[key]
            applied = reduction if reduction and reduction.from_month <= month <= reduction.to_month else None
            if applied:
                due = zero if applied.kind == DuesReduction.EXEMPT else applied.monthly_amount
            # id, roll, person, scheme, month, kind, base, due, reduction, payment, excused_reason
            line = [line_id, roll_ids[(scheme, month, org_id)], person_id, scheme, month, kind, base, due,
                    applied.pk if applied else None, None, ""]  # fmt: skip
            line_id += 1
            lines.append(line)
            if month == this_month or (stop_from is not None and month >= stop_from):
                if person_id in excused and month != this_month:
                    line[10] = "长期病假，经支部研究同意暂缓交纳" if scheme == PARTY else "停薪留职"
                continue
            if due == 0:
                continue
            # party dues quarterly (DUES-09), union dues deducted from pay twice a year
            quarter = (month.year, (month.month - 1) // (3 if scheme == PARTY else 6))
            pay_groups.setdefault((scheme, person_id, quarter), []).append(line)

    payments = []
    created = timezone.now()
    for (scheme, person_id, _), group in pay_groups.items():
        last_month = max(line[4] for line in group)
        paid_on = min(next_month[last_month] + timedelta(days=rng.randint(4, 20)), today)
        amount = sum((line[7] for line in group), zero)
        extra = zero
        if scheme == PARTY and rng.random() < 0.004:
            extra = Decimal(rng.choice(["100.00", "500.00", "1200.00"]))
        method = "PAYROLL" if scheme == UNION else rng.choice(["CASH", "TRANSFER", "PAYROLL", "ONLINE"])
        source = DuesPayment.PAYROLL if scheme == UNION else DuesPayment.MANUAL
        payments.append((pay_id, person_id, scheme, amount + extra, extra, rules.must_remit_in_full(extra), paid_on,
                         method, source, "", "", None, created))  # fmt: skip
        for line in group:
            line[9] = pay_id
        pay_id += 1
    with indexes_deferred(DuesPayment, DuesLine):
        _insert_payments_and_lines(payments, lines)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [DuesLine, DuesPayment]):
            cursor.execute(sql)

    # --- last year's report published by some branches (DUES-11) -------------------
    publications = []
    last_year = today.year - 1
    by_branch = defaultdict(lambda: [Decimal("0.00"), Decimal("0.00")])
    branch_of_roll = {roll_id: key[2] for key, roll_id in roll_ids.items() if key[0] == PARTY}
    for line in lines:
        if line[3] == PARTY and line[4].year == last_year:
            totals = by_branch[branch_of_roll[line[1]]]
            totals[0] += line[7]
            totals[1] += line[7] if line[9] else zero
    for branch_id, (due, paid) in list(by_branch.items())[::3]:
        publications.append(DuesPublication(branch_id=branch_id, year=last_year, published_on=date(today.year, 1, 20),
                                            due=due, paid=paid, used=(paid * Decimal("0.9")).quantize(Decimal("0.01")),
                                            note="按规定上缴区直机关党工委"))  # fmt: skip
    DuesPublication.objects.bulk_create(publications)
    audit.record(actor=None, action="dues.demo.generate", object_type="dues.demo", object_repr="党费会费演示数据",
                 after={"bases": len(bases), "lines": len(lines), "payments": len(payments)})  # fmt: skip
    return (
        f"党费会费：计算基数 {len(bases)} 条，{MONTHS} 个月台账 {len(lines)} 条，交纳记录 {len(payments)} 笔，"
        f"连续欠交 {len(stopped)} 人"
    )
