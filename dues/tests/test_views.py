"""Dues pages: permission matrix, query budgets at two sizes, and what a user sees."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from dues.models import DuesLine, DuesPayment
from union.tests.factories import populate

pytestmark = pytest.mark.django_db

READ = {"district_admin": 200, "secretary_a": 200, "union_admin": 200, "member_user": 403}
WRITE = {"district_admin": 200, "secretary_a": 200, "union_admin": 200, "member_user": 403}
PARTY_ONLY = {"district_admin": 200, "secretary_a": 200, "union_admin": 403, "member_user": 403}

PAGES = [
    ("dues:roll", None, "", {**READ, "member_user": 302, "secretary_b": 200}, 14),
    ("dues:roll", None, "?scheme=UNION&month=2026-03", {**READ, "member_user": 302}, 14),
    ("dues:base_list", None, "", READ, 10),
    ("dues:base_create", None, "", WRITE, 8),
    ("dues:payment_create", None, "", WRITE, 8),
    ("dues:excuse", "line", "", {"secretary_a": 200, "secretary_b": 404, "union_admin": 404, "member_user": 404}, 9),
    ("dues:import", None, "", WRITE, 8),
    ("dues:import_template", None, "", {"member_user": 200, "secretary_a": 200}, 6),
    ("dues:reduction_list", None, "", PARTY_ONLY, 10),
    ("dues:reduction_create", None, "", PARTY_ONLY, 8),
    (
        "dues:reduction_detail",
        "reduction",
        "",
        {**PARTY_ONLY, "member_user": 200, "secretary_b": 404, "union_admin": 404},
        10,
    ),
    ("dues:arrears", None, "", {**READ, "secretary_b": 200}, 10),
    ("dues:report", None, "?year=2026&branch={branch}", PARTY_ONLY, 14),
    ("dues:calculator", None, "?kind=salary&base=3000.01", {"member_user": 200, "union_admin": 200}, 8),
    ("dues:mine", None, "", {"member_user": 200, "secretary_a": 200}, 14),
]


def _url(district, data, name, key, query):
    url = reverse(name, args=[data[key].pk]) if key else reverse(name)
    return url + query.format(branch=district.branch_a.pk)


def _persona(district, data, name):
    return data["root"] if name == "root" else getattr(district, name)


@pytest.mark.parametrize(("name", "key", "query", "expected", "budget"), PAGES, ids=[p[0] + p[2][:12] for p in PAGES])
def test_permission_matrix(client, district, name, key, query, expected, budget):
    data = populate(district)
    url = _url(district, data, name, key, query)
    assert client.get(url).status_code == 302
    for persona, status in expected.items():
        client.force_login(_persona(district, data, persona))
        assert client.get(url).status_code == status, persona


@pytest.mark.parametrize("size", [2, 25])
@pytest.mark.parametrize(("name", "key", "query", "expected", "budget"), PAGES, ids=[p[0] + p[2][:12] for p in PAGES])
def test_query_budget(client, district, django_assert_max_num_queries, name, key, query, expected, budget, size):
    data = populate(district, size)
    client.force_login(district.member_user if name == "dues:mine" else district.secretary_a
                       if "UNION" not in query else district.union_admin)  # fmt: skip
    with django_assert_max_num_queries(budget):
        assert client.get(_url(district, data, name, key, query)).status_code == 200


def test_roll_shows_totals_and_only_the_secretarys_branch(client, district):
    populate(district, 3)
    client.force_login(district.secretary_a)
    body = client.get(reverse("dues:roll"), {"scheme": "PARTY", "month": "2026-03"}).content.decode()
    assert "王小明" in body and "赵大海" not in body
    assert "已交" in body and "160.00 元" in body  # 4 lines × 40.00 due (王小明 paid)
    assert 'id="total-paid">40.00 元' in body


def test_roll_compute_button_and_bad_month(client, district):
    populate(district, 2)
    client.force_login(district.secretary_a)
    response = client.post(reverse("dues:roll_compute"), {"scheme": "PARTY", "month": "2026-04"}, follow=True)
    assert "台账已生成" in response.content.decode()
    response = client.post(reverse("dues:roll_compute"), {"scheme": "PARTY", "month": "四月"}, follow=True)
    assert "无法识别" in response.content.decode()
    client.force_login(district.member_user)
    assert client.post(reverse("dues:roll_compute"), {"scheme": "PARTY"}).status_code == 403


def test_base_form_refuses_negative_and_text_with_chinese_message(client, district):
    populate(district, 1)
    client.force_login(district.secretary_a)
    for bad, message in (("-100", "不能为负数"), ("四千", "不是有效的数字")):
        response = client.post(reverse("dues:base_create"), {"member": "王小明", "scheme": "PARTY", "kind": "salary",
                                                             "amount": bad, "effective_from": "2026-05"})  # fmt: skip
        assert response.status_code == 200 and message in response.content.decode()


def test_payment_form_refuses_month_already_paid(client, district):
    populate(district, 1)
    client.force_login(district.secretary_a)
    response = client.post(reverse("dues:payment_create"), {"member": "王小明", "scheme": "PARTY",
                           "from_month": "2026-03", "month_count": 1, "amount": "40", "paid_on": "2026-03-06",
                           "method": "CASH"})  # fmt: skip
    assert "不能重复登记" in response.content.decode()
    assert DuesPayment.objects.count() == 1


def _sheet(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "党费"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("代扣.xlsx", out.getvalue())


def test_import_page_lists_unknown_id_and_saves_nothing(client, district):
    populate(district, 1)
    client.force_login(district.secretary_a)
    response = client.post(reverse("dues:import"), {"file": _sheet([["某人", "110101199001011237", 40]]),
                                                    "month": "2026-03", "paid_on": "2026-03-25"})  # fmt: skip
    body = response.content.decode()
    assert "未保存任何数据" in body and "没有对应人员" in body
    assert DuesPayment.objects.count() == 1


def test_import_page_check_then_confirm(client, district):
    data = populate(district, 1)
    client.force_login(district.secretary_a)
    line = data["line"]
    response = client.post(reverse("dues:import"), {"file": _sheet([[line.person.name, line.person.id_number, 40]]),
                                                    "month": "2026-03", "paid_on": "2026-03-25"})  # fmt: skip
    body = response.content.decode()
    assert "检查通过" in body
    token = response.context["token"]
    response = client.post(reverse("dues:import"), {"token": token, "month": "2026-03", "paid_on": "2026-03-25"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.payment_id and line.payment.paid_on == date(2026, 3, 25)


def test_calculator_page_and_htmx_fragment(client, district):
    client.force_login(district.member_user)
    body = client.get(reverse("dues:calculator"), {"kind": "salary", "base": "3000.00"}).content.decode()
    assert "15.00 元" in body
    fragment = client.get(reverse("dues:calculator"), {"kind": "salary", "base": "3000.01"}, HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "30.00 元" in text and "<html" not in text
    assert "不是有效的数字" in client.get(reverse("dues:calculator"), {"kind": "salary", "base": "x"}).content.decode()


def test_report_page_totals_and_export(client, district):
    populate(district, 2)
    client.force_login(district.secretary_a)
    url = reverse("dues:report")
    body = client.get(url, {"branch": district.branch_a.pk, "year": 2026}).content.decode()
    assert "合计已核对" in body
    response = client.get(url, {"branch": district.branch_a.pk, "year": 2026, "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.post(url + f"?branch={district.branch_a.pk}&year=2026", {"used": "10", "note": "上缴"})
    assert response.status_code == 302
    client.force_login(district.member_user)
    assert "上缴" in client.get(reverse("dues:mine")).content.decode()


def test_home_dashboard_flags_six_months_of_arrears(client, district):
    from dues import services
    from union.tests.factories import party_roll, pay_base

    pay_base(district.member_a.person, "4000", start=date(2025, 1, 1))
    for month in range(4, 10):
        party_roll(district, date(2026, month, 1))
    client.force_login(district.secretary_a)
    body = client.get(reverse("core:home")).content.decode()
    assert "连续6个月未交党费" in body
    line = DuesLine.objects.get(person=district.member_a.person, month=date(2026, 6, 1))
    services.excuse_record(by=district.secretary_a, line=line, reason="出国学习")
    assert "连续6个月未交党费" not in client.get(reverse("core:home")).content.decode()
