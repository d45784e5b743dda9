"""Forms of the union area. Money is typed as text and parsed to ``Decimal`` by the
services; people are picked by name, pinyin or ID number within the user's scope."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from core.excel import split_names
from dues.forms import AMOUNT_ATTRS, resolve_one
from people.forms import DateInput
from union import rules
from union.models import (
    AssistanceAid,
    CongressSession,
    Disclosure,
    HomeCriterion,
    MembershipChange,
    Motion,
    WelfareGrant,
)

PICK_HELP = "姓名、拼音、身份证后四位或完整公民身份号码"


def resolve_many(text: str, qs: QuerySet) -> list:
    """Members named in ``text`` (separated by 、，; or spaces); ValidationError listing
    every name not found or ambiguous."""
    found, errors = [], []
    for name in split_names(text):
        try:
            found.append(resolve_one(name, qs, what="会员"))
        except forms.ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise forms.ValidationError(errors)
    unique = list({m.pk: m for m in found}.values())
    if not unique:
        raise forms.ValidationError("请填写会员姓名。")
    return unique


class UnionChoiceForm(forms.Form):
    """Base for forms with a grassroots-union select limited to the user's scope."""

    union_field = "union_org"

    def __init__(self, *args, unions: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.union_field].queryset = unions
        if unions.count() == 1 and not self.is_bound:
            self.fields[self.union_field].initial = unions.first().pk


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label="姓名", required=False, widget=forms.TextInput(attrs={"placeholder": "姓名、拼音或身份证后四位"})
    )
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ApplicationForm(UnionChoiceForm):
    person = forms.CharField(label="申请人", help_text=PICK_HELP + "（须为本单位在职职工）")
    union_org = forms.ModelChoiceField(label="申请加入的工会", queryset=None)
    applied_on = forms.DateField(label="申请日期", widget=DateInput())
    statement = forms.CharField(label="申请理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SelfApplicationForm(UnionChoiceForm):
    union_org = forms.ModelChoiceField(label="申请加入的工会", queryset=None)
    statement = forms.CharField(label="申请理由", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                initial="本人自愿加入中华全国总工会，遵守工会章程，按期交纳会费。")  # fmt: skip


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label="审批日期", widget=DateInput())
    note = forms.CharField(label="审批意见", max_length=300, required=False)


class TransferForm(UnionChoiceForm):
    union_field = "to_union"
    to_union = forms.ModelChoiceField(label="转入工会", queryset=None)
    on = forms.DateField(label="转会日期", widget=DateInput())
    note = forms.CharField(label="备注", max_length=200, required=False)


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(label="离会原因", choices=MembershipChange.LEAVE_REASONS)
    on = forms.DateField(label="离会日期", widget=DateInput())
    note = forms.CharField(label="备注", max_length=200, required=False)


class HouseholdForm(forms.Form):
    """UNION-07/08 figures of a household."""

    household_size = forms.IntegerField(label="家庭人口（人）", help_text="共同生活的家庭成员人数")
    annual_income = forms.CharField(label="家庭年可支配收入（元）", widget=forms.TextInput(attrs=AMOUNT_ATTRS))
    rigid_expenses = forms.CharField(label="刚性支出（元）", required=False, widget=forms.TextInput(attrs=AMOUNT_ATTRS),
                                     help_text="医疗、教育等必需支出（年）")  # fmt: skip
    accident_costs = forms.CharField(label="本年度意外或疾病支出（元）", required=False,
                                     widget=forms.TextInput(attrs=AMOUNT_ATTRS))  # fmt: skip
    injured = forms.BooleanField(label="因灾害或重大事故受伤", required=False)
    disabled = forms.BooleanField(label="因灾害或重大事故致残", required=False)
    died = forms.BooleanField(label="家庭成员因灾害或重大事故死亡", required=False)

    def household_data(self) -> dict:
        data = self.cleaned_data
        return {
            "household_size": data["household_size"],
            "annual_income": data["annual_income"].strip(),
            "rigid_expenses": (data.get("rigid_expenses") or "0").strip(),
            "accident_costs": (data.get("accident_costs") or "0").strip(),
            "injured": data.get("injured", False),
            "disabled": data.get("disabled", False),
            "died": data.get("died", False),
        }


class CaseForm(HouseholdForm):
    sections = [
        ("困难职工", ["member", "applied_on", "owner", "situation"]),
        ("家庭收入（UNION-07）", ["household_size", "annual_income", "rigid_expenses"]),
        ("意外致困（UNION-08）", ["accident_costs", "injured", "disabled", "died"]),
    ]
    member = forms.CharField(label="困难职工", help_text=PICK_HELP)
    applied_on = forms.DateField(label="申请日期", widget=DateInput())
    owner = forms.CharField(label="经办人", required=False, help_text="本工会会员（档案仅工会管理员和经办人可见）")
    situation = forms.CharField(label="困难情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RecheckForm(HouseholdForm):
    on = forms.DateField(label="复核日期", widget=DateInput())
    note = forms.CharField(label="复核意见", max_length=300, required=False)


class StepForm(forms.Form):
    to_state = forms.ChoiceField(label="转入环节", choices=list(rules.CASE_STATE_LABELS.items()))
    on = forms.DateField(label="日期", widget=DateInput())
    note = forms.CharField(label="意见", max_length=300, required=False)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=DateInput())
    visitors = forms.CharField(label="走访人员", max_length=100)
    findings = forms.CharField(label="走访情况", widget=forms.Textarea(attrs={"rows": 3}))


