"""Writes of the union area. Each is one transaction, validated (Chinese messages),
scope-checked on the saved row and audited; bad input saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce

from accounts.scope import scope_of
from core import audit
from core import rule_settings as rs
from core.dates import add_months
from core.findings import ERROR, Finding
from core.policies import CHANGE
from core.services import save_audited
from orgs.models import UnionOrg
from people import policies as people_policies
from people.models import Person, UnionMember
from union import policies, rules
from union.models import (
    AssistanceAid,
    AssistanceCase,
    AssistanceStep,
    AssistanceVisit,
    CongressSession,
    Delegate,
    Disclosure,
    HomeCriterion,
    HomeEvidence,
    HomeRound,
    MembershipApplication,
    MembershipChange,
    Motion,
    MotionVote,
    WelfareGrant,
    WelfareGrantLine,
    WorkersHome,
)

ZERO = Decimal("0.00")


def _money(value, *, field_name: str, label: str) -> Decimal:
    try:
        return rules.parse_amount(value, label=label)
    except ValueError as exc:
        raise ValidationError({field_name: str(exc)}) from None


def _require_union_admin(by, union: UnionOrg, message: str = "该工会不在您的管理范围内。") -> None:
    scope = scope_of(by)
    if not (scope and scope.is_union_admin and scope.union_path and union.path.startswith(scope.union_path)):
        raise PermissionDenied(message)


def card_number(person: Person) -> str:
    """会员证号: the district's format (GH + the person's number, 8 digits)."""
    return f"GH{person.pk:08d}"


# ---------------------------------------------------------------- membership (point 1)


def application_submit(
    *, by, person: Person, union_org: UnionOrg, applied_on: date, statement: str = "", today: date
) -> MembershipApplication:
    """入会申请: a worker applies himself (his account is linked to ``person``) or a union
    administrator records the application for him."""
    scope = scope_of(by)
    self_service = scope is not None and scope.person_id == person.pk
    if not self_service:
        _require_union_admin(by, union_org, "您只能为本人提交入会申请，或为本工会职工登记申请。")
    if union_org.kind != UnionOrg.GRASSROOTS:
        raise ValidationError({"union_org": "请选择基层工会。"})
    if applied_on > today:
        raise ValidationError({"applied_on": "申请日期不能晚于今天。"})
    if UnionMember.objects.filter(person=person, left_on__isnull=True).exists():
        raise ValidationError({"person": f"{person.name}已是工会会员。"})
    if MembershipApplication.objects.filter(person=person, status=MembershipApplication.PENDING).exists():
        raise ValidationError({"person": f"{person.name}已有待审批的入会申请。"})
    application = MembershipApplication(
        person=person, union_org=union_org, applied_on=applied_on, statement=statement.strip(), created_by=by
    )
    return save_audited(application, by=by, policy=None if self_service else policies.applications)


def application_decide(
    *, by, application: MembershipApplication, approve: bool, decided_on: date, note: str = "", today: date
) -> MembershipApplication:
    """The union approves (the worker becomes a member from ``decided_on``) or rejects."""
    _require_union_admin(by, application.union_org)
    if application.status != MembershipApplication.PENDING:
        raise ValidationError({"decided_on": "该申请已审批。"})
    if decided_on > today or decided_on < application.applied_on:
        raise ValidationError({"decided_on": "审批日期应在申请日期之后、今天之前。"})
    if not approve and not note.strip():
        raise ValidationError({"note": "不予批准时请填写审批意见。"})
    with transaction.atomic():
        application.status = MembershipApplication.APPROVED if approve else MembershipApplication.REJECTED
        application.decided_on, application.decided_by, application.decision_note = decided_on, by, note.strip()
        save_audited(application, by=by, policy=policies.applications, action="union.membershipapplication.decide")
        if approve:
            member_join(by=by, person=application.person, union_org=application.union_org, on=decided_on)
    return application


def member_join(*, by, person: Person, union_org: UnionOrg, on: date) -> UnionMember:
    """Make ``person`` a member of ``union_org`` from ``on`` (a former member rejoins)."""
    member = UnionMember.objects.filter(person=person).first()
    if member is not None and member.left_on is None:
        raise ValidationError({"person": f"{person.name}已是工会会员。"})
    member = member or UnionMember(person=person)
    member.union_org, member.joined_on, member.left_on = union_org, on, None
    member.card_no = member.card_no or card_number(person)
    save_audited(member, by=by, policy=people_policies.union_members, action="people.unionmember.join")
    change = MembershipChange(member=member, kind=MembershipChange.JOIN, to_union=union_org, on=on, created_by=by)
    save_audited(change, by=by, policy=policies.changes)
    return member


def member_transfer(*, by, member: UnionMember, to_union: UnionOrg, on: date, note: str = "", today: date):
    """转会: the member's union transfers him to another grassroots union of the district.

    Like a 会员关系转移介绍信, the sending union acts: the actor must administer the
    member's current union, not the receiving one, which sees him from ``on``."""
    _require_union_admin(by, member.union_org, "该会员不在您的管理范围内。")
    if member.left_on is not None:
        raise ValidationError({"to_union": "该会员已离会，不能转会。"})
    if to_union.pk == member.union_org_id:
        raise ValidationError({"to_union": "转入工会与当前所在工会相同。"})
    if to_union.kind != UnionOrg.GRASSROOTS:
        raise ValidationError({"to_union": "只能转入基层工会。"})
    if on > today or on < member.joined_on:
        raise ValidationError({"on": f"转会日期应在入会日期（{member.joined_on}）之后、今天之前。"})
    with transaction.atomic():
        change = MembershipChange(
            member=member, kind=MembershipChange.TRANSFER, from_union=member.union_org, to_union=to_union, on=on,
            note=note, created_by=by,
        )  # fmt: skip
        save_audited(change, by=by, policy=policies.changes)
        member.union_org = to_union
        save_audited(member, by=by, policy=None, action="people.unionmember.transfer")
    return change


