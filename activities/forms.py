from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities import balance, policies, quiz, sports
from activities.models import Activity, Competition, Question, Quiz, Registration
from core.policies import CHANGE, VIEW
from orgs import policies as org_policies


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def organiser_choices(user) -> list[tuple[str, str]]:
    """Organisations the user may organise for: "u:<pk>" unions, "p:<pk>" party orgs."""
    scope = policies.scope_of(user)
    choices = []
    if scope is not None and scope.is_union_admin:
        for org in org_policies.union_orgs.queryset(user, CHANGE).order_by("path")[:500]:
            choices.append((f"u:{org.pk}", f"{'　' * (org.depth - 1)}{org.name}"))
    if scope is not None and scope.role in policies.PARTY_WRITERS:
        for org in org_policies.party_orgs.queryset(user, CHANGE).exclude(kind="GROUP").order_by("path")[:500]:
            choices.append((f"p:{org.pk}", f"{'　' * (org.depth - 1)}{org.name}"))
    return choices


def resolve_organiser(user, value: str):
    """The UnionOrg or PartyOrg behind an organiser choice, if the user may organise for it."""
    kind, _, pk = (value or "").partition(":")
    if not pk.isdigit():
        return None
    policy = org_policies.union_orgs if kind == "u" else org_policies.party_orgs if kind == "p" else None
    if policy is None:
        return None
    return policy.queryset(user, CHANGE).filter(pk=int(pk)).first()


class ActivitySearchForm(forms.Form):
    q = forms.CharField(label="活动名称", required=False, widget=forms.TextInput(attrs={"placeholder": "名称或地点"}))
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部"), *Activity.KINDS])
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)


class ActivityForm(forms.Form):
    sections = [
        ("基本信息", ["title", "kind", "organiser", "hours", "description"]),
        ("时间地点", ["starts_at", "ends_at", "place"]),
        ("报名", ["open_to", "units", "capacity", "signup_deadline", "waitlist_enabled"]),
    ]
    title = forms.CharField(label="活动名称", max_length=100)
    kind = forms.ChoiceField(label="活动类别", choices=Activity.KINDS)
    organiser = forms.ChoiceField(label="主办组织")
    hours = forms.DecimalField(label="学时", required=False, min_value=0, max_digits=5, decimal_places=1,
                               help_text="培训类活动必填")  # fmt: skip
    description = forms.CharField(label="活动内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_at = forms.DateTimeField(label="开始时间", widget=DateTimeInput())
    ends_at = forms.DateTimeField(label="结束时间", widget=DateTimeInput())
    place = forms.CharField(label="地点", max_length=100, required=False)
    open_to = forms.ChoiceField(label="参加范围", choices=Activity.OPEN_TO, initial=Activity.SUBTREE)
    units = forms.ModelMultipleChoiceField(label="指定单位", queryset=None, required=False,
                                           help_text="参加范围为指定单位时选择（可多选）")  # fmt: skip
    capacity = forms.IntegerField(label="人数上限", required=False, min_value=1, help_text="不填表示不限人数")
    signup_deadline = forms.DateTimeField(label="报名截止时间", required=False, widget=DateTimeInput(),
                                          help_text="不填则活动开始前均可报名")  # fmt: skip
    waitlist_enabled = forms.BooleanField(label="名额满后允许候补", required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organiser"].choices = organiser_choices(user)
        self.fields["units"].queryset = org_policies.units.queryset(user, VIEW).order_by("name_pinyin")

    def clean(self):
        data = super().clean()
        org = resolve_organiser(self.user, data.get("organiser", ""))
        if org is None and "organiser" not in self.errors:
            self.add_error("organiser", "请选择您管理范围内的主办组织。")
        data["organiser_obj"] = org
        if data.get("kind") == balance.TRAINING and not data.get("hours"):
            self.add_error("hours", "培训类活动须填写学时。")
        return data

    def activity_data(self) -> dict:
        from orgs.models import UnionOrg

        d = self.cleaned_data
        org = d["organiser_obj"]
        data = {k: d[k] for k in ("title", "kind", "starts_at", "ends_at", "place", "capacity", "signup_deadline",
                                  "waitlist_enabled", "open_to", "hours", "description")}  # fmt: skip
        data["union_org"] = org if isinstance(org, UnionOrg) else None
        data["party_org"] = None if isinstance(org, UnionOrg) else org
        return data


def activity_initial(activity: Activity) -> dict:
    tz = timezone.get_current_timezone()
    return {
        "title": activity.title,
        "kind": activity.kind,
        "organiser": f"u:{activity.union_org_id}" if activity.union_org_id else f"p:{activity.party_org_id}",
        "hours": activity.hours,
        "description": activity.description,
        "starts_at": activity.starts_at.astimezone(tz),
        "ends_at": activity.ends_at.astimezone(tz),
        "place": activity.place,
        "open_to": activity.open_to,
        "units": list(activity.units.values_list("pk", flat=True)),
        "capacity": activity.capacity,
        "signup_deadline": activity.signup_deadline.astimezone(tz) if activity.signup_deadline else None,
        "waitlist_enabled": activity.waitlist_enabled,
    }


class SignupListForm(forms.Form):
    names = forms.CharField(
        label="报名名单",
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "placeholder": "每行一人，或用顿号、逗号分隔；重名时在姓名后加身份证后四位，如：王伟 1234",
            }
        ),
    )

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity

    def clean_names(self):
        from people.models import Person

        raw = self.cleaned_data["names"]
        tokens = [t.strip() for t in re.split(r"[\n,，、;；]+", raw) if t.strip()]
        if not tokens:
            raise ValidationError("请填写报名人员。")
        activity = self.activity
        org = activity.organiser
        if activity.open_to == Activity.UNITS:
            pool = Person.objects.filter(unit__in=activity.units.all())
        elif activity.union_org_id:
            pool = Person.objects.filter(union_member__union_org__path__startswith=org.path,
                                         union_member__left_on__isnull=True)  # fmt: skip
        else:
            pool = Person.objects.filter(party_member__branch__path__startswith=org.path,
                                         party_member__left_on__isnull=True)  # fmt: skip
        wanted = []
        for token in tokens:
            m = re.fullmatch(r"(\S+?)\s*[（(]?\s*(\d{3}[\dXx])?\s*[)）]?", token)
            name, tail = (m.group(1), m.group(2)) if m else (token, None)
            wanted.append((token, name, tail.upper() if tail else None))
        found = {}
        for p in pool.filter(name__in={n for _, n, _ in wanted}).only("pk", "name", "unit_id", "id_last4"):
            found.setdefault(p.name, []).append(p)
        persons, errors, seen = [], [], set()
        for token, name, tail in wanted:
            matches = [p for p in found.get(name, []) if tail is None or p.id_last4 == tail]
            if not matches:
                errors.append(f"“{token}”不在该活动的参加范围内（或姓名有误）。")
            elif len(matches) > 1:
                tails = "、".join(f"{name} {p.id_last4}" for p in matches)
                errors.append(f"“{name}”有重名，请加身份证后四位区分：{tails}。")
            elif matches[0].pk not in seen:
                seen.add(matches[0].pk)
                persons.append(matches[0])
        if errors:
            raise ValidationError(errors)
        return persons


