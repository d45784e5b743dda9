"""Terms ledger pages: access per persona, filters, export, print, forms, query budgets."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.testing import TODAY, party_org
from orgs.models import PartyOrg, Reelection, Term

from .test_terms_services import make_term

pytestmark = pytest.mark.django_db

LEDGER_ACCESS = {"district_admin": 200, "secretary_a": 200, "secretary_b": 200, "union_admin": 404, "member_user": 404}
BRANCH_A_ACCESS = {
    "district_admin": 200,
    "secretary_a": 200,
    "secretary_b": 404,
    "union_admin": 404,
    "member_user": 404,
}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def table(body: str) -> str:
    """The list table of a page (the organisation tree on the left names every organisation)."""
    return body.split('class="dq-table-card', 1)[1]


@pytest.fixture
def terms(district):
    return {
        "a": make_term(district, district.branch_a, date(2023, 11, 22)),  # overdue
        "b": make_term(district, district.branch_b, date(2024, 5, 24)),  # normal
    }


@pytest.mark.parametrize("url_name", ["orgs:term_ledger", "orgs:term_ledger_print"])
@pytest.mark.parametrize("persona", list(LEDGER_ACCESS))
def test_ledger_access(client, district, terms, url_name, persona):
    client.force_login(getattr(district, persona))
    assert client.get(reverse(url_name)).status_code == LEDGER_ACCESS[persona]


@pytest.mark.parametrize(
    "url_name",
    [
        "orgs:term_ledger",
        "orgs:term_ledger_print",
        "orgs:org_terms",
        "orgs:term_create",
        "orgs:term_reelection",
        "orgs:term_postpone",
    ],
)
def test_anonymous_is_sent_to_login(client, district, terms, url_name):
    args = (
        []
        if "ledger" in url_name
        else [terms["a"].pk if "term_" in url_name and url_name != "orgs:term_create" else district.branch_a.pk]
    )
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", list(BRANCH_A_ACCESS))
def test_org_terms_and_forms_access(client, district, terms, persona):
    client.force_login(getattr(district, persona))
    expected = BRANCH_A_ACCESS[persona]
    assert client.get(reverse("orgs:org_terms", args=[district.branch_a.pk])).status_code == expected
    assert client.get(reverse("orgs:term_reelection", args=[terms["a"].pk])).status_code == expected
    assert client.get(reverse("orgs:term_postpone", args=[terms["a"].pk])).status_code == expected


def test_discipline_reader_sees_the_ledger_but_cannot_record(client, district, terms):
    from accounts.models import Grant
    from core.testing import user_with_grant

    reader = user_with_grant("jj", Grant.DISCIPLINE, party_org=district.root)
    client.force_login(reader)
    assert client.get(reverse("orgs:term_ledger")).status_code == 200
    assert client.get(reverse("orgs:term_reelection", args=[terms["a"].pk])).status_code == 404
    assert client.post(reverse("orgs:terms_refresh")).status_code == 404


def test_secretary_sees_only_her_branch(client, district, terms):
    client.force_login(district.secretary_a)
    body = client.get(reverse("orgs:term_ledger")).content.decode()
    assert district.branch_a.name in body and district.branch_b.name not in body  # nor in her tree
    assert "已逾期" in body


def test_ledger_filters_by_status_subtree_and_year(client, district, terms):
    client.force_login(district.district_admin)
    url = reverse("orgs:term_ledger")
    body = table(client.get(url, {"status": "OVERDUE"}).content.decode())
    assert district.branch_a.name in body and district.branch_b.name not in body
    body = table(client.get(url, {"org": district.committee.pk}).content.decode())
    assert district.branch_a.name in body and district.branch_b.name not in body
    body = table(client.get(url, {"year": 2027}).content.decode())
    assert district.branch_b.name in body and district.branch_a.name not in body
    assert client.get(url, {"year": "abc", "status": "NONSENSE"}).status_code == 200


def test_export_has_the_page_columns_and_the_filtered_rows(client, district, terms):
    client.force_login(district.district_admin)
    response = client.get(reverse("orgs:term_ledger"), {"status": "OVERDUE", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    assert header[:4] == ("序号", "党组织", "组织类型", "届次")
    assert "状态" in header and "历次换届" in header and "应换届日期" in header
    data = rows[3:]
    assert [r[1] for r in data] == [district.branch_a.name]
    assert data[0][header.index("状态")] == "已逾期"
    assert data[0][header.index("应换届日期")] == "2026-11-22"


def test_print_view_lists_the_filtered_rows(client, district, terms):
    client.force_login(district.district_admin)
    body = client.get(reverse("orgs:term_ledger_print"), {"status": "NORMAL"}).content.decode()
    assert district.branch_b.name in body and district.branch_a.name not in body
    assert "dq-print-sheet" in body and "dq-sidebar" not in body


def test_org_terms_page_shows_findings_and_history(client, district, terms):
    client.force_login(district.secretary_a)
    body = client.get(reverse("orgs:org_terms", args=[district.branch_a.pk])).content.decode()
    assert "TERM-02" in body and "已逾期" in body and "登记换届选举" in body


def test_reelection_form_refuses_an_invalid_meeting_in_chinese(client, district, terms):
    client.force_login(district.secretary_a)
    url = reverse("orgs:term_reelection", args=[terms["a"].pk])
    assert "应到会有选举权党员数" in client.get(url).content.decode()
    response = client.post(url, {"held_on": TODAY.isoformat(), "entitled": 10, "present": 8})
    assert response.status_code == 200 and "TERM-04" in response.content.decode()
    assert not Reelection.objects.exists()
    response = client.post(url, {"held_on": TODAY.isoformat(), "entitled": 10, "present": 9})
    assert response.status_code == 302
    assert Term.objects.get(org=district.branch_a, ended_on__isnull=True).number == 4


def test_postponement_form(client, district, terms):
    client.force_login(district.secretary_a)
    url = reverse("orgs:term_postpone", args=[terms["a"].pk])
    response = client.post(url, {"postponed_to": "2028-01-01", "approval_note": "批复"})
    assert response.status_code == 200 and "超过一年" in response.content.decode()
    response = client.post(url, {"postponed_to": "2027-03-01", "approval_note": "区直机关党工委〔2026〕9号"})
    assert response.status_code == 302
    body = table(client.get(reverse("orgs:term_ledger")).content.decode())
    assert "已批准延期" in body


def test_first_term_form_and_bad_input(client, district):
    client.force_login(district.secretary_b)
    url = reverse("orgs:term_create", args=[district.branch_b.pk])
    response = client.post(url, {"number": "x", "started_on": "2025-13-01"})
    assert response.status_code == 200 and not Term.objects.exists()
    response = client.post(url, {"number": 2, "started_on": "2025-03-01"})
    assert response.status_code == 302
    assert Term.objects.get().planned_end_on == date(2028, 3, 1)


def test_refresh_recomputes_in_scope(client, district, terms):
    Term.objects.update(planned_end_on=date(2000, 1, 1))
    client.force_login(district.secretary_a)
    response = client.post(reverse("orgs:terms_refresh"))
    assert response.status_code == 302
    assert Term.objects.get(pk=terms["a"].pk).planned_end_on == date(2026, 11, 22)
    assert Term.objects.get(pk=terms["b"].pk).planned_end_on == date(2000, 1, 1)  # out of her scope


# --- query budgets ----------------------------------------------------------------------------------------


def _grow(district, n):
    for i in range(n):
        org = party_org(district.root, name=f"测试支部{i}", kind=PartyOrg.BRANCH)
        term = make_term(district, org, date(2021, 1, 1))
        from orgs import services

        services.term_record_reelection(by=district.district_admin, term=term, held_on=date(2024, 1, 1),
                                        entitled=5, present=5, today=TODAY)  # fmt: skip


@pytest.mark.parametrize("extra", [2, 25])
def test_ledger_query_budget(client, district, terms, django_assert_max_num_queries, extra):
    _grow(district, extra)
    client.force_login(district.district_admin)
    with django_assert_max_num_queries(17):
        assert client.get(reverse("orgs:term_ledger"), {"size": 50}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("orgs:term_ledger_print")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("orgs:term_ledger"), {"export": "xlsx"}).status_code == 200


@pytest.mark.parametrize("reelections", [1, 8])
def test_org_terms_query_budget(client, district, django_assert_max_num_queries, reelections):
    from orgs import services

    term = make_term(district, district.branch_a, date(2000, 1, 1), number=1, length_years=2)
    for i in range(reelections):
        term, _ = services.term_record_reelection(by=district.district_admin, term=term, held_on=date(2001 + i, 1, 1),
                                                  entitled=5, present=5, today=TODAY)  # fmt: skip
    client.force_login(district.secretary_a)
    with django_assert_max_num_queries(14):
        body = client.get(reverse("orgs:org_terms", args=[district.branch_a.pk])).content.decode()
    assert f"第{reelections + 1}届" in body and body.count("<td>第") == reelections
