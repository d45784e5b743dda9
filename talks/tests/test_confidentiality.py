"""TALK-01: the confidentiality matrix, through every way a record could leak out:
the list, the search, the detail page, the Excel export, the edit page, the audit log
and the dashboard. Statistics show counts only."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Grant
from core.models import AuditEntry
from core.testing import TODAY, party_member, user_with_grant
from orgs.models import OrgOfficer
from talks import services
from talks.models import Talk

pytestmark = pytest.mark.django_db

SECRET = "酒后驾车问题的具体情况"


@pytest.fixture
def ledger(district):
    """A branch-A admonition held by 刘书记 (the secretary of branch A) with 王小明."""
    secretary = district.secretary_a.person
    OrgOfficer.objects.create(party_org=district.branch_a, person=secretary, role=OrgOfficer.SECRETARY,
                              started_on=date(2024, 1, 1))  # fmt: skip
    talk = Talk(kind=Talk.ADMONITION, status=Talk.DONE, org=district.branch_a, talker=secretary,
                talked_to=district.member_a.person, talked_on=date(2026, 9, 1), reason="违反工作纪律",
                content=SECRET, follow_up_due=date(2026, 10, 1))  # fmt: skip
    services.talk_save(by=district.secretary_a, talk=talk, today=TODAY)
    talker_only = party_member(district.branch_b, "孙谈话")
    talker_user = user_with_grant("talker", Grant.MEMBER, person_obj=talker_only.person)
    other = Talk(kind=Talk.REMINDER, status=Talk.DONE, org=district.branch_b, talker=talker_only.person,
                 talked_to=district.member_b.person, talked_on=date(2026, 9, 2), content="提醒按时参加组织生活")  # fmt: skip
    services.talk_save(by=district.secretary_b, talk=other, today=TODAY)
    discipline = user_with_grant("jw", Grant.DISCIPLINE, party_org=district.root)
    return {"talk": talk, "other": other, "talker_user": talker_user, "discipline": discipline}


def _persona(district, ledger, name):
    return ledger[name] if name in ledger else getattr(district, name)


SEES = [
    ("secretary_a", True),  # the secretary of the responsible branch
    ("discipline", True),  # the discipline role over the subtree
    ("secretary_b", False),  # another branch's secretary (and administrator)
    ("member_user", False),  # a plain member — even the person talked to
    ("union_admin", False),
    ("district_admin", False),  # administrators without the discipline role: counts only
    ("talker_user", False),  # the talker of another record sees his own only
]


@pytest.mark.parametrize(("persona", "sees"), SEES)
def test_talk01_list_search_detail_export(client, district, ledger, persona, sees):
    client.force_login(_persona(district, ledger, persona))
    talk = ledger["talk"]
    listing = client.get(reverse("talks:talk_list"), {"q": "王小明"})
    body = listing.content.decode()
    link = reverse("talks:talk_detail", args=[talk.pk])
    assert (link in body) is sees or listing.status_code == 403
    detail = client.get(reverse("talks:talk_detail", args=[talk.pk]))
    assert detail.status_code == (200 if sees else 404) or (not sees and detail.status_code == 403)
    if sees:
        assert SECRET in detail.content.decode()
    edit = client.get(reverse("talks:talk_edit", args=[talk.pk]))
    assert (edit.status_code == 200) is sees
    export = client.get(reverse("talks:talk_list"), {"export": "xlsx"})
    if export.status_code == 200:
        sheet = load_workbook(io.BytesIO(export.content)).active
        text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
        assert ("王小明" in text) is sees


def test_talk01_the_talker_sees_his_own_record(client, district, ledger):
    client.force_login(ledger["talker_user"])
    assert client.get(reverse("talks:talk_detail", args=[ledger["other"].pk])).status_code == 200
    assert client.get(reverse("talks:talk_detail", args=[ledger["talk"].pk])).status_code == 404


def test_talk01_audit_log_never_holds_the_content(client, district, ledger):
    entries = AuditEntry.objects.filter(object_type="talks.talk", action="talks.talk.create")
    assert entries.count() == 2
    for entry in entries:
        assert SECRET not in str(entry.after) and "违反工作纪律" not in str(entry.after)
        assert entry.after["content"] == "（保密）"
    assert SECRET not in str(list(AuditEntry.objects.values_list("before", "after", "object_repr")))
    client.force_login(district.district_admin)
    assert SECRET not in client.get(reverse("core:audit_log"), {"q": "谈话"}).content.decode()


def test_talk01_administrators_get_counts_only(client, district, ledger):
    client.force_login(district.district_admin)
    body = client.get(reverse("talks:talk_list")).content.decode()
    assert "本范围谈话统计" in body and "诫勉谈话" in body
    assert "王小明" not in body and "赵大海" not in body and SECRET not in body


def test_talk03_overdue_follow_up_is_a_dashboard_warning_only_for_those_allowed(client, district, ledger):
    client.force_login(district.secretary_a)
    assert "诫勉谈话回访已逾期" in client.get(reverse("core:home")).content.decode()
    client.force_login(district.district_admin)
    assert "诫勉谈话回访已逾期" not in client.get(reverse("core:home")).content.decode()
    client.force_login(district.secretary_b)
    assert "诫勉谈话回访已逾期" not in client.get(reverse("core:home")).content.decode()