class PhotoForm(forms.Form):
    file = forms.FileField(label="照片")
    caption = forms.CharField(label="说明", max_length=100, required=False)


class CheckInForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [
            (r.pk, r.pk) for r in activity.registrations.filter(status=Registration.REGISTERED)
        ]


# Competitions ---------------------------------------------------------------


class CompetitionForm(forms.ModelForm):
    activity = forms.ModelChoiceField(label="所属活动", queryset=None)

    class Meta:
        model = Competition
        fields = ["activity", "name", "discipline", "format", "third_place", "group_count", "qualifiers_per_group",
                  "lanes", "weight_limit_kg"]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = (
            policies.activities.queryset(user, CHANGE).filter(cancelled=False).order_by("-starts_at")
        )


def parse_time_ms(text: str) -> int | None:
    """ "1:02.35", "62.35", "1:02:03" → milliseconds; "" → None; ValidationError otherwise."""
    text = (text or "").strip().replace("：", ":")
    if not text:
        return None
    m = re.fullmatch(r"(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d{1,3})?)", text)
    if not m:
        raise ValidationError(f"用时“{text}”格式不对，请按 分:秒.百分秒 填写，如 1:02.35。")
    parts = [g for g in m.groups()[:2] if g is not None]
    hours, minutes = (int(parts[0]), int(parts[1])) if len(parts) == 2 else (0, int(parts[0]) if parts else 0)
    seconds = float(m.group(3))
    if len(parts) and seconds >= 60:
        raise ValidationError(f"用时“{text}”的秒数不能超过 59。")
    return int(round((hours * 3600 + minutes * 60 + seconds) * 1000))


def format_ms(ms: int | None) -> str:
    if ms is None:
        return ""
    span = timedelta(milliseconds=ms)
    minutes, seconds = divmod(span.total_seconds(), 60)
    hours, minutes = divmod(int(minutes), 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:05.2f}"
    return f"{minutes}:{seconds:05.2f}"


