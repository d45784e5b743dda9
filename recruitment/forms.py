"""Forms of the recruitment pages: search, registration, one form per step, notices."""

from __future__ import annotations

import re
from datetime import date

from django import forms

from core.excel import clean_text, parse_date
from core.policies import CHANGE
from orgs import policies as org_policies
from orgs.models import PartyOrg
from people import codes
from people.models import PartyMember
from recruitment import rules, selectors
from recruitment.models import ARCHIVE_DOCUMENTS, BALLOT_METHODS, DISCIPLINES, Evaluation, Recruitment
from recruitment.services import EvaluationInput, GuideInput
from recruitment.steps import STEP_FIELDS

STAGE_CHOICES = [("", "全部"), *rules.STAGE_LABELS.items()]
DUE_CHOICES = [("", "全部"), (selectors.OVERDUE, "已逾期"), (selectors.DUE_SOON, "30天内到期")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _year_choices(today: date) -> list[tuple[str, str]]:
    return [("", "全部")] + [(str(y), f"{y}年") for y in range(today.year, 2009, -1)]


class RecordSearchForm(forms.Form):
    q = forms.CharField(
        label="姓名", required=False, widget=forms.TextInput(attrs={"placeholder": "姓名、拼音、首字母或身份证后四位"})
    )
    stage = forms.ChoiceField(label="发展阶段", required=False, choices=STAGE_CHOICES)
    due = forms.ChoiceField(label="期限", required=False, choices=DUE_CHOICES)
    year = forms.TypedChoiceField(label="申请年度", required=False, coerce=int, empty_value=None)
    org = forms.IntegerField(label="组织", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, today: date, year_label: str = "申请年度", stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(today)
        self.fields["year"].label = year_label
        if stages is not None:
            self.fields["stage"].choices = [("", "全部"), *((s, rules.STAGE_LABELS[s]) for s in stages)]
            del self.fields["due"]


def branch_choices(user):
    return (
        org_policies.party_orgs.queryset(user, CHANGE)
        .filter(kind__in=[PartyOrg.BRANCH, PartyOrg.GENERAL_BRANCH])
        .order_by("path")
    )


class RecordCreateForm(forms.Form):
    """登记入党申请人: the person and step 1."""

    sections = [
        ("基本信息", ["name", "id_number", "ethnicity", "education", "phone"]),
        ("入党申请", ["branch", "application_on"]),
    ]
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=20, help_text="性别和出生日期由号码自动得出")
    ethnicity = forms.ChoiceField(label="民族", choices=codes.ETHNICITY_CHOICES, initial="汉族")
    education = forms.ChoiceField(label="学历", choices=codes.EDUCATION, initial="21")
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    branch = forms.ModelChoiceField(label="所在党支部", queryset=PartyOrg.objects.none())
    application_on = forms.DateField(label="递交入党申请书日期", widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branch_choices(user)


# --- one form per step ---------------------------------------------------------------------------

_EVAL_LINE = re.compile(r"^(\S+)\s*(.*)$")


def parse_evaluations(text: str) -> tuple[list[EvaluationInput], list[str]]:
    """Lines "2025-07-01 表现良好": a date (any ledger form) and an optional opinion."""
    items, errors = [], []
    for line in (text or "").splitlines():
        line = clean_text(line)
        if not line:
            continue
        match = _EVAL_LINE.match(line)
        try:
            on = parse_date(match.group(1))
        except ValueError:
            errors.append(f"无法识别的日期“{match.group(1)}”")
            continue
        items.append(EvaluationInput(on=on, summary=match.group(2)[:200]))
    return items, errors


def _ancestor_committees(branch: PartyOrg):
    step = PartyOrg.steplen
    paths = [branch.path[:i] for i in range(step, len(branch.path), step)]
    return PartyOrg.objects.filter(path__in=paths, kind__in=sorted(rules.APPROVING_ORG_KINDS)).order_by("path")


class StepForm(forms.Form):
    """The fields of one step, built from the model's fields; ``data_for_service`` turns the
    cleaned values into what ``recruitment_step_record`` takes."""

    override_reason = forms.CharField(
        label="理由（说明后继续办理）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="仅党委（工委）管理员可在规则报错时说明理由后继续办理，理由将记入修改记录。",
    )

    def __init__(self, *args, step: int, record: Recruitment, user, show_reason: bool = False, **kwargs):
        self.step, self.record = step, record
        super().__init__(*args, **kwargs)
        reason = self.fields.pop("override_reason")
        for name in STEP_FIELDS[step]:
            self._add(name, user)
        if show_reason:
            self.fields["override_reason"] = reason
        if not self.is_bound:
            self.initial = {**self._initial(), **self.initial}

    # fields
    def _add(self, name: str, user) -> None:
        record = self.record
        if name in ("mentors", "sponsors"):
            members = selectors.full_members_for_choice(branch=record.branch)
            label = "培养联系人" if name == "mentors" else "入党介绍人"
            for i in (1, 2):
                self.fields[f"{name}_{i}"] = forms.ModelChoiceField(
                    label=f"{label}{i}", queryset=members, required=False,
                    widget=forms.Select(attrs={"data-dq-searchable": ""}),
                )  # fmt: skip
                if name == "sponsors":
                    self.fields[f"{name}_{i}_discipline"] = forms.ChoiceField(
                        label=f"{label}{i}受处分情况", required=False, choices=[("", "无"), *DISCIPLINES]
                    )
            return
        if name in ("evaluations", "probation_evaluations"):
            self.fields[name] = forms.CharField(
                label="考察记录",
                required=False,
                widget=forms.Textarea(attrs={"rows": 5, "placeholder": "2025-07-01 表现良好\n2026-01-05 思想积极"}),
                help_text="每行一次考察：日期，空格，考察意见（可不填）。",
            )
            return
        if name == "archive_checklist":
            self.fields[name] = forms.MultipleChoiceField(
                label="已归档材料", required=False, choices=ARCHIVE_DOCUMENTS, widget=forms.CheckboxSelectMultiple
            )
            return
        if name == "branch":
            self.fields[name] = forms.ModelChoiceField(label="所在党支部", queryset=branch_choices(user))
            return
        if name == "approving_org":
            self.fields[name] = forms.ModelChoiceField(
                label="审批党组织", queryset=_ancestor_committees(record.branch), required=False,
                help_text="只有党委（含工委）有权审批（REC-16）",
            )  # fmt: skip
            return
        if name in ("admission_method", "conversion_method"):
            label = Recruitment._meta.get_field(name).verbose_name
            self.fields[name] = forms.ChoiceField(label=label, required=False, choices=[("", "—"), *BALLOT_METHODS])
            return
        model_field = Recruitment._meta.get_field(name)
        field = model_field.formfield()
        if isinstance(field, forms.DateField):
            field.widget = DateInput()
        if isinstance(field, forms.CharField) and name == "notes":
            field.widget = forms.Textarea(attrs={"rows": 3})
        field.required = False if name != "branch" else field.required
        self.fields[name] = field

    def _initial(self) -> dict:
        record, initial = self.record, {}
        for name in STEP_FIELDS[self.step]:
            if name in ("mentors", "sponsors"):
                for i, guide in enumerate(getattr(record, name).all()[:2], 1):
                    if guide.person_id:
                        member = PartyMember.objects.filter(person_id=guide.person_id).first()
                        initial[f"{name}_{i}"] = member.pk if member else None
                    if name == "sponsors":
                        initial[f"{name}_{i}_discipline"] = guide.discipline
            elif name in ("evaluations", "probation_evaluations"):
                kind = Evaluation.CULTIVATION if name == "evaluations" else Evaluation.PROBATION
                initial[name] = "\n".join(
                    f"{e.on.isoformat()} {e.summary}".strip() for e in record.evaluations.all() if e.kind == kind
                )
            elif name == "branch":
                initial[name] = record.branch_id
            elif name == "approving_org":
                initial[name] = record.approving_org_id
            else:
                initial[name] = getattr(record, name)
        return initial

    def clean(self):
        data = super().clean()
        for name in ("evaluations", "probation_evaluations"):
            if name in self.fields:
                items, errors = parse_evaluations(data.get(name, ""))
                for error in errors:
                    self.add_error(name, error)
                data[f"{name}_items"] = items
        for name in ("mentors", "sponsors"):
            picked = [data.get(f"{name}_{i}") for i in (1, 2) if data.get(f"{name}_{i}")]
            if len({m.pk for m in picked}) < len(picked):
                self.add_error(f"{name}_2", "两人不能相同。")
        return data

    def data_for_service(self) -> dict:
        data, result = self.cleaned_data, {}
        for name in STEP_FIELDS[self.step]:
            if name in ("mentors", "sponsors"):
                guides = []
                for i in (1, 2):
                    member = data.get(f"{name}_{i}")
                    if member is not None:
                        guides.append(
                            GuideInput(
                                name=member.person.name,
                                person=member.person,
                                discipline=data.get(f"{name}_{i}_discipline", "") or "",
                            )
                        )
                result[name] = guides
            elif name in ("evaluations", "probation_evaluations"):
                result[name] = data.get(f"{name}_items", [])
            elif name == "archive_checklist":
                result[name] = data.get(name) or None
            else:
                result[name] = data.get(name)
        return result


class ReasonForm(forms.Form):
    """A reason a rule asks for (special circumstances, postponement), or to let an error through."""

    rule = forms.ChoiceField(label="规则")
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rules_offered: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = rules_offered


# --- notices -----------------------------------------------------------------------------------


class NoticeForm(forms.Form):
    sections = [("公示", ["org", "recruitments", "start_on", "workdays", "in_both_places", "contact", "title"])]
    org = forms.ModelChoiceField(label="公示党组织", queryset=PartyOrg.objects.none())
    recruitments = forms.ModelMultipleChoiceField(
        label="公示对象", queryset=Recruitment.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    start_on = forms.DateField(label="公示开始日期", widget=DateInput())
    workdays = forms.IntegerField(label="公示期（工作日）", min_value=1, max_value=30, initial=5)
    in_both_places = forms.BooleanField(label="流出地和流入地同时公示", required=False)
    contact = forms.CharField(
        label="受理意见的联系方式", max_length=200, required=False, help_text="如：区财政局机关党委，电话 023-12345678"
    )
    title = forms.CharField(label="标题", max_length=200, required=False, help_text="不填则自动生成")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = org_policies.party_orgs.queryset(user, CHANGE).exclude(kind=PartyOrg.GROUP).order_by("path")
        self.fields["org"].queryset = orgs
        candidates = selectors.notice_candidates(user=user)
        self.fields["recruitments"].queryset = candidates
        self.fields["recruitments"].label_from_instance = lambda r: (
            f"{r.person.name}（{r.branch.short_name or r.branch.name}，确定为积极分子 {r.activist_on or '—'}）"
        )


class ObjectionForm(forms.Form):
    recruitment = forms.ModelChoiceField(label="涉及人员", queryset=Recruitment.objects.none(), required=False)
    received_on = forms.DateField(label="收到日期", widget=DateInput())
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recruitment"].queryset = notice.recruitments.select_related("person")
        self.fields["recruitment"].label_from_instance = lambda r: r.person.name


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(label="处理完毕日期", widget=DateInput())
    resolution = forms.CharField(label="处理结果", widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")
    org = forms.ModelChoiceField(label="导入到", queryset=PartyOrg.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = (
            org_policies.party_orgs.queryset(user, CHANGE).exclude(kind=PartyOrg.GROUP).order_by("path")
        )