def member_leave(*, by, member: UnionMember, on: date, reason: str, note: str = "", today: date) -> MembershipChange:
    """离会: retirement, leaving the district, resignation, death."""
    _require_union_admin(by, member.union_org, "该会员不在您的管理范围内。")
    if member.left_on is not None:
        raise ValidationError({"on": "该会员已离会。"})
    if reason not in dict(MembershipChange.LEAVE_REASONS):
        raise ValidationError({"reason": "请选择离会原因。"})
    if on > today or on < member.joined_on:
        raise ValidationError({"on": f"离会日期应在入会日期（{member.joined_on}）之后、今天之前。"})
    with transaction.atomic():
        change = MembershipChange(
            member=member, kind=MembershipChange.LEAVE, from_union=member.union_org, on=on, reason=reason, note=note,
            created_by=by,
        )  # fmt: skip
        save_audited(change, by=by, policy=policies.changes)
        member.left_on = on
        save_audited(member, by=by, policy=people_policies.union_members, action="people.unionmember.leave")
    return change


# ---------------------------------------------------------------- hardship (point 3)


HOUSEHOLD_FIELDS = (
    "household_size", "annual_income", "rigid_expenses", "injured", "disabled", "died", "accident_costs",
)  # fmt: skip


def classify(data: dict) -> tuple[Decimal, str, list[str]]:
    """UNION-07/08 on a household's figures: per-capita monthly income, the category
    (DEEP / RELATIVE from income; ACCIDENT when only UNION-08 applies; "" when none) and
    the UNION-08 reasons. A household size that is not a positive whole number, or an
    amount that is negative or not a number, raises ValidationError."""
    size = data.get("household_size")
    try:
        per_capita, category = rules.classify_hardship(
            annual_disposable_income=data.get("annual_income"),
            rigid_expenses=data.get("rigid_expenses") or ZERO,
            household_size=size,
            low_income_line=rs.value("UNION_LOW_INCOME_LINE"),
        )
    except ValueError as exc:
        field_name = "household_size" if "人口" in str(exc) else "annual_income"
        if "刚性" in str(exc):
            field_name = "rigid_expenses"
        raise ValidationError({field_name: str(exc)}) from None
    try:
        reasons = rules.accident_hardship_reasons(
            injured_in_incident=bool(data.get("injured")),
            disabled_in_incident=bool(data.get("disabled")),
            died_in_incident=bool(data.get("died")),
            accident_illness_costs=data.get("accident_costs") or ZERO,
            household_annual_income=data.get("annual_income"),
        )
    except ValueError as exc:
        raise ValidationError({"accident_costs": str(exc)}) from None
    if category is None:
        category = AssistanceCase.ACCIDENT if reasons else ""
    return per_capita, category or "", reasons


def case_open(
    *, by, member: UnionMember, data: dict, applied_on: date, owner: Person | None = None, situation: str = "",
    today: date,
) -> AssistanceCase:  # fmt: skip
    """申请: open a hardship case for a member with the household's figures (UNION-07/08)."""
    _require_union_admin(by, member.union_org, "该会员不在您的管理范围内。")
    if member.left_on is not None:
        raise ValidationError({"member": "该职工已离会。"})
    if applied_on > today:
        raise ValidationError({"applied_on": "申请日期不能晚于今天。"})
    if AssistanceCase.objects.filter(member=member).exclude(state__in=[rules.RESOLVED, rules.EXITED]).exists():
        raise ValidationError({"member": "该职工已有未办结的帮扶档案。"})
    per_capita, category, _ = classify(data)
    case = AssistanceCase(member=member, union_org=member.union_org, owner=owner, applied_on=applied_on,
                          situation=situation, per_capita_income=per_capita, category=category)  # fmt: skip
    for name in HOUSEHOLD_FIELDS:
        if name in data and data[name] is not None:
            setattr(case, name, data[name])
    with transaction.atomic():
        save_audited(case, by=by, policy=policies.cases)
        AssistanceStep.objects.create(case=case, state=rules.APPLIED, on=applied_on, by=by)
    return case


