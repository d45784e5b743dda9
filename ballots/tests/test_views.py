"""Ballot pages: who may see what, the code sheet, the voter's phone page, and query budgets."""

import re

import pytest
from django.urls import reverse

from ballots import rules, services
from ballots.models import Ballot, Vote, VoterReceipt
from ballots.tests.factories import choose, make_ballot, open_with_codes
from core.testing import TODAY, party_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


PERSONAS = ["district_admin", "secretary_a", "secretary_b", "union_admin", "member_user"]
SEES_BRANCH_A = {"district_admin": 200, "secretary_a": 200, "secretary_b": 404, "union_admin": 404, "member_user": 404}


def vote_url(code):
    return reverse("ballots:vote", args=[code])


# --- permissions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["ballots:detail", "ballots:result", "ballots:count"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_view_pages_access_matrix(client, district, online, url_name, persona):
    client.force_login(getattr(district, persona))
    assert client.get(reverse(url_name, args=[online.pk])).status_code == SEES_BRANCH_A[persona]


@pytest.mark.parametrize("url_name", ["ballots:edit", "ballots:delete", "ballots:written"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_change_pages_access_matrix(client, district, online, url_name, persona):
    client.force_login(getattr(district, persona))
    assert client.get(reverse(url_name, args=[online.pk])).status_code == SEES_BRANCH_A[persona]


@pytest.mark.parametrize("url_name", ["ballots:open", "ballots:close", "ballots:codes"])
def test_out_of_scope_cannot_post_actions(client, district, online, url_name):
    client.force_login(district.secretary_b)
    assert client.post(reverse(url_name, args=[online.pk]), {"persons": [1]}).status_code == 404
    online.refresh_from_db()
    assert online.status == Ballot.DRAFT and not VoterReceipt.objects.exists()


def test_paper_page_access(client, district, voters):
    ballot = make_ballot(district, mode=Ballot.PAPER)
    for persona, expected in SEES_BRANCH_A.items():
        client.force_login(getattr(district, persona))
        assert client.get(reverse("ballots:paper", args=[ballot.pk])).status_code == expected


@pytest.mark.parametrize(
    "url_name",
    ["ballots:detail", "ballots:result", "ballots:count", "ballots:edit", "ballots:paper", "ballots:written"],
)
def test_anonymous_is_sent_to_login(client, online, url_name):
    response = client.get(reverse(url_name, args=[online.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_list_shows_only_ballots_in_scope(client, district, voters):
    make_ballot(district)
    services.ballot_create(
        by=district.secretary_b, title="税务局支部表决", party_org=district.branch_b, meeting_on=TODAY,
        mode=Ballot.PAPER, rule=rules.REC_13, items=["某某"], today=TODAY,
    )  # fmt: skip
    client.force_login(district.secretary_a)
    body = client.get(reverse("ballots:list")).content.decode()
    assert "接收预备党员表决" in body and "税务局支部表决" not in body
    client.force_login(district.union_admin)
    body = client.get(reverse("ballots:list")).content.decode()
    assert "接收预备党员表决" not in body and "暂无票决" in body
    client.force_login(district.district_admin)
    body = client.get(reverse("ballots:list")).content.decode()
    assert "接收预备党员表决" in body and "税务局支部表决" in body


def test_list_export(client, district, online):
    client.force_login(district.secretary_a)
    response = client.get(reverse("ballots:list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- create and the secretary's flow -------------------------------------------------------------------


def test_secretary_creates_a_ballot_with_voters_due_computed(client, district, voters):
    client.force_login(district.secretary_a)
    response = client.post(
        reverse("ballots:create"),
        {"title": "接收张三、李四为预备党员", "party_org": district.branch_a.pk, "meeting_on": TODAY.isoformat(),
         "mode": "ONLINE", "rule": rules.REC_13, "items": "张三\n\n李四\n"},
    )  # fmt: skip
    ballot = Ballot.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ballots:detail", args=[ballot.pk])
    assert ballot.entitled == 5 and ballot.items.count() == 2
    body = client.get(response["Location"]).content.decode()
    assert "5 人" in body and "周预备" not in body  # the probationary member is not on the voter list


def test_create_form_offers_only_organisations_in_scope(client, district, voters):
    client.force_login(district.secretary_a)
    response = client.post(
        reverse("ballots:create"),
        {"title": "x", "party_org": district.branch_b.pk, "meeting_on": TODAY.isoformat(), "mode": "ONLINE",
         "rule": rules.REC_13, "items": "张三"},
    )  # fmt: skip
    assert response.status_code == 200 and not Ballot.objects.exists()
    assert "选择一个有效的选项" in response.content.decode() or "有效" in response.content.decode()


def test_member_cannot_create(client, district):
    client.force_login(district.member_user)
    assert client.get(reverse("ballots:create")).status_code == 404


def test_code_sheet_shows_qr_codes_and_links_once(client, district, online, voters):
    client.force_login(district.secretary_a)
    persons = [v.person.pk for v in voters[:3]]
    response = client.post(reverse("ballots:codes", args=[online.pk]), {"persons": persons})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert body.count("<svg") == 3
    links = re.findall(r'href="(http://testserver/ballots/v/([A-Z0-9]+)/)"', body)
    assert len(links) == 3
    # The codes are not stored and not shown again on the detail page.
    detail = client.get(reverse("ballots:detail", args=[online.pk])).content.decode()
    assert not any(code in detail for _, code in links)
    assert not any(VoterReceipt.objects.filter(code_hash__contains=code).exists() for _, code in links)
    assert "已发码" in detail


def test_vote_page_casts_once_and_refuses_a_reused_code(client, district, online, voters):
    codes = open_with_codes(district, online, [voters[0].person])
    url = vote_url(codes["王小明"])
    page = client.get(url)  # no login: the code is the authorisation
    assert page.status_code == 200 and "赞成" in page.content.decode() and "弃权" in page.content.decode()
    field = f"item_{online.items.get().pk}"
    response = client.post(url, {field: rules.YES})
    assert response.status_code == 200 and "已提交" in response.content.decode()
    again = client.post(url, {field: rules.NO})
    assert again.status_code == 409 and "已使用" in again.content.decode()
    assert client.get(url).status_code == 409
    assert Vote.objects.count() == 1


def test_vote_page_requires_every_item(client, district, voters):
    ballot = make_ballot(district, items=("张三", "李四"))
    codes = open_with_codes(district, ballot, [voters[0].person])
    first = ballot.items.first()
    response = client.post(vote_url(codes["王小明"]), {f"item_{first.pk}": rules.YES})
    assert response.status_code == 200 and "请对“李四”作出选择" in response.content.decode()
    assert not Vote.objects.exists() and not VoterReceipt.objects.filter(voted=True).exists()


def test_unknown_code_is_a_404(client, db):
    response = client.get(vote_url("ZZZZZ99999"))
    assert response.status_code == 404 and "表决码无效" in response.content.decode()


def test_result_is_hidden_while_open_even_for_the_district_admin(client, district, online, voters):
    codes = open_with_codes(district, online, [v.person for v in voters[:3]])
    services.ballot_cast(code=codes["王小明"], choices=choose(online, rules.NO))
    client.force_login(district.district_admin)
    body = client.get(reverse("ballots:result", args=[online.pk])).content.decode()
    assert "表决尚未结束" in body and "data-result-table" not in body and "反对" not in body
    count = client.get(reverse("ballots:count", args=[online.pk])).content.decode()
    assert re.search(r"data-voted>1<", count) and "every 3s" in count


def test_closing_shows_the_result_with_rec_13_arithmetic(client, district, online, voters):
    codes = open_with_codes(district, online, [v.person for v in voters[:4]])
    for name in ("王小明", "陈一", "林二"):
        services.ballot_cast(code=codes[name], choices=choose(online, rules.YES))
    client.force_login(district.secretary_a)
    response = client.post(reverse("ballots:close", args=[online.pk]))
    assert response["Location"] == reverse("ballots:result", args=[online.pk])
    body = client.get(response["Location"]).content.decode()
    assert "实到会有表决权人数 4 人，应到会 5 人的半数为 2.5，4 &gt; 2.5" in body
    assert "赞成 3 票 + 书面意见赞成 0 票 = 3 票，&gt; 应到会人数 5 的半数 2.5" in body
    assert "通过" in body


def test_paper_form_refuses_impossible_numbers_in_chinese(client, district, voters):
    ballot = make_ballot(district, mode=Ballot.PAPER)
    item = ballot.items.get()
    client.force_login(district.secretary_a)
    data = {"present": 7, "written_count": 0, f"item_{item.pk}": 3, f"item_{item.pk}_against": 0,
            f"item_{item.pk}_abstain": 0, f"item_{item.pk}_written_in_favour": 0}  # fmt: skip
    response = client.post(reverse("ballots:paper", args=[ballot.pk]), data)
    assert response.status_code == 200
    assert "REC-13：实到会有表决权人数 7 超过应到会人数 5" in response.content.decode()
    ballot.refresh_from_db()
    assert ballot.status == Ballot.DRAFT
    data["present"] = 4
    response = client.post(reverse("ballots:paper", args=[ballot.pk]), data)
    assert response["Location"] == reverse("ballots:result", args=[ballot.pk])


def test_paper_form_rejects_non_numbers_without_a_500(client, district, voters):
    ballot = make_ballot(district, mode=Ballot.PAPER)
    client.force_login(district.secretary_a)
    response = client.post(reverse("ballots:paper", args=[ballot.pk]), {"present": "三", "written_count": "-1"})
    assert response.status_code == 200 and "请修正" in response.content.decode()


# --- query budgets --------------------------------------------------------------------------------------


def _grow(district, n):
    for i in range(n):
        party_member(district.branch_a, f"党员{i}")


@pytest.mark.parametrize("extra", [3, 40])
def test_detail_and_count_query_budget(client, district, voters, django_assert_max_num_queries, extra):
    _grow(district, extra)
    ballot = make_ballot(district, items=[f"候选人{i}" for i in range(extra // 3 + 1)])
    open_with_codes(district, ballot, [v.person for v in voters])
    client.force_login(district.secretary_a)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("ballots:detail", args=[ballot.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("ballots:count", args=[ballot.pk])).status_code == 200


@pytest.mark.parametrize("extra", [1, 20])
def test_list_query_budget(client, district, voters, django_assert_max_num_queries, extra):
    for i in range(extra):
        make_ballot(district, items=[f"候选人{i}"])
    client.force_login(district.secretary_a)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("ballots:list"), {"size": 50}).status_code == 200


@pytest.mark.parametrize("extra", [1, 12])
def test_result_and_vote_page_query_budget(client, district, voters, django_assert_max_num_queries, extra):
    ballot = make_ballot(district, items=[f"候选人{i}" for i in range(extra)])
    codes = open_with_codes(district, ballot, [v.person for v in voters])
    with django_assert_max_num_queries(5):
        assert client.get(vote_url(codes["王小明"])).status_code == 200
    with django_assert_max_num_queries(15):
        data = {f"item_{pk}": rules.YES for pk in ballot.items.values_list("id", flat=True)}
        assert client.post(vote_url(codes["王小明"]), data).status_code == 200
    services.ballot_close(by=district.secretary_a, ballot=ballot, today=TODAY)
    client.force_login(district.secretary_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("ballots:result", args=[ballot.pk])).status_code == 200


@pytest.mark.parametrize("extra", [3, 40])
def test_code_sheet_query_budget(client, district, voters, django_assert_max_num_queries, extra):
    _grow(district, extra)
    ballot = make_ballot(district)
    client.force_login(district.secretary_a)
    persons = list(ballot.party_org.members.filter(status="FULL").values_list("person_id", flat=True))
    with django_assert_max_num_queries(38):
        assert client.post(reverse("ballots:codes", args=[ballot.pk]), {"persons": persons}).status_code == 200
