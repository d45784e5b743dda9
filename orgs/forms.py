from django import forms

from orgs.ledger import STATUS_LABELS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TermLedgerSearchForm(forms.Form):
    q = forms.CharField(label="组织名称", required=False, widget=forms.TextInput(attrs={"placeholder": "名称或拼音"}))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *STATUS_LABELS.items()])
    year = forms.IntegerField(
        label="年度", required=False, min_value=1949, max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": "应换届或已换届年份"}),
    )  # fmt: skip
    org = forms.IntegerField(label="组织", required=False, widget=forms.HiddenInput)


class TermForm(forms.Form):
    number = forms.IntegerField(label="届次", min_value=1, initial=1)
    started_on = forms.DateField(label="本届起始日期", widget=DateInput(), help_text="上次换届选举的日期")
    length_years = forms.IntegerField(
        label="任期（年）", min_value=1, max_value=10, required=False,
        help_text="2018年7月1日起开始的任期按规定计算（党委 5 年，总支和支部 3 年），可不填；此前开始的任期填写当时的年限（TERM-01）",
    )  # fmt: skip


class ReelectionForm(forms.Form):
    sections = [
        ("换届选举", ["held_on", "entitled", "present", "approval_ref"]),
        ("新一届", ["next_length_years", "notes"]),
    ]
    held_on = forms.DateField(label="选举日期", widget=DateInput())
    entitled = forms.IntegerField(
        label="应到会有选举权党员数",
        min_value=1,
        help_text="会议日期的正式党员（预备党员和受留党察看处分的党员没有选举权，ORG-05）",
    )
    present = forms.IntegerField(
        label="实到会有选举权党员数", min_value=0, help_text="须超过应到会人数的五分之四，选举有效（TERM-04）"
    )
    approval_ref = forms.CharField(label="上级批复文号", max_length=80, required=False)
    next_length_years = forms.IntegerField(
        label="新一届任期（年）", min_value=1, max_value=10, required=False, help_text="一般不填，按规定计算（TERM-01）"
    )
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PostponementForm(forms.Form):
    postponed_to = forms.DateField(
        label="批准延期（提前）至", widget=DateInput(), help_text="与应换届日期相差不得超过一年（TERM-02）"
    )
    approval_note = forms.CharField(label="上级批准情况", max_length=200, help_text="批复文号或批准日期")
