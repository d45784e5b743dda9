"""Writes on party life: meetings with attendance, and circulars. Validated, scoped,
audited, each in one transaction (nothing half-saved)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import audit
from core.policies import CHANGE, DELETE
from core.rule_settings import value
from core.services import save_audited
from orgs.models import PartyOrg
from partylife import policies, rules, selectors
from partylife.models import Attachment, Attendance, Circular, CircularRecipient, Meeting

_FIELD_OF_MESSAGE = (
    ("会议日期", "held_on"),
    ("会议类型", "kind"),
    ("会议主题", "topic"),
    ("主持人", "host"),
    ("会议记录（纪要）", "minutes"),
)


@dataclass(frozen=True)
class Mark:
    """One member's attendance as typed: status and, for 请假, the reason."""

    status: str
    reason: str = ""


def _check_org_kind(org: PartyOrg, kind: str) -> dict:
    if org.kind not in selectors.MEETING_ORG_KINDS:
        return {"org": "组织生活会议应登记在党支部（党总支、党委）或党小组。"}
    if kind == rules.GROUP_MEETING and org.kind != PartyOrg.GROUP:
        return {"kind": "党小组会应登记在党小组。"}
    if kind != rules.GROUP_MEETING and org.kind == PartyOrg.GROUP:
        return {"kind": "党小组只能登记党小组会；其他会议请登记在所在党支部。"}
    return {}


def _validate_held(meeting: Meeting, marks: dict[int, Mark], *, today: date) -> list:
    """LIFE-09 for a held meeting; returns the roster on its date."""
    errors: dict[str, list[str]] = {}
    members = selectors.roster(meeting.org, meeting.held_on, kind=meeting.kind) if meeting.held_on else []
    labels = selectors.member_labels(members)
    strangers = [pk for pk in marks if pk not in labels]
    if strangers:
        errors.setdefault("attendance", []).append(
            f"所登记的{len(strangers)}名人员不是{meeting.org.name}于{meeting.held_on}的党员，不能登记其出席情况。"
        )
    record = rules.MeetingRecord(
        held_on=meeting.held_on,
        kind=meeting.kind,
        topic=meeting.topic,
        host=meeting.host,
        attendance={labels[pk]: mark.status for pk, mark in marks.items() if pk in labels},
        minutes=meeting.minutes,
    )
    for finding in rules.validate_meeting(record, members=list(labels.values()), today=today):
        field = next((f for word, f in _FIELD_OF_MESSAGE if word in finding.message), "attendance")
        errors.setdefault(field, []).append(finding.message)
    excused = [labels[pk] for pk, mark in marks.items() if pk in labels and mark.status == rules.EXCUSED]
    no_reason = [name for pk, name in labels.items() if pk in marks and marks[pk].status == rules.EXCUSED
                 and not marks[pk].reason.strip()]  # fmt: skip
    if excused and no_reason:
        errors.setdefault("attendance", []).append(f"请假须填写事由：{'、'.join(no_reason)}。")
    if meeting.kind == rules.PARTY_LECTURE and not meeting.speaker.strip():
        errors.setdefault("speaker", []).append("党课须填写授课人。")
    if errors:
        raise ValidationError(errors)
    return members


def meeting_save(
    *,
    by,
    meeting: Meeting,
    marks: dict[int, Mark],
    attachments: list[Attachment] = (),
    today: date,
) -> Meeting:
    """Record (or change) a meeting with its attendance and attachments in one write.

    A held meeting: date not after ``today``, topic, host, minutes, and exactly the
    members of the organisation on that date, each present, excused (with a reason) or
    absent. A planned meeting keeps no attendance.
    """
    errors = _check_org_kind(meeting.org, meeting.kind) if meeting.org_id else {"org": "请选择党组织。"}
    if errors:
        raise ValidationError(errors)
    if meeting.status == Meeting.HELD:
        _validate_held(meeting, marks, today=today)
    elif not meeting.topic.strip():
        raise ValidationError({"topic": "请填写会议主题。"})
    creating = meeting.pk is None
    with transaction.atomic():
        if creating:
            meeting.created_by = by
        save_audited(meeting, by=by, policy=policies.meetings)
        meeting.attachments.add(*attachments)
        before = dict(meeting.attendance.values_list("member_id", "status")) if not creating else {}
        meeting.attendance.all().delete()
        if meeting.status == Meeting.HELD:
            Attendance.objects.bulk_create(
                [
                    Attendance(
                        meeting=meeting,
                        member_id=pk,
                        status=mark.status,
                        reason=mark.reason.strip() if mark.status == rules.EXCUSED else "",
                    )
                    for pk, mark in marks.items()
                ]  # fmt: skip
            )
        after = {pk: mark.status for pk, mark in marks.items()} if meeting.status == Meeting.HELD else {}
        if before != {str(k): v for k, v in after.items()} and (before or after):
            audit.record(
                actor=by, action="partylife.meeting.attendance", obj=meeting,
                before={str(k): v for k, v in before.items()}, after={str(k): v for k, v in after.items()},
            )  # fmt: skip
    return meeting


