"""The 节假日安排 page (core:calendar, BASE-02): district administrators enter a later year."""

from datetime import date

import pytest
from django.urls import reverse

from core.models import AuditEntry, CalendarDay
from core.workdays_db import work_calendar

pytestmark = pytest.mark.django_db
URL = reverse("core:calendar")


@pytest.mark.parametrize(
    ("persona", "expected"), [("district_admin", 200), ("secretary_a", 403), ("union_admin", 403), ("member_user", 403)]
)
def test_only_district_admins(client, district, persona, expected):
    client.force_login(getattr(district, persona))
    assert client.get(URL).status_code == expected
    posted = client.post(URL, {"year": "2027", "holidays": "2027-01-01 元旦"}).status_code
    assert posted == (302 if expected == 200 else expected)
    assert CalendarDay.objects.filter(year=2027).exists() == (expected == 200)


def test_lists_the_known_years(client, district):
    client.force_login(district.district_admin)
    body = client.get(URL).content.decode()
    assert "2004年" in body and "2026年" in body and "内置（chinesecalendar）" in body


def test_enter_a_year_with_ranges_and_makeup_days(client, district):
    client.force_login(district.district_admin)
    response = client.post(URL, {
        "year": "2027",
        "holidays": "2027-01-01 元旦\n2027-02-06至2027-02-12 春节\n2027年10月1日～2027年10月7日 国庆节",
        "workdays": "2027-02-13 春节调休\n2027/10/9 国庆调休",
    })  # fmt: skip
    assert response.status_code == 302
    assert CalendarDay.objects.filter(year=2027, kind=CalendarDay.HOLIDAY).count() == 1 + 7 + 7
    assert CalendarDay.objects.get(day=date(2027, 2, 13)).name == "春节调休"
    entry = AuditEntry.objects.get(action="core.calendar.update")
    assert entry.actor == district.district_admin and "2027-02-13 WORKDAY 春节调休" in entry.after["days"]
    calendar = work_calendar()
    assert not calendar.is_workday(date(2027, 2, 8)) and calendar.is_workday(date(2027, 2, 13))
    body = client.get(URL).content.decode()
    assert "2027年" in body and "管理员录入" in body
    # entering the year again replaces it
    client.post(URL, {"year": "2027", "holidays": "2027-01-01 元旦"})
    assert CalendarDay.objects.filter(year=2027).count() == 1


@pytest.mark.parametrize(
    ("holidays", "workdays", "message"),
    [
        ("2027-13-01 春节", "", "无法识别的日期"),
        ("2028-01-01 元旦", "", "不属于 2027 年的节假日安排"),
        ("2027-01-01", "2027-01-01", "不能同时是节假日和调休上班日"),
        ("2027-01-01", "2027-01-04", "本来就是工作日"),
        ("2027-02-20至2027-02-10", "", "早于开始日期"),
        ("", "", "必填"),
    ],
)
def test_invalid_schedules_are_refused_in_chinese(client, district, holidays, workdays, message):
    client.force_login(district.district_admin)
    body = client.post(URL, {"year": "2027", "holidays": holidays, "workdays": workdays}).content.decode()
    assert message in body
    assert not CalendarDay.objects.exists()


def test_delete_a_year(client, district):
    CalendarDay.objects.create(year=2027, day=date(2027, 1, 1), kind=CalendarDay.HOLIDAY, name="元旦")
    client.force_login(district.district_admin)
    assert client.post(URL, {"delete_year": "2027"}).status_code == 302
    assert not CalendarDay.objects.exists()
    assert AuditEntry.objects.filter(action="core.calendar.delete").exists()


@pytest.mark.parametrize("years", [0, 3])
def test_query_budget(client, district, django_assert_max_num_queries, years):
    for y in range(years):
        CalendarDay.objects.create(year=2030 + y, day=date(2030 + y, 1, 1), kind=CalendarDay.HOLIDAY)
    client.force_login(district.district_admin)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


def test_package_schedules_agree_with_chinesecalendar_every_day():
    """BASE-02: the set lookups of core.workdays_db give chinesecalendar's answer for every known day."""
    from datetime import timedelta

    import chinese_calendar

    from core.workdays import WorkCalendar, package_years
    from core.workdays_db import package_schedules

    fast = WorkCalendar(extra_years=package_schedules())
    years = package_years()
    day = date(years.start, 1, 1)
    while day.year < years.stop:
        assert fast.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