_STEP_DATE = {rules.VERIFIED: "verified_on", rules.REVIEWED: "reviewed_on", rules.FILED: "filed_on"}


def case_transition(*, by, case: AssistanceCase, to_state: str, on: date, note: str = "", today: date):
    """UNION-09: move the case one step (核实 needs a visit; 建档 needs a category;
    解困 only after 复核; 退出 from any open state). Only the union's administrators decide."""
    policies.cases.require(by, policies.DECIDE, case)
    if on > today:
        raise ValidationError({"on": "日期不能晚于今天。"})
    findings = rules.check_transition(case.state, to_state)
    if findings:
        raise ValidationError({"to_state": findings[0].message})
    last = case.steps.order_by("-on", "-id").values_list("on", flat=True).first()
    if last and on < last:
        raise ValidationError({"on": f"日期不能早于上一环节（{last}）。"})
    if to_state == rules.VERIFIED and not case.visits.exists():
        raise ValidationError({"to_state": "核实须先登记入户走访记录。"})
    if to_state == rules.FILED and not case.category:
        raise ValidationError({"to_state": "按家庭收入和意外情况，该职工不符合困难职工认定条件，不能建档。"})
    if to_state in (rules.RESOLVED, rules.EXITED) and not note.strip():
        raise ValidationError({"note": "请填写解困或退出的说明。"})
    with transaction.atomic():
        case.state = to_state
        if to_state in _STEP_DATE:
            setattr(case, _STEP_DATE[to_state], on)
        if to_state == rules.FILED:
            case.recheck_due_on = add_months(on, rules.RECHECK_MONTHS)
        if to_state in (rules.RESOLVED, rules.EXITED):
            case.closed_on, case.close_note, case.recheck_due_on = on, note.strip(), None
        save_audited(case, by=by, policy=policies.cases, action=f"union.assistancecase.{to_state.lower()}")
        AssistanceStep.objects.create(case=case, state=to_state, on=on, note=note.strip(), by=by)
    return case


def case_recheck(*, by, case: AssistanceCase, data: dict, on: date, note: str = "", today: date) -> AssistanceCase:
    """复核 (yearly, UNION-09): re-enter the household's figures; the category is recomputed.
    If the household no longer qualifies the recheck says so (the case may then be closed)."""
    policies.cases.require(by, policies.DECIDE, case)
    findings = rules.check_transition(case.state, rules.RECHECKED)
    if findings:
        raise ValidationError({"on": findings[0].message})
    if on > today:
        raise ValidationError({"on": "复核日期不能晚于今天。"})
    per_capita, category, _ = classify(data)
    with transaction.atomic():
        for name in HOUSEHOLD_FIELDS:
            if name in data and data[name] is not None:
                setattr(case, name, data[name])
        case.per_capita_income, case.category = per_capita, category
        case.state, case.last_recheck_on = rules.RECHECKED, on
        case.recheck_due_on = add_months(on, rules.RECHECK_MONTHS)
        save_audited(case, by=by, policy=policies.cases, action="union.assistancecase.recheck")
        text = note.strip() or ("复核：仍符合困难职工条件" if category else "复核：已不符合困难职工条件")
        AssistanceStep.objects.create(case=case, state=rules.RECHECKED, on=on, note=text[:300], by=by)
    return case


def visit_add(*, by, case: AssistanceCase, visited_on: date, visitors: str, findings: str, today: date):
    if visited_on > today or visited_on < case.applied_on:
        raise ValidationError({"visited_on": "走访日期应在申请日期之后、今天之前。"})
    if not case.is_open:
        raise ValidationError({"visited_on": "该档案已办结。"})
    visit = AssistanceVisit(
        case=case, visited_on=visited_on, visitors=visitors.strip(), findings=findings.strip(), by=by
    )
    return save_audited(visit, by=by, policy=policies.visits)


