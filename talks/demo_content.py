"""Demo talks: heart-to-heart talks (LIFE-08), a few reminder and admonition talks,
appointment-talk due items for recently appointed officers (TALK-02), and a 纪检委员
login who may read them. Bulk inserts; no talk content reaches the audit trail."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.hashers import make_password

from accounts.models import Grant, User
from core.demo.district import DEMO_PASSWORD
from orgs.models import OrgOfficer, PartyOrg
from people.models import PartyMember
from talks import rules
from talks.models import Talk

BATCH = 5000


def extend(district) -> str:
    rng = district.rng
    today = district.today
    secretaries = dict(
        OrgOfficer.objects.filter(
            role=OrgOfficer.SECRETARY, party_org__isnull=False, ended_on__isnull=True
        ).values_list("party_org_id", "person_id")
    )
    talks = []
    year_start = date(today.year, 1, 1)
    span = max(1, (today - year_start).days)
    members = list(
        PartyMember.objects.filter(left_on__isnull=True, branch__kind=PartyOrg.BRANCH).values_list(
            "person_id", "branch_id"
        )
    )
    for person_id, branch_id in members:
        talker = secretaries.get(branch_id)
        if talker is None or talker == person_id or rng.random() > 0.7:
            continue
        talks.append(
            Talk(
                kind=Talk.HEART_TO_HEART,
                status=Talk.DONE,
                org_id=branch_id,
                talker_id=talker,
                talked_to_id=person_id,
                talked_on=year_start + timedelta(days=rng.randrange(span)),
                reason="年度谈心谈话",
                content="了解思想、工作和生活情况，听取对支部工作的意见建议。",
            )  # fmt: skip
        )
    # Reminder and admonition talks, a few in every tenth branch; one admonition follow-up overdue.
    picked = [m for i, m in enumerate(members) if i % 97 == 0][:40]
    for i, (person_id, branch_id) in enumerate(picked):
        talker = secretaries.get(branch_id)
        if talker is None or talker == person_id:
            continue
        talked_on = today - timedelta(days=rng.randint(20, 200))
        if i % 4 == 0:
            talks.append(
                Talk(
                    kind=Talk.ADMONITION,
                    status=Talk.DONE,
                    org_id=branch_id,
                    talker_id=talker,
                    talked_to_id=person_id,
                    talked_on=talked_on,
                    reason="工作作风方面存在问题",
                    content="指出问题，提出整改要求，本人表示接受。",
                    follow_up_due=talked_on + timedelta(days=90 if i % 8 else 10),
                    followed_up_on=talked_on + timedelta(days=60)
                    if i % 8 and talked_on + timedelta(days=60) <= today
                    else None,
                    outcome="整改到位。" if i % 8 else "",
                )  # fmt: skip
            )
        else:
            talks.append(
                Talk(
                    kind=Talk.REMINDER,
                    status=Talk.DONE,
                    org_id=branch_id,
                    talker_id=talker,
                    talked_to_id=person_id,
                    talked_on=talked_on,
                    reason="多次未参加党内组织生活",
                    content="提醒按时参加组织生活，本人表示今后按时参加。",
                )  # fmt: skip
            )
    # TALK-02: officers appointed in the last 60 days have an appointment-talk due item.
    days = rules.APPOINTMENT_TALK_DAYS_DEFAULT
    recent = OrgOfficer.objects.filter(
        party_org__isnull=False, started_on__gte=today - timedelta(days=60)
    ).select_related("party_org")
    paths = {}
    for officer in recent:
        if not rules.needs_appointment_talk(officer.role):
            continue
        org = officer.party_org
        parent_path = org.path[: -PartyOrg.steplen] if org.depth > 1 else org.path
        paths.setdefault(parent_path, None)
        done = rng.random() < 0.5
        due = rules.appointment_talk_due(officer.started_on, days=days)
        talks.append(
            Talk(
                kind=Talk.APPOINTMENT,
                status=Talk.DONE if done else Talk.DUE,
                org=None,
                talked_to_id=officer.person_id,
                officer=officer,
                due_on=due,
                talked_on=min(today, officer.started_on + timedelta(days=rng.randint(3, 25))) if done else None,
                reason=f"{officer.started_on}任{org.name}{officer.get_role_display()}，任职谈话（TALK-02）。",
                content="提出任职要求，明确履职重点。" if done else "",
            )  # fmt: skip
        )
        talks[-1]._parent_path = parent_path
    parents = dict(PartyOrg.objects.filter(path__in=list(paths)).values_list("path", "id"))
    for talk in talks:
        path = getattr(talk, "_parent_path", None)
        if path is not None:
            talk.org_id = parents[path]
            talk.talker_id = secretaries.get(talk.org_id)
            if talk.status == Talk.DONE and talk.talker_id is None:
                talk.status, talk.talked_on, talk.content = Talk.DUE, None, ""
    Talk.objects.bulk_create(talks, batch_size=BATCH)
    login = _discipline_user(district)
    counts = {}
    for talk in talks:
        counts[talk.kind] = counts.get(talk.kind, 0) + 1
    text = "，".join(f"{dict(Talk._meta.get_field('kind').choices)[k]} {n}" for k, n in sorted(counts.items()))
    return f"谈话记录：{text}{login}"


def _discipline_user(district) -> str:
    """A 纪检委员 login (DISCIPLINE over the whole district) who may read the talk ledger."""
    officer = (
        OrgOfficer.objects.filter(role=OrgOfficer.DISCIPLINE, party_org__isnull=False)
        .exclude(person__user__isnull=False)
        .select_related("person")
        .order_by("id")
        .first()
    )
    if officer is None or User.objects.filter(username="jjwy").exists():
        return ""
    user = User.objects.create(
        username="jjwy", display_name=officer.person.name, person=officer.person, password=make_password(DEMO_PASSWORD)
    )
    Grant.objects.create(user=user, role=Grant.DISCIPLINE, party_org=district.party_root)
    district.users["jjwy"] = user
    district.logins.append(("纪检委员", "jjwy", f"{officer.person.name}（{district.party_root.name}）"))
    return "；纪检委员账号 jjwy"
