from django import forms
from django.db.models import Q

from core.policies import VIEW
from orgs import policies as org_policies
from orgs.models import OrgOfficer, PartyOrg
from people.forms import DateInput
from people.models import PartyMember, Person
from talks.models import KINDS, Talk


class TalkForm(forms.ModelForm):
    sections = [
        ("谈话对象", ["kind", "status", "org", "talked_to", "talker"]),
        ("谈话情况", ["due_on", "talked_on", "reason", "content"]),
        ("回访（诫勉谈话）", ["follow_up_due", "followed_up_on", "outcome"]),
    ]

    class Meta:
        model = Talk
        fields = ["kind", "status", "org", "talked_to", "talker", "due_on", "talked_on", "reason", "content",
                  "follow_up_due", "followed_up_on", "outcome"]  # fmt: skip
        widgets = {
            "due_on": DateInput(),
            "talked_on": DateInput(),
            "follow_up_due": DateInput(),
            "followed_up_on": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "content": forms.Textarea(attrs={"rows": 6}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, org: PartyOrg | None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = org_policies.party_orgs.queryset(user, VIEW).exclude(kind=PartyOrg.GROUP).order_by("path")
        self.fields["org"].queryset = orgs.only("id", "name", "path")
        self.fields["org"].widget.attrs.update({"data-dq-searchable": ""})
        if org is None:  # no organisation chosen yet: no people offered
            members, officers = PartyMember.objects.none().values("person_id"), OrgOfficer.objects.none()
        else:
            members = PartyMember.objects.filter(branch__path__startswith=org.path, left_on__isnull=True).values(
                "person_id"
            )
            officers = OrgOfficer.objects.filter(party_org__path__startswith=org.path, ended_on__isnull=True)
        people = Person.objects.filter(Q(pk__in=members) | Q(pk__in=officers.values("person_id")))
        if self.instance.pk:
            people = people | Person.objects.filter(pk=self.instance.talked_to_id)
        self.fields["talked_to"].queryset = people.order_by("name_pinyin")
        if org is not None and org.depth > 1:
            officers = officers | OrgOfficer.objects.filter(
                party_org__path=org.path[: -PartyOrg.steplen], ended_on__isnull=True
            )
        talkers = Person.objects.filter(pk__in=officers.values("person_id"))
        extra = [pk for pk in (user.person_id, self.instance.talker_id) if pk]
        if extra:
            talkers = talkers | Person.objects.filter(pk__in=extra)
        self.fields["talker"].queryset = talkers.order_by("name_pinyin")
        self.fields["talked_to"].label_from_instance = lambda p: f"{p.name}（{p.id_last4}）"
        self.fields["org"].help_text = "负责谈话的党组织：其书记、谈话人和纪检委员可以查看本记录。"
        self.fields["follow_up_due"].help_text = "诫勉谈话必须确定回访日期（TALK-03）。"


class TalkSearchForm(forms.Form):
    q = forms.CharField(
        label="谈话对象", required=False, widget=forms.TextInput(attrs={"placeholder": "姓名、拼音或首字母"})
    )
    kind = forms.ChoiceField(label="谈话类型", required=False, choices=[("", "全部"), *KINDS])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Talk.STATUSES])
