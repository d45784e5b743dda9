"""Member pages: what each persona may see and do, and the query budgets."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry
from core.testing import party_member
from people.models import PartyMember

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_member_list_shows_only_the_secretarys_branch(client, district):
    login(client, district.secretary_a)
    response = client.get(reverse("people:member_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "王小明" in body
    assert "赵大海" not in body  # branch B is outside her scope


def test_district_admin_sees_both_branches(client, district):
    login(client, district.district_admin)
    body = client.get(reverse("people:member_list")).content.decode()
    assert "王小明" in body and "赵大海" in body


def test_member_search_by_pinyin_initials_and_id_tail(client, district):
    login(client, district.district_admin)
    body = client.get(reverse("people:member_list"), {"q": "wxm"}).content.decode()
    assert "王小明" in body and "赵大海" not in body
    body = client.get(reverse("people:member_list"), {"q": "zhaodahai"}).content.decode()
    assert "赵大海" in body and "王小明" not in body
    tail = district.member_b.person.id_last4
    body = client.get(reverse("people:member_list"), {"q": tail}).content.decode()
    assert "赵大海" in body


NAMES = ["张三", "张山", "赵四", "张思思", "郑爽", "朱胜利", "周苏", "张三丰", "庄森", "曾帅", "王小明"]


@pytest.mark.parametrize("search", ["z", "zs", "zhang", "zhangs", "zss", "wxm", "q"])
def test_name_search_pages_are_those_of_the_plain_query(district, search):
    """BASE-04: the search pages taken by name_search_window (two ordered range scans
    merged) are exactly the pages of the one-query filter, in pinyin order."""
    from people import selectors

    for i, name in enumerate(NAMES):
        party_member(district.branch_a, name, birth=date(1980, 1, 1 + i))
    unsearched = selectors.party_members(user=district.district_admin)
    searched = selectors.party_members(user=district.district_admin, search=search).order_by(
        "person__name_pinyin", "pk"
    )
    window = selectors.name_search_window(unsearched, search)
    expected = [m.pk for m in searched]
    for offset, limit in [(0, 3), (3, 3), (6, 10), (0, 50)]:
        assert [m.pk for m in window(offset, limit)] == expected[offset : offset + limit]


@pytest.mark.parametrize("search", ["张", "三", "张三", "单", "小明", "赵四"])
def test_name_search_pages_list_names_starting_with_it_first(district, search):
    """BASE-04 by name: the names starting with the text first, then the others containing
    it, each group in pinyin order; together exactly the rows of the plain filter."""
    from people import selectors

    for i, name in enumerate([*NAMES, "李张", "单雄信", "单三", "陈小明", "孙单"]):
        party_member(district.branch_a, name, birth=date(1980, 1, 1 + i))
    unsearched = selectors.party_members(user=district.district_admin)
    searched = list(selectors.party_members(user=district.district_admin, search=search))
    key = lambda m: (not m.person.name.startswith(search), m.person.name_pinyin, m.pk)  # noqa: E731
    expected = [m.pk for m in sorted(searched, key=key)]
    assert expected  # every search finds someone
    window = selectors.name_search_window(unsearched, search)
    for offset, limit in [(0, 2), (2, 2), (1, 10), (0, 50)]:
        assert [m.pk for m in window(offset, limit)] == expected[offset : offset + limit]


def test_a_search_matching_more_than_the_cap_says_so(client, district, monkeypatch):
    from people import views

    for i, name in enumerate(NAMES):
        party_member(district.branch_a, name, birth=date(1980, 1, 1 + i))
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 3)
    login(client, district.district_admin)
    body = client.get(reverse("people:member_list"), {"q": "z", "size": 10}).content.decode()
    assert "超过 <strong>3</strong> 条" in body
    body = client.get(reverse("people:member_list"), {"q": "zhangsanfeng"}).content.decode()
    assert "共 <strong>1</strong> 条" in body and "张三丰" in body


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("secretary_a", 200), ("district_admin", 200), ("secretary_b", 404), ("union_admin", 404), ("member_user", 200)],
)
def test_member_detail_access_matrix(client, district, persona, expected):
    login(client, getattr(district, persona))
    response = client.get(reverse("people:member_detail", args=[district.member_a.pk]))
    assert response.status_code == expected


def test_member_cannot_open_another_members_record(client, district):
    login(client, district.member_user)
    assert client.get(reverse("people:member_detail", args=[district.member_b.pk])).status_code == 404


@pytest.mark.parametrize(
    "url_name",
    ["people:member_list", "people:member_create", "people:member_import", "people:union_member_list", "people:me",
     "orgs:tree", "orgs:unit_list", "core:home", "core:audit_log", "core:settings", "core:notifications"],
)  # fmt: skip
def test_anonymous_is_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    "url_name", ["people:member_detail", "people:member_edit", "people:member_delete", "people:member_transfer"]
)
def test_anonymous_detail_pages_redirect(client, district, url_name):
    response = client.get(reverse(url_name, args=[district.member_a.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("url_name", ["people:member_edit", "people:member_delete", "people:member_transfer"])
def test_out_of_scope_secretary_cannot_change(client, district, url_name):
    login(client, district.secretary_b)
    assert client.get(reverse(url_name, args=[district.member_a.pk])).status_code == 404
    assert client.post(reverse(url_name, args=[district.member_a.pk]), {}).status_code == 404


def test_plain_member_cannot_edit_even_his_own_record(client, district):
    login(client, district.member_user)
    assert client.get(reverse("people:member_edit", args=[district.member_a.pk])).status_code == 404


def _member_post(district, **overrides):
    data = {
        "name": "孙丽", "id_number": "11010519900307002X", "gender": "F", "birth_date": "1990-03-07",
        "ethnicity": "汉族", "education": "21", "job_code": "111", "unit": district.unit_a.pk, "position": "科员",
        "rank": "", "status": "FULL", "branch": district.branch_a.pk, "group": "", "admitted_on": "2015-07-01",
        "probation_extension_months": "0", "phone": "13700001111", "address": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_create_member_validates_checksum_in_chinese(client, district):
    login(client, district.secretary_a)
    response = client.post(reverse("people:member_create"), _member_post(district, id_number="110105199003070021"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "第 18 位（校验码）" in body
    assert not PartyMember.objects.filter(person__name="孙丽").exists()


def test_create_member_in_scope_is_saved_encrypted_and_audited(client, district):
    from core.idnumber import check_char

    number = "11010519900307002" + check_char("11010519900307002")
    login(client, district.secretary_a)
    response = client.post(reverse("people:member_create"), _member_post(district, id_number=number))
    assert response.status_code == 302
    member = PartyMember.objects.get(person__name="孙丽")
    assert member.full_member_on == date(2016, 7, 1)  # REC-23: probation end, computed
    assert number not in member.person.id_number_enc
    assert member.person.id_number == number
    assert member.person.id_number_masked == "110105********" + number[-4:]
    assert AuditEntry.objects.filter(action="people.partymember.create", object_id=str(member.pk)).exists()


def test_create_member_outside_scope_is_refused(client, district):
    from core.idnumber import check_char

    number = "11010519900307004" + check_char("11010519900307004")
    login(client, district.secretary_a)
    response = client.post(
        reverse("people:member_create"), _member_post(district, id_number=number, branch=district.branch_b.pk)
    )
    assert response.status_code == 200  # the branch is not among her choices: a field error
    assert not PartyMember.objects.filter(person__name="孙丽").exists()


def test_duplicate_id_number_refused(client, district):
    login(client, district.secretary_a)
    response = client.post(
        reverse("people:member_create"), _member_post(district, id_number=district.member_b.person.id_number)
    )
    assert "已登记" in response.content.decode()


def test_export_contains_exactly_the_filtered_rows_masked(client, district):
    login(client, district.secretary_a)
    response = client.get(reverse("people:member_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    names = {row[1] for row in values[3:]}
    assert names == {"王小明", "刘书记"}
    flat = " ".join(str(c) for row in values for c in row if c)
    assert district.member_a.person.id_number not in flat
    assert "********" in flat


def test_reveal_is_logged_and_refused_out_of_scope(client, district):
    person = district.member_a.person
    login(client, district.secretary_b)
    assert client.post(reverse("people:person_reveal", args=[person.pk, "id_number"])).status_code == 404
    login(client, district.secretary_a)
    response = client.post(reverse("people:person_reveal", args=[person.pk, "id_number"]))
    assert response.content.decode() == person.id_number
    assert AuditEntry.objects.filter(action="people.person.reveal_id_number", object_id=str(person.pk)).exists()


def test_transfer_moves_member_and_keeps_history(client, district):
    login(client, district.district_admin)
    response = client.post(
        reverse("people:member_transfer", args=[district.member_a.pk]),
        {"to_branch": district.branch_b.pk, "transferred_on": "2026-01-05", "note": "工作调动"},
    )
    assert response.status_code == 302
    district.member_a.refresh_from_db()
    assert district.member_a.branch == district.branch_b
    assert district.member_a.transfers.get().from_branch == district.branch_a


def test_secretary_cannot_transfer_out_of_her_scope(client, district):
    login(client, district.secretary_a)
    response = client.post(
        reverse("people:member_transfer", args=[district.member_a.pk]),
        {"to_branch": district.branch_b.pk, "transferred_on": "2026-01-05"},
    )
    assert response.status_code == 200
    district.member_a.refresh_from_db()
    assert district.member_a.branch == district.branch_a


def test_delete_asks_first_then_deletes(client, district):
    login(client, district.secretary_a)
    url = reverse("people:member_delete", args=[district.member_a.pk])
    assert "确定要删除" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not PartyMember.objects.filter(pk=district.member_a.pk).exists()
    assert AuditEntry.objects.filter(action="people.partymember.delete").exists()


def _grow(branch, n):
    for i in range(n):
        party_member(branch, f"测试{i}")


@pytest.mark.parametrize("extra", [10, 60])
def test_member_list_query_budget_does_not_grow(client, district, django_assert_max_num_queries, extra):
    _grow(district.branch_a, extra)
    login(client, district.secretary_a)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("people:member_list"), {"size": 50}).status_code == 200


@pytest.mark.parametrize("extra", [10, 60])
def test_member_detail_query_budget(client, district, django_assert_max_num_queries, extra):
    _grow(district.branch_a, extra)
    login(client, district.secretary_a)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("people:member_detail", args=[district.member_a.pk])).status_code == 200


def test_me_page_shows_own_record(client, district):
    login(client, district.member_user)
    body = client.get(reverse("people:me")).content.decode()
    assert "王小明" in body and "赵大海" not in body
