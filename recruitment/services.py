"""Writes on recruitment records, notices and objections: validated, scoped, audited.

Moving a person through a step (``recruitment_step_record``) writes the step's
values, runs every REC rule on the whole record and compares the findings with
those before the step. An **error** that concerns this step, or that the step
introduced, stops it (``StepBlocked``, nothing saved) unless an authorised user
(policy action ``override``) gives a reason: the reason is kept as an
``Override`` row and audited, and the rules read it as the recorded reason of
that rule. Warnings never stop a step; they are returned and shown.

``by`` is a User, or None for the system actor of the management commands (the
command checks the scope itself, from ``--org``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import audit, crypto
from core.findings import Finding
from core.idnumber import IdNumberError, parse
from core.policies import CHANGE, DELETE
from core.services import delete_audited, save_audited
from core.workdays import UnknownCalendarYear, WorkCalendar
from core.workdays_db import work_calendar
from orgs.models import PartyOrg
from people import policies as people_policies
from people import services as people_services
from people.models import PartyMember, Person
from people.rules import member_dates_errors
from recruitment import policies, rules
from recruitment.facts import facts_of, with_related
from recruitment.models import Evaluation, Mentor, Objection, Override, PublicNotice, Recruitment, Sponsor
from recruitment.rule_settings import current as current_settings
from recruitment.steps import AFTER_NOTICE, BASIC, RELATED_KEYS, STEP_FIELDS, STEP_TITLES

RECRUITING_KINDS = (PartyOrg.BRANCH, PartyOrg.GENERAL_BRANCH)
# Rules whose recorded reason changes what they find (REC-10, REC-15, REC-19).
REASON_RULES = ("REC-10", "REC-15", "REC-19")


class StepBlocked(Exception):
    """Errors stop the step; ``findings`` are the blocking ones (rule ID + Chinese message)."""

    def __init__(self, findings: Sequence[Finding]):
        self.findings = list(findings)
        super().__init__("；".join(f"{f.rule} {f.message}" for f in self.findings))


@dataclass(frozen=True)
class GuideInput:
    """A mentor or sponsor as typed or imported: a person of the system, or a name only."""

    name: str
    person: Person | None = None
    discipline: str = ""


@dataclass(frozen=True)
class EvaluationInput:
    on: date
    summary: str = ""


@dataclass
class StepResult:
    recruitment: Recruitment
    findings: list[Finding]  # the whole record after the step
    step_findings: list[Finding] = field(default_factory=list)  # those about this step
    overridden: list[Finding] = field(default_factory=list)


# --- shared helpers ------------------------------------------------------------------


def audit_record(record: Recruitment, *, today: date, calendar: WorkCalendar | None = None, settings=None):
    """Every REC finding of one record (its related rows fetched or prefetched)."""
    return rules.audit(
        facts_of(record),
        today=today,
        calendar=calendar or work_calendar(),
        settings=settings or current_settings(),
    )


def refresh_derived(record: Recruitment, facts: rules.RecruitmentFacts, *, today: date) -> None:
    """Stage, probation end and next due date from the rules (stored for lists)."""
    record.stage = rules.stage_of(facts)
    record.probation_end_on = rules.probation_end(facts)
    due, text = rules.next_due(facts, today=today)
    record.next_due_on, record.next_due_text = due, text[:100]


def was_full_member(person: Person | None, on: date | None, *, today: date) -> bool | None:
    """Whether ``person`` was a full member on ``on`` (None: not a person of the system)."""
    if person is None:
        return None
    member = PartyMember.objects.filter(person=person).only("status", "full_member_on", "left_on").first()
    if member is None or member.status != PartyMember.FULL or member.full_member_on is None:
        return False
    on = on or today
    return member.full_member_on <= on and (member.left_on is None or member.left_on > on)


def _policy(by):
    return policies.recruitments if by is not None else None


def _guides_snapshot(record: Recruitment) -> dict:
    return {
        "mentors": [m.name for m in record.mentors.all()],
        "sponsors": [s.name for s in record.sponsors.all()],
        "evaluations": [e.on.isoformat() for e in record.evaluations.all() if e.kind == Evaluation.CULTIVATION],
        "probation_evaluations": [e.on.isoformat() for e in record.evaluations.all() if e.kind == Evaluation.PROBATION],
    }


def _replace_guides(record: Recruitment, model, items: Iterable[GuideInput], on: date | None, today: date) -> None:
    model.objects.filter(recruitment=record).delete()
    rows = [
        model(
            recruitment=record,
            person=item.person,
            name=(item.person.name if item.person else item.name).strip(),
            was_full_member=was_full_member(item.person, on, today=today),
            discipline=item.discipline or "",
        )
        for item in items
    ]
    for row in rows:
        row.full_clean(exclude=["recruitment"])
    model.objects.bulk_create(rows)


def _replace_evaluations(record: Recruitment, kind: str, items: Iterable) -> None:
    Evaluation.objects.filter(recruitment=record, kind=kind).delete()
    rows = []
    for item in items:
        on, summary = (item.on, item.summary) if isinstance(item, EvaluationInput) else (item, "")
        rows.append(Evaluation(recruitment=record, kind=kind, on=on, summary=summary[:200]))
    Evaluation.objects.bulk_create(rows)


def apply_values(record: Recruitment, data: dict) -> None:
    """Set the record's own columns from ``data`` (related keys are left to the caller)."""
    for key, value in data.items():
        if key in RELATED_KEYS:
            continue
        if key == "approving_org":
            record.approving_org = value
            if value is not None:
                record.approving_org_kind = value.kind
                record.approving_org_name = ""
            elif not record.approving_org_name:
                record.approving_org_kind = ""
        elif key in ("admission_method", "conversion_method"):
            setattr(record, key, value or "")
        elif key == "archive_checklist":
            record.archive_checklist = sorted(value) if value is not None else None
        else:
            setattr(record, key, value)


