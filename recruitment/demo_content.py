"""Demo recruitment pipeline: about 3 % of the members' worth of records across all stages.

Applicants, activists and candidates are new people (young staff of the branch's
unit); probationary and recently converted records are written for members the
base district already has (their admission date is the general meeting), plus a
few probationary members whose conversion is overdue. Dates spread over the
2014/2026 boundary (2026-05-11); some steps are overdue; a few past notices
carry an objection; every past general meeting has its ballot numbers.
Deterministic (``district.rng``), bulk inserts only.
"""

from __future__ import annotations

from datetime import date, timedelta

from core import audit, crypto, pinyin
from core.dates import add_years
from core.demo.names import person_name
from core.idnumber import check_char
from core.workdays import UnknownCalendarYear, WorkCalendar
from orgs.models import PartyOrg
from people.models import PartyMember, Person
from recruitment import facts as facts_module
from recruitment import rules
from recruitment.models import Evaluation, Mentor, Objection, PublicNotice, Recruitment, Sponsor

ADDRESS_CODE = "500102"  # not the base district's, so ID numbers never collide
SHARE = 0.03
D = timedelta


def _id_number(rng, birth: date, gender: str, used: set) -> str:
    while True:
        seq = rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)
        first17 = f"{ADDRESS_CODE}{birth:%Y%m%d}{seq:03d}"
        if first17 not in used:
            used.add(first17)
            return first17 + check_char(first17)


