from django import forms

from accounts.scope import scope_of
from ballots import rules
from ballots.models import Ballot
from ballots.selectors import voters_due
from core.policies import ADD, CHANGE
from orgs import policies as org_policies
from orgs.models import PartyOrg
from people.models import Person

# Organisations that hold a general meeting of members (党员大会).
MEETING_KINDS = (PartyOrg.BRANCH, PartyOrg.GENERAL_BRANCH, PartyOrg.COMMITTEE)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BallotSearchForm(forms.Form):
    q = forms.CharField(label="表决事项", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Ballot.STATUSES])
    mode = forms.ChoiceField(label="表决方式", required=False, choices=[("", "全部"), *Ballot.MODES])


class BallotForm(forms.Form):
    """基本信息 and the items (one per line) of a ballot."""

    title = forms.CharField(
        label="表决事项", max_length=200, widget=forms.TextInput(attrs={"placeholder": "如：接收张三同志为预备党员"})
    )
    party_org = forms.ModelChoiceField(label="党组织", queryset=PartyOrg.objects.none(), required=False)
    union_org = forms.ModelChoiceField(label="工会组织", queryset=None, required=False)
    meeting_on = forms.DateField(label="会议日期", widget=DateInput())
    mode = forms.ChoiceField(label="表决方式", choices=Ballot.MODES, initial=Ballot.ONLINE, widget=forms.RadioSelect)
    rule = forms.ChoiceField(label="计票规则", choices=Ballot.RULES, initial=rules.REC_13)
    entitled = forms.IntegerField(
        label="应到人数",
        min_value=1,
        required=False,
        help_text="工会组织的表决填写；党组织由系统按会议日期的正式党员计算（ORG-05）",
    )
    items = forms.CharField(
        label="候选人或议题",
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "每行一个，逐个表决"}),
        help_text="每行一个候选人或议题，投票时逐项表决",
    )
    disciplined = forms.ModelMultipleChoiceField(
        label="受留党察看处分人员", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="勾选的党员没有表决权（ORG-05），不计入应到会人数",
    )  # fmt: skip

    def __init__(self, *args, user, ballot: Ballot | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ballot = ballot
        scope = scope_of(user)
        action = CHANGE if ballot else ADD
        party_orgs = org_policies.party_orgs.queryset(user, action).filter(kind__in=MEETING_KINDS).order_by("path")
        union_orgs = org_policies.union_orgs.queryset(user, action).order_by("path")
        self.fields["party_org"].queryset = party_orgs
        self.fields["union_org"].queryset = union_orgs
        if scope is None or not scope.is_party_admin:
            del self.fields["party_org"]
        if scope is None or not scope.is_union_admin:
            del self.fields["union_org"]
            del self.fields["entitled"]
        if ballot is not None:
            # The organisation of a ballot is fixed once created.
            self.fields.pop("party_org", None)
            self.fields.pop("union_org", None)
            if ballot.party_org_id:
                self.fields.pop("entitled", None)
                full = [m.person_id for m in voters_due(org=ballot.party_org, on=ballot.meeting_on)]
                full += list(ballot.disciplined.values_list("id", flat=True))
                self.fields["disciplined"].queryset = Person.objects.filter(pk__in=full).order_by("name_pinyin")
            else:
                del self.fields["disciplined"]
        else:
            del self.fields["disciplined"]
            if "party_org" in self.fields and scope and scope.party_path:
                own = party_orgs.filter(path=scope.party_path).first()
                if own:
                    self.fields["party_org"].initial = own.pk

    def clean(self):
        data = super().clean()
        if self.ballot is None:
            party, union = data.get("party_org"), data.get("union_org")
            if bool(party) == bool(union):
                raise forms.ValidationError("请选择党组织或工会组织（二选一）。")
            if union and not data.get("entitled") and "entitled" in self.fields:
                data["entitled"] = None
        return data

    def item_labels(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class WrittenForm(forms.Form):
    """Written opinions in favour (REC-13), per item."""

    written_count = forms.IntegerField(label="书面意见份数", min_value=0, initial=0)

    def __init__(self, *args, ballot: Ballot, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["written_count"].initial = ballot.written_count
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.IntegerField(
                label=f"“{item.label}”书面意见赞成数", min_value=0, initial=item.written_in_favour
            )

    def written_in_favour(self) -> dict[int, int]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}


class PaperForm(forms.Form):
    """The totals of a paper ballot."""

    present = forms.IntegerField(label="实到会有表决权人数", min_value=0)
    written_count = forms.IntegerField(label="书面意见份数", min_value=0, initial=0)

    def __init__(self, *args, ballot: Ballot, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        if ballot.status == Ballot.CLOSED:
            self.fields["present"].initial = ballot.present
        self.fields["written_count"].initial = ballot.written_count
        self.rows = []
        for item in items:
            names = []
            for key, label in (
                ("in_favour", "赞成"),
                ("against", "反对"),
                ("abstain", "弃权"),
                ("written_in_favour", "书面意见赞成"),
            ):
                name = f"item_{item.pk}" if key == "in_favour" else f"item_{item.pk}_{key}"
                self.fields[name] = forms.IntegerField(
                    label=f"{item.label} {label}", min_value=0, initial=getattr(item, key) or 0
                )
                names.append(name)
            self.rows.append((item, [self[n] for n in names]))

    def counts(self) -> dict[int, dict[str, int]]:
        d = self.cleaned_data
        return {
            item.pk: {
                "in_favour": d[f"item_{item.pk}"],
                "against": d[f"item_{item.pk}_against"],
                "abstain": d[f"item_{item.pk}_abstain"],
                "written_in_favour": d[f"item_{item.pk}_written_in_favour"],
            }
            for item in self.items
        }


class VoteForm(forms.Form):
    """A voter's ballot paper: 赞成 / 反对 / 弃权 for every item."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=item.label,
                choices=list(rules.CHOICE_LABELS.items()),
                widget=forms.RadioSelect,
                error_messages={"required": f"请对“{item.label}”作出选择。"},
            )

    def choices(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}

    def rows(self):
        return [(item, self[f"item_{item.pk}"]) for item in self.items]


class PersonIdsField(forms.TypedMultipleChoiceField):
    """Person ids; whether each may vote is the service's question (ORG-05)."""

    def valid_value(self, value):
        return True


class IssueForm(forms.Form):
    persons = PersonIdsField(label="到会表决人", coerce=int, error_messages={"required": "请勾选到会的表决人。"})
    reissue = forms.BooleanField(required=False)