class EntryForm(forms.Form):
    person = forms.ModelChoiceField(label="参赛人员", queryset=None, required=False,
                                    help_text="从已报名该活动的人员中选择")  # fmt: skip
    team_name = forms.CharField(label="队名", max_length=50, required=False)
    unit = forms.ModelChoiceField(label="单位", queryset=None, required=False)
    members = forms.ModelMultipleChoiceField(label="队员", queryset=None, required=False)
    seed = forms.IntegerField(label="种子序号", required=False, min_value=1, help_text="1 为头号种子；不填则随机抽签")
    weight_kg = forms.DecimalField(
        label="全队总体重（公斤）", required=False, min_value=0, max_digits=6, decimal_places=1
    )
    entry_time = forms.CharField(label="报名成绩", required=False, help_text="计时项目分组用，如 1:02.35")
    work_title = forms.CharField(label="作品名称", required=False, max_length=100)
    work_file = forms.FileField(label="作品文件", required=False, help_text="图片或 PDF")

    def __init__(self, *args, competition: Competition, **kwargs):
        super().__init__(*args, **kwargs)
        from orgs.models import Unit
        from people.models import Person

        registered = Registration.objects.filter(activity=competition.activity, status=Registration.REGISTERED)
        people = Person.objects.filter(pk__in=registered.values("person_id")).order_by("name_pinyin")
        self.fields["person"].queryset = people
        self.fields["members"].queryset = people
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=registered.values("unit_id")).order_by("name_pinyin")
        self.competition = competition
        drop = []
        if competition.team:
            drop += ["person", "work_title", "work_file", "entry_time"]
            if competition.discipline != sports.TUG_OF_WAR.code:
                drop.append("weight_kg")
        else:
            drop += ["team_name", "unit", "members", "weight_kg"]
            if not competition.is_timed:
                drop.append("entry_time")
            if not competition.is_judged:
                drop += ["work_title", "work_file"]
        if competition.is_judged or competition.is_timed:
            drop.append("seed")
        for name in drop:
            self.fields.pop(name, None)

    def clean_entry_time(self):
        return parse_time_ms(self.cleaned_data.get("entry_time", ""))


class ResultForm(forms.Form):
    games = forms.CharField(label="各局比分", required=False,
                            help_text="乒乓球按局填写，如 11:9 9:11 11:5 11:7（主队在前）")  # fmt: skip
    home_score = forms.IntegerField(label="主队得分", required=False, min_value=0)
    away_score = forms.IntegerField(label="客队得分", required=False, min_value=0)
    forfeit = forms.ChoiceField(
        label="弃权", required=False, choices=[("", "无"), ("home", "主队弃权"), ("away", "客队弃权")]
    )

    def __init__(self, *args, fixture, **kwargs):
        super().__init__(*args, **kwargs)
        preset = fixture.competition.preset
        if preset is not None and preset.code == sports.TABLE_TENNIS.code:
            self.fields.pop("home_score")
            self.fields.pop("away_score")
        else:
            self.fields.pop("games")
            if preset is not None and preset.best_of:
                self.fields["home_score"].label = "主队胜局数"
                self.fields["away_score"].label = "客队胜局数"
        if fixture.home_label:
            for name, side in (("home_score", fixture.home_label), ("away_score", fixture.away_label)):
                if name in self.fields:
                    self.fields[name].label = f"{self.fields[name].label}（{side}）"


class ScheduleForm(forms.Form):
    court = forms.CharField(label="场地/球台", max_length=30, required=False)
    scheduled_at = forms.DateTimeField(label="比赛时间", required=False, widget=DateTimeInput())


class OfficialForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    role = forms.ChoiceField(label="角色", choices=[("referee", "裁判"), ("judge", "评委")])

    def clean_username(self):
        from accounts.models import User

        user = User.objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise ValidationError("没有该用户名的账号。")
        return user


class CriterionForm(forms.Form):
    name = forms.CharField(label="评分项", max_length=30)
    weight = forms.DecimalField(label="权重", min_value=0.01, max_digits=6, decimal_places=2, initial=1)
    max_score = forms.DecimalField(label="满分", min_value=1, max_digits=6, decimal_places=2, initial=100)


# Quizzes --------------------------------------------------------------------


class QuestionSearchForm(forms.Form):
    q = forms.CharField(label="题目", required=False)
    kind = forms.ChoiceField(label="题型", required=False, choices=[("", "全部"), *Question.KINDS])
    difficulty = forms.ChoiceField(label="难度", required=False, choices=[("", "全部"), *Question.DIFFICULTIES])
    tag = forms.CharField(label="标签", required=False)


