"""Writes on talks: validated, confidential in the audit trail, in one transaction.

The audit entries of a talk never hold its reason, content or outcome (TALK-01: the
audit log is read by administrators who may not see the record); they say *that* a
field changed.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import audit
from core.models import Notification
from core.policies import ADD, CHANGE
from core.rule_settings import value
from orgs.models import OrgOfficer, PartyOrg
from people.models import Person
from talks import rules
from talks.models import Talk
from talks.policies import talks as policy

SECRET_FIELDS = ("reason", "content", "outcome")
REMINDER_DAYS = 14  # a scheduled reminder talk is due two weeks after it is asked for


def _redacted(talk: Talk) -> dict:
    snap = audit.snapshot(talk)
    for name in SECRET_FIELDS:
        if snap.get(name):
            snap[name] = "（保密）"
    return snap


def _validate(talk: Talk, *, today: date) -> None:
    errors = {}
    if talk.status == Talk.DONE:
        if talk.talked_on is None:
            errors["talked_on"] = "已谈话的记录须填写谈话日期。"
        elif talk.talked_on > today:
            errors["talked_on"] = f"谈话日期 {talk.talked_on} 晚于今天，不能登记尚未进行的谈话。"
        if not talk.content.strip():
            errors["content"] = "请填写谈话内容。"
        if talk.talker_id is None:
            errors["talker"] = "请选择谈话人。"
        if talk.kind == Talk.ADMONITION:
            # TALK-03: an admonition has a follow-up date.
            missing = rules.admonition_follow_up_findings(
                follow_up_due=talk.follow_up_due, followed_up_on=talk.followed_up_on, today=today
            )
            if any(f.severity == "missing" for f in missing):
                errors["follow_up_due"] = missing[0].message
            elif talk.follow_up_due and talk.talked_on and talk.follow_up_due < talk.talked_on:
                errors["follow_up_due"] = "回访日期不能早于谈话日期。"
    elif talk.due_on is None:
        errors["due_on"] = "待谈话事项须填写应谈话日期。"
    if talk.followed_up_on and talk.followed_up_on > today:
        errors["followed_up_on"] = "实际回访日期不能晚于今天。"
    if talk.talker_id and talk.talker_id == talk.talked_to_id:
        errors["talker"] = "谈话人与谈话对象不能是同一人。"
    if errors:
        raise ValidationError(errors)


def talk_save(*, by, talk: Talk, today: date) -> Talk:
    """Create or update a talk as ``by``; the saved row must stay within TALK-01 for updates
    (or the actor's party scope for a new one)."""
    creating = talk.pk is None
    _validate(talk, today=today)
    with transaction.atomic():
        before = None
        if not creating:
            policy.require(by, CHANGE, talk)
            before = _redacted(Talk.objects.select_for_update().get(pk=talk.pk))
        else:
            talk.created_by = by if getattr(by, "pk", None) else None
        talk.full_clean()
        talk.save()
        policy.require(by, ADD if creating else CHANGE, talk)
        after = _redacted(talk)
        if creating or audit.diff(before, after):
            audit.record(
                actor=by,
                action=f"talks.talk.{'create' if creating else 'update'}",
                obj=talk,
                before=before,
                after=after,
            )
    return talk


def _secretary_of(org_id: int, *, today: date) -> Person | None:
    officer = (
        OrgOfficer.objects.filter(party_org_id=org_id, role=OrgOfficer.SECRETARY, started_on__lte=today)
        .filter(ended_on__isnull=True)
        .select_related("person")
        .first()
    )
    return officer.person if officer else None


def _notify(talk: Talk, *, title: str, key: str) -> None:
    """Tell the talker (if he has an account) that a talk is due; the text names no content."""
    user = getattr(talk.talker, "user", None) if talk.talker_id else None
    if user is None:
        return
    from django.urls import reverse

    Notification.objects.get_or_create(
        dedupe_key=key,
        defaults={"user": user, "title": title, "body": "", "url": reverse("talks:talk_detail", args=[talk.pk])},
    )


def reminder_schedule(*, by, member, streak: int, dates: list[date], today: date) -> Talk:
    """LIFE-09 → a 提醒谈话 due item for a member absent ``streak`` times in a row.

    The talker is the secretary of the member's branch when one is recorded; the actor
    (who may not see talk records at all) only schedules it.
    """
    secretary = _secretary_of(member.branch_id, today=today)
    text = "、".join(d.isoformat() for d in dates)
    talk = Talk(
        kind=Talk.REMINDER,
        status=Talk.DUE,
        org_id=member.branch_id,
        talker=secretary,
        talked_to_id=member.person_id,
        due_on=today + timedelta(days=REMINDER_DAYS),
        reason=f"连续{streak}次无故缺席党内组织生活（{text}）（LIFE-09）。",
    )
    talk = talk_save(by=by, talk=talk, today=today)
    _notify(talk, title="有一项提醒谈话待开展", key=f"talks.reminder.{talk.pk}")
    return talk


def responsible_org_for(officer: OrgOfficer) -> PartyOrg:
    """The committee above the officer's organisation holds the appointment talk; the
    root's own officers are talked to by the root."""
    org = officer.party_org
    if org.depth <= 1:
        return org
    return PartyOrg.objects.get(path=org.path[: -PartyOrg.steplen])


def appointment_schedule(*, officer: OrgOfficer, today: date) -> Talk | None:
    """TALK-02: a newly appointed secretary or committee member gets an appointment-talk
    due item, due ``APPOINTMENT_TALK_DAYS`` after taking office. Repeat-safe."""
    if officer.party_org_id is None or not rules.needs_appointment_talk(officer.role):
        return None
    if Talk.objects.filter(officer=officer).exists():
        return None
    days = value("APPOINTMENT_TALK_DAYS")
    org = responsible_org_for(officer)
    talk = Talk(
        kind=Talk.APPOINTMENT,
        status=Talk.DUE,
        org=org,
        talker=_secretary_of(org.pk, today=today),
        talked_to_id=officer.person_id,
        officer=officer,
        due_on=rules.appointment_talk_due(officer.started_on, days=days),
        reason=f"{officer.started_on}任{officer.party_org.name}{officer.get_role_display()}，任职谈话（TALK-02）。",
    )
    with transaction.atomic():
        talk.full_clean()
        talk.save()
        audit.record(actor=None, action="talks.talk.schedule_appointment", obj=talk, after=_redacted(talk))
    _notify(talk, title="有一项任职谈话待开展", key=f"talks.appointment.{talk.pk}")
    return talk


def talk_delete(*, by, talk: Talk) -> None:
    with transaction.atomic():
        if not policy.may(by, CHANGE, talk):
            raise PermissionDenied("您无权删除该谈话记录。")
        before = _redacted(talk)
        pk = talk.pk
        talk.delete()
        audit.record(
            actor=by, action="talks.talk.delete", object_type="talks.talk", object_id=str(pk),
            object_repr=f"谈话记录（{pk}）", before=before,
        )  # fmt: skip
