"""Talk rules TALK-01 … TALK-03 (rules/party-life.md) as pure functions.

No ORM and no clock: the viewer's facts and ``today`` are arguments.
"""

from __future__ import annotations

from datetime import date, timedelta

from core.dates import fmt_iso
from core.findings import ERROR, MISSING, WARNING, Finding

# Talk kinds (glossary: 提醒谈话 / 诫勉谈话 / 任职谈话).
REMINDER = "REMINDER"
ADMONITION = "ADMONITION"
APPOINTMENT = "APPOINTMENT"
KIND_LABELS = {REMINDER: "提醒谈话", ADMONITION: "诫勉谈话", APPOINTMENT: "任职谈话"}

# Officer roles that call for an appointment talk (TALK-02: secretary or committee member).
APPOINTMENT_TALK_ROLES = frozenset({"secretary", "deputy", "organiser", "publicity", "discipline"})
# orgs.OrgOfficer role codes (SECRETARY, DEPUTY_SECRETARY …) → the names above.
_OFFICER_ROLE_ALIASES = {"deputy_secretary": "deputy"}

APPOINTMENT_TALK_DAYS_DEFAULT = 30  # setting APPOINTMENT_TALK_DAYS


def may_see_talk(*, is_talker: bool, is_responsible_secretary: bool, has_discipline_role: bool) -> bool:
    """TALK-01: only the talker, the secretary of the responsible committee and holders
    of the discipline role may see a talk record.

    Everyone else — including the person talked to and administrators without the
    discipline role — sees at most counts.
    """
    return is_talker or is_responsible_secretary or has_discipline_role


def needs_appointment_talk(role: str) -> bool:
    """TALK-02 applies to a newly appointed secretary or committee member.

    Accepts the short names above and the ``OrgOfficer`` role codes (``SECRETARY``,
    ``DEPUTY_SECRETARY``, ``ORGANISER`` …); union roles never need one.
    """
    name = role.lower()
    return _OFFICER_ROLE_ALIASES.get(name, name) in APPOINTMENT_TALK_ROLES


def appointment_talk_due(took_office_on: date, *, days: int = APPOINTMENT_TALK_DAYS_DEFAULT) -> date:
    """TALK-02: the last day for the appointment talk (the limit includes that day)."""
    return took_office_on + timedelta(days=days)


def appointment_talk_findings(
    *,
    took_office_on: date,
    talked_on: date | None,
    today: date,
    days: int = APPOINTMENT_TALK_DAYS_DEFAULT,
) -> list[Finding]:
    """TALK-02: an error when the due date has passed without a talk, or the talk was late.

    Before the due date an untalked officer has no finding (the page shows the due date).
    A talk before taking office counts: the regulation sets no earliest day.
    """
    due = appointment_talk_due(took_office_on, days=days)
    if talked_on is None and today > due:
        message = f"{fmt_iso(took_office_on)}任职，应在{days}日内（{fmt_iso(due)}前）进行任职谈话，截至{fmt_iso(today)}尚未谈话。"
    elif talked_on is not None and talked_on > due:
        message = f"{fmt_iso(took_office_on)}任职，应在{days}日内（{fmt_iso(due)}前）进行任职谈话，实际于{fmt_iso(talked_on)}谈话，已超期。"
    else:
        return []
    return [Finding(rule="TALK-02", severity=ERROR, message=message, extra={"due": fmt_iso(due)})]


def admonition_follow_up_findings(
    *,
    follow_up_due: date | None,
    followed_up_on: date | None,
    today: date,
) -> list[Finding]:
    """TALK-03: an admonition has a follow-up date; an overdue follow-up is a warning.

    No follow-up date is MISSING. A follow-up done after its date stays a warning, so
    the ledger keeps the record that it was late.
    """
    if follow_up_due is None:
        return [Finding(rule="TALK-03", severity=MISSING, message="诫勉谈话未确定回访（跟踪）日期。")]
    if followed_up_on is None and today > follow_up_due:
        message = f"诫勉谈话应于{fmt_iso(follow_up_due)}前回访，截至{fmt_iso(today)}尚未回访。"
    elif followed_up_on is not None and followed_up_on > follow_up_due:
        message = f"诫勉谈话应于{fmt_iso(follow_up_due)}前回访，实际于{fmt_iso(followed_up_on)}回访，已超期。"
    else:
        return []
    return [Finding(rule="TALK-03", severity=WARNING, message=message, extra={"due": fmt_iso(follow_up_due)})]
