"""Talk writes: TALK-02 due items from new officers, TALK-03 follow-up dates, validation."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from core.models import RuleSettingValue
from core.testing import TODAY, party_member
from orgs.models import OrgOfficer
from talks import services
from talks.models import Talk

pytestmark = pytest.mark.django_db


def test_talk02_a_new_secretary_gets_an_appointment_talk_due_item(district):
    person = party_member(district.branch_a, "吴新任").person
    officer = OrgOfficer.objects.create(party_org=district.branch_a, person=person, role=OrgOfficer.SECRETARY,
                                        started_on=date(2026, 11, 1))  # fmt: skip
    talk = Talk.objects.get(officer=officer)
    assert (talk.kind, talk.status, talk.talked_to, talk.due_on) == (
        Talk.APPOINTMENT,
        Talk.DUE,
        person,
        date(2026, 12, 1),
    )
    assert talk.org == district.committee  # the committee above the branch holds the talk
    assert services.appointment_schedule(officer=officer, today=TODAY) is None  # repeat-safe


def test_talk02_setting_changes_the_due_date_and_union_roles_need_none(district):
    RuleSettingValue.objects.create(key="APPOINTMENT_TALK_DAYS", value=15)
    person = party_member(district.branch_b, "郑委员").person
    officer = OrgOfficer.objects.create(party_org=district.branch_b, person=person, role=OrgOfficer.ORGANISER,
                                        started_on=date(2026, 11, 1))  # fmt: skip
    assert Talk.objects.get(officer=officer).due_on == date(2026, 11, 16)
    chair = OrgOfficer.objects.create(union_org=district.union_a, person=person, role=OrgOfficer.UNION_CHAIR,
                                      started_on=date(2026, 11, 1))  # fmt: skip
    assert not Talk.objects.filter(officer=chair).exists()


def test_talk03_admonition_without_follow_up_date_is_refused(district):
    talk = Talk(kind=Talk.ADMONITION, status=Talk.DONE, org=district.branch_a, talker=district.secretary_a.person,
                talked_to=district.member_a.person, talked_on=date(2026, 11, 2), content="诫勉。")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.talk_save(by=district.secretary_a, talk=talk, today=TODAY)
    assert "回访" in str(exc.value.message_dict["follow_up_due"])
    assert not Talk.objects.exists()


def test_a_done_talk_needs_a_past_date_and_content(district):
    talk = Talk(kind=Talk.REMINDER, status=Talk.DONE, org=district.branch_a, talker=district.secretary_a.person,
                talked_to=district.member_a.person, talked_on=TODAY + timedelta(days=1))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.talk_save(by=district.secretary_a, talk=talk, today=TODAY)
    assert "晚于今天" in str(exc.value.message_dict["talked_on"]) and "content" in exc.value.message_dict
