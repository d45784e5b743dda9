"""Models of the activities area: activities and sign-up, competitions (sports
tournaments and judged contests), knowledge quizzes, training and work-break
exercise.

The pure logic lives beside: brackets.py, standings.py, sports.py (presets and
score checks), judging.py, quiz.py, balance.py. These models only keep what
was decided; the draws, tables and rankings are recomputed from them.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from activities import balance, quiz, sports


def _token() -> str:
    return secrets.token_urlsafe(16)


def _join_code() -> str:
    return f"{secrets.randbelow(900000) + 100000}"


class Activity(models.Model):
    """活动: organised by one union or party organisation, open to its subtree or to named units."""

    KINDS = [(code, label) for code, label in balance.KIND_LABELS.items()]
    SUBTREE = "subtree"
    UNITS = "units"
    OPEN_TO = [(SUBTREE, "本组织及下级组织的会员/党员"), (UNITS, "指定单位的职工")]

    title = models.CharField("活动名称", max_length=100)
    kind = models.CharField("活动类别", max_length=10, choices=KINDS)
    union_org = models.ForeignKey(
        "orgs.UnionOrg", verbose_name="主办工会", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    party_org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="主办党组织", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=100, blank=True)
    capacity = models.PositiveIntegerField("人数上限", null=True, blank=True, help_text="不填表示不限人数")
    signup_deadline = models.DateTimeField("报名截止时间", null=True, blank=True)
    waitlist_enabled = models.BooleanField("名额满后允许候补", default=True)
    open_to = models.CharField("参加范围", max_length=10, choices=OPEN_TO, default=SUBTREE)
    units = models.ManyToManyField("orgs.Unit", verbose_name="指定单位", blank=True, related_name="+")
    hours = models.DecimalField(
        "学时", max_digits=5, decimal_places=1, null=True, blank=True, help_text="培训类活动的学时"
    )
    description = models.TextField("活动内容", blank=True)
    cancelled = models.BooleanField("已取消", default=False)
    checkin_token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动"
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["kind", "starts_at"], name="activity_kind_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(union_org__isnull=False, party_org__isnull=True)
                | Q(union_org__isnull=True, party_org__isnull=False),
                name="activity_exactly_one_organiser",
            ),
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="activity_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organiser(self):
        return self.union_org or self.party_org

    @property
    def is_education(self) -> bool:
        return self.kind in balance.EDUCATION_KINDS

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.union_org_id and self.party_org_id:
            errors["party_org"] = "主办单位只能是一个工会或一个党组织。"
        if not self.union_org_id and not self.party_org_id:
            errors["union_org"] = "请选择主办工会或主办党组织。"
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = "结束时间不能早于开始时间。"
        if self.signup_deadline and self.ends_at and self.signup_deadline > self.ends_at:
            errors["signup_deadline"] = "报名截止时间不能晚于活动结束时间。"
        if self.kind == balance.TRAINING and not self.hours:
            errors["hours"] = "培训类活动须填写学时。"
        if errors:
            raise ValidationError(errors)


class Training(Activity):
    """培训: an Activity of kind training; its hours count for each attendee."""

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "培训"


class Registration(models.Model):
    """报名: one person on one activity, registered or on the waiting list."""

    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    STATUSES = [(REGISTERED, "已报名"), (WAITLISTED, "候补"), (CANCELLED, "已取消")]
    QR = "qr"
    LIST = "list"
    CHECKIN_METHODS = [(QR, "扫码签到"), (LIST, "名单签到")]

    activity = models.ForeignKey(Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField("状态", max_length=12, choices=STATUSES, default=REGISTERED)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报名人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("报名时间")
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checkin_method = models.CharField("签到方式", max_length=4, choices=CHECKIN_METHODS, blank=True)
    certificate_no = models.CharField("证书编号", max_length=30, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "报名"
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="registration_once")]
        indexes = [
            models.Index(fields=["activity", "status"], name="registration_status_idx"),
            models.Index(fields=["person", "status"], name="registration_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.person}"

    @property
    def attended(self) -> bool:
        return self.checked_in_at is not None


class ActivityPhoto(models.Model):
    """活动照片: stored under PRIVATE_MEDIA_ROOT, served by a view that checks scope."""

    activity = models.ForeignKey(Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="photos")
    file = models.CharField("文件", max_length=200)  # path relative to PRIVATE_MEDIA_ROOT
    content_type = models.CharField(max_length=40)
    caption = models.CharField("说明", max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动照片"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.caption or f"照片{self.pk}"


# Competitions ---------------------------------------------------------------


class Competition(models.Model):
    """比赛: a sports tournament, a timed event or a judged contest within an Activity."""

    CALLIGRAPHY = "CALLIGRAPHY"
    SKILLS = "SKILLS"
    DISCIPLINES = [(p.code, p.name) for p in sports.PRESETS.values()] + [
        (CALLIGRAPHY, "书画"),
        (SKILLS, "技能比赛"),
    ]
    SINGLE_ELIMINATION = "single_elimination"
    ROUND_ROBIN = "round_robin"
    GROUPS_KNOCKOUT = "groups_knockout"
    TIMED = "timed"
    JUDGED = "judged"
    FORMATS = [
        (SINGLE_ELIMINATION, "单败淘汰"),
        (ROUND_ROBIN, "单循环"),
        (GROUPS_KNOCKOUT, "小组循环+淘汰"),
        (TIMED, "计时/计量（分组赛）"),
        (JUDGED, "评委评分"),
    ]
    DRAFT = "draft"
    DRAWN = "drawn"
    FINISHED = "finished"
    STATUSES = [(DRAFT, "报名中"), (DRAWN, "比赛中"), (FINISHED, "已结束")]

    activity = models.ForeignKey(
        Activity, verbose_name="所属活动", on_delete=models.PROTECT, related_name="competitions"
    )
    name = models.CharField("比赛名称", max_length=100)
    discipline = models.CharField("项目", max_length=16, choices=DISCIPLINES)
    format = models.CharField("赛制", max_length=20, choices=FORMATS)
    team = models.BooleanField("团体项目", default=False)
    third_place = models.BooleanField("进行三四名决赛", default=False)
    group_count = models.PositiveSmallIntegerField("小组数", null=True, blank=True)
    qualifiers_per_group = models.PositiveSmallIntegerField("每组出线", null=True, blank=True)
    lanes = models.PositiveSmallIntegerField("每组道次", null=True, blank=True, help_text="计时项目每组人数")
    weight_limit_kg = models.DecimalField("限重（公斤）", max_digits=6, decimal_places=1, null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default=DRAFT)
    draw_order = models.JSONField("抽签顺序", default=list, blank=True)  # entry ids in seed order
    public_token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "比赛"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def preset(self) -> sports.SportPreset | None:
        return sports.PRESETS.get(self.discipline)

    @property
    def is_judged(self) -> bool:
        return self.format == self.JUDGED

    @property
    def is_timed(self) -> bool:
        return self.format == self.TIMED

    @property
    def is_knockout(self) -> bool:
        return self.format in (self.SINGLE_ELIMINATION, self.GROUPS_KNOCKOUT)


class Official(models.Model):
    """裁判 / 评委 assigned to one competition."""

    REFEREE = "referee"
    JUDGE = "judge"
    ROLES = [(REFEREE, "裁判"), (JUDGE, "评委")]

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="officials")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="+")
    role = models.CharField("角色", max_length=8, choices=ROLES)

    class Meta:
        verbose_name = verbose_name_plural = "裁判评委"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["competition", "user", "role"], name="official_once")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.user}"


class Entry(models.Model):
    """参赛: a person, or a team from one unit; for judged contests also the work."""

    competition = models.ForeignKey(Competition, verbose_name="比赛", on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(
        "people.Person", verbose_name="参赛人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team_name = models.CharField("队名", max_length=50, blank=True)
    members = models.ManyToManyField("people.Person", verbose_name="队员", blank=True, related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    seed = models.PositiveSmallIntegerField("种子序号", null=True, blank=True)
    weight_kg = models.DecimalField("全队体重（公斤）", max_digits=6, decimal_places=1, null=True, blank=True)
    entry_time_ms = models.PositiveIntegerField("报名成绩（毫秒）", null=True, blank=True)
    heat = models.PositiveSmallIntegerField("组次", null=True, blank=True)
    lane = models.PositiveSmallIntegerField("道次", null=True, blank=True)
    work_title = models.CharField("作品名称", max_length=100, blank=True)
    work_file = models.CharField("作品文件", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "参赛"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.team_name:
            return self.team_name
        return self.person.name if self.person_id else f"参赛{self.pk}"


class Fixture(models.Model):
    """赛程中的一场: one line of the draw, kept with its slot labels."""

    PENDING = "pending"
    READY = "ready"
    DONE = "done"
    BYE = "bye"
    STATUSES = [(PENDING, "待定"), (READY, "待赛"), (DONE, "已赛"), (BYE, "轮空")]

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="fixtures")
    code = models.CharField("场次", max_length=20)  # brackets.py fixture id: R1-1, A-R2-1, P3
    stage = models.CharField("阶段", max_length=20)  # 小组赛A组 / 半决赛 / 决赛 …
    group = models.CharField("小组", max_length=2, blank=True)
    round = models.PositiveSmallIntegerField("轮次")
    index = models.PositiveSmallIntegerField("序号")
    order = models.PositiveIntegerField("顺序")
    home = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    away = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    home_label = models.CharField(max_length=60, blank=True)
    away_label = models.CharField(max_length=60, blank=True)
    status = models.CharField("状态", max_length=8, choices=STATUSES, default=PENDING)
    court = models.CharField("场地/球台", max_length=30, blank=True)
    scheduled_at = models.DateTimeField("比赛时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "赛程"
        ordering = ["competition", "order"]
        constraints = [models.UniqueConstraint(fields=["competition", "code"], name="fixture_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.home_label} 对 {self.away_label}"


class Result(models.Model):
    """成绩: a fixture's score (head-to-head) or an entry's time (timed events)."""

    STATUSES = list(sports.STATUS_LABELS.items())

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="results")
    fixture = models.OneToOneField(Fixture, null=True, blank=True, on_delete=models.CASCADE, related_name="result")
    entry = models.OneToOneField(Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="timed_result")
    home_score = models.PositiveIntegerField("主队比分", null=True, blank=True)
    away_score = models.PositiveIntegerField("客队比分", null=True, blank=True)
    games = models.JSONField("各局比分", default=list, blank=True)
    winner = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    forfeited_by = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    time_ms = models.PositiveIntegerField("用时（毫秒）", null=True, blank=True)
    status = models.CharField("成绩状态", max_length=4, choices=STATUSES, default=sports.OK)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = verbose_name_plural = "成绩"
        constraints = [
            models.CheckConstraint(
                condition=Q(fixture__isnull=False, entry__isnull=True) | Q(fixture__isnull=True, entry__isnull=False),
                name="result_fixture_or_entry",
            )
        ]

    def __str__(self) -> str:
        if self.fixture_id:
            return f"{self.fixture.code} {self.home_score}:{self.away_score}"
        return f"{self.entry} {self.time_ms}"


class Criterion(models.Model):
    """评分项 of a judged contest."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("评分项", max_length=30)
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2)
    max_score = models.DecimalField("满分", max_digits=6, decimal_places=2, default=100)

    class Meta:
        verbose_name = verbose_name_plural = "评分项"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Mark(models.Model):
    """One judge's mark for one criterion of one entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="marks")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="marks")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "评分"
        constraints = [models.UniqueConstraint(fields=["entry", "criterion", "judge"], name="mark_once")]


# Knowledge quizzes ----------------------------------------------------------


class Question(models.Model):
    """题库中的一道题, owned by an organisation; visible to it, its subtree and below."""

    KINDS = list(quiz.KIND_LABELS.items())
    DIFFICULTIES = list(quiz.DIFFICULTY_LABELS.items())

    union_org = models.ForeignKey("orgs.UnionOrg", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    party_org = models.ForeignKey("orgs.PartyOrg", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("题型", max_length=12, choices=KINDS)
    text = models.TextField("题目")
    options = models.JSONField("选项", default=list, blank=True)  # ["选项A的文字", "选项B的文字", …]
    answer = models.JSONField("答案")  # list of str, as quiz.Question.answer
    tags = models.JSONField("标签", default=list, blank=True)
    difficulty = models.CharField("难度", max_length=8, choices=DIFFICULTIES, default=quiz.MEDIUM)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "题目"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(union_org__isnull=False) | Q(party_org__isnull=False), name="question_has_owner"
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]

    def as_pure(self) -> quiz.Question:
        return quiz.Question(
            id=str(self.pk),
            kind=self.kind,
            answer=tuple(self.answer),
            tags=frozenset(self.tags),
            difficulty=self.difficulty,
        )

    @property
    def lettered_options(self) -> list[tuple[str, str]]:
        return [(chr(65 + i), text) for i, text in enumerate(self.options)]

    @property
    def answer_text(self) -> str:
        return "、".join(self.answer)


class Quiz(models.Model):
    """知识竞赛: a paper drawn from the bank, taken online at one's pace or live with a host."""

    SELF_PACED = "self_paced"
    LIVE = "live"
    MODES = [(SELF_PACED, "线上自主答题"), (LIVE, "现场竞赛")]
    DRAFT = "draft"
    OPEN = "open"
    RUNNING = "running"
    FINISHED = "finished"
    STATUSES = [(DRAFT, "未开始"), (OPEN, "进行中"), (RUNNING, "现场进行中"), (FINISHED, "已结束")]

    activity = models.ForeignKey(Activity, verbose_name="所属活动", on_delete=models.PROTECT, related_name="quizzes")
    title = models.CharField("竞赛名称", max_length=100)
    mode = models.CharField("方式", max_length=12, choices=MODES)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default=DRAFT)
    draw_rules = models.JSONField("抽题规则", default=list)  # [{"count": 5, "tag": "党章", "difficulty": "easy"}]
    seed = models.PositiveIntegerField("抽题随机数种子", default=0)
    time_limit_minutes = models.PositiveSmallIntegerField("答题时限（分钟）", default=30)
    attempts_limit = models.PositiveSmallIntegerField("答题次数上限", default=1)
    question_seconds = models.PositiveSmallIntegerField("每题限时（秒）", default=20)
    join_code = models.CharField("加入码", max_length=6, unique=True, default=_join_code)
    current_position = models.PositiveSmallIntegerField("当前题号", default=0)  # 0: not started
    current_opened_at = models.DateTimeField(null=True, blank=True)
    current_closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "知识竞赛"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.mode == self.LIVE