def apply_related(record: Recruitment, data: dict, *, today: date) -> None:
    if "mentors" in data:
        _replace_guides(record, Mentor, data["mentors"], record.mentors_assigned_on or record.activist_on, today)
    if "sponsors" in data:
        on = record.sponsors_assigned_on or record.candidate_on or record.general_meeting_on
        _replace_guides(record, Sponsor, data["sponsors"], on, today)
    if "evaluations" in data:
        _replace_evaluations(record, Evaluation.CULTIVATION, data["evaluations"])
    if "probation_evaluations" in data:
        _replace_evaluations(record, Evaluation.PROBATION, data["probation_evaluations"])


def _fresh(record_pk: int) -> Recruitment:
    return with_related(Recruitment.objects.filter(pk=record_pk)).get()


def _check_objections(record: Recruitment, step: int, data: dict) -> None:
    """An objection received during a notice must be resolved before the next step."""
    if step not in AFTER_NOTICE or not any(v not in (None, "", [], ()) for v in data.values()):
        return
    open_ = (
        Objection.objects.filter(notice__recruitments=record, resolved_on__isnull=True)
        .filter(models_q_for(record))
        .order_by("received_on")
        .first()
    )
    if open_ is not None:
        raise ValidationError(
            f"公示期间于 {open_.received_on.isoformat()} 收到的异议尚未处理完毕，"
            f"不能进行“{STEP_TITLES[step]}”；请先在公示页面登记处理结果。"
        )


def models_q_for(record: Recruitment):
    from django.db.models import Q

    return Q(recruitment__isnull=True) | Q(recruitment=record)


def step_done(facts: rules.RecruitmentFacts, step: int) -> bool:
    """Whether a step is recorded (mentors and sponsors may be recorded by name only)."""
    if step == 5 and facts.mentors:
        return True
    if step == 9 and facts.sponsors:
        return True
    return rules.step_date(facts, step) is not None


def _is_overdue(finding: Finding, today: date) -> bool:
    """A deadline passed as of today with its step still undone.

    The rules word every such finding "…截至 <today> 尚未…" (recruitment.rules
    ``_overdue``, ``_overdue_evaluation``, REC-25), so the date of today in the
    message marks it.
    """
    return f"截至 {today.isoformat()}" in finding.message


