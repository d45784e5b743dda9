"""The statistics pages: access by scope, bad input, drill-down scope, exports, query budgets."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.testing import TODAY, party_member
from stats import tables
from stats.tests.conftest import LAST_YEAR_END

PAGES = [
    ("stats:index", []),
    ("stats:table_list", []),
    ("stats:bulletin", []),
    ("stats:table", ["T02"]),
    ("stats:export_table", ["T01"]),
    ("stats:export_all", []),
]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def url(name, args=(), **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(name, args=args) + (f"?{query}" if query else "")


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize("name,args", PAGES)
def test_anonymous_is_sent_to_login(client, known, name, args):
    response = client.get(url(name, args))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name,args", PAGES)
def test_district_admin_and_branch_secretary_see_their_scope(client, known, name, args):
    client.force_login(known.d.district_admin)
    assert client.get(url(name, args)).status_code == 200
    client.force_login(known.d.secretary_a)
    assert client.get(url(name, args, org=known.d.branch_a.pk)).status_code == 200


@pytest.mark.parametrize("name,args", PAGES)
def test_an_organisation_outside_the_scope_is_not_found(client, known, name, args):
    client.force_login(known.d.secretary_a)
    assert client.get(url(name, args, org=known.d.branch_b.pk)).status_code == 404
    assert client.get(url(name, args, org=known.d.root.pk)).status_code == 404


@pytest.mark.parametrize("user", ["member_user", "union_admin"])
def test_members_and_union_staff_have_no_party_statistics(client, known, user):
    client.force_login(getattr(known.d, user))
    assert client.get(url("stats:index")).status_code == 403
    assert client.get(url("stats:table", ["T01"])).status_code == 403


def test_secretary_defaults_to_his_own_branch(client, known):
    client.force_login(known.d.secretary_a)
    response = client.get(url("stats:table", ["T02"]))
    assert response.context["org"] == known.d.branch_a
    assert response.context["result"].value("total", "total") == 6


def test_menu_shows_statistics_to_party_readers_only(client, known):
    client.force_login(known.d.district_admin)
    assert "党内统计报表" in client.get(reverse("core:home")).content.decode()
    client.force_login(known.d.union_admin)
    assert "党内统计报表" not in client.get(reverse("core:home")).content.decode()


# --- bad input -------------------------------------------------------------------------------


def test_a_future_date_gives_a_message_not_an_empty_table(client, known):
    client.force_login(known.d.district_admin)
    response = client.get(url("stats:table", ["T02"], on=(TODAY + timedelta(days=1)).isoformat()))
    assert response.status_code == 200
    body = response.content.decode()
    assert "晚于今天" in body
    assert "result" not in response.context or response.context.get("result") is None
    assert 'data-table="T02"' not in body


def test_a_date_before_the_organisation_existed_gives_a_message(client, known):
    client.force_login(known.d.district_admin)
    response = client.get(url("stats:table", ["T01"], on="2000-12-31"))
    body = response.content.decode()
    assert "早于" in body and "成立日期 2008-03-01" in body
    assert 'data-table="T01"' not in body


def test_an_invalid_date_gives_a_message(client, known):
    client.force_login(known.d.district_admin)
    response = client.get(url("stats:table", ["T02"], on="2025-13-45"))
    assert response.status_code == 200
    assert "请输入有效的日期" in response.content.decode()
    assert client.get(url("stats:export_table", ["T02"], on="2099-01-01")).status_code == 404


def test_unknown_tables_organisations_and_cells_are_not_found(client, known):
    client.force_login(known.d.district_admin)
    assert client.get(url("stats:table", ["T99"])).status_code == 404
    assert client.get(url("stats:table", ["T02"], org="abc")).status_code == 404
    assert client.get(url("stats:cell", ["T02"], row="nope", col="total")).status_code == 404
    assert client.get(url("stats:cell", ["T02"], row="total", col="nope")).status_code == 404


# --- pages -------------------------------------------------------------------------------------


def test_table_page_shows_merged_headers_identities_and_links(client, known):
    client.force_login(known.d.district_admin)
    body = client.get(url("stats:table", ["T02"], on=TODAY.isoformat())).content.decode()
    assert 'colspan="10"' in body and ">年龄<" in body  # the merged 年龄 header over ten bands
    assert "其中：农民工" in body and "总计 = 一至六项之和" in body and "全部通过" in body
    assert reverse("stats:cell", args=["T02"]) in body


def test_t01_page_shows_the_identity_rows(client, known):
    client.force_login(known.d.district_admin)
    response = client.get(url("stats:table", ["T01"]))
    body = response.content.decode()
    assert "本年底应有数" in body and "实有数与应有数之差" in body
    assert "第15行 本年底应有数 = 第1行 + 第2行 − 第9行" in body


def test_bulletin_page(client, known):
    client.force_login(known.d.district_admin)
    body = client.get(url("stats:bulletin")).content.decode()
    assert "党内统计公报" in body and "共有党员 <strong>8</strong> 名" in body and "党的十八大以来" in body
    printed = client.get(url("stats:bulletin", print=1)).content.decode()
    assert "共有党员 <strong>8</strong> 名" in printed and "dq-sidebar" not in printed


def test_overview_page_has_charts(client, known):
    client.force_login(known.d.district_admin)
    response = client.get(url("stats:index"))
    assert len(response.context["charts"]) >= 4
    assert 'class="dq-chart"' in response.content.decode()


# --- drill-down -----------------------------------------------------------------------------------


def test_drill_down_lists_the_members_of_the_cell(client, known):
    client.force_login(known.d.district_admin)
    response = client.get(url("stats:cell", ["T02"], row="total", col="female", on=TODAY.isoformat()))
    names = sorted(row.obj.person.name for row in response.context["rows"])
    assert names == ["刘书记", "周转正", "孙预备"]
    assert response.context["value"] == 3 and response.context["hidden"] == 0


def test_drill_down_lists_only_members_in_scope(client, known):
    # branch_b on 2025-12-31 held 赵大海, 钱转接 (moved to branch_a since) and 吴去世
    client.force_login(known.d.secretary_b)
    response = client.get(url("stats:cell", ["T02"], org=known.d.branch_b.pk, row="total", col="total",
                               on=LAST_YEAR_END.isoformat()))  # fmt: skip
    names = sorted(row.obj.person.name for row in response.context["rows"])
    assert "钱转接" not in names
    assert sorted(names) == ["吴去世", "赵大海"]
    assert response.context["value"] == 3 and response.context["hidden"] == 1
    assert "现已转出或不在您的管理范围内" in response.content.decode()


def test_drill_down_export(client, known):
    client.force_login(known.d.district_admin)
    response = client.get(url("stats:cell", ["T01"], row="r12", col="n", export="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "吴去世" in values


# --- exports --------------------------------------------------------------------------------------


def test_table_export_has_title_unit_date_and_merged_headers(client, known):
    client.force_login(known.d.district_admin)
    response = client.get(url("stats:export_table", ["T02"], on=LAST_YEAR_END.isoformat()))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "T02 党员基本情况"
    assert sheet["A2"].value == f"单位：{known.d.root.name}"
    assert any(c.value == "截至日期：2025-12-31" for c in sheet[2])
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "H3:Q3" in merged  # 年龄 over its ten bands (columns 3+5 … 3+14)
    assert "A3:A4" in merged and "C3:C4" in merged  # 项目 and 总数 span both header rows
    total_row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "总计")
    assert total_row[2] == 8


def test_export_all_is_one_workbook_of_every_table(client, known):
    client.force_login(known.d.district_admin)
    response = client.get(url("stats:export_all", on=TODAY.isoformat()))
    book = load_workbook(io.BytesIO(response.content))
    assert [name.split()[0] for name in book.sheetnames] == list(tables.TABLES)
    t01 = book["T01 党员数量变化情况"]
    rows = {r[0].strip("\u3000"): r[2] for r in t01.iter_rows(min_row=4, values_only=True) if r[0]}
    assert rows["本年底实有数"] == 8 and rows["实有数与应有数之差"] == 0


# --- query budgets: the same ceiling at two sizes -----------------------------------------------


def _grow(known, n: int) -> None:
    for i in range(n):
        party_member(known.d.branch_a if i % 2 else known.d.branch_b, f"加{i}", admitted_on=date(2016, 1, 1 + i % 28))


BUDGETS = [
    ("stats:index", [], 20),
    ("stats:table", ["T01"], 15),
    ("stats:table", ["T02"], 15),
    ("stats:table", ["T24"], 16),
    ("stats:bulletin", [], 22),
    ("stats:export_all", [], 24),
    ("stats:table_list", [], 14),
]


@pytest.mark.parametrize("name,args,budget", BUDGETS)
@pytest.mark.parametrize("extra", [0, 30])
def test_query_budget(client, known, django_assert_max_num_queries, name, args, budget, extra):
    _grow(known, extra)
    client.force_login(known.d.district_admin)
    with django_assert_max_num_queries(budget):
        assert client.get(url(name, args, on=LAST_YEAR_END.isoformat())).status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_query_budget_of_a_drill_down(client, known, django_assert_max_num_queries, extra):
    _grow(known, extra)
    client.force_login(known.d.secretary_a)
    with django_assert_max_num_queries(18):
        response = client.get(url("stats:cell", ["T02"], org=known.d.branch_a.pk, row="111", col="total"))
    assert response.status_code == 200