def aid_add(
    *, by, case: AssistanceCase, kind: str, amount, source: str, given_on: date, description: str = "", today: date
) -> AssistanceAid:
    """帮扶: record one aid. Only a case on file (建档 and after) receives aid; the first aid
    after 建档 or a 复核 moves the case to 帮扶."""
    value = _money(amount, field_name="amount", label="帮扶金额")
    if value <= 0:
        raise ValidationError({"amount": "帮扶金额应大于0。"})
    if case.state not in rules.RECHECK_STATES:
        raise ValidationError({"kind": "档案建档后才能登记帮扶。"})
    if given_on > today or (case.filed_on and given_on < case.filed_on):
        raise ValidationError({"given_on": "发放日期应在建档日期之后、今天之前。"})
    with transaction.atomic():
        aid = AssistanceAid(case=case, kind=kind, amount=value, source=source, given_on=given_on,
                            description=description.strip(), by=by)  # fmt: skip
        save_audited(aid, by=by, policy=policies.aids)
        if case.state != rules.AIDED:
            case.state = rules.AIDED
            save_audited(case, by=by, policy=policies.cases, action="union.assistancecase.aided")
            AssistanceStep.objects.create(case=case, state=rules.AIDED, on=given_on, by=by)
    return aid


# ---------------------------------------------------------------- welfare (point 4)


@dataclass
class MemberCheck:
    member: UnionMember
    already: Decimal
    remaining: Decimal | None  # festival allowance left before this grant (None for care grants)
    findings: list[Finding] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return any(f.severity == ERROR for f in self.findings)


@dataclass
class GrantCheck:
    grant_findings: list[Finding]
    members: list[MemberCheck]

    @property
    def refused_members(self) -> list[MemberCheck]:
        return [m for m in self.members if m.refused]

    @property
    def allowed_members(self) -> list[MemberCheck]:
        return [m for m in self.members if not m.refused]

    @property
    def ok(self) -> bool:
        return not self.grant_findings and not self.refused_members


class GrantRefused(ValidationError):
    """Raised with the whole check when a grant may not be recorded as asked."""

    def __init__(self, check: GrantCheck, message: str):
        super().__init__(message)
        self.check = check


def festival_granted(*, person_ids, year: int) -> dict[int, Decimal]:
    """Festival gifts already received in ``year`` per person (UNION-05), one query."""
    rows = (
        WelfareGrantLine.objects.filter(person_id__in=person_ids, year=year, category=WelfareGrant.FESTIVAL)
        .values("person_id")
        .annotate(
            total=Coalesce(Sum("amount"), Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=2))
        )
    )
    return {r["person_id"]: r["total"] for r in rows}


def welfare_check(
    *, members: list[UnionMember], category: str, gift_kind: str, amount, year: int, festival: str = "",
    event: str = "", relation: str = "",
) -> GrantCheck:  # fmt: skip
    """UNION-03…06 before saving: the grant as a whole (festival on the list, goods not
    cash/cards, care event cap and form) and each member (annual festival cap, with the
    remaining allowance)."""
    value = _money(amount, field_name="amount_per_member", label="每人金额")
    if value <= 0:
        raise ValidationError({"amount_per_member": "每人金额应大于0。"})
    if gift_kind not in rules.GIFT_KIND_LABELS:
        raise ValidationError({"gift_kind": "请选择慰问品形式。"})
    grant_findings: list[Finding] = []
    checks: list[MemberCheck] = []
    if category == WelfareGrant.FESTIVAL:
        if not festival.strip():
            raise ValidationError({"festival": "请填写节日。"})
        grant_findings += rules.check_festival(festival, festivals=rs.value("UNION_FESTIVALS"))
        grant_findings += rules.check_festival_gift_kind(gift_kind)
        cap = rs.value("UNION_FESTIVAL_ANNUAL_CAP")
        granted = festival_granted(person_ids=[m.person_id for m in members], year=year)
        for member in members:
            already = granted.get(member.person_id, ZERO)
            checks.append(
                MemberCheck(
                    member=member,
                    already=already,
                    remaining=rules.festival_allowance_left(already, cap),
                    findings=rules.check_festival_grant(already, value, cap),
                )  # fmt: skip
            )
    elif category == WelfareGrant.CARE:
        if event not in rules.CARE_EVENT_LABELS:
            raise ValidationError({"event": "请选择慰问事项。"})
        cap = rs.value(rules.CARE_CAP_SETTINGS[event])
        grant_findings += rules.check_care_grant(
            event=event, amount=value, gift_kind=gift_kind, cap=cap, relation=relation or None
        )
        checks = [MemberCheck(member=m, already=ZERO, remaining=None) for m in members]
    else:
        raise ValidationError({"category": "请选择慰问类别。"})
    return GrantCheck(grant_findings=grant_findings, members=checks)