def _blocking(before: list[Finding], after: list[Finding], overridden: set[str], *, today: date) -> list[Finding]:
    """The errors this step introduced and nobody has overridden.

    An error already on the record before the step (e.g. from an imported
    ledger) is shown but does not stop an unrelated change; an overdue deadline
    is reported but never stops recording what was done.
    """
    known = {(f.rule, f.message) for f in before}
    return [
        f
        for f in after
        if f.is_error and f.rule not in overridden and (f.rule, f.message) not in known and not _is_overdue(f, today)
    ]


def _concerns(finding: Finding, step: int) -> bool:
    """Whether a finding is about the step just recorded (shown as a message after saving)."""
    return finding.step == step or (step == BASIC and finding.rule in ("REC-07", "REC-19"))


# --- the step service -------------------------------------------------------------------


def recruitment_step_record(
    *,
    by,
    recruitment: Recruitment,
    step: int,
    data: dict,
    today: date,
    override_reason: str | None = None,
    calendar: WorkCalendar | None = None,
) -> StepResult:
    """Record step ``step`` (0 = basic facts, 1..25) of ``recruitment`` with ``data``.

    Raises ValidationError (field messages in Chinese), StepBlocked (rule errors,
    no override reason) or PermissionDenied (out of scope, or an override by a
    user who may not override); in every case nothing is saved.
    """
    if step not in STEP_FIELDS:
        raise ValidationError(f"没有第 {step} 步。")
    unknown = set(data) - set(STEP_FIELDS[step])
    if unknown:
        raise ValueError(f"step {step} does not record {sorted(unknown)}")
    calendar = calendar or work_calendar()
    settings = current_settings()
    reason = (override_reason or "").strip()
    with transaction.atomic():
        record = _fresh(recruitment.pk)
        if by is not None:
            policies.recruitments.require(by, CHANGE, record)
        _check_objections(record, step, data)
        before = rules.audit(facts_of(record), today=today, calendar=calendar, settings=settings)
        related_before = _guides_snapshot(record)
        apply_values(record, data)
        if step == BASIC and "branch" in data and data["branch"].kind not in RECRUITING_KINDS:
            raise ValidationError({"branch": "发展党员记录应属于党支部（或党总支）。"})
        apply_related(record, data, today=today)
        record._prefetched_objects_cache = {}
        record = _with_caches(record)
        facts = facts_of(record)
        after = rules.audit(facts, today=today, calendar=calendar, settings=settings)
        overridden_rules = {o.rule for o in record.overrides.all()}
        blocking = _blocking(before, after, overridden_rules, today=today)
        if blocking:
            if not reason:
                raise StepBlocked(blocking)
            if by is None or not policies.recruitments.may(by, policies.OVERRIDE, record):
                raise PermissionDenied("只有党委（工委）管理员可以说明理由后继续办理。")
            _record_overrides(record, blocking, reason=reason, by=by, step=step)
            record._prefetched_objects_cache = {}
            record = _with_caches(record)
            facts = facts_of(record)
            after = rules.audit(facts, today=today, calendar=calendar, settings=settings)
        refresh_derived(record, facts, today=today)
        save_audited(record, by=by, policy=_policy(by), action=f"recruitment.step{step}")
        related_after = _guides_snapshot(record)
        if related_after != related_before:
            audit.record(
                actor=by, action=f"recruitment.step{step}.related", obj=record,
                before=related_before, after=related_after,
            )  # fmt: skip
        sync_membership(record, facts, by=by, today=today)
    return StepResult(
        recruitment=record,
        findings=after,
        step_findings=[f for f in after if _concerns(f, step)],
        overridden=blocking,
    )


