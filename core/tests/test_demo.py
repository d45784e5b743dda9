"""The demo district of `make run`: it generates on any day of the year (with every
area's content) and each printed login signs in to a working home page."""

from datetime import date

import pytest
from django.urls import reverse

from core.demo.district import DEMO_PASSWORD, generate
from dues.models import PayBase
from partylife.models import Circular, Meeting


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today",
    [
        date(2026, 12, 4),  # December: the twelve monthly rolls start this January
        date(2027, 1, 2),  # a new year: last year's rolls, this year's first days
        date(2026, 7, 20),  # just after the first half-year circular can be issued
    ],
)
def test_demo_district_generates_on_any_day(today, client):
    lines: list[str] = []
    district = generate(members=400, today=today, log=lines.append)

    assert Meeting.objects.filter(held_on__lte=today).exists()
    assert PayBase.objects.exists()
    assert Circular.objects.filter(status=Circular.PUBLISHED).count() == 1
    assert any("党费会费" in line for line in lines) and any("组织生活" in line for line in lines)
    assert {"gwadmin", "zbsj", "ghzx", "dangyuan"} <= set(district.users)
    for username in ("gwadmin", "zbsj", "ghzx", "dangyuan"):
        client.logout()
        signed_in = client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302, username
        assert client.get(reverse("core:home"), follow=True).status_code == 200, username  # a member lands on 我的信息
