"""党组织换届台账: statuses at their boundaries (TERM-02 / TERM-03), agreeing with the pure rules,
and the dashboard alert."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.dates import add_months
from core.testing import TODAY
from orgs import ledger, services
from orgs.dashboard import term_alerts
from orgs.models import Term

from .test_terms_services import make_term

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def statuses(user, today=TODAY, months=6, **filters):
    return {o.name: o.term_status for o in ledger.ledger(user=user, today=today, warning_months=months, **filters)}


# A branch's term is 3 years (TERM-01); TODAY = 2026-11-23.
BOUNDARIES = [
    (date(2023, 11, 22), None, "OVERDUE"),  # ended yesterday, no approval
    (date(2023, 11, 23), None, "DUE_SOON"),  # ends today: not overdue yet
    (date(2024, 5, 23), None, "DUE_SOON"),  # ends 2027-05-23: warning from 2026-11-23 = today
    (date(2024, 5, 24), None, "NORMAL"),  # warning from tomorrow
    (date(2023, 11, 22), date(2027, 3, 1), "POSTPONED"),  # past the end, within the approved date
    (date(2023, 11, 22), TODAY, "POSTPONED"),  # the approved date is today
    (date(2023, 9, 1), TODAY - DAY, "OVERDUE"),  # past the approved date
    (date(2024, 9, 1), date(2027, 5, 23), "DUE_SOON"),  # advanced (approved earlier date) enters the warning
    (date(2024, 9, 1), date(2027, 5, 24), "NORMAL"),
]


@pytest.mark.parametrize(("started", "approved", "expected"), BOUNDARIES)
def test_ledger_status_at_the_boundaries_agrees_with_term_rules(district, started, approved, expected):
    term = make_term(district, district.branch_a, started)
    if approved:
        term.postponed_to, term.approval_note = approved, "批复"
        services.term_refresh(term=term, today=TODAY)
        term.save()
    assert statuses(district.district_admin)[district.branch_a.name] == expected
    assert services.term_status(term, today=TODAY).status == expected


@pytest.mark.parametrize(
    ("today", "last_warned", "first_normal"),
    [
        # 2027-02-28 − 6 months is 2026-08-28 … 2027-05-31 − 6 months is 2026-11-30 (month ends clamp).
        (date(2026, 11, 30), date(2024, 5, 31), date(2024, 6, 1)),
        (date(2026, 8, 31), date(2024, 2, 28), date(2024, 3, 1)),
        (date(2027, 2, 28), date(2024, 8, 31), date(2024, 9, 1)),  # warned from 02-28 for ends up to 08-31
    ],
)
def test_month_end_warning_window(district, today, last_warned, first_normal):
    warned = make_term(district, district.branch_a, last_warned)
    normal = make_term(district, district.branch_b, first_normal)
    seen = statuses(district.district_admin, today=today)
    assert (seen[district.branch_a.name], seen[district.branch_b.name]) == ("DUE_SOON", "NORMAL")
    assert services.term_status(warned, today=today).status == "DUE_SOON"
    assert services.term_status(normal, today=today).status == "NORMAL"


@settings(deadline=None)  # a loaded CI machine must not fail a pure computation
@given(today=st.dates(date(2020, 1, 1), date(2035, 12, 31)), months=st.integers(1, 24), offset=st.integers(-400, 400))
def test_due_soon_limit_matches_the_warning_start(today, months, offset):
    due = add_months(today, months) + timedelta(days=offset)
    limit = ledger.due_soon_limit(today, months)
    assert (due <= limit) == (add_months(due, -months) <= today)


def test_organisation_without_term_and_groups(district):
    make_term(district, district.branch_a, date(2024, 5, 24))
    seen = statuses(district.district_admin)
    assert seen[district.branch_b.name] == ledger.NO_TERM
    assert district.group_a.name not in seen  # a 党小组 has no term


def test_scope_subtree_status_and_year_filters(district):
    make_term(district, district.branch_a, date(2023, 11, 22))  # overdue, due 2026
    make_term(district, district.branch_b, date(2024, 5, 24))  # normal, due 2027
    assert set(statuses(district.secretary_a)) == {district.branch_a.name}
    admin = district.district_admin
    assert set(statuses(admin, status="OVERDUE")) == {district.branch_a.name}
    assert set(statuses(admin, org=district.committee)) == {district.committee.name, district.branch_a.name}
    assert set(statuses(admin, year=2027)) == {district.branch_b.name}
    # A re-election held in a year puts the organisation in that year too.
    term = Term.objects.get(org=district.branch_a)
    services.term_record_reelection(by=admin, term=term, held_on=date(2026, 11, 1), entitled=5, present=5, today=TODAY)
    assert district.branch_a.name in statuses(admin, year=2026)
    row = next(o for o in ledger.ledger(user=admin, today=TODAY, warning_months=6) if o.pk == district.branch_a.pk)
    assert ledger.past_reelections(row) == "2026-11-01（应到5人，实到5人）"
    assert row.term_status == "NORMAL" and row.cur_number == 4


# --- dashboard -------------------------------------------------------------------------------------------


def test_dashboard_alerts_overdue_and_due_soon_in_scope(district, django_assert_max_num_queries):
    from accounts.scope import scope_of

    make_term(district, district.branch_a, date(2023, 11, 22))  # overdue
    make_term(district, district.branch_b, date(2024, 5, 23))  # due soon
    make_term(district, district.committee, date(2024, 1, 1))  # normal (5 years)
    admin = district.district_admin
    with django_assert_max_num_queries(2):
        alerts = term_alerts(user=admin, scope=scope_of(admin), today=TODAY)
    assert [(a.level, a.count) for a in alerts] == [("danger", 1), ("warning", 1)]
    assert "status=OVERDUE" in alerts[0].url and "status=DUE_SOON" in alerts[1].url
    secretary = district.secretary_a
    assert [(a.level, a.count) for a in term_alerts(user=secretary, scope=scope_of(secretary), today=TODAY)] == [
        ("danger", 1)
    ]
    union = district.union_admin
    assert term_alerts(user=union, scope=scope_of(union), today=TODAY) == []
    # Re-elected: no longer overdue.
    term = Term.objects.get(org=district.branch_a)
    services.term_record_reelection(by=admin, term=term, held_on=TODAY, entitled=5, present=5, today=TODAY)
    assert [(a.level, a.count) for a in term_alerts(user=admin, scope=scope_of(admin), today=TODAY)] == [("warning", 1)]


def test_home_page_shows_the_term_alert(client, district):
    make_term(district, district.branch_a, date(2020, 1, 1))
    client.force_login(district.secretary_a)
    body = client.get("/").content.decode()
    assert "党组织换届已逾期" in body