def _ballot(rng, meeting: date) -> dict:
    due = rng.randint(12, 45)
    present = due - rng.randint(0, min(4, due // 3))
    written = rng.randint(0, min(due - present, 2))
    method = rules.BALLOT_SECRET if meeting >= rules.RULES_2026_FROM or rng.random() < 0.7 else rules.BALLOT_HANDS
    return {"due": due, "present": present, "written_in_favour": written, "in_favour": present - rng.randint(0, 1),
            "method": method}  # fmt: skip


def _notice(calendar: WorkCalendar, start: date) -> date:
    try:
        return calendar.add_workdays(start, 5)
    except UnknownCalendarYear:
        return start + D(days=7)


def plan(rng, meeting: date, calendar: WorkCalendar) -> dict:
    """Every step of one record around its general meeting date, rule-abiding."""
    v: dict = {}
    form = meeting - D(days=rng.randint(3, 15))
    pre_review = form - D(days=rng.randint(1, 5))
    committee = pre_review - D(days=rng.randint(2, 10))
    training_end = committee - D(days=rng.randint(3, 20))
    training_start = training_end - D(days=2)
    review = training_start - D(days=rng.randint(1, 15))
    candidate = review - D(days=rng.randint(10, 40))
    notice_start = candidate - D(days=rng.randint(14, 20))
    notice_end = _notice(calendar, notice_start)
    if notice_end >= candidate:
        candidate = notice_end + D(days=3)
    activist = add_years(candidate, -1) - D(days=rng.randint(10, 120))
    application = activist - D(days=rng.randint(60, 300))
    v.update(
        application_on=application,
        talk_on=application + D(days=rng.randint(5, 25)),
        activist_on=activist,
        activist_filed_on=activist + D(days=rng.randint(1, 5)),
        mentors_assigned_on=activist + D(days=rng.randint(6, 10)),
        candidate_on=candidate,
        candidate_agreed_by_superior=True,
        notice_start=notice_start,
        notice_end=notice_end,
        sponsors_assigned_on=candidate + D(days=rng.randint(0, 5)),
        political_review_on=review,
        training_start=training_start,
        training_end=training_end,
        training_hours=24,
        committee_review_on=committee,
        pre_review_on=pre_review,
        application_form_on=form,
        general_meeting_on=meeting,
    )
    evaluations, d = [], activist
    while True:
        d = d + D(days=rng.randint(150, 178))
        if d >= candidate:
            break
        evaluations.append(d)
    v["evaluations"] = evaluations
    for key, value in _ballot(rng, meeting).items():
        v[f"admission_{key}"] = value
    approved = meeting + D(days=rng.randint(20, 60))
    filed = approved + D(days=rng.randint(2, 8))
    assigned = filed + D(days=rng.randint(0, 2))
    oath = assigned + D(days=rng.randint(1, 10))
    end = add_years(meeting, 1)
    conversion_meeting = end + D(days=rng.randint(0, 20))
    conversion_approved = conversion_meeting + D(days=rng.randint(10, 60))
    v.update(
        superior_talk_on=meeting + D(days=rng.randint(5, 15)),
        approved_on=approved,
        approval_filed_on=filed,
        assigned_to_branch_on=assigned,
        oath_on=oath,
        probation_evaluations=[meeting + D(days=rng.randint(170, 180))],
        conversion_application_on=end - D(days=rng.randint(10, 30)),
        conversion_committee_review_on=end - D(days=rng.randint(1, 8)),
        conversion_meeting_on=conversion_meeting,
        conversion_approved_on=conversion_approved,
        archived_on=conversion_approved + D(days=rng.randint(10, 50)),
        archive_checklist=sorted(rules.ARCHIVE_DOCUMENTS),
    )
    for key, value in _ballot(rng, conversion_meeting).items():
        v[f"conversion_{key}"] = value
    return v


# The fields each step writes, in process order, for truncating a plan.
_STEP_KEYS = {
    1: ("application_on",), 2: ("talk_on",), 3: ("activist_on",), 4: ("activist_filed_on",),
    5: ("mentors_assigned_on",), 8: ("notice_start", "notice_end"), 7: ("candidate_on", "candidate_agreed_by_superior"),
    9: ("sponsors_assigned_on",), 10: ("political_review_on",), 11: ("training_start", "training_end", "training_hours"),
    12: ("committee_review_on",), 13: ("pre_review_on",), 14: ("application_form_on",),
    15: ("general_meeting_on", "admission_due", "admission_present", "admission_written_in_favour",
         "admission_in_favour", "admission_method"),
    16: ("superior_talk_on",), 17: ("approved_on",), 18: ("approval_filed_on",), 19: ("assigned_to_branch_on",),
    20: ("oath_on",), 22: ("conversion_application_on",),
    23: ("conversion_committee_review_on", "conversion_meeting_on", "conversion_due", "conversion_present",
         "conversion_written_in_favour", "conversion_in_favour", "conversion_method"),
    24: ("conversion_approved_on",), 25: ("archived_on", "archive_checklist"),
}  # fmt: skip


def truncate(v: dict, *, today: date, last_step: int) -> dict:
    """Only the steps done by ``today`` and not beyond ``last_step`` (process order)."""
    order = rules.PROCESS_ORDER
    out = dict(v)
    for step in order:
        keys = _STEP_KEYS.get(step)
        if keys is None:
            continue
        dates = [v.get(k) for k in keys if isinstance(v.get(k), date)]
        if order.index(step) > order.index(last_step) or any(d > today for d in dates):
            for key in keys:
                out[key] = None
    if out.get("activist_on") is None:
        out["mentors_assigned_on"] = None
    limit = min(out.get("candidate_on") or today, today)
    out["evaluations"] = [d for d in v.get("evaluations", []) if d <= limit]
    if out.get("candidate_on") is None and out.get("activist_on"):
        # still an activist: an evaluation about every six months up to today
        d = max([out["activist_on"], *out["evaluations"]])
        while d + D(days=178) <= today:
            d = d + D(days=170)
            out["evaluations"].append(d)
    out["probation_evaluations"] = [
        d for d in v.get("probation_evaluations", []) if d <= today and out.get("approved_on")
    ]
    for key in ("admission_method", "conversion_method"):
        out[key] = out.get(key) or ""
    return out


def _approving(branch: PartyOrg, tops: dict[str, PartyOrg], root: PartyOrg) -> PartyOrg:
    top = tops.get(branch.path[: 2 * PartyOrg.steplen])
    return top if top is not None and top.kind == PartyOrg.COMMITTEE else root


def extend(district) -> str:
    rng, today = district.rng, district.today
    calendar = WorkCalendar()
    members_total = PartyMember.objects.filter(left_on__isnull=True).count()
    target = max(12, round(members_total * SHARE))
    branches = [b for b in district.branches if b.kind == PartyOrg.BRANCH]
    full = {}
    for branch_id, person_id, name, full_on in PartyMember.objects.filter(
        status=PartyMember.FULL, left_on__isnull=True
    ).values_list("branch_id", "person_id", "person__name", "full_member_on"):
        full.setdefault(branch_id, []).append((person_id, name, full_on))
    branches = [b for b in branches if len(full.get(b.pk, [])) >= 3] or branches
    tops = {o.path: o for o in PartyOrg.objects.filter(depth=2)}
    root = district.party_root
    secretary_grant = district.users.get("zbsj")
    home = secretary_grant.grants.first().party_org if secretary_grant else None
    home = home if home in branches else None

    def pick_branch(i: int) -> PartyOrg:
        if home is not None and i % 8 == 0:
            return home
        return branches[rng.randrange(len(branches))]

    n_applicant, n_activist, n_candidate = round(target * 0.18), round(target * 0.30), round(target * 0.17)
    n_probationary = round(target * 0.20)
    n_full = target - n_applicant - n_activist - n_candidate - n_probationary
    n_overdue_probation = max(2, target // 60)

    specs: list[tuple[str, PartyOrg, dict, PartyMember | None]] = []
    # new people at the early stages
    windows = {rules.APPLICANT: (560, 1000, 2), rules.ACTIVIST: (150, 430, 6), rules.CANDIDATE: (-40, 110, 15)}
    counts = {rules.APPLICANT: n_applicant, rules.ACTIVIST: n_activist, rules.CANDIDATE: n_candidate}
    i = 0
    for stage, n in counts.items():
        lo, hi, last = windows[stage]
        made = 0
        while made < n:
            meeting = today + D(days=rng.randint(lo, hi))
            v = truncate(plan(rng, meeting, calendar), today=today, last_step=last)
            if stage == rules.APPLICANT and v["application_on"] is None:
                continue
            if stage == rules.APPLICANT and v["application_on"] < today - D(days=120):
                v["application_on"] = today - D(days=rng.randint(5, 110))
                v["talk_on"] = v["application_on"] + D(days=rng.randint(5, 25))
                if v["talk_on"] > today or rng.random() < 0.25:
                    v["talk_on"] = None  # some talks overdue (REC-02)
                v["activist_on"] = v["activist_filed_on"] = v["mentors_assigned_on"] = None
                v["evaluations"] = []
            if stage == rules.ACTIVIST and v["activist_on"] is None:
                continue
            if stage == rules.ACTIVIST and len(v["evaluations"]) > 1 and rng.random() < 0.15:
                v["evaluations"] = v["evaluations"][:1]  # evaluation overdue (REC-05)
            if stage == rules.CANDIDATE and v["candidate_on"] is None:
                continue
            specs.append((stage, pick_branch(i), v, None))
            made += 1
            i += 1
    # probationary members the district already has: meeting = their admission
    probationary = list(
        PartyMember.objects.filter(status=PartyMember.PROBATIONARY, left_on__isnull=True, branch__in=branches)
        .select_related("branch")
        .order_by("id")
    )
    rng.shuffle(probationary)
    for member in probationary[:n_probationary]:
        v = plan(rng, member.admitted_on, calendar)
        if v["approved_on"] > today:
            v["approved_on"] = today
            v["superior_talk_on"] = min(v["superior_talk_on"], today - D(days=1))
        v = truncate(v, today=today, last_step=22)
        if v.get("oath_on") and rng.random() < 0.1:
            # oath overdue under the 2026 rules (REC-17): nothing recorded after the approval's filing
            v["oath_on"], v["probation_evaluations"], v["conversion_application_on"] = None, [], None
        specs.append((rules.PROBATIONARY, member.branch, v, member))
    # recently converted members
    recent = list(
        PartyMember.objects.filter(
            status=PartyMember.FULL, left_on__isnull=True, branch__in=branches,
            admitted_on__gte=today - D(days=3 * 365), admitted_on__lte=today - D(days=365 + 90),
        ).select_related("branch").order_by("id")
    )  # fmt: skip
    rng.shuffle(recent)
    for member in recent[:n_full]:
        v = plan(rng, member.admitted_on, calendar)
        for key in ("conversion_meeting_on", "conversion_approved_on"):
            v[key] = min(v[key], today)
        if rng.random() < 0.2 or v["archived_on"] > today:
            v["archived_on"], v["archive_checklist"] = None, None  # archive pending (REC-25)
        v = truncate(v, today=today, last_step=25)
        specs.append((rules.FULL, member.branch, v, member))
    # a few probationary members whose conversion is overdue (REC-19)
    overdue_people = []
    for _ in range(n_overdue_probation):
        meeting = today - D(days=rng.randint(380, 460))
        v = truncate(plan(rng, meeting, calendar), today=today, last_step=21)
        overdue_people.append((rules.PROBATIONARY, pick_branch(1), v, None))
    specs += overdue_people

    # people for the new records
    used: set = set()
    persons = []
    for _stage, branch, _v, member in specs:
        if member is not None:
            persons.append(member.person)
            continue
        gender = "M" if rng.random() < 0.5 else "F"
        birth = today - D(days=rng.randint(23 * 365, 35 * 365))
        name = person_name(rng, gender)
        number = _id_number(rng, birth, gender, used)
        p = Person(
            name=name, name_pinyin=pinyin.full_pinyin(name), name_initials=pinyin.initials(name), gender=gender,
            birth_date=birth, id_number_enc=crypto.encrypt(number), id_number_hash=crypto.lookup_hash(number),
            id_number_masked=crypto.mask_id_number(number), id_last4=number[-4:], education=rng.choice(["12", "21", "21", "22"]),
            job_code="111", unit_id=branch.unit_id, position="科员",
        )  # fmt: skip
        persons.append(p)
    Person.objects.bulk_create([p for p in persons if p.pk is None], batch_size=2000)
    new_members = []
    for (_stage, branch, v, member), person in zip(specs, persons, strict=True):
        if member is None and v.get("approved_on"):
            new_members.append(
                PartyMember(
                    person=person,
                    status=PartyMember.PROBATIONARY,
                    branch=branch,
                    admitted_on=v["general_meeting_on"],
                    joined_org_on=v["general_meeting_on"],
                )  # fmt: skip
            )
    PartyMember.objects.bulk_create(new_members)

    records, evaluations, mentors, sponsors = [], [], [], []
    related = []
    for (_stage, branch, v, _member), person in zip(specs, persons, strict=True):
        pool = [m for m in full.get(branch.pk, []) if m[0] != person.pk]
        mentor_on, sponsor_on = v.get("mentors_assigned_on"), v.get("sponsors_assigned_on")
        mentor_pool = [m for m in pool if mentor_on and m[2] and m[2] <= mentor_on]
        sponsor_pool = [m for m in pool if sponsor_on and m[2] and m[2] <= sponsor_on]
        mentor_refs = rng.sample(mentor_pool, min(len(mentor_pool), rng.choice([1, 2]))) if mentor_on else []
        sponsor_refs = rng.sample(sponsor_pool, 2) if sponsor_on and len(sponsor_pool) >= 2 else []
        approver = _approving(branch, tops, root) if v.get("approved_on") else None
        values = {k: val for k, val in v.items() if k not in ("evaluations", "probation_evaluations")}
        record = Recruitment(
            person=person, branch=branch, approving_org=approver,
            approving_org_kind=approver.kind if approver else "", **values,
        )  # fmt: skip
        facts = facts_module.build(
            {**values, "approving_org_kind": record.approving_org_kind},
            birth_date=person.birth_date,
            evaluations=v["evaluations"],
            probation_evaluations=v["probation_evaluations"],
            mentors=[rules.MemberRef(n) for _, n, _ in mentor_refs],
            sponsors=[rules.MemberRef(n) for _, n, _ in sponsor_refs],
        )
        record.stage = rules.stage_of(facts)
        record.probation_end_on = rules.probation_end(facts)
        due, text = rules.next_due(facts, today=today)
        record.next_due_on, record.next_due_text = due, text[:100]
        records.append(record)
        related.append((v, mentor_refs, sponsor_refs))
    Recruitment.objects.bulk_create(records, batch_size=2000)
    for record, (v, mentor_refs, sponsor_refs) in zip(records, related, strict=True):
        evaluations += [Evaluation(recruitment=record, kind=Evaluation.CULTIVATION, on=d, summary="表现良好")
                        for d in v["evaluations"]]  # fmt: skip
        evaluations += [Evaluation(recruitment=record, kind=Evaluation.PROBATION, on=d, summary="表现良好")
                        for d in v["probation_evaluations"]]  # fmt: skip
        on_mentor = v.get("mentors_assigned_on") or v.get("activist_on")
        mentors += [Mentor(recruitment=record, person_id=pid, name=name, was_full_member=bool(f and on_mentor and f <= on_mentor))
                    for pid, name, f in mentor_refs]  # fmt: skip
        on_sponsor = v.get("sponsors_assigned_on")
        sponsors += [Sponsor(recruitment=record, person_id=pid, name=name, was_full_member=bool(f and on_sponsor and f <= on_sponsor))
                     for pid, name, f in sponsor_refs]  # fmt: skip
    Evaluation.objects.bulk_create(evaluations, batch_size=5000)
    Mentor.objects.bulk_create(mentors, batch_size=5000)
    Sponsor.objects.bulk_create(sponsors, batch_size=5000)

    # a few past notices, one with a resolved objection
    noticed = [r for r in records if r.notice_start and r.candidate_on][:15]
    notices = []
    for record in noticed:
        rule = "REC-07" if record.candidate_on >= rules.RULES_2026_FROM else "REC-07L"
        notices.append(
            PublicNotice(
                org=record.branch,
                title=f"关于{record.person.name}同志拟确定为发展对象的公示",
                rule=rule,
                start_on=record.notice_start,
                workdays=5,
                end_on=record.notice_end,
                signer=record.branch.name,
                contact=f"{record.branch.name}，电话 023-5812{rng.randint(1000, 9999)}",
            )  # fmt: skip
        )
    PublicNotice.objects.bulk_create(notices)
    through = PublicNotice.recruitments.through
    through.objects.bulk_create(
        [through(publicnotice_id=n.pk, recruitment_id=r.pk) for n, r in zip(notices, noticed, strict=True)]
    )
    if notices:
        n, r = notices[0], noticed[0]
        Objection.objects.create(
            notice=n, recruitment=r, received_on=n.start_on + D(days=1), content="反映该同志曾迟到早退，请核实。",
            resolved_on=n.end_on, resolution="经支部委员会核实，所反映情况属偶发，已教育提醒，不影响确定为发展对象。",
        )  # fmt: skip
    audit.record_many(actor=None, action="recruitment.demo.create", objects=records)
    overdue = sum(1 for r in records if r.next_due_on and r.next_due_on < today)
    by_stage = {label: sum(1 for r in records if r.stage == key) for key, label in rules.STAGE_LABELS.items()}
    text = "，".join(f"{label} {n}" for label, n in by_stage.items())
    return f"发展党员：{len(records)} 人（{text}），逾期 {overdue} 人，公示 {len(notices)} 次"


__all__ = ["extend", "plan", "truncate"]
