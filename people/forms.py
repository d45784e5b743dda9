from django import forms

from core.policies import CHANGE, VIEW
from orgs import policies as org_policies
from orgs.models import PartyOrg
from people import codes
from people.models import PartyMember


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label="姓名", required=False, widget=forms.TextInput(attrs={"placeholder": "姓名、拼音、首字母或身份证后四位"})
    )
    status = forms.ChoiceField(label="人员类别", required=False, choices=[("", "全部"), *PartyMember.STATUSES])
    org = forms.IntegerField(label="组织", required=False, widget=forms.HiddenInput)


class MemberForm(forms.Form):
    """基本信息 + 入党情况 + 联系方式: one form for a member's record."""

    sections = [
        (
            "基本信息",
            [
                "name",
                "id_number",
                "gender",
                "birth_date",
                "ethnicity",
                "education",
                "job_code",
                "unit",
                "position",
                "rank",
            ],
        ),
        ("入党情况", ["status", "branch", "group", "admitted_on", "probation_extension_months"]),
        ("联系方式", ["phone", "address"]),
        (
            "流动与失联",
            ["is_floating", "floating_province", "floating_city", "floating_county", "is_lost", "lost_since"],
        ),
    ]

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=20)
    gender = forms.ChoiceField(label="性别", choices=codes.GENDERS)
    birth_date = forms.DateField(label="出生日期", widget=DateInput())
    ethnicity = forms.ChoiceField(label="民族", choices=codes.ETHNICITY_CHOICES, initial="汉族")
    education = forms.ChoiceField(label="学历", choices=codes.EDUCATION, initial="21")
    job_code = forms.ChoiceField(label="工作岗位", choices=codes.JOB_CHOICES, initial="111")
    unit = forms.ModelChoiceField(label="工作单位", queryset=None, required=False)
    position = forms.CharField(label="职务", max_length=50, required=False)
    rank = forms.CharField(label="职级", max_length=30, required=False)
    status = forms.ChoiceField(label="人员类别", choices=PartyMember.STATUSES)
    branch = forms.ModelChoiceField(label="所在党支部", queryset=None)
    group = forms.ModelChoiceField(label="所在党小组", queryset=None, required=False)
    admitted_on = forms.DateField(
        label="加入党组织日期", widget=DateInput(), help_text="接收预备党员的支部党员大会日期"
    )
    probation_extension_months = forms.IntegerField(
        label="延长预备期（月）", min_value=0, max_value=12, initial=0, required=False
    )
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    address = forms.CharField(label="家庭住址", max_length=200, required=False)
    is_floating = forms.BooleanField(label="流动党员", required=False)
    floating_province = forms.CharField(label="外出流向（省）", max_length=20, required=False)
    floating_city = forms.CharField(label="外出流向（市）", max_length=20, required=False)
    floating_county = forms.CharField(label="外出流向（县）", max_length=20, required=False)
    is_lost = forms.BooleanField(label="失联党员", required=False)
    lost_since = forms.DateField(label="失去联系日期", widget=DateInput(), required=False)

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = org_policies.party_orgs.queryset(user, CHANGE)
        self.fields["branch"].queryset = orgs.filter(kind__in=[PartyOrg.BRANCH, PartyOrg.GENERAL_BRANCH]).order_by(
            "path"
        )
        self.fields["group"].queryset = orgs.filter(kind=PartyOrg.GROUP).order_by("path")
        self.fields["unit"].queryset = org_policies.units.queryset(user, VIEW).order_by("name_pinyin")
        if editing:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = "不修改请留空"

    def clean(self):
        data = super().clean()
        group, branch = data.get("group"), data.get("branch")
        if group and branch and not group.path.startswith(branch.path):
            self.add_error("group", "所选党小组不属于所选党支部。")
        if data.get("is_lost") and not data.get("lost_since"):
            self.add_error("lost_since", "失联党员须填写失去联系日期。")
        if data.get("is_floating") and not data.get("floating_province"):
            self.add_error("floating_province", "流动党员须填写外出流向（省）。")
        months = data.get("probation_extension_months") or 0
        if months and not 6 <= months <= 12:
            self.add_error("probation_extension_months", "延长预备期不少于 6 个月、不超过 1 年（REC-20）。")
        return data


class TransferForm(forms.Form):
    to_branch = forms.ModelChoiceField(label="转入党组织", queryset=None)
    transferred_on = forms.DateField(label="转接日期", widget=DateInput())
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = (
            org_policies.party_orgs.queryset(user, CHANGE).filter(kind=PartyOrg.BRANCH).order_by("path")
        )


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")
