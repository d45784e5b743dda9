import pytest
from django.core.management import call_command

from core import audit
from core.models import AuditEntry
from core.services import save_audited
from people import policies

pytestmark = pytest.mark.django_db


def test_every_change_is_chained_and_verifiable(district, capsys):
    member = district.member_a
    member.probation_extension_months = 0
    member.position = "x"
    person = member.person
    person.position = "科长"
    save_audited(person, by=district.secretary_a, policy=policies.persons)
    entry = AuditEntry.objects.latest("id")
    assert entry.before["position"] == "" and entry.after["position"] == "科长"
    assert "id_number_enc" not in entry.after and "id_number_hash" not in entry.after
    assert audit.verify_chain() is None
    call_command("verify_audit")
    assert "全部校验通过" in capsys.readouterr().out


def test_bulk_entries_store_the_snapshot_and_verify(district):
    """record_many (imports): one entry per object, the snapshot readable, the chain intact."""
    save_audited(district.member_a.person, by=district.secretary_a, policy=policies.persons)
    people = [district.member_a.person, district.member_b.person]
    assert audit.record_many(actor=district.secretary_a, action="people.person.import", objects=people) == 2
    first, second = AuditEntry.objects.order_by("-id")[:2][::-1]
    assert (first.object_id, first.after["name"]) == (str(people[0].pk), people[0].name)
    assert second.after["birth_date"] == people[1].birth_date.isoformat()
    assert first.actor_name and first.before is None
    assert audit.verify_chain() is None


def test_tampering_is_reported_at_the_first_broken_link(district):
    for position in ("科员", "科长", "处长"):
        district.member_a.person.position = position
        save_audited(district.member_a.person, by=district.secretary_a, policy=policies.persons)
    middle = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=middle.pk).update(after={"position": "伪造"})
    broken = audit.verify_chain()
    assert broken is not None and broken.pk == middle.pk
    with pytest.raises(SystemExit):
        call_command("verify_audit")


def test_write_leaving_scope_is_rolled_back(district):
    from django.core.exceptions import PermissionDenied

    member = district.member_a
    member.branch = district.branch_b  # outside secretary A's subtree
    with pytest.raises(PermissionDenied):
        save_audited(member, by=district.secretary_a, policy=policies.party_members)
    member.refresh_from_db()
    assert member.branch == district.branch_a
