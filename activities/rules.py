"""Sign-up rules: pure functions, times and counts in, a Chinese refusal or a decision out.

The regulation-like checks of the area (ACT-01 … ACT-10) live in sports.py,
judging.py and balance.py; this module holds the sign-up decisions the
services take: deadline, capacity and waiting list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

REGISTER = "registered"
WAITLIST = "waitlisted"


@dataclass(frozen=True)
class SignupDecision:
    """How many of a list are registered and how many go on the waiting list,
    or a refusal (``refusal`` set, nobody signed up)."""

    registered: int = 0
    waitlisted: int = 0
    refusal: str = ""


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def signup_decision(
    *,
    now: datetime,
    starts_at: datetime,
    deadline: datetime | None,
    cancelled: bool,
    capacity: int | None,
    taken: int,
    waiting: int,
    wanted: int,
    waitlist_enabled: bool,
) -> SignupDecision:
    """Decide a sign-up of ``wanted`` people (1 for a member signing himself up).

    Refused when the activity is cancelled, the deadline (or, without one, the
    start) has passed, or there are fewer free places than people and no
    waiting list. With a waiting list the first free places are filled and the
    rest wait in order. A list is all-or-nothing: it is never half refused.
    """
    if cancelled:
        return SignupDecision(refusal="该活动已取消，不能报名。")
    closes = deadline or starts_at
    if now > closes:
        what = "报名截止时间" if deadline else "活动开始时间"
        return SignupDecision(refusal=f"已过{what}（{_local(closes)}），不能再报名。")
    if wanted <= 0:
        return SignupDecision(refusal="请选择要报名的人员。")
    if capacity is None:
        return SignupDecision(registered=wanted)
    free = max(0, capacity - taken) if waiting == 0 else 0
    if wanted <= free:
        return SignupDecision(registered=wanted)
    if not waitlist_enabled:
        if wanted == 1:
            return SignupDecision(refusal=f"名额已满（限 {capacity} 人，已报 {taken} 人），不能再报名。")
        return SignupDecision(
            refusal=f"报名人数超过剩余名额：本次 {wanted} 人，剩余 {free} 个名额（限 {capacity} 人），请减少人数后再报。"
        )
    return SignupDecision(registered=free, waitlisted=wanted - free)


def checkin_refusal(*, now: datetime, starts_at: datetime, ends_at: datetime, status: str | None) -> str:
    """Why a person cannot check in now ("" when he can): he must be registered
    (not waiting), and check-in opens two hours before the start and closes at the end."""
    from datetime import timedelta

    if status is None:
        return "您没有报名该活动，请先报名。"
    if status == WAITLIST:
        return "您在候补名单中，尚未获得名额，不能签到。"
    if status != REGISTER:
        return "您的报名已取消，不能签到。"
    if now < starts_at - timedelta(hours=2):
        return f"签到尚未开始：活动开始前 2 小时（{_local(starts_at - timedelta(hours=2))}）起可签到。"
    if now > ends_at:
        return f"活动已于 {_local(ends_at)} 结束，不能再签到。"
    return ""
