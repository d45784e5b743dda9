"""Meetings and attendance for tests, built through the real service."""

from __future__ import annotations

from datetime import date

from partylife import rules, selectors, services
from partylife.models import Meeting


def hold(by, org, *, kind=rules.THEME_DAY, on: date, today: date, statuses: dict | None = None, topic="学习党章",
         status=Meeting.HELD, speaker="") -> Meeting:  # fmt: skip
    """A held meeting with everyone on the roster present unless ``statuses`` says otherwise."""
    statuses = statuses or {}
    marks = {}
    if status == Meeting.HELD:
        for m in selectors.roster(org, on, kind=kind):
            marks[m.pk] = services.Mark(
                statuses.get(m.pk, rules.PRESENT), "出差" if statuses.get(m.pk) == rules.EXCUSED else ""
            )
    meeting = Meeting(org=org, kind=kind, status=status, held_on=on, topic=topic, host="刘书记",
                      speaker=speaker or ("刘书记" if kind == rules.PARTY_LECTURE else ""), minutes="会议记录内容。")  # fmt: skip
    return services.meeting_save(by=by, meeting=meeting, marks=marks, today=today)