def meeting_all_present(*, by, meeting: Meeting, today: date) -> int:
    """One click: every member of the roster present (reasons cleared); returns the count."""
    members = selectors.roster(meeting.org, meeting.held_on, kind=meeting.kind)
    marks = {m.pk: Mark(rules.PRESENT) for m in members}
    meeting_save(by=by, meeting=meeting, marks=marks, today=today)
    return len(marks)


def meeting_delete(*, by, meeting: Meeting) -> None:
    from core.services import delete_audited

    with transaction.atomic():
        policies.meetings.require(by, DELETE, meeting)
        meeting.attendance.all().delete()
        delete_audited(meeting, by=by, policy=policies.meetings)


# --- circulars -----------------------------------------------------------------------


def circular_compute(*, root: PartyOrg, start: date, end: date, today: date) -> dict:
    from partylife import inspection

    return inspection.run(root=root, start=start, end=end, today=today)


def circular_draft(*, by, root: PartyOrg, start: date, end: date, title: str = "", today: date) -> Circular:
    """A new draft: findings computed now, the default opening and conclusions to edit."""
    from partylife import inspection

    errors = {}
    if end < start:
        errors["period_end"] = "督查期间止不能早于起。"
    if start > today:
        errors["period_start"] = "督查期间不能在今天之后开始。"
    if errors:
        raise ValidationError(errors)
    findings = circular_compute(root=root, start=start, end=end, today=today)
    circular = Circular(
        title=title.strip() or inspection.default_title(root, start, end),
        scope_org=root,
        period_start=start,
        period_end=end,
        opening=inspection.default_opening(root, start, end),
        conclusions=inspection.default_conclusions(),
        findings=findings,
        created_by=by,
    )
    return save_audited(circular, by=by, policy=policies.circulars)


def circular_update(*, by, circular: Circular, title: str, opening: str, conclusions: str) -> Circular:
    if circular.status != Circular.DRAFT:
        raise ValidationError("已发布的通报不能修改。")
    errors = {}
    for key, text in (("title", title), ("opening", opening), ("conclusions", conclusions)):
        if not text.strip():
            errors[key] = "不能为空。"
    if errors:
        raise ValidationError(errors)
    circular.title, circular.opening, circular.conclusions = title.strip(), opening.strip(), conclusions.strip()
    return save_audited(circular, by=by, policy=policies.circulars)


def circular_recompute(*, by, circular: Circular, today: date) -> Circular:
    if circular.status != Circular.DRAFT:
        raise ValidationError("已发布的通报不能重新计算。")
    circular.findings = circular_compute(
        root=circular.scope_org, start=circular.period_start, end=circular.period_end, today=today
    )
    return save_audited(circular, by=by, policy=policies.circulars, action="partylife.circular.recompute")


def format_number(fmt: str, *, year: int, n: int) -> str:
    try:
        return fmt.format(year=year, n=n)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError(f"发文字号格式“{fmt}”无效，请在规则设置中修改（可用 {{year}} 和 {{n}}）。") from exc


def circular_publish(*, by, circular: Circular, today: date, with_pdf: bool = True) -> Circular:
    """Number the circular (next number of the year), store its .docx and PDF, and put it
    on the notice board of every organisation in scope (党委, 总支, 支部)."""
    from partylife import inspection

    if circular.status != Circular.DRAFT:
        raise ValidationError("该通报已发布。")
    with transaction.atomic():
        policies.circulars.require(by, CHANGE, circular)
        locked = Circular.objects.select_for_update().get(pk=circular.pk)
        year = today.year
        last = Circular.objects.filter(number_year=year).aggregate(n=Max("number_seq"))["n"] or 0
        locked.number_year, locked.number_seq = year, last + 1
        locked.doc_number = format_number(value("CIRCULAR_NUMBER_FORMAT"), year=year, n=last + 1)
        locked.issued_on = today
        locked.status = Circular.PUBLISHED
        locked.published_at = timezone.now()
        locked.docx_name, locked.pdf_name = inspection.store_files(locked, with_pdf=with_pdf)
        save_audited(locked, by=by, policy=policies.circulars, action="partylife.circular.publish")
        orgs = PartyOrg.objects.filter(
            path__startswith=locked.scope_org.path,
            kind__in=[PartyOrg.COMMITTEE, PartyOrg.GENERAL_BRANCH, PartyOrg.BRANCH],
        ).values_list("id", flat=True)
        CircularRecipient.objects.bulk_create([CircularRecipient(circular=locked, org_id=pk) for pk in orgs])
    return locked


def circular_mark_read(*, user, circular: Circular, scope) -> int:
    """Read receipt: the viewer reads for the organisation of his acting grant."""
    if scope is None or circular.status != Circular.PUBLISHED or not scope.party_path:
        return 0
    return CircularRecipient.objects.filter(circular=circular, org__path=scope.party_path, read_at__isnull=True).update(
        read_at=timezone.now(), read_by=user
    )


def require_author(by, circular: Circular) -> None:
    if not policies.circulars.may(by, CHANGE, circular):
        raise PermissionDenied("仅区直机关党工委可以起草和发布督查通报。")