def welfare_grant_record(
    *, by, union_org: UnionOrg, members: list[UnionMember], category: str, gift_kind: str, amount, granted_on: date,
    title: str, festival: str = "", event: str = "", relation: str = "", note: str = "", allow_partial: bool = False,
    today: date,
) -> tuple[WelfareGrant, GrantCheck]:  # fmt: skip
    """Record a grant to one member or a list, after UNION-03…06 (``welfare_check``).

    A grant-level refusal (festival not on the list, cash or cards, above the care cap)
    saves nothing. When some members would pass their annual festival cap the grant is
    refused as a whole, listing each with the remaining allowance, unless the chair
    confirms ``allow_partial``: then it is recorded for the others only, and the members
    left out are kept on the grant (``refused``) so the record says who got nothing.
    """
    _require_union_admin(by, union_org)
    if not members:
        raise ValidationError({"members": "请选择发放对象。"})
    if granted_on > today:
        raise ValidationError({"granted_on": "发放日期不能晚于今天。"})
    if not title.strip():
        raise ValidationError({"title": "请填写名称。"})
    outside = [m for m in members if m.left_on is not None or not m.union_org.path.startswith(union_org.path)]
    if outside:
        names = "、".join(m.person.name for m in outside[:5])
        raise ValidationError({"members": f"{names}不是本工会在册会员。"})
    year = granted_on.year
    value = _money(amount, field_name="amount_per_member", label="每人金额")
    with transaction.atomic():
        # Lock the members' rows so two grants at once cannot both pass the same cap.
        list(UnionMember.objects.select_for_update().filter(pk__in=[m.pk for m in members]).values_list("pk"))
        check = welfare_check(
            members=members, category=category, gift_kind=gift_kind, amount=value, year=year, festival=festival,
            event=event, relation=relation,
        )  # fmt: skip
        if check.grant_findings:
            raise GrantRefused(check, "；".join(f.message for f in check.grant_findings))
        refused = check.refused_members
        if refused and (not allow_partial or not check.allowed_members):
            raise GrantRefused(check, f"{len(refused)}名会员超过年度节日慰问标准，未登记任何发放。")
        allowed = check.allowed_members
        grant = WelfareGrant(
            union_org=union_org, category=category, festival=rules.normalize_festival(festival) if festival else "",
            event=event, relation=relation, gift_kind=gift_kind, title=title.strip(), granted_on=granted_on, year=year,
            amount_per_member=value, member_count=len(allowed), total=value * len(allowed), note=note, created_by=by,
            refused=[{"person_id": m.member.person_id, "name": m.member.person.name, "already": str(m.already),
                      "remaining": str(m.remaining), "message": m.findings[0].message} for m in refused],
        )  # fmt: skip
        save_audited(grant, by=by, policy=policies.grants)
        WelfareGrantLine.objects.bulk_create(
            [
                WelfareGrantLine(
                    grant=grant,
                    member=c.member,
                    person_id=c.member.person_id,
                    union_org_id=c.member.union_org_id,
                    year=year,
                    category=category,
                    amount=value,
                )
                for c in allowed
            ],  # fmt: skip
            batch_size=2000,
        )
    return grant, check


# ---------------------------------------------------------------- congress and openness (point 5)


def session_create(
    *, by, union_org: UnionOrg, title: str, held_on: date, term_number: int, session_number: int, place: str = "",
    agenda: str = "", present_count: int = 0, today: date,
) -> CongressSession:  # fmt: skip
    _require_union_admin(by, union_org)
    session = CongressSession(
        union_org=union_org, title=title.strip(), held_on=held_on, term_number=term_number,
        session_number=session_number, place=place, agenda=agenda, present_count=present_count, created_by=by,
    )  # fmt: skip
    return save_audited(session, by=by, policy=policies.sessions)


def delegates_add(*, by, session: CongressSession, members: list[UnionMember], delegation: str = "") -> int:
    """Add members of the session's union as its delegates (already listed ones are skipped)."""
    policies.sessions.require(by, CHANGE, session)
    outside = [m for m in members if not m.union_org.path.startswith(session.union_org.path) or m.left_on]
    if outside:
        raise ValidationError({"members": f"{outside[0].person.name}不是本工会在册会员，不能担任职工代表。"})
    have = set(session.delegates.values_list("member_id", flat=True))
    new = [Delegate(session=session, member=m, delegation=delegation) for m in members if m.pk not in have]
    with transaction.atomic():
        Delegate.objects.bulk_create(new)
        if new:
            audit.record(actor=by, action="union.delegate.add", obj=session,
                         after={"members": [d.member_id for d in new]})  # fmt: skip
    return len(new)


