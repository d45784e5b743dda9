"""Union pages: the permission matrix of every page and its query budget at two sizes."""

import pytest
from django.urls import reverse

from accounts.models import Grant
from core.testing import user_with_grant
from union.tests.factories import populate

pytestmark = pytest.mark.django_db

ADMINS_OK = {"union_admin": 200, "root": 200, "district_admin": 200, "secretary_a": 403, "member_user": 403}
OBJECT_OK = {**ADMINS_OK, "b_admin": 404}

# (url name, the key of the populated object whose pk is the argument, expected status per persona, budget)
PAGES = [
    ("union:index", None, {**ADMINS_OK, "member_user": 302}, 24),  # 5 for the activity balance chart
    ("union:me", None, {"member_user": 200, "union_admin": 200}, 13),
    ("union:member_list", None, ADMINS_OK, 12),
    ("union:member_detail", "member", OBJECT_OK, 13),
    ("union:member_transfer", "member", OBJECT_OK, 12),
    ("union:member_leave", "member", OBJECT_OK, 9),
    ("union:member_card", "own", {"member_user": 200, "union_admin": 200, "b_admin": 404, "secretary_a": 404}, 9),
    ("union:member_card_qr", "own", {"member_user": 200, "union_admin": 200, "b_admin": 404}, 7),
    ("union:application_list", None, ADMINS_OK, 10),
    ("union:application_create", None, ADMINS_OK, 11),
    ("union:application_detail", "application", OBJECT_OK, 11),
    ("union:case_list", None, {**ADMINS_OK, "member_user": 403, "b_admin": 200}, 12),
    ("union:case_create", None, ADMINS_OK, 8),
    ("union:case_detail", "case", {**OBJECT_OK, "secretary_a": 404, "member_user": 404}, 15),
    ("union:case_step", "case", {**OBJECT_OK, "secretary_a": 404, "member_user": 404}, 9),
    ("union:case_visit", "case", {**OBJECT_OK, "secretary_a": 404, "member_user": 404}, 9),
    ("union:case_aid", "case", {**OBJECT_OK, "secretary_a": 404, "member_user": 404}, 9),
    ("union:case_recheck", "case", {**OBJECT_OK, "secretary_a": 404, "member_user": 404}, 9),
    ("union:grant_list", None, ADMINS_OK, 10),
    ("union:grant_create", None, ADMINS_OK, 13),
    ("union:grant_detail", "grant", OBJECT_OK, 10),
    ("union:welfare_summary", None, ADMINS_OK, 12),
    ("union:welfare_union", "union", OBJECT_OK, 12),
    ("union:session_list", None, ADMINS_OK, 10),
    ("union:session_create", None, ADMINS_OK, 11),
    ("union:session_detail", "session", OBJECT_OK, 12),
    ("union:motion_detail", "motion", OBJECT_OK, 11),
    ("union:disclosure_list", None, ADMINS_OK, 10),
    ("union:disclosure_create", None, ADMINS_OK, 11),
    ("union:disclosure_edit", "disclosure", OBJECT_OK, 12),
    ("union:round_list", None, ADMINS_OK, 9),
    ("union:round_detail", "round", ADMINS_OK, 13),
    ("union:home_detail", "home", OBJECT_OK, 25),
    ("union:home_history", "union", OBJECT_OK, 9),
    (
        "union:criterion_create",
        "round",
        {"root": 200, "district_admin": 200, "union_admin": 403, "member_user": 403},
        9,
    ),
]


def _personas(district, data):
    return {
        "district_admin": district.district_admin,
        "union_admin": district.union_admin,
        "root": data["root"],
        "secretary_a": district.secretary_a,
        "member_user": district.member_user,
        "b_admin": user_with_grant("gh_b", Grant.UNION_ADMIN, union_org=district.union_b),
    }


def _url(name, key, data):
    return reverse(name, args=[data[key].pk]) if key else reverse(name)


@pytest.mark.parametrize(("name", "key", "expected", "budget"), PAGES, ids=[p[0] for p in PAGES])
def test_permission_matrix(client, district, name, key, expected, budget):
    data = populate(district)
    personas = _personas(district, data)
    url = _url(name, key, data)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for persona, status in expected.items():
        client.force_login(personas[persona])
        assert client.get(url).status_code == status, persona


@pytest.mark.parametrize("size", [2, 25])
@pytest.mark.parametrize(("name", "key", "expected", "budget"), PAGES, ids=[p[0] for p in PAGES])
def test_query_budget(client, district, django_assert_max_num_queries, name, key, expected, budget, size):
    data = populate(district, size)
    persona = {"union:me": district.member_user, "union:criterion_create": data["root"]}.get(name, district.union_admin)
    client.force_login(persona)
    url = _url(name, key, data)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code in (200, 302)


def test_card_verify_shows_validity_with_masked_name(client, district):
    from union.views import card_token

    data = populate(district)
    body = client.get(reverse("union:card_verify", args=[card_token(data["own"])])).content.decode()
    assert "有效的工会会员证" in body and "王*明" in body and "王小明" not in body
    assert client.get(reverse("union:card_verify", args=["forged"])).status_code == 404


def test_card_qr_is_svg_made_here(client, district):
    data = populate(district)
    client.force_login(district.member_user)
    response = client.get(reverse("union:member_card_qr", args=[data["own"].pk]))
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content


def test_home_dashboard_shows_overdue_rechecks_and_pending_applications(client, district):
    from datetime import date

    from union.models import AssistanceCase

    data = populate(district)
    AssistanceCase.objects.filter(pk=data["case"].pk).update(state="AIDED", recheck_due_on=date(2026, 1, 1))
    client.force_login(district.union_admin)
    body = client.get(reverse("core:home")).content.decode()
    assert "超过12个月未复核" in body and "入会申请待审批" in body
    client.force_login(user_with_grant("gh_b", Grant.UNION_ADMIN, union_org=district.union_b))
    assert "超过12个月未复核" not in client.get(reverse("core:home")).content.decode()