class QuestionForm(forms.Form):
    owner = forms.ChoiceField(label="所属题库")
    kind = forms.ChoiceField(label="题型", choices=Question.KINDS)
    text = forms.CharField(label="题目", widget=forms.Textarea(attrs={"rows": 3}))
    options = forms.CharField(label="选项", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="选择题每行一个选项，依次为 A、B、C、D……")  # fmt: skip
    answer = forms.CharField(
        label="答案", help_text="选择题填字母（多选如 AC）；判断题填 对 或 错；填空题多个可接受答案用 | 分隔"
    )
    tags = forms.CharField(label="标签", required=False, help_text="多个标签用逗号分隔，如 党章,工会法")
    difficulty = forms.ChoiceField(label="难度", choices=Question.DIFFICULTIES, initial=quiz.MEDIUM)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["owner"].choices = organiser_choices(user)

    def clean(self):
        from activities.quiz_services import question_problems, split_answer

        data = super().clean()
        owner = resolve_organiser(self.user, data.get("owner", ""))
        if owner is None:
            self.add_error("owner", "请选择您管理范围内的题库。")
        data["owner_obj"] = owner
        kind = data.get("kind")
        if kind and data.get("text") and data.get("answer"):
            options = [o.strip() for o in data.get("options", "").splitlines() if o.strip()]
            if kind not in ("single", "multiple"):
                options = []
            answer = split_answer(kind, data["answer"])
            data["options_list"], data["answer_list"] = options, answer
            for problem in question_problems(kind=kind, text=data["text"], options=options, answer=answer,
                                             difficulty=data.get("difficulty", quiz.MEDIUM)):  # fmt: skip
                self.add_error("answer" if "答案" in problem else "options" if "选项" in problem else None, problem)
        data["tags_list"] = [t.strip() for t in re.split(r"[,，、]", data.get("tags", "")) if t.strip()]
        return data


class QuestionImportForm(forms.Form):
    owner = forms.ChoiceField(label="导入到题库")
    file = forms.FileField(
        label="Excel 文件", help_text="须为 .xlsx；第一行为表头：题型、题目、选项A…、答案、标签、难度"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["owner"].choices = organiser_choices(user)

    def clean_owner(self):
        owner = resolve_organiser(self.user, self.cleaned_data["owner"])
        if owner is None:
            raise ValidationError("请选择您管理范围内的题库。")
        return owner


DIFFICULTY_BY_LABEL = {label: code for code, label in quiz.DIFFICULTY_LABELS.items()}


def parse_draw_rules(text: str) -> list[dict]:
    """Lines "数量,标签,难度" (tag and difficulty optional) → draw rules."""
    rules = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = [p.strip() for p in re.split(r"[,，\s]+", line.strip()) if p.strip()]
        if not parts:
            continue
        if not parts[0].isdigit() or int(parts[0]) <= 0:
            raise ValidationError(f"第{number}行：抽题数量“{parts[0]}”须为正整数。")
        rule = {"count": int(parts[0]), "tag": None, "difficulty": None}
        for p in parts[1:]:
            if p in DIFFICULTY_BY_LABEL:
                rule["difficulty"] = DIFFICULTY_BY_LABEL[p]
            elif p not in ("全部", "任意", "-"):
                rule["tag"] = p
        rules.append(rule)
    if not rules:
        raise ValidationError("请至少设置一条抽题规则。")
    return rules


def rules_text(rules: list[dict]) -> str:
    lines = []
    for r in rules:
        parts = [str(r.get("count", 0)), r.get("tag") or "全部"]
        if r.get("difficulty"):
            parts.append(quiz.DIFFICULTY_LABELS[r["difficulty"]])
        lines.append(",".join(parts))
    return "\n".join(lines)


class QuizForm(forms.Form):
    activity = forms.ModelChoiceField(label="所属活动", queryset=None)
    title = forms.CharField(label="竞赛名称", max_length=100)
    mode = forms.ChoiceField(label="方式", choices=Quiz.MODES)
    rules = forms.CharField(label="抽题规则", widget=forms.Textarea(attrs={"rows": 4}), initial="10,全部",
                            help_text="每行一条：数量,标签,难度（标签、难度可省略），如 5,党章,容易")  # fmt: skip
    time_limit_minutes = forms.IntegerField(label="答题时限（分钟）", min_value=1, max_value=300, initial=30,
                                            help_text="线上自主答题用")  # fmt: skip
    attempts_limit = forms.IntegerField(label="答题次数上限", min_value=1, max_value=10, initial=1)
    question_seconds = forms.IntegerField(label="每题限时（秒）", min_value=5, max_value=300, initial=20,
                                          help_text="现场竞赛用")  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = policies.activities.queryset(user, CHANGE).filter(cancelled=False)

    def clean_rules(self):
        return parse_draw_rules(self.cleaned_data["rules"])


class JoinForm(forms.Form):
    code = forms.CharField(label="加入码", max_length=12, widget=forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "6 位数字"}))  # fmt: skip


class ExerciseForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=None)
    day = forms.DateField(label="日期", widget=DateInput())
    participants = forms.IntegerField(label="参加人数", required=False, min_value=0)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from activities.selectors import exercise_units

        self.fields["unit"].queryset = exercise_units(user=user).order_by("name_pinyin")