def motion_submit(
    *, by, session: CongressSession, proposer: Delegate, title: str, content: str, seconders: int = 0
) -> Motion:
    policies.sessions.require(by, CHANGE, session)
    if proposer.session_id != session.pk:
        raise ValidationError({"proposer": "提案人须为本次大会的职工代表。"})
    number = (session.motions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    motion = Motion(session=session, number=number, title=title.strip(), content=content.strip(), proposer=proposer,
                    seconders=seconders)  # fmt: skip
    return save_audited(motion, by=by, policy=policies.motions)


def motion_advance(
    *, by, motion: Motion, to_status: str, on: date, handler_unit: str = "", reply: str = "", today: date
) -> Motion:
    """提案办理: 已提交 → 已立案 / 不予立案; 已立案 → 已交办 (承办部门); 已交办 → 已办结 (答复)."""
    if to_status not in Motion.NEXT.get(motion.status, ()):
        allowed = "、".join(dict(Motion.STATUSES)[s] for s in Motion.NEXT.get(motion.status, ())) or "无"
        raise ValidationError({"to_status": f"提案当前为“{motion.get_status_display()}”，只能转为：{allowed}。"})
    if on > today or on < motion.session.held_on:
        raise ValidationError({"on": "日期应在大会召开之后、今天之前。"})
    if to_status == Motion.REFERRED and not handler_unit.strip():
        raise ValidationError({"handler_unit": "交办须填写承办部门。"})
    if to_status in (Motion.HANDLED, Motion.REJECTED) and not reply.strip():
        raise ValidationError({"reply": "请填写办理答复或不予立案的理由。"})
    motion.status, motion.status_on = to_status, on
    if handler_unit.strip():
        motion.handler_unit = handler_unit.strip()
    if reply.strip():
        motion.reply = reply.strip()
    return save_audited(motion, by=by, policy=policies.motions, action="union.motion.advance")


def vote_record(
    *, by, motion: Motion, voted_on: date, yes: int, no: int, abstain: int, invalid: int = 0, today: date
) -> MotionVote:
    """表决 on paper: the totals counted by the tellers. Votes cast cannot exceed the
    delegates of the session; the motion passes with yes from more than half of all
    delegates. (An online secret vote will come from the ``ballots`` app: ``ballot_id``.)"""
    policies.motions.require(by, CHANGE, motion)
    entitled = motion.session.delegates.count()
    if entitled == 0:
        raise ValidationError({"yes": "本次大会尚未登记职工代表。"})
    counts = {"yes": yes, "no": no, "abstain": abstain, "invalid": invalid}
    for name, number in counts.items():
        if number is None or number < 0:
            raise ValidationError({name: "票数应为不小于0的整数。"})
    if sum(counts.values()) > entitled:
        raise ValidationError({"yes": f"投票总数{sum(counts.values())}超过职工代表人数{entitled}。"})
    if voted_on > today or voted_on < motion.session.held_on:
        raise ValidationError({"voted_on": "表决日期应在大会召开之后、今天之前。"})
    vote = MotionVote(motion=motion, method=MotionVote.PAPER, voted_on=voted_on, entitled=entitled, by=by, **counts)
    return save_audited(vote, by=by, policy=None)  # the motion's scope was checked above


def motion_online_vote(*, by, motion: Motion, voted_on: date, today: date) -> MotionVote:
    """表决 online: a secret ballot of the ``ballots`` app (one item, the motion; majority of all
    delegates) is created for the session's union; the delegates then receive one-time codes
    there. The vote row points to it (``ballot_id``) and its totals are read from the ballot
    once it is closed (``selectors.online_vote_totals``)."""
    from ballots import rules as ballot_rules
    from ballots import services as ballot_services
    from ballots.models import Ballot

    policies.motions.require(by, CHANGE, motion)
    entitled = motion.session.delegates.count()
    if entitled == 0:
        raise ValidationError({"voted_on": "本次大会尚未登记职工代表。"})
    if voted_on < motion.session.held_on:
        raise ValidationError({"voted_on": "表决日期不能早于大会召开日期。"})
    with transaction.atomic():
        ballot = ballot_services.ballot_create(
            by=by, title=f"{motion.session.title}第{motion.number}号提案表决", meeting_on=voted_on, mode=Ballot.ONLINE,
            rule=ballot_rules.MAJORITY, items=[motion.title[:100]], union_org=motion.session.union_org,
            entitled=entitled, subject_type="union.motion", subject_id=str(motion.pk), today=today,
        )  # fmt: skip
        vote = MotionVote(motion=motion, method=MotionVote.ONLINE, voted_on=voted_on, entitled=entitled,
                          ballot_id=ballot.pk, by=by)  # fmt: skip
        save_audited(vote, by=by, policy=None)
    return vote


def disclosure_save(*, by, disclosure: Disclosure, publish: bool, today: date) -> Disclosure:
    """Save a 政务公开 item; ``publish`` makes it visible to the union's members from today."""
    _require_union_admin(by, disclosure.union_org)
    if publish and disclosure.published_on is None:
        disclosure.published_on = today
    if not publish:
        disclosure.published_on = None
    disclosure.created_by = disclosure.created_by or by
    return save_audited(disclosure, by=by, policy=policies.disclosures)


# ---------------------------------------------------------------- workers' home (point 6)

DEFAULT_EVIDENCE = {
    "D2": "MEMBERSHIP",
    "D3": "CONGRESS",
    "D4": "DISCLOSURE",
    "D5": "DUES",
    "W1": "HARDSHIP",
    "W2": "WELFARE",
    "C2": "ACTIVITIES",
}


def round_create(*, by, year: int, title: str = "", self_due_on: date | None = None, today: date) -> HomeRound:
    """Open a year's evaluation (工会工委 only): the checklist is copied from the latest
    round, or the shipped default (UNION-10); every grassroots union gets its entry."""
    if not policies.is_union_root_admin(scope_of(by)):
        raise PermissionDenied("职工之家评选由区直机关工会工委组织。")
    if HomeRound.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year}年度的职工之家评选已创建。"})
    if year > today.year + 1:
        raise ValidationError({"year": "年度无效。"})
    previous = HomeRound.objects.order_by("-year").first()
    with transaction.atomic():
        home_round = HomeRound(year=year, title=title.strip() or f"{year}年度职工之家建设评选", self_due_on=self_due_on,
                               created_by=by)  # fmt: skip
        save_audited(home_round, by=by, policy=None)
        if previous is not None:
            criteria = [
                HomeCriterion(round=home_round, code=c.code, dimension=c.dimension, standard=c.standard, text=c.text,
                              weight=c.weight, evidence_source=c.evidence_source, order=c.order)
                for c in previous.criteria.all()
            ]  # fmt: skip
        else:
            criteria = [
                HomeCriterion(round=home_round, code=item.code, dimension=item.dimension, standard=item.standard or "",
                              text=item.text, weight=item.weight, evidence_source=DEFAULT_EVIDENCE.get(item.code, ""),
                              order=i)
                for i, item in enumerate(rules.DEFAULT_CHECKLIST)
            ]  # fmt: skip
        HomeCriterion.objects.bulk_create(criteria)
        unions = UnionOrg.objects.filter(kind=UnionOrg.GRASSROOTS, dissolved_on__isnull=True)
        WorkersHome.objects.bulk_create([WorkersHome(round=home_round, union_org=u) for u in unions])
    return home_round


