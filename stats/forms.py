from django import forms

from stats import rules


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReportForm(forms.Form):
    """统计范围 (an organisation in the user's scope) and 截至日期 of every statistics page."""

    org = forms.IntegerField(label="统计范围", required=False, widget=forms.HiddenInput)
    on = forms.DateField(
        label="截至日期",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "请输入有效的日期，如 2025-12-31。"},
    )

    def __init__(self, data=None, *, today, org=None):
        super().__init__(data, initial={"on": today})
        self.today = today
        self.org = org  # resolved by the view from the user's scope

    def clean_on(self):
        return self.cleaned_data.get("on") or self.today

    def clean(self):
        data = super().clean()
        on = data.get("on")
        if on is not None and self.org is not None:
            message = rules.as_of_error(
                on=on, today=self.today, established_on=self.org.established_on, org_name=self.org.name
            )
            if message:
                self.add_error("on", message)
        return data
