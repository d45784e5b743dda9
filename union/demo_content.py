"""Demo content of the union area: a 工会工委 administrator, membership applications and
changes, hardship cases in every category and state, festival and care grants (some
members right at the annual cap), workers' congress sessions with motions and votes,
政务公开 items, and the 职工之家 evaluation (last year reviewed, this year under way).
Bulk inserts, deterministic (district.rng)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection

from accounts.models import Grant, User
from core import audit, crypto, pinyin
from core.dates import add_months
from core.demo.district import DEMO_PASSWORD, _id_number
from core.demo.names import person_name
from orgs.models import UnionOrg
from people.models import Person, UnionMember
from union import rules
from union.models import (
    AssistanceAid,
    AssistanceCase,
    AssistanceStep,
    AssistanceVisit,
    CongressSession,
    Delegate,
    Disclosure,
    HomeCriterion,
    HomeRound,
    MembershipApplication,
    MembershipChange,
    Motion,
    MotionVote,
    WelfareGrant,
    WelfareGrantLine,
    WorkersHome,
)
from union.services import DEFAULT_EVIDENCE

BATCH = 5000
D = Decimal


def _insert(model, names: list[str], rows: list) -> None:
    columns = [model._meta.get_field(n).column for n in names]
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _root_admin(district) -> User:
    user = User.objects.create(username="ghgw", display_name="区直机关工会工委", password=make_password(DEMO_PASSWORD))
    Grant.objects.create(user=user, role=Grant.UNION_ADMIN, union_org=district.union_root)
    district.users["ghgw"] = user
    district.logins.append(("工会工委", "ghgw", f"区直机关工会工委管理员（{district.union_root.name}）"))
    return user


def _applications(district, today) -> int:
    """A few workers not yet in the union, with pending applications."""
    rng = district.rng
    unions = district.unions[:6]
    persons = []
    for i, union in enumerate(unions):
        gender = "M" if i % 2 else "F"
        birth = date(1995 + i, 3 + i, 10)
        name = person_name(rng, gender)
        number = _id_number(rng, birth, gender, set())
        while Person.objects.filter(id_number_hash=crypto.lookup_hash(number)).exists():
            number = _id_number(rng, birth, gender, set())
        p = Person(name=name, name_pinyin=pinyin.full_pinyin(name), name_initials=pinyin.initials(name), gender=gender,
                   birth_date=birth, unit_id=union.unit_id, position="科员")  # fmt: skip
        p.id_number = number
        persons.append(p)
    Person.objects.bulk_create(persons)
    MembershipApplication.objects.bulk_create(
        MembershipApplication(person=p, union_org=u, applied_on=today - timedelta(days=3 + i),
                              statement="本人自愿加入中华全国总工会，遵守工会章程，按期交纳会费。")
        for i, (p, u) in enumerate(zip(persons, unions, strict=True))
    )  # fmt: skip
    return len(persons)


def _changes(district, today, members) -> int:
    rng = district.rng
    changes = []
    for member_id, union_id, joined in members[:: max(1, len(members) // 40)]:
        changes.append(MembershipChange(member_id=member_id, kind=MembershipChange.JOIN, to_union_id=union_id,
                                        on=joined))  # fmt: skip
    movers = rng.sample(members, k=min(12, len(members)))
    for member_id, union_id, joined in movers:
        source = rng.choice(district.unions)
        if source.pk == union_id:
            continue
        changes.append(MembershipChange(member_id=member_id, kind=MembershipChange.TRANSFER, from_union_id=source.pk,
                                        to_union_id=union_id, on=max(joined, today - timedelta(days=rng.randint(30, 700))),
                                        note="工作调动"))  # fmt: skip
    MembershipChange.objects.bulk_create(changes)
    return len(changes)


CASE_PLANS = [
    # (household size, annual income, rigid expenses, accident costs, injured, state)
    (3, "18000", "6000", "0", False, rules.AIDED),  # deep: (18000-6000)/12/3 = 333.33 < 800
    (4, "52000", "8000", "0", False, rules.AIDED),  # relative: 916.67
    (2, "20000", "2000", "0", False, rules.RECHECKED),  # deep: 750
    (3, "50000", "10000", "0", False, rules.FILED),  # relative: 1111.11
    (3, "120000", "0", "110000", True, rules.AIDED),  # accident: costs > 80 % of income
    (4, "90000", "0", "80000", False, rules.REVIEWED),  # accident by costs
    (5, "40000", "4000", "0", False, rules.VERIFIED),  # deep: 600
    (2, "30000", "0", "0", False, rules.APPLIED),  # relative: 1250
    (3, "26000", "2000", "0", False, rules.RESOLVED),  # deep at application
    (3, "150000", "0", "0", False, rules.EXITED),  # not eligible → exited
]
LABELS = rules.CASE_STATE_LABELS
ORDER = [rules.APPLIED, rules.VERIFIED, rules.REVIEWED, rules.FILED, rules.AIDED, rules.RECHECKED]


def _cases(district, today, members, admin) -> int:
    rng = district.rng
    low = D("800.00")
    chosen = rng.sample(members, k=min(60, len(members)))
    cases, plans = [], []
    for i, (member_id, union_id, _) in enumerate(chosen):
        size, income, rigid, costs, injured, state = CASE_PLANS[i % len(CASE_PLANS)]
        per_capita, category = rules.classify_hardship(annual_disposable_income=income, rigid_expenses=rigid,
                                                       household_size=size, low_income_line=low)  # fmt: skip
        if category is None and rules.is_accident_hardship(injured_in_incident=injured, accident_illness_costs=costs,
                                                          household_annual_income=income):  # fmt: skip
            category = AssistanceCase.ACCIDENT
        applied = today - timedelta(days=rng.randint(60, 700))
        if i % 7 == 0 and state == rules.AIDED:
            applied = today - timedelta(days=rng.randint(460, 600))  # recheck overdue (UNION-09)
        case = AssistanceCase(
            member_id=member_id, union_org_id=union_id, state=state, category=category or "", household_size=size,
            annual_income=D(income), rigid_expenses=D(rigid), per_capita_income=per_capita, injured=injured,
            accident_costs=D(costs), applied_on=applied,
            situation=rng.choice(["配偶重病长期住院，子女在读", "本人因交通事故重伤，医疗费用较高", "家庭成员失业，赡养老人两名",
                                  "子女患重病，长期治疗", "单亲家庭，收入微薄"]),
        )  # fmt: skip
        cases.append(case)
        plans.append(state)
    AssistanceCase.objects.bulk_create(cases)
    steps, visits, aids = [], [], []
    for case, state in zip(cases, plans, strict=True):
        on = case.applied_on
        path = ORDER[: ORDER.index(state) + 1] if state in ORDER else ORDER[:5] + [rules.RECHECKED, state]
        if state == rules.EXITED:
            path = [rules.APPLIED, rules.VERIFIED, rules.EXITED]
        for step in path:
            if step == rules.VERIFIED:
                visits.append(AssistanceVisit(case=case, visited_on=on + timedelta(days=5), visitors="工会主席、工会委员",
                                              findings="入户核实，家庭情况属实", by=admin))  # fmt: skip
                on += timedelta(days=7)
                case.verified_on = on
            elif step == rules.REVIEWED:
                on += timedelta(days=10)
                case.reviewed_on = on
            elif step == rules.FILED:
                on += timedelta(days=5)
                case.filed_on = on
                case.recheck_due_on = add_months(on, rules.RECHECK_MONTHS)
            elif step == rules.AIDED:
                on += timedelta(days=15)
                for k in range(2):
                    aids.append(AssistanceAid(case=case, kind=AssistanceAid.MONEY if k == 0 else AssistanceAid.GOODS,
                                              amount=D(district.rng.choice(["2000", "3000", "5000"])) if k == 0 else D("800"),
                                              source="UPPER" if k == 0 else "GRASSROOTS",
                                              given_on=min(on + timedelta(days=30 * k), today),
                                              description="困难职工帮扶金" if k == 0 else "米、油等生活物资", by=admin))  # fmt: skip
            elif step == rules.RECHECKED:
                on = min(add_months(case.filed_on or on, 11), today - timedelta(days=1))
                case.last_recheck_on = on
                case.recheck_due_on = add_months(on, rules.RECHECK_MONTHS)
            elif step in (rules.RESOLVED, rules.EXITED):
                on = min(on + timedelta(days=20), today)
                case.closed_on, case.recheck_due_on = on, None
                case.close_note = (
                    "家庭收入已稳定，经复核解除困难" if step == rules.RESOLVED else "经核实家庭收入不符合认定条件"
                )
            steps.append(AssistanceStep(case=case, state=step, on=min(on, today), by=admin))
    AssistanceCase.objects.bulk_update(
        cases,
        ["verified_on", "reviewed_on", "filed_on", "last_recheck_on", "recheck_due_on", "closed_on", "close_note"],
    )
    AssistanceStep.objects.bulk_create(steps)
    AssistanceVisit.objects.bulk_create(visits)
    AssistanceAid.objects.bulk_create(aids)
    return len(cases)


FESTIVALS = [("春节", 1, 20, ("300", "400")), ("端午节", 6, 5, ("200", "300")), ("中秋节", 9, 20, ("300", "400"))]


def _grants(district, today, members, admin) -> tuple[int, int]:
    """Festival goods to every member of every union this year and last, a few care grants.
    Some unions give so much that their members end the year exactly on the cap."""
    rng = district.rng
    by_union: dict[int, list] = {}
    for member_id, union_id, person_id in members:
        by_union.setdefault(union_id, []).append((member_id, person_id))
    grants, line_rows = [], []
    for year in (today.year - 1, today.year):
        for union in district.unions:
            roster = by_union.get(union.pk, [])
            if not roster:
                continue
            for festival, month, day, amounts in FESTIVALS:
                on = date(year, month, day)
                if on > today:
                    continue
                generous = union.pk % 5 == 0
                amount = D("400") if generous else D(rng.choice(amounts))
                grants.append((WelfareGrant(
                    union_org=union, category=WelfareGrant.FESTIVAL, festival=festival, gift_kind=rules.GOODS,
                    title=f"{year}年{festival}慰问品", granted_on=on, year=year, amount_per_member=amount,
                    member_count=len(roster), total=amount * len(roster), created_by=admin,
                    note="米、油、水果等节日慰问品",
                ), roster))  # fmt: skip
            # a few birthday cakes and hospital visits
            for member_id, person_id in rng.sample(roster, k=min(3, len(roster))):
                event = rng.choice([rules.BIRTHDAY, rules.ILLNESS])
                amount = D("200") if event == rules.BIRTHDAY else D("800")
                on = date(year, rng.randint(1, 12 if year < today.year else today.month), 10)
                if on > today:
                    on = today
                grants.append((WelfareGrant(
                    union_org=union, category=WelfareGrant.CARE, event=event,
                    gift_kind=rules.CAKE_VOUCHER if event == rules.BIRTHDAY else rules.CASH,
                    title=f"{rules.CARE_EVENT_LABELS[event]}", granted_on=on, year=year, amount_per_member=amount,
                    member_count=1, total=amount, created_by=admin,
                ), [(member_id, person_id)]))  # fmt: skip
    WelfareGrant.objects.bulk_create([g for g, _ in grants], batch_size=BATCH)
    for grant, roster in grants:
        for member_id, person_id in roster:
            line_rows.append((grant.pk, member_id, person_id, grant.union_org_id, grant.year, grant.category,
                              grant.amount_per_member))  # fmt: skip
    _insert(WelfareGrantLine, ["grant", "member", "person", "union_org", "year", "category", "amount"], line_rows)
    return len(grants), len(line_rows)


def _congress(district, today, members, admin) -> int:
    rng = district.rng
    by_union: dict[int, list] = {}
    for member_id, union_id, _ in members:
        by_union.setdefault(union_id, []).append(member_id)
    sessions = []
    for union in district.unions[:: max(1, len(district.unions) // 20)]:
        if len(by_union.get(union.pk, [])) < 8:
            continue
        held = date(today.year, 3, 15) if date(today.year, 3, 15) <= today else date(today.year - 1, 3, 15)
        sessions.append(CongressSession(union_org=union, title=f"{union.short_name or union.name}第三届职工代表大会第{held.year - 2023}次会议",
                                        term_number=3, session_number=held.year - 2023, held_on=held, place="机关会议室",
                                        agenda="一、审议工作报告\n二、审议职工福利方案\n三、审议提案", created_by=admin))  # fmt: skip
    CongressSession.objects.bulk_create(sessions)
    delegates = []
    for session in sessions:
        pool = by_union[session.union_org_id]
        for member_id in rng.sample(pool, k=min(max(8, len(pool) // 5), len(pool))):
            delegates.append(Delegate(session=session, member_id=member_id, delegation="机关代表组"))
    Delegate.objects.bulk_create(delegates)
    by_session: dict[int, list] = {}
    for d in delegates:
        by_session.setdefault(d.session_id, []).append(d)
    motions, votes = [], []
    titles = [
        "关于改善职工食堂伙食的建议",
        "关于增设职工健身场所的建议",
        "关于落实带薪年休假的建议",
        "关于开展职工技能培训的建议",
    ]
    statuses = [Motion.HANDLED, Motion.REFERRED, Motion.ACCEPTED, Motion.REJECTED]
    for session in sessions:
        ds = by_session[session.pk]
        session.present_count = len(ds) - 1
        for n, title in enumerate(titles, start=1):
            status = statuses[(n + session.pk) % 4]
            motions.append(Motion(session=session, number=n, title=title, content=f"{title}，具体内容如下：……",
                                  proposer=ds[n % len(ds)], seconders=rng.randint(2, 8), status=status,
                                  handler_unit="机关办公室" if status in (Motion.REFERRED, Motion.HANDLED) else "",
                                  reply="已采纳并落实" if status == Motion.HANDLED else ("不属于职代会职权范围" if status == Motion.REJECTED else ""),
                                  status_on=session.held_on + timedelta(days=30)))  # fmt: skip
    CongressSession.objects.bulk_update(sessions, ["present_count"])
    Motion.objects.bulk_create(motions)
    for motion in motions[::2]:
        entitled = len(by_session[motion.session_id])
        yes = entitled - 2
        votes.append(MotionVote(motion=motion, voted_on=motion.session.held_on, entitled=entitled, yes=yes, no=1,
                                abstain=0, by=admin))  # fmt: skip
    MotionVote.objects.bulk_create(votes)
    return len(sessions)


def _disclosures(district, today, admin) -> int:
    items = []
    texts = [
        ("FINANCE", "上半年工会经费收支情况", "工会经费收入……元，支出……元，其中职工福利……元。"),
        ("WELFARE", "中秋节慰问品发放方案", "按照上级规定标准，为全体会员发放中秋节慰问品，每人不超过400元。"),
        ("CONGRESS", "职工代表大会决议公开", "职工代表大会审议通过了工作报告和职工福利方案。"),
        ("AFFAIRS", "职工疗休养安排", "今年职工疗休养分三批进行，请各科室统筹安排。"),
    ]
    items.append(Disclosure(union_org=district.union_root, category="AFFAIRS", title="关于开展职工之家建设评选的通知",
                            body="各基层工会：现组织开展年度职工之家建设评选……", published_on=today - timedelta(days=40),
                            created_by=admin))  # fmt: skip
    for union in district.unions[:30]:
        for i, (category, title, body) in enumerate(texts):
            items.append(Disclosure(union_org=union, category=category, title=title, body=body,
                                    published_on=None if i == 3 and union.pk % 2 else today - timedelta(days=10 + 30 * i),
                                    created_by=admin))  # fmt: skip
    Disclosure.objects.bulk_create(items)
    return len(items)


def _workers_home(district, today, admin, members) -> int:
    """Last year's round reviewed (ratings, history); this year's under way."""
    rng = district.rng
    member_counts: dict[int, int] = {}
    for _, union_id, _ in members:
        member_counts[union_id] = member_counts.get(union_id, 0) + 1
    staff = {u.pk: u.unit.staff_count if u.unit_id else 0 for u in UnionOrg.objects.filter(kind=UnionOrg.GRASSROOTS)
             .select_related("unit")}  # fmt: skip
    total = 0
    for year, status in ((today.year - 1, HomeRound.CLOSED), (today.year, HomeRound.OPEN)):
        home_round = HomeRound.objects.create(year=year, title=f"{year}年度职工之家建设评选", status=status,
                                              self_due_on=date(year, 11, 30), created_by=admin)  # fmt: skip
        criteria = [HomeCriterion(round=home_round, code=item.code, dimension=item.dimension,
                                  standard=item.standard or "", text=item.text, weight=item.weight,
                                  evidence_source=DEFAULT_EVIDENCE.get(item.code, ""), order=i)
                    for i, item in enumerate(rules.DEFAULT_CHECKLIST)]  # fmt: skip
        HomeCriterion.objects.bulk_create(criteria)
        homes = []
        for union in district.unions:
            quality = rng.uniform(0.7, 0.99)
            scores = {c.code: str((c.weight * D(str(round(min(1, quality + rng.uniform(-0.05, 0.05)), 2)))).quantize(D("0.01")))
                      for c in criteria}  # fmt: skip
            self_total = sum(D(v) for v in scores.values())
            home = WorkersHome(round=home_round, union_org=union, self_scores=scores, self_total=self_total,
                               satisfaction_percent=D(str(round(80 + 19 * quality, 2))))  # fmt: skip
            reviewed = status == HomeRound.CLOSED or rng.random() < 0.5
            submitted = reviewed or rng.random() < 0.6
            if submitted:
                home.status, home.submitted_on = WorkersHome.SUBMITTED, date(year, 10, 20)
            if reviewed:
                review = {k: str((D(v) * D("0.97")).quantize(D("0.01"))) for k, v in scores.items()}
                result = rules.score_checklist(review, items=[c.as_item() for c in criteria])
                n, s = member_counts.get(union.pk, 0), staff.get(union.pk, 0)
                if s >= 1 and n <= s:
                    hard, findings = rules.workers_home_rating(
                        member_count=n, staff_count=s, satisfaction_percent=home.satisfaction_percent,
                        holds_lower_title=status == HomeRound.OPEN and quality > 0.85,
                    )  # fmt: skip
                else:
                    hard, findings = rules.NONE, []
                by_score = (
                    rules.MODEL if result.percent >= 90 else rules.ADVANCED if result.percent >= 80 else rules.NONE
                )
                order = [rules.NONE, rules.ADVANCED, rules.MODEL]
                home.review_scores, home.review_total, home.review_percent = review, result.score, result.percent
                home.rating = min(hard, by_score, key=order.index)
                home.findings = [{"rule": f.rule, "severity": f.severity, "message": f.message} for f in findings]
                home.status, home.reviewed_on, home.reviewer = WorkersHome.REVIEWED, date(year, 12, 10), admin
                home.member_count, home.staff_count = n, s
                if home.reviewed_on > today:
                    home.reviewed_on = today
            homes.append(home)
        WorkersHome.objects.bulk_create(homes)
        total += len(homes)
    return total


def extend(district) -> str:
    today = district.today
    admin = _root_admin(district)
    members = list(
        UnionMember.objects.filter(left_on__isnull=True).order_by("id").values_list("id", "union_org_id", "joined_on")
    )
    applications = _applications(district, today)
    changes = _changes(district, today, members)
    cases = _cases(district, today, members, admin)
    with_person = list(
        UnionMember.objects.filter(left_on__isnull=True).order_by("id").values_list("id", "union_org_id", "person_id")
    )
    grants, lines = _grants(district, today, with_person, admin)
    sessions = _congress(district, today, members, admin)
    disclosures = _disclosures(district, today, admin)
    homes = _workers_home(district, today, admin, members)
    audit.record(actor=None, action="union.demo.generate", object_type="union.demo", object_repr="工会工作演示数据",
                 after={"cases": cases, "grants": grants, "lines": lines, "sessions": sessions})  # fmt: skip
    return (
        f"工会工作：入会申请 {applications} 件，会员变动 {changes} 条，帮扶档案 {cases} 份，慰问福利 {grants} 次"
        f"（{lines} 人次），职代会 {sessions} 次，政务公开 {disclosures} 项，职工之家 {homes} 家次"
    )