def criterion_save(*, by, criterion: HomeCriterion) -> HomeCriterion:
    """Add or change a checklist item of an open round (工会工委 only)."""
    if not policies.is_union_root_admin(scope_of(by)):
        raise PermissionDenied("评价标准由区直机关工会工委设置。")
    if criterion.round.status != HomeRound.OPEN:
        raise ValidationError({"code": "该年度评选已结束，不能修改评价标准。"})
    if criterion.round.homes.filter(status=WorkersHome.REVIEWED).exists():
        raise ValidationError({"code": "已有工会完成评审，不能再修改评价标准。"})
    _money(criterion.weight, field_name="weight", label="分值")
    if criterion.weight <= 0:
        raise ValidationError({"weight": "分值应大于0。"})
    return save_audited(criterion, by=by, policy=None)


def _scores(raw: dict, criteria: list[HomeCriterion], *, label: str) -> tuple[dict, rules.ChecklistResult]:
    clean = {code: value for code, value in raw.items() if value not in (None, "")}
    try:
        result = rules.score_checklist(clean, items=[c.as_item() for c in criteria])
    except ValueError as exc:
        raise ValidationError({"scores": f"{label}：{exc}"}) from None
    return {code: str(rules.parse_amount(v)) for code, v in clean.items()}, result


def home_self_assess(
    *, by, home: WorkersHome, scores: dict, satisfaction, declared_lower_title: bool, note: str = "", submit: bool,
    today: date,
) -> WorkersHome:  # fmt: skip
    """自评: the union scores itself against the checklist; ``submit`` hands it to review."""
    policies.homes.require(by, CHANGE, home)
    if home.round.status != HomeRound.OPEN or home.status == WorkersHome.REVIEWED:
        raise ValidationError({"scores": "评审已完成或评选已结束，不能再修改自评。"})
    criteria = list(home.round.criteria.all())
    stored, result = _scores(scores, criteria, label="自评")
    if submit and result.findings:
        raise ValidationError({"scores": [f.message for f in result.findings]})
    if satisfaction not in (None, ""):
        value = _money(satisfaction, field_name="satisfaction_percent", label="会员满意率")
        if value > 100:
            raise ValidationError({"satisfaction_percent": "会员满意率应在0至100之间。"})
        home.satisfaction_percent = value
    elif submit:
        raise ValidationError({"satisfaction_percent": "提交自评须填写会员满意率（测评结果）。"})
    home.self_scores, home.self_total, home.self_note = stored, result.score, note
    home.declared_lower_title = declared_lower_title
    if submit:
        home.status, home.submitted_on = WorkersHome.SUBMITTED, today
    return save_audited(home, by=by, policy=policies.homes, action="union.workershome.self_assess")