def _with_caches(record: Recruitment) -> Recruitment:
    """Re-read the related rows (after they changed) while keeping the unsaved column values."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects([record], "evaluations", "mentors", "sponsors", "overrides")
    return record


def _record_overrides(record: Recruitment, findings: Sequence[Finding], *, reason: str, by, step: int) -> None:
    name = (by.get_full_name() or by.username) if by is not None else "系统"
    for finding in findings:
        override = Override.objects.create(
            recruitment=record, rule=finding.rule, step=finding.step or step, message=finding.message,
            reason=reason, by=by, by_name=name,
        )  # fmt: skip
        audit.record(
            actor=by,
            action="recruitment.override",
            obj=record,
            after={"rule": finding.rule, "step": override.step, "message": finding.message, "reason": reason},
        )


def sync_membership(record: Recruitment, facts: rules.RecruitmentFacts, *, by, today: date) -> PartyMember | None:
    """Admission (step 17, approval) makes the person a probationary member from the general
    meeting date (REC-18); conversion (step 24) makes him a full member from the day
    probation ends (REC-23)."""
    meeting, approved = record.general_meeting_on, record.approved_on
    member = PartyMember.objects.filter(person_id=record.person_id).first()
    policy = people_policies.party_members if by is not None else None
    if approved and meeting and approved <= today:
        if member is None:
            member = PartyMember(
                person_id=record.person_id, status=PartyMember.PROBATIONARY, branch=record.branch,
                admitted_on=meeting, joined_org_on=meeting, joined_way="RECRUITED",
            )  # fmt: skip
            _check_member_dates(member, record, today)
            save_audited(member, by=by, policy=policy, action="recruitment.admit")
        elif (
            member.status == PartyMember.PROBATIONARY
            and member.joined_way == "RECRUITED"
            and member.admitted_on != meeting
        ):
            member.admitted_on = member.joined_org_on = meeting
            _check_member_dates(member, record, today)
            save_audited(member, by=by, policy=policy, action="recruitment.admit")
    converted = record.conversion_approved_on
    if member is not None and converted and converted <= today and meeting:
        full_on = rules.full_member_on(facts)
        extension = max(0, record.extension_months or 0)
        if (member.status, member.full_member_on, member.probation_extension_months) != (
            PartyMember.FULL,
            full_on,
            extension,
        ):
            member.status = PartyMember.FULL
            member.full_member_on = full_on
            member.probation_extension_months = extension
            _check_member_dates(member, record, today)
            save_audited(member, by=by, policy=policy, action="recruitment.convert")
    return member


def _check_member_dates(member: PartyMember, record: Recruitment, today: date) -> None:
    errors = member_dates_errors(
        status=member.status,
        admitted_on=member.admitted_on,
        full_on=member.full_member_on,
        birth_date=record.person.birth_date,
        today=today,
    )
    if errors:
        raise ValidationError({"__all__": [f"不能办理党员登记：{m}" for m in errors.values()]})


# --- create, reasons, delete ----------------------------------------------------------------


def find_person(id_number: str, *, today: date) -> tuple[str, Person | None]:
    """The normalised ID number and the person already registered with it, if any."""
    try:
        number = parse(id_number, today=today).number
    except IdNumberError as exc:
        raise ValidationError({"id_number": str(exc)}) from exc
    return number, Person.objects.filter(id_number_hash=crypto.lookup_hash(number)).first()


def recruitment_create(
    *,
    by,
    branch: PartyOrg,
    application_on: date,
    today: date,
    person_data: dict | None = None,
    person: Person | None = None,
    override_reason: str | None = None,
) -> StepResult:
    """Register an applicant (step 1): an existing person or a new one from ``person_data``."""
    if branch.kind not in RECRUITING_KINDS:
        raise ValidationError({"branch": "发展党员记录应属于党支部（或党总支）。"})
    if application_on > today:
        raise ValidationError({"application_on": "递交入党申请书日期不能晚于今天。"})
    with transaction.atomic():
        if person is None:
            number, person = find_person((person_data or {}).get("id_number", ""), today=today)
            if person is None:
                person = people_services.person_create(by=by, data={**person_data, "id_number": number}, today=today)
        existing = Recruitment.objects.filter(person=person).select_related("branch").first()
        if existing is not None:
            raise ValidationError({"id_number": f"该人员已有发展党员记录（{existing.branch.name}），不能重复登记。"})
        if PartyMember.objects.filter(person=person).exists():
            raise ValidationError({"id_number": "该人员已是党员，无需登记发展党员记录。"})
        record = Recruitment(person=person, branch=branch)
        save_audited(record, by=by, policy=_policy(by), action="recruitment.create")
        return recruitment_step_record(
            by=by,
            recruitment=record,
            step=1,
            data={"application_on": application_on},
            today=today,
            override_reason=override_reason,
        )


def recruitment_reason_record(*, by, recruitment: Recruitment, rule: str, reason: str, today: date) -> Override:
    """Record the reason a rule asks for (special circumstances, postponement).

    On a rule currently in error this lets the error through, so it needs the
    override permission; otherwise the branch may record it.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请填写理由。"})
    if rule not in {f"REC-{n:02d}" for n in range(1, 26)} | {"REC-07L"}:
        raise ValidationError({"rule": f"没有规则 {rule}。"})
    with transaction.atomic():
        record = _fresh(recruitment.pk)
        calendar, settings = work_calendar(), current_settings()
        findings = rules.audit(facts_of(record), today=today, calendar=calendar, settings=settings)
        current = next((f for f in findings if f.rule == rule), None)
        action = policies.OVERRIDE if current is not None and current.is_error else CHANGE
        if by is None or not policies.recruitments.may(by, action, record):
            raise PermissionDenied("只有党委（工委）管理员可以对错误说明理由后放行。")
        override = Override.objects.create(
            recruitment=record, rule=rule, step=current.step if current else None,
            message=current.message if current else "", reason=reason, by=by,
            by_name=by.get_full_name() or by.username,
        )  # fmt: skip
        audit.record(actor=by, action="recruitment.reason", obj=record, after={"rule": rule, "reason": reason})
        record._prefetched_objects_cache = {}
        record = _with_caches(record)
        refresh_derived(record, facts_of(record), today=today)
        save_audited(record, by=by, policy=policies.recruitments, action="recruitment.refresh")
    return override


