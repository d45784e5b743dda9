"""Test data for the activities pages, built through the real services."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from activities import competition_services as cs
from activities import quiz_services as qs
from activities import services
from activities.models import Activity, Competition, Question, Quiz

TZ = ZoneInfo("Asia/Shanghai")
# Pages compare against the real clock, so the test world is built around
# today (09:00 Shanghai) rather than a fixed date that would slip into the past.
NOW = datetime.combine(datetime.now(TZ).date(), time(9, 0), tzinfo=TZ)


def activity(district, *, by=None, org=None, kind="sports", title="乒乓球比赛", days=7, capacity=None, **extra):
    by = by or district.union_admin
    org = org or district.union_a
    data = {
        "title": title,
        "kind": kind,
        "union_org": org if org._meta.model_name == "unionorg" else None,
        "party_org": org if org._meta.model_name == "partyorg" else None,
        "starts_at": NOW + timedelta(days=days),
        "ends_at": NOW + timedelta(days=days, hours=3),
        "place": "机关活动中心",
        "capacity": capacity,
        "open_to": Activity.SUBTREE,
        "hours": Decimal("4") if kind == "training" else None,
    } | extra
    return services.activity_save(by=by, activity=None, data=data, units=extra.pop("units", ()), now=NOW)


def union_people(district, n, *, org=None, prefix="会员"):
    from core.testing import union_member

    org = org or district.union_a
    return [union_member(org, f"{prefix}{i}").person for i in range(n)]


def competition(district, act, *, discipline="TABLE_TENNIS", fmt=Competition.SINGLE_ELIMINATION, n=4, by=None, **extra):
    """A competition with ``n`` individual entries (registered union members of union A)."""
    by = by or district.union_admin
    c = cs.competition_save(by=by, competition=Competition(activity=act, name=f"{act.title}-比赛", discipline=discipline,
                                                          format=fmt, **extra))  # fmt: skip
    people = union_people(district, n * (2 if c.team else 1), prefix=f"选手{c.pk}-")
    services.registration_signup_list(by=by, activity=act, persons=people, now=NOW)
    if c.team:
        for i in range(n):
            cs.entry_add(by=by, competition=c, unit=district.unit_a, team_name=f"财政{i + 1}队",
                         members=people[2 * i : 2 * i + 2], seed=i + 1 if i < 2 else None,
                         weight_kg=Decimal("130") if discipline == "TUG_OF_WAR" else None)  # fmt: skip
        return c
    for i, p in enumerate(people):
        cs.entry_add(by=by, competition=c, unit=district.unit_a, person=p, seed=i + 1 if i < 2 else None,
                     entry_time_ms=60000 + i * 1000 if c.is_timed else None)  # fmt: skip
    return c


def bank(district, n=12, *, by=None):
    by = by or district.union_admin
    rows = []
    for i in range(n):
        kind = ["single", "multiple", "true_false", "fill_in"][i % 4]
        options = ["甲", "乙", "丙", "丁"] if kind in ("single", "multiple") else []
        answer = {"single": ["B"], "multiple": ["A", "C"], "true_false": ["对"], "fill_in": ["工会"]}[kind]
        rows.append(qs.question_save(by=by, question=Question(union_org=district.union_a, kind=kind, text=f"题目{i}",
                                                              options=options, answer=answer, tags=["工会法"])))  # fmt: skip
    return rows


def live_quiz(district, act, *, questions=3, seconds=20, by=None):
    by = by or district.union_admin
    bank(district, max(questions, 4), by=by)
    q = qs.quiz_save(by=by, quiz_obj=Quiz(activity=act, title="工会知识竞赛", mode=Quiz.LIVE, question_seconds=seconds,
                                          draw_rules=[{"count": questions, "tag": None, "difficulty": None}]))  # fmt: skip
    qs.quiz_draw_paper(by=by, quiz_obj=q, seed=7)
    return q