def evidence_add(*, by, home: WorkersHome, criterion: HomeCriterion, title: str, link: str = "", upload=None):
    policies.homes.require(by, CHANGE, home)
    if criterion.round_id != home.round_id:
        raise ValidationError({"criterion": "评价项目不属于本年度评选。"})
    if not link and upload is None:
        raise ValidationError({"file": "请上传文件或填写链接。"})
    evidence = HomeEvidence(home=home, criterion=criterion, title=title.strip(), link=link, created_by=by)
    if upload is not None:
        evidence.file.save(upload.name, upload, save=False)
    return save_audited(evidence, by=by, policy=policies.evidence)


def holds_lower_title(home: WorkersHome) -> bool:
    """UNION-11: the union already holds a title (an earlier 先进 or 模范 here, or one it declares)."""
    if home.declared_lower_title:
        return True
    return WorkersHome.objects.filter(
        union_org=home.union_org, round__year__lt=home.round.year, rating__in=[rules.ADVANCED, rules.MODEL]
    ).exists()


def home_review(*, by, home: WorkersHome, scores: dict, note: str = "", today: date) -> WorkersHome:
    """评审 by the 工会工委: score the checklist (UNION-10), then the result — 模范 needs the
    UNION-11 hard conditions and the model score; 先进 the advanced score; else 未达标."""
    policies.homes.require(by, policies.DECIDE, home)
    if home.status == WorkersHome.DRAFT:
        raise ValidationError({"scores": "该工会尚未提交自评。"})
    if home.round.status != HomeRound.OPEN:
        raise ValidationError({"scores": "该年度评选已结束。"})
    criteria = list(home.round.criteria.all())
    stored, result = _scores(scores, criteria, label="评审")
    if result.findings:
        raise ValidationError({"scores": [f.message for f in result.findings]})
    from union.selectors import union_member_and_staff

    members, staff = union_member_and_staff(home.union_org)
    findings: list[Finding] = []
    if staff < 1 or members > staff:
        hard = rules.NONE
        findings.append(
            Finding(
                "UNION-11", ERROR, f"职工人数（{staff}人）未登记或少于会员人数（{members}人），请核对单位职工人数。"
            )
        )
    else:
        hard, findings = rules.workers_home_rating(
            member_count=members, staff_count=staff, satisfaction_percent=home.satisfaction_percent or ZERO,
            holds_lower_title=holds_lower_title(home),
            min_membership_rate=rs.value("UNION_MODEL_MEMBERSHIP_RATE"),
            min_satisfaction=rs.value("UNION_MODEL_SATISFACTION"),
            requires_lower_title=rs.value("UNION_MODEL_REQUIRES_LOWER_TITLE"),
        )  # fmt: skip
    model_score = Decimal(rs.value("UNION_HOME_MODEL_SCORE"))
    advanced_score = Decimal(rs.value("UNION_HOME_ADVANCED_SCORE"))
    if result.percent >= model_score:
        by_score = rules.MODEL
    elif result.percent >= advanced_score:
        by_score = rules.ADVANCED
    else:
        by_score = rules.NONE
        findings.append(
            Finding("UNION-10", ERROR, f"评审得分率{result.percent}%低于先进职工之家{advanced_score}%的标准。")
        )
    order = [rules.NONE, rules.ADVANCED, rules.MODEL]
    rating = min(hard, by_score, key=order.index)
    if hard == rules.MODEL and by_score == rules.ADVANCED:
        findings.append(
            Finding("UNION-10", ERROR, f"评审得分率{result.percent}%低于模范职工之家{model_score}%的标准。")
        )
    home.review_scores, home.review_total, home.review_percent = stored, result.score, result.percent
    home.review_note, home.reviewed_on, home.reviewer = note, today, by
    home.member_count, home.staff_count, home.rating = members, staff, rating
    home.findings = [{"rule": f.rule, "severity": f.severity, "message": f.message} for f in findings]
    home.status = WorkersHome.REVIEWED
    return save_audited(home, by=by, policy=None, action="union.workershome.review")


def round_close(*, by, home_round: HomeRound) -> HomeRound:
    if not policies.is_union_root_admin(scope_of(by)):
        raise PermissionDenied("职工之家评选由区直机关工会工委组织。")
    home_round.status = HomeRound.CLOSED
    return save_audited(home_round, by=by, policy=None, action="union.homeround.close")
