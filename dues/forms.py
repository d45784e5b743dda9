"""Forms of the dues area. Amounts are typed as text and parsed to ``Decimal`` by the
services (never through float); months are typed as 2026-03."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import QuerySet

from dues import rules
from dues.models import PARTY, SCHEMES, UNION, DuesPayment, DuesReduction
from people.forms import DateInput
from people.selectors import name_search_q


class MonthInput(forms.TextInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, date):
            return f"{value:%Y-%m}"
        return super().format_value(value)


class MonthField(forms.Field):
    widget = MonthInput

    def to_python(self, value):
        from dues.services import parse_month

        if value in (None, ""):
            return None
        try:
            return parse_month(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


def resolve_one(text: str, qs: QuerySet, *, prefix: str = "person__", what: str = "人员"):
    """The one row of ``qs`` whose person matches ``text`` (name, pinyin, ID tail or whole
    ID number — BASE-04), or a ValidationError in Chinese saying why not."""
    text = (text or "").strip()
    if not text:
        raise forms.ValidationError(f"请输入{what}的姓名或公民身份号码。")
    found = list(qs.filter(name_search_q(text, prefix))[:6])
    if not found:
        raise forms.ValidationError(f"在您的管理范围内没有找到“{text}”。")
    exact = [row for row in found if _name(row, prefix) == text]
    if len(exact) == 1:
        return exact[0]
    if len(found) > 1:
        raise forms.ValidationError(f"“{text}”对应多人，请输入公民身份号码或其后四位。")
    return found[0]


def _name(row, prefix: str) -> str:
    obj = row
    for part in prefix.strip("_").split("__"):
        if part:
            obj = getattr(obj, part)
    return obj.name


AMOUNT_ATTRS = {"inputmode": "decimal", "placeholder": "如 4500.00", "autocomplete": "off"}


class RollFilterForm(forms.Form):
    scheme = forms.ChoiceField(label="类别", choices=SCHEMES, required=False)
    month = MonthField(label="月份", required=False)
    q = forms.CharField(
        label="姓名", required=False, widget=forms.TextInput(attrs={"placeholder": "姓名、拼音或身份证后四位"})
    )
    status = forms.ChoiceField(
        label="交纳情况",
        required=False,
        choices=[("", "全部"), ("paid", "已交"), ("unpaid", "未交"), ("missing", "未登记基数")],
    )
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PayBaseForm(forms.Form):
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    member = forms.CharField(label="党员/会员", help_text="姓名、拼音、身份证后四位或完整公民身份号码")
    scheme = forms.ChoiceField(label="类别", choices=SCHEMES)
    kind = forms.ChoiceField(label="党员交费类别", choices=list(rules.KIND_LABELS.items()), initial=rules.SALARY,
                             help_text="仅党费使用；工会会费按月基本工资的0.5%计算")  # fmt: skip
    amount = forms.CharField(label="计算基数（元）", widget=forms.TextInput(attrs=AMOUNT_ATTRS),
                             help_text="党费：每月工资中相对固定的部分（税后）；会费：口径见规则设置")  # fmt: skip
    effective_from = MonthField(label="起始月份")
    note = forms.CharField(label="备注", max_length=200, required=False)


class PaymentForm(forms.Form):
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    member = forms.CharField(label="党员/会员", help_text="姓名、拼音、身份证后四位或完整公民身份号码")
    scheme = forms.ChoiceField(label="类别", choices=SCHEMES)
    from_month = MonthField(label="交纳月份（起）")
    month_count = forms.IntegerField(label="交纳月数", min_value=1, max_value=12, initial=1,
                                     help_text="按季度交纳填 3")  # fmt: skip
    amount = forms.CharField(label="实交金额（元）", widget=forms.TextInput(attrs=AMOUNT_ATTRS),
                             help_text="党费多于应交的部分记为自愿多交")  # fmt: skip
    paid_on = forms.DateField(label="交纳日期", widget=DateInput())
    method = forms.ChoiceField(label="交纳方式", choices=DuesPayment.METHODS, initial="CASH")
    note = forms.CharField(label="备注", max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="工资代扣表（.xlsx）")
    month = MonthField(label="扣款所属月份", required=False, help_text="表中有“月份”列时以该列为准")
    paid_on = forms.DateField(label="扣款日期", widget=DateInput())


class ExcuseForm(forms.Form):
    reason = forms.CharField(label="未交原因", max_length=200, required=False,
                             help_text="如：长期病假、出国（境）学习，经支部研究同意暂缓交纳")  # fmt: skip


class ReductionForm(forms.Form):
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    member = forms.CharField(label="党员", help_text="姓名、拼音、身份证后四位或完整公民身份号码")
    kind = forms.ChoiceField(label="类型", choices=DuesReduction.KINDS)
    monthly_amount = forms.CharField(label="每月交纳（元）", required=False, widget=forms.TextInput(attrs=AMOUNT_ATTRS),
                                     help_text="少交党费时填写")  # fmt: skip
    from_month = MonthField(label="起始月份")
    to_month = MonthField(label="截止月份")
    reason = forms.CharField(label="原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    applied_on = forms.DateField(label="本人申请日期", widget=DateInput())


class ReductionStepForm(forms.Form):
    on = forms.DateField(label="日期", widget=DateInput())
    note = forms.CharField(label="意见", max_length=300, required=False)


class CalculatorForm(forms.Form):
    kind = forms.ChoiceField(label="党员类别", choices=list(rules.KIND_LABELS.items()), initial=rules.SALARY)
    base = forms.CharField(label="计算基数（元）", required=False, widget=forms.TextInput(attrs=AMOUNT_ATTRS),
                           help_text="离退休党员填离退休费；农民党员填自选的每月党费（0.20–1.00元）")  # fmt: skip


class ReportForm(forms.Form):
    branch = forms.ModelChoiceField(label="党支部", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class PublishForm(forms.Form):
    used = forms.CharField(label="使用（上缴）金额（元）", required=False, widget=forms.TextInput(attrs=AMOUNT_ATTRS))
    note = forms.CharField(label="使用情况说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


SCHEME_CHOICES = dict(SCHEMES)
__all__ = ["PARTY", "UNION", "SCHEME_CHOICES"]