def recruitment_delete(*, by, recruitment: Recruitment) -> None:
    """Delete a record registered by mistake; never once the person has been admitted."""
    with transaction.atomic():
        policies.recruitments.require(by, DELETE, recruitment)
        if recruitment.approved_on or PartyMember.objects.filter(person_id=recruitment.person_id).exists():
            raise ValidationError("该人员已被接收为党员，发展党员记录不能删除。")
        delete_audited(recruitment, by=by, policy=policies.recruitments)


def recruitment_refresh_due(*, today: date, qs=None, batch: int = 2000) -> int:
    """Recompute stage, probation end and next due date of many records (daily job)."""
    from recruitment.facts import FactLoader

    qs = qs if qs is not None else Recruitment.objects.all()
    changed = []
    current = dict(qs.values_list("pk", "next_due_on"))
    for loaded in FactLoader(qs):
        due, text = rules.next_due(loaded.facts, today=today)
        if current.get(loaded.pk) != due:
            changed.append(Recruitment(pk=loaded.pk, next_due_on=due, next_due_text=text[:100]))
    Recruitment.objects.bulk_update(changed, ["next_due_on", "next_due_text"], batch_size=batch)
    return len(changed)


# --- public notices and objections --------------------------------------------------------------

NOTICE_BOUNDARY = rules.RULES_2026_FROM


def notice_minimum(start_on: date, *, settings=None) -> tuple[str, int]:
    """(rule, minimum working days) of a notice starting on ``start_on``.

    REC-07L's local minimum applies to a listing under the 2014 rules, REC-07's five
    days under the 2026 rules; a notice that starts before the change and whose
    listing may fall after it must satisfy both.
    """
    settings = settings or current_settings()
    if start_on >= NOTICE_BOUNDARY:
        return "REC-07", rules.NOTICE_WORKDAYS_2026
    local = settings.LOCAL_NOTICE_WORKDAYS
    return "REC-07L", local