class AidForm(forms.Form):
    kind = forms.ChoiceField(label="形式", choices=AssistanceAid.KINDS)
    amount = forms.CharField(label="金额（元）", widget=forms.TextInput(attrs=AMOUNT_ATTRS), help_text="物资按价值计")
    source = forms.ChoiceField(label="资金来源", choices=AssistanceAid.SOURCES)
    given_on = forms.DateField(label="发放日期", widget=DateInput())
    description = forms.CharField(label="内容", max_length=200, required=False)


class GrantForm(UnionChoiceForm):
    """慰问/福利: to all members of a union, or to listed members."""

    ALL, LIST = "ALL", "LIST"
    sections = [
        ("慰问事项", ["union_org", "category", "festival", "event", "relation", "title", "granted_on"]),
        ("发放标准", ["gift_kind", "amount_per_member", "note"]),
        ("发放对象", ["target", "names"]),
    ]
    union_org = forms.ModelChoiceField(label="发放工会", queryset=None)
    category = forms.ChoiceField(label="类别", choices=WelfareGrant.CATEGORIES, initial=WelfareGrant.FESTIVAL)
    festival = forms.CharField(label="节日", max_length=20, required=False, help_text="如：中秋节、春节（节日类必填）")
    event = forms.ChoiceField(label="慰问事项", required=False, choices=[("", "—"), *WelfareGrant.EVENTS],
                              help_text="其他慰问必填")  # fmt: skip
    relation = forms.ChoiceField(label="逝者与会员关系", required=False, choices=[("", "—"), *WelfareGrant.RELATIONS])
    title = forms.CharField(label="名称", max_length=100, help_text="如：2026年中秋节慰问品")
    granted_on = forms.DateField(label="发放日期", widget=DateInput())
    gift_kind = forms.ChoiceField(label="慰问品形式", choices=WelfareGrant.GIFT_KINDS, initial=rules.GOODS)
    amount_per_member = forms.CharField(label="每人金额（元）", widget=forms.TextInput(attrs=AMOUNT_ATTRS),
                                        help_text="实物按采购价计")  # fmt: skip
    note = forms.CharField(label="备注", max_length=300, required=False)
    target = forms.ChoiceField(label="发放对象", choices=[(ALL, "本工会全体在册会员"), (LIST, "指定会员")],
                               widget=forms.RadioSelect, initial=ALL)  # fmt: skip
    names = forms.CharField(label="指定会员", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text="多人用顿号、逗号或空格分隔；" + PICK_HELP)  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("target") == self.LIST and not (data.get("names") or "").strip():
            self.add_error("names", "请填写指定会员。")
        return data


class SessionForm(UnionChoiceForm):
    union_org = forms.ModelChoiceField(label="工会", queryset=None)
    title = forms.CharField(label="会议名称", max_length=100)
    term_number = forms.IntegerField(label="届次", min_value=1, initial=1)
    session_number = forms.IntegerField(label="第几次会议", min_value=1, initial=1)
    held_on = forms.DateField(label="召开日期", widget=DateInput())
    place = forms.CharField(label="地点", max_length=100, required=False)
    present_count = forms.IntegerField(label="实到代表（人）", min_value=0, initial=0)
    agenda = forms.CharField(label="议程", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DelegatesForm(forms.Form):
    names = forms.CharField(
        label="职工代表", widget=forms.Textarea(attrs={"rows": 2}), help_text="多人用顿号、逗号或空格分隔"
    )
    delegation = forms.CharField(label="代表团（组）", max_length=50, required=False)


class MotionForm(forms.Form):
    proposer = forms.ModelChoiceField(label="提案人", queryset=None)
    title = forms.CharField(label="案由", max_length=200)
    content = forms.CharField(label="提案内容", widget=forms.Textarea(attrs={"rows": 4}))
    seconders = forms.IntegerField(label="附议人数", min_value=0, initial=0)

    def __init__(self, *args, session: CongressSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = session.delegates.select_related("member__person")
        self.fields["proposer"].label_from_instance = lambda d: d.member.person.name


class MotionAdvanceForm(forms.Form):
    to_status = forms.ChoiceField(label="办理状态", choices=Motion.STATUSES)
    on = forms.DateField(label="日期", widget=DateInput())
    handler_unit = forms.CharField(label="承办部门", max_length=100, required=False)
    reply = forms.CharField(label="办理答复", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VoteForm(forms.Form):
    voted_on = forms.DateField(label="表决日期", widget=DateInput())
    yes = forms.IntegerField(label="赞成（票）", min_value=0, initial=0)
    no = forms.IntegerField(label="反对（票）", min_value=0, initial=0)
    abstain = forms.IntegerField(label="弃权（票）", min_value=0, initial=0)
    invalid = forms.IntegerField(label="无效（票）", min_value=0, initial=0)


class DisclosureForm(UnionChoiceForm):
    union_org = forms.ModelChoiceField(label="工会", queryset=None)
    category = forms.ChoiceField(label="类别", choices=Disclosure.CATEGORIES)
    title = forms.CharField(label="标题", max_length=150)
    body = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 6}))
    publish = forms.BooleanField(label="向会员公开", required=False, initial=True)


class RoundForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="名称", max_length=100, required=False)
    self_due_on = forms.DateField(label="自评截止日期", required=False, widget=DateInput())


class CriterionForm(forms.ModelForm):
    class Meta:
        model = HomeCriterion
        fields = ["code", "dimension", "standard", "text", "weight", "evidence_source", "order"]


class EvidenceForm(forms.Form):
    criterion = forms.ModelChoiceField(label="评价项目", queryset=None)
    title = forms.CharField(label="材料名称", max_length=150)
    link = forms.URLField(label="链接", required=False, assume_scheme="https")
    file = forms.FileField(label="文件", required=False)

    def __init__(self, *args, criteria: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = criteria
