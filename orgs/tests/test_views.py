import pytest
from django.urls import reverse

from core.testing import party_member

pytestmark = pytest.mark.django_db


def test_tree_shows_member_counts_for_the_scope(client, district):
    client.force_login(district.district_admin)
    body = client.get(reverse("orgs:tree")).content.decode()
    assert "区财政局第一支部" in body and "区税务局支部" in body


def test_secretary_tree_is_her_subtree_only(client, district):
    client.force_login(district.secretary_a)
    body = client.get(reverse("orgs:tree")).content.decode()
    assert "区财政局第一支部" in body
    assert "区税务局支部" not in body


@pytest.mark.parametrize(
    ("persona", "expected"), [("district_admin", 200), ("secretary_a", 404), ("union_admin", 404), ("member_user", 404)]
)
def test_org_page_access(client, district, persona, expected):
    client.force_login(getattr(district, persona))
    assert client.get(reverse("orgs:party_org_detail", args=[district.branch_b.pk])).status_code == expected


def test_org_page_shows_org01_finding(client, district):
    # ORG-01: branch B has a single full member
    client.force_login(district.district_admin)
    body = client.get(reverse("orgs:party_org_detail", args=[district.branch_b.pk])).content.decode()
    assert "ORG-01" in body and "不足 3 人" in body


@pytest.mark.parametrize("extra", [5, 50])
def test_org_page_query_budget(client, district, django_assert_max_num_queries, extra):
    for i in range(extra):
        party_member(district.branch_a, f"成员{i}")
    client.force_login(district.secretary_a)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("orgs:party_org_detail", args=[district.branch_a.pk])).status_code == 200


def test_unit_list_export(client, district):
    client.force_login(district.district_admin)
    response = client.get(reverse("orgs:unit_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
