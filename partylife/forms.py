from datetime import date

from django import forms

from core.policies import CHANGE, VIEW
from orgs import policies as org_policies
from orgs.models import PartyOrg
from partylife import attachments, rules, selectors
from partylife.models import MEETING_KINDS, Attachment, Meeting
from people.forms import DateInput


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": attachments.ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def meeting_org_choices(user):
    return (
        org_policies.party_orgs.queryset(user, CHANGE)
        .filter(kind__in=selectors.MEETING_ORG_KINDS)
        .order_by("path")
        .only("id", "name", "kind", "path")
    )


class MeetingForm(forms.ModelForm):
    sections = [
        ("会议信息", ["org", "kind", "status", "held_on", "topic", "host", "speaker", "location"]),
        ("会议记录", ["minutes"]),
        ("照片和附件", ["files", "reuse"]),
    ]

    files = MultipleFileField(
        label="上传照片或文件",
        required=False,
        help_text=f"照片（jpg、png、gif、webp）或 PDF、Word、Excel、PowerPoint，单个不超过 {attachments.MAX_BYTES // 1048576} MB；"
        "已上传过的相同文件会自动引用，不会重复保存。",
    )
    reuse = forms.ModelMultipleChoiceField(
        label="引用已上传的附件",
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = ["org", "kind", "status", "held_on", "topic", "host", "speaker", "location", "minutes"]
        widgets = {
            "held_on": DateInput(),
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "host": forms.TextInput(attrs={"list": "dq-roster-names"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = meeting_org_choices(user)
        self.fields["minutes"].help_text = "已召开的会议须填写会议记录（LIFE-09）。"
        self.fields["host"].required = False
        self.fields["reuse"].queryset = reusable_attachments(user)
        self.fields["reuse"].label_from_instance = lambda a: f"{a.name}（{a.get_kind_display()}）"


def reusable_attachments(user):
    """Attachments of meetings the user may change, plus his own uploads (newest 40)."""
    from partylife import policies

    own = Attachment.objects.filter(uploaded_by=user)
    used = Attachment.objects.filter(meetings__in=policies.meetings.queryset(user, CHANGE))
    ids = list((own | used).order_by("-uploaded_at").values_list("id", flat=True).distinct()[:40])
    return Attachment.objects.filter(pk__in=ids).order_by("-uploaded_at")


class MeetingSearchForm(forms.Form):
    q = forms.CharField(
        label="主题", required=False, widget=forms.TextInput(attrs={"placeholder": "主题、主持人或授课人"})
    )
    kind = forms.ChoiceField(label="会议类型", required=False, choices=[("", "全部"), *MEETING_KINDS])
    start = forms.DateField(label="日期起", required=False, widget=DateInput())
    end = forms.DateField(label="日期止", required=False, widget=DateInput())
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Meeting.STATUSES])
    org = forms.IntegerField(label="组织", required=False, widget=forms.HiddenInput)


class PeriodForm(forms.Form):
    """A subtree and a period (compliance page, circulars)."""

    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    start = forms.DateField(label="期间起", required=False, widget=DateInput())
    end = forms.DateField(label="期间止", required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "期间止不能早于期间起。")
        return data


class CircularCreateForm(forms.Form):
    scope_org = forms.ModelChoiceField(label="督查范围", queryset=PartyOrg.objects.none())
    period_start = forms.DateField(label="督查期间起", widget=DateInput())
    period_end = forms.DateField(label="督查期间止", widget=DateInput())
    title = forms.CharField(label="标题", max_length=200, required=False, help_text="留空则自动生成")

    def __init__(self, *args, user, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_org"].queryset = (
            org_policies.party_orgs.queryset(user, VIEW)
            .exclude(kind=PartyOrg.GROUP)
            .order_by("path")
            .only("id", "name", "path", "kind")
        )
        self.fields["period_start"].initial = date(today.year, 1, 1)
        self.fields["period_end"].initial = today

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "督查期间止不能早于起。")
        return data


class CircularEditForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    opening = forms.CharField(label="开头", widget=forms.Textarea(attrs={"rows": 5}))
    conclusions = forms.CharField(label="下一步要求", widget=forms.Textarea(attrs={"rows": 8}), help_text="每行一段。")


ATTENDANCE_CHOICES = list(rules.ATTENDANCE_LABELS.items())
