import pytest
from django.urls import reverse

from core.models import AuditEntry, RuleSettingValue

pytestmark = pytest.mark.django_db


def test_home_dashboard_counts_scope(client, district):
    client.force_login(district.secretary_a)
    body = client.get(reverse("core:home")).content.decode()
    assert "党员总数" in body


def test_member_home_goes_to_me(client, district):
    client.force_login(district.member_user)
    assert client.get(reverse("core:home"))["Location"] == reverse("people:me")


@pytest.mark.parametrize(("persona", "expected"), [("district_admin", 200), ("secretary_a", 403), ("member_user", 403)])
def test_audit_log_is_for_administrators(client, district, persona, expected):
    client.force_login(getattr(district, persona))
    assert client.get(reverse("core:audit_log")).status_code == expected


def test_settings_change_is_audited_and_validated(client, district):
    from core import rule_settings as rs

    setting = rs.RuleSetting(key="TEST_DAYS", default=5, label="测试天数", source="测试", rule="TEST-01", area="测试")
    rs.register(setting)
    client.force_login(district.district_admin)
    response = client.post(reverse("core:settings"), {"key": setting.key, "value": "abc"})
    assert "无效" in response.content.decode()
    client.post(reverse("core:settings"), {"key": setting.key, "value": "7"})
    assert RuleSettingValue.objects.get(key=setting.key).value == 7
    assert rs.value("TEST_DAYS") == 7
    assert AuditEntry.objects.filter(action="core.setting.update", object_id=setting.key).exists()
    client.force_login(district.secretary_a)
    assert client.post(reverse("core:settings"), {"key": setting.key, "value": "9"}).status_code == 403


def test_login_page_and_lockout(client, district):
    url = reverse("accounts:login")
    assert "党群工作平台" in client.get(url).content.decode()
    response = client.post(url, {"username": "sec_a", "password": "wrong"})
    assert "用户名或密码错误" in response.content.decode()
    for _ in range(5):
        response = client.post(url, {"username": "sec_a", "password": "wrong"})
    assert "锁定" in response.content.decode()
    response = client.post(url, {"username": "sec_a", "password": "pw-Dangqun-1"})
    assert response.status_code != 302  # still locked


@pytest.mark.parametrize("cached", [False, True])
def test_home_bar_chart_lists_the_largest_children_of_the_scope(district, cached):
    """Members under each child of the 工委, largest first, at most ``limit`` of them;
    the same from the minute's cache a very large scope reads."""
    from accounts.scope import scope_of
    from core.selectors import members_by_child_org

    scope = scope_of(district.district_admin)
    committee = district.committee.short_name or district.committee.name
    branch_b = district.branch_b.short_name or district.branch_b.name
    assert members_by_child_org(scope, cached=cached) == [(committee, 2), (branch_b, 1)]
    assert members_by_child_org(scope, limit=1, cached=cached) == [(committee, 2)]


@pytest.mark.parametrize("persona", ["district_admin", "secretary_a", "secretary_b", "union_admin", "member_user"])
def test_every_menu_link_a_user_sees_opens_for_that_user(client, district, persona):
    """No menu entry leads to 403: the 修改记录 log is district-wide, so only the 工委
    (and the 工会工委) see it in the menu, not a branch secretary or a union chair."""
    client.force_login(getattr(district, persona))
    response = client.get(reverse("people:me"))
    links = [link for group in response.context["layout"].menu for link in group.links]
    assert links
    for link in links:
        assert client.get(link.url).status_code in (200, 302), link.url
    shown = {link.url_name for link in links}
    assert ("core:audit_log" in shown) == (persona == "district_admin")


def test_the_union_working_committee_sees_and_opens_the_audit_log(client, district):
    from accounts.models import Grant
    from core.testing import user_with_grant

    client.force_login(user_with_grant("ghgw_t", Grant.UNION_ADMIN, union_org=district.union_root))
    response = client.get(reverse("people:me"))
    shown = {link.url_name for group in response.context["layout"].menu for link in group.links}
    assert "core:audit_log" in shown
    assert client.get(reverse("core:audit_log")).status_code == 200


def test_refusals_and_missing_pages_are_explained_in_chinese(client, district):
    """A 403 says why (the view's own message), a 404 that the record may lie outside
    the user's scope; both inside the usual frame, with a way home."""
    client.force_login(district.secretary_a)
    refused = client.get(reverse("core:audit_log"))
    assert refused.status_code == 403
    body = refused.content.decode()
    assert "无权访问" in body and "仅工委（工会工委）管理员可以访问此页面。" in body and "返回首页" in body
    missing = client.get(reverse("people:member_detail", args=[district.member_b.pk]))
    assert missing.status_code == 404
    assert "不在您的管理范围内" in missing.content.decode()


def test_the_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统出错" in html and "返回首页" in html


def test_an_expired_form_is_explained_not_refused_in_english(district):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(district.district_admin)
    response = client.post(reverse("core:settings"), {})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