class QuizQuestion(models.Model):
    """A question on a Quiz's paper, in order."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="paper")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("题号")

    class Meta:
        ordering = ["quiz", "position"]
        constraints = [models.UniqueConstraint(fields=["quiz", "position"], name="quiz_position_once")]


class Attempt(models.Model):
    """One self-paced attempt of a member at a quiz."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    number = models.PositiveSmallIntegerField("第几次")
    started_at = models.DateTimeField("开始时间")
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)  # str(quiz_question_id) → given
    correct = models.PositiveSmallIntegerField("答对题数", default=0)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, default=0)
    timed_out = models.BooleanField("超时", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "答题记录"
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["quiz", "person", "number"], name="attempt_number_once")]


class Participant(models.Model):
    """A member who joined a live quiz with its join code."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    joined_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["quiz", "person"], name="participant_once")]


class LiveAnswer(models.Model):
    """The answer kept for one participant and one question: the first accepted one."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    quiz_question = models.ForeignKey(QuizQuestion, on_delete=models.CASCADE, related_name="+")
    given = models.JSONField()
    answered_at = models.DateTimeField()
    elapsed_ms = models.PositiveIntegerField()
    correct = models.BooleanField()
    points = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "quiz_question"], name="live_answer_once")]


# Work-break exercise --------------------------------------------------------


class ExerciseCheckIn(models.Model):
    """工间操 check-in: the unit's (by its contact, person empty) or one member's, per day."""

    unit = models.ForeignKey("orgs.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    day = models.DateField("日期")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    participants = models.PositiveIntegerField("参加人数", null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "工间操打卡"
        ordering = ["-day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day"], condition=Q(person__isnull=True), name="exercise_unit_once_a_day"
            ),
            models.UniqueConstraint(
                fields=["unit", "day", "person"], condition=Q(person__isnull=False), name="exercise_member_once_a_day"
            ),
        ]
        indexes = [models.Index(fields=["unit", "day"], name="exercise_unit_day_idx")]

    def __str__(self) -> str:
        return f"{self.unit} {self.day}"
