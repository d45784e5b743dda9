"""Sign-up decisions (rules.py): deadline, capacity, waiting list, check-in window."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from activities.rules import checkin_refusal, signup_decision

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 12, 1, 9, 0, tzinfo=TZ)


def decide(**kw):
    args = dict(now=START - timedelta(days=2), starts_at=START, deadline=START - timedelta(days=1), cancelled=False,
                capacity=10, taken=0, waiting=0, wanted=1, waitlist_enabled=True)  # fmt: skip
    return signup_decision(**(args | kw))


def test_free_places_register():
    assert (decide(taken=9).registered, decide(taken=9).waitlisted) == (1, 0)


def test_full_goes_to_the_waiting_list_or_is_refused():
    assert decide(taken=10).waitlisted == 1
    assert decide(taken=10, waitlist_enabled=False).refusal == "名额已满（限 10 人，已报 10 人），不能再报名。"


def test_nobody_jumps_the_waiting_list():
    # A place freed while people wait goes to them (promotion), not to a newcomer.
    assert decide(taken=9, waiting=2).waitlisted == 1


def test_a_list_fills_the_free_places_then_waits_or_is_refused_whole():
    d = decide(taken=7, wanted=5)
    assert (d.registered, d.waitlisted) == (3, 2)
    d = decide(taken=7, wanted=5, waitlist_enabled=False)
    assert d.refusal.startswith("报名人数超过剩余名额：本次 5 人，剩余 3 个名额") and d.registered == 0


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"now": START - timedelta(hours=20)}, "已过报名截止时间（2026-11-30 09:00），不能再报名。"),
        ({"deadline": None, "now": START + timedelta(minutes=1)}, "已过活动开始时间（2026-12-01 09:00），不能再报名。"),
        ({"cancelled": True}, "该活动已取消，不能报名。"),
    ],
)
def test_refusals(kw, message):
    assert decide(**kw).refusal == message


def test_unlimited_capacity():
    assert decide(capacity=None, taken=500, wanted=40).registered == 40


def test_deadline_moment_itself_is_still_open():
    assert decide(now=START - timedelta(days=1)).registered == 1


@pytest.mark.parametrize(
    ("status", "now", "expected"),
    [
        (None, START, "您没有报名该活动，请先报名。"),
        ("waitlisted", START, "您在候补名单中，尚未获得名额，不能签到。"),
        ("cancelled", START, "您的报名已取消，不能签到。"),
        ("registered", START - timedelta(hours=3), "签到尚未开始：活动开始前 2 小时（2026-12-01 07:00）起可签到。"),
        ("registered", START + timedelta(hours=5), "活动已于 2026-12-01 12:00 结束，不能再签到。"),
        ("registered", START - timedelta(hours=1), ""),
    ],
)
def test_checkin_window(status, now, expected):
    assert checkin_refusal(now=now, starts_at=START, ends_at=START + timedelta(hours=3), status=status) == expected