def notice_create(
    *,
    by,
    org: PartyOrg,
    recruitments: Sequence[Recruitment],
    start_on: date,
    workdays: int,
    today: date,
    title: str = "",
    contact: str = "",
    in_both_places: bool = False,
    calendar: WorkCalendar | None = None,
) -> PublicNotice:
    """A notice for one or several activists about to be listed as candidates (step 8)."""
    calendar = calendar or work_calendar()
    if not recruitments:
        raise ValidationError({"recruitments": "请至少选择一名公示对象。"})
    rule, minimum = notice_minimum(start_on)
    errors = {}
    if workdays < minimum:
        errors["workdays"] = f"公示期不少于 {minimum} 个工作日（{rule}）。"
    end_on = None
    try:
        end_on = calendar.add_workdays(start_on, max(workdays, 1))
        if rule == "REC-07L" and calendar.next_workday(end_on) >= NOTICE_BOUNDARY:
            # the listing will be judged by the 2026 rules: five days at least
            if workdays < rules.NOTICE_WORKDAYS_2026:
                errors["workdays"] = (
                    f"公示结束后确定发展对象时已适用2026年细则，公示期不少于 {rules.NOTICE_WORKDAYS_2026} 个工作日（REC-07）。"
                )
            rule = "REC-07"
    except UnknownCalendarYear as exc:
        errors["start_on"] = str(exc)
    for record in recruitments:
        if not record.branch.path.startswith(org.path):
            errors["recruitments"] = f"{record.person.name} 不属于 {org.name}，不能由其公示。"
        elif record.stage != rules.ACTIVIST or record.candidate_on:
            errors["recruitments"] = f"{record.person.name} 当前不是入党积极分子，不能作为发展对象公示。"
    if errors:
        raise ValidationError(errors)
    names = "、".join(r.person.name for r in recruitments)
    more = f"等{len(recruitments)}名同志" if len(recruitments) > 1 else "同志"
    first = recruitments[0].person.name
    with transaction.atomic():
        notice = PublicNotice(
            org=org,
            title=title or f"关于{first}{more}拟确定为发展对象的公示",
            rule=rule,
            start_on=start_on,
            workdays=workdays,
            end_on=end_on,
            in_both_places=in_both_places,
            contact=contact,
            signer=org.name,
            created_by=by,
        )
        save_audited(
            notice, by=by, policy=policies.notices if by is not None else None, action="recruitment.notice.create"
        )
        notice.recruitments.set(recruitments)
        audit.record(actor=by, action="recruitment.notice.people", obj=notice, after={"people": names})
        for record in recruitments:
            recruitment_step_record(
                by=by,
                recruitment=record,
                step=8,
                data={"notice_start": start_on, "notice_end": end_on, "notice_in_both_places": in_both_places},
                today=today,
                calendar=calendar,
            )
    return notice


def objection_record(
    *, by, notice: PublicNotice, received_on: date, content: str, today: date, recruitment: Recruitment | None = None
) -> Objection:
    """An objection received during the notice period (REC-07)."""
    errors = {}
    if not content.strip():
        errors["content"] = "请填写异议内容。"
    if received_on > today:
        errors["received_on"] = "收到日期不能晚于今天。"
    elif not notice.start_on <= received_on <= notice.end_on:
        errors["received_on"] = (
            f"只登记公示期内（{notice.start_on.isoformat()} 至 {notice.end_on.isoformat()}）收到的异议。"
        )
    if recruitment is not None and not notice.recruitments.filter(pk=recruitment.pk).exists():
        errors["recruitment"] = "该人员不在本次公示名单中。"
    if errors:
        raise ValidationError(errors)
    objection = Objection(notice=notice, recruitment=recruitment, received_on=received_on, content=content.strip())
    return save_audited(objection, by=by, policy=policies.objections, action="recruitment.objection.create")


def objection_resolve(*, by, objection: Objection, resolved_on: date, resolution: str, today: date) -> Objection:
    errors = {}
    if not resolution.strip():
        errors["resolution"] = "请填写处理结果。"
    if resolved_on > today:
        errors["resolved_on"] = "处理完毕日期不能晚于今天。"
    elif resolved_on < objection.received_on:
        errors["resolved_on"] = f"处理完毕日期不能早于收到日期 {objection.received_on.isoformat()}。"
    if errors:
        raise ValidationError(errors)
    objection.resolved_on = resolved_on
    objection.resolution = resolution.strip()
    return save_audited(objection, by=by, policy=policies.objections, action="recruitment.objection.resolve")


__all__ = [
    "StepBlocked",
    "StepResult",
    "GuideInput",
    "EvaluationInput",
    "recruitment_step_record",
    "recruitment_create",
    "recruitment_reason_record",
    "recruitment_delete",
    "notice_create",
    "objection_record",
    "objection_resolve",
]
