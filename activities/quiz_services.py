"""Writes for knowledge quizzes: the question bank and its .xlsx import, papers,
self-paced attempts and the live contest.

The live contest keeps its state in the Quiz row (current question, when its
countdown opened, whether the host closed it early), so any number of server
processes can take answers. The answer path (``live_answer``) is deliberately
light: the player is identified by a signed token (no session lookup), the
current question is read in one query, and the answer is one INSERT — the
unique (participant, question) constraint keeps the first answer only, so a
phone that reconnects and sends again gets the first result back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from activities import policies, quiz
from activities.models import Attempt, LiveAnswer, Participant, Question, Quiz, QuizQuestion
from core import audit
from core.excel import CellError, clean_text, find_header, load_sheet, map_columns
from core.policies import CHANGE, VIEW
from core.services import save_audited

TOKEN_SALT = "activities.live-quiz"
SUBMIT_GRACE = timedelta(seconds=60)  # a self-paced paper auto-submitted at the limit still arrives


# Question bank --------------------------------------------------------------

CHOICE_KINDS = (quiz.SINGLE, quiz.MULTIPLE)


def question_problems(*, kind: str, text: str, options: list[str], answer: list[str], difficulty: str) -> list[str]:
    """What is wrong with a question, in Chinese (empty when it can be saved)."""
    problems = []
    if not text.strip():
        problems.append("题目不能为空。")
    if kind in CHOICE_KINDS:
        if len(options) < 2:
            problems.append("选择题至少要有 2 个选项。")
        letters = {chr(65 + i) for i in range(len(options))}
        wrong = [a for a in answer if a not in letters]
        if wrong:
            problems.append(f"答案 {'、'.join(wrong)} 不在选项 {''.join(sorted(letters)) or '（无）'} 中。")
        if kind == quiz.MULTIPLE and len(answer) < 2:
            problems.append("多选题的答案至少要有 2 个选项。")
    try:
        quiz.Question(id="新题", kind=kind, answer=tuple(answer), difficulty=difficulty)
    except quiz.QuizError as exc:
        problems.append(str(exc).replace("题目 新题 ", "").replace(" 新题", ""))
    return problems


def split_answer(kind: str, raw: str) -> list[str]:
    """The answer cell/field as the stored list: letters for choices, 对/错, fill-in alternatives by |."""
    text = clean_text(raw)
    if kind in CHOICE_KINDS:
        letters = [c.upper() for c in text if c.isascii() and c.isalpha()]
        return sorted(set(letters))
    if kind == quiz.TRUE_FALSE:
        truth = quiz._truth(text)
        return ["对" if truth else "错"] if truth is not None else [text]
    return [p.strip() for p in text.replace("｜", "|").split("|") if p.strip()]


def question_save(*, by, question: Question) -> Question:
    problems = question_problems(
        kind=question.kind,
        text=question.text,
        options=question.options,
        answer=question.answer,
        difficulty=question.difficulty,
    )
    if problems:
        raise ValidationError(problems)
    return save_audited(question, by=by, policy=policies.questions)


IMPORT_COLUMNS = {
    "题型": ("类型",),
    "题目": ("题干", "试题"),
    "选项A": ("A",),
    "选项B": ("B",),
    "选项C": ("C",),
    "选项D": ("D",),
    "选项E": ("E",),
    "选项F": ("F",),
    "答案": ("正确答案", "标准答案"),
    "标签": ("知识点", "分类"),
    "难度": (),
}
KIND_WORDS = {"单选": quiz.SINGLE, "多选": quiz.MULTIPLE, "判断": quiz.TRUE_FALSE, "填空": quiz.FILL_IN} | {
    label: code for code, label in quiz.KIND_LABELS.items()
}
DIFFICULTY_WORDS = {label: code for code, label in quiz.DIFFICULTY_LABELS.items()} | {
    "易": quiz.EASY,
    "简单": quiz.EASY,
    "中": quiz.MEDIUM,
    "一般": quiz.MEDIUM,
    "难": quiz.HARD,
    "较难": quiz.HARD,
}
TEMPLATE_HEADERS = ["题型", "题目", "选项A", "选项B", "选项C", "选项D", "答案", "标签", "难度"]


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[CellError] = field(default_factory=list)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0


def questions_import(*, by, data: bytes, owner, dry_run: bool = False) -> ImportReport:
    """Import questions from .xlsx, all or nothing: any bad cell and nothing is
    saved, every bad cell is reported (row, column, Chinese message)."""
    from core.excel import UploadError, column_letter
    from orgs.models import UnionOrg

    rows = load_sheet(data, preferred="题库")
    header_at = find_header(rows, "题目")
    report = ImportReport()
    if header_at is None:
        raise UploadError("没有找到表头：表头行须包含“题目”列。")
    columns, _unknown = map_columns(rows[header_at], IMPORT_COLUMNS)
    missing = [c for c in ("题型", "题目", "答案") if c not in columns]
    if missing:
        raise UploadError(f"缺少必填列：{'、'.join(missing)}。")
    owner_field = "union_org" if isinstance(owner, UnionOrg) else "party_org"
    built = []
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):

        def cell(name, row=row):
            i = columns.get(name)
            return clean_text(row[i]) if i is not None and i < len(row) else ""

        def letter(name):
            return column_letter(columns[name]) if name in columns else ""

        if not any(clean_text(c) for c in row):
            continue
        report.rows += 1
        kind = KIND_WORDS.get(cell("题型"))
        if kind is None:
            report.errors.append(
                CellError(offset, letter("题型"), f"题型“{cell('题型')}”无效，应为单选、多选、判断或填空。")
            )
            continue
        difficulty = DIFFICULTY_WORDS.get(cell("难度") or "中等")
        if difficulty is None:
            report.errors.append(CellError(offset, letter("难度"), f"难度“{cell('难度')}”无效，应为容易、中等或困难。"))
            continue
        options = [cell(f"选项{c}") for c in "ABCDEF"]
        while options and not options[-1]:
            options.pop()
        if kind not in CHOICE_KINDS:
            options = []
        elif "" in options:
            report.errors.append(CellError(offset, "", "选项中间不能有空缺（如有选项C就须有选项B）。"))
            continue
        answer = split_answer(kind, cell("答案"))
        problems = question_problems(
            kind=kind, text=cell("题目"), options=options, answer=answer, difficulty=difficulty
        )
        for problem in problems:
            column = letter("题目") if "题目" in problem else letter("答案")
            report.errors.append(CellError(offset, column, problem))
        if problems:
            continue
        tags = [t for t in clean_text(cell("标签")).replace("，", ",").replace("、", ",").split(",") if t.strip()]
        built.append(
            Question(
                **{owner_field: owner},
                kind=kind,
                text=cell("题目"),
                options=options,
                answer=answer,
                tags=[t.strip() for t in tags],
                difficulty=difficulty,
            )
        )
    if report.rows == 0:
        report.errors.append(CellError(header_at + 2, "", "表中没有题目。"))
    if not report.ok or dry_run:
        return report
    if not policies.may_organise(by, owner):
        raise PermissionDenied("题库所属组织不在您的管理范围内。")
    with transaction.atomic():
        Question.objects.bulk_create(built)
        audit.record_many(actor=by, action="activities.question.import", objects=built)
    report.imported = len(built)
    return report


# Papers and quizzes ---------------------------------------------------------


def parse_rules(rules: list[dict]) -> list[quiz.DrawRule]:
    parsed = []
    for r in rules:
        parsed.append(
            quiz.DrawRule(
                count=int(r.get("count", 0)), tag=r.get("tag") or None, difficulty=r.get("difficulty") or None
            )
        )
    return parsed


def quiz_save(*, by, quiz_obj: Quiz) -> Quiz:
    if quiz_obj.mode == Quiz.LIVE and not 5 <= quiz_obj.question_seconds <= 300:
        raise ValidationError({"question_seconds": "每题限时须在 5 至 300 秒之间。"})
    if not quiz_obj.draw_rules or sum(int(r.get("count", 0)) for r in quiz_obj.draw_rules) <= 0:
        raise ValidationError({"draw_rules": "请至少设置一条抽题规则。"})
    return save_audited(quiz_obj, by=by, policy=policies.quizzes)


def quiz_draw_paper(*, by, quiz_obj: Quiz, seed: int) -> list[QuizQuestion]:
    """组卷: draw the paper at random from the bank the actor sees, by the quiz's rules."""
    policies.quizzes.require(by, CHANGE, quiz_obj)
    if quiz_obj.status != Quiz.DRAFT:
        raise ValidationError("竞赛已开始，不能重新组卷。")
    bank = {str(q.pk): q for q in policies.questions.queryset(by, VIEW)}
    try:
        drawn = quiz.draw_paper(
            [q.as_pure() for q in bank.values()], parse_rules(quiz_obj.draw_rules), rng=random.Random(seed)
        )
    except quiz.QuizError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        quiz_obj.paper.all().delete()
        rows = [QuizQuestion(quiz=quiz_obj, question_id=int(q.id), position=i) for i, q in enumerate(drawn, start=1)]
        QuizQuestion.objects.bulk_create(rows)
        quiz_obj.seed = seed
        save_audited(quiz_obj, by=by, policy=policies.quizzes, action="activities.quiz.draw_paper")
    return rows


def quiz_set_status(*, by, quiz_obj: Quiz, status: str) -> Quiz:
    """Open a self-paced quiz for answering, or close any quiz."""
    policies.quizzes.require(by, CHANGE, quiz_obj)
    if status != Quiz.FINISHED and not quiz_obj.paper.exists():
        raise ValidationError("请先组卷。")
    quiz_obj.status = status
    if status == Quiz.FINISHED and quiz_obj.current_opened_at and not quiz_obj.current_closed_at:
        quiz_obj.current_closed_at = quiz_obj.current_opened_at + timedelta(seconds=quiz_obj.question_seconds)
    return save_audited(quiz_obj, by=by, policy=policies.quizzes, action=f"activities.quiz.{status}")


def _may_take(by, quiz_obj: Quiz) -> bool:
    return policies.activities.queryset(by, VIEW).filter(pk=quiz_obj.activity_id).exists()


# Self-paced -----------------------------------------------------------------


def attempt_start(*, by, quiz_obj: Quiz, now: datetime) -> Attempt:
    if quiz_obj.mode != Quiz.SELF_PACED or quiz_obj.status != Quiz.OPEN:
        raise ValidationError("该竞赛当前不在线上答题时间内。")
    if by.person_id is None or not _may_take(by, quiz_obj):
        raise ValidationError("该竞赛不对您开放。")
    with transaction.atomic():
        done = Attempt.objects.select_for_update().filter(quiz=quiz_obj, person_id=by.person_id)
        count = done.count()
        unfinished = done.filter(submitted_at__isnull=True).first()
        if unfinished is not None:
            return unfinished
        if count >= quiz_obj.attempts_limit:
            raise ValidationError(f"每人最多答题 {quiz_obj.attempts_limit} 次，您已用完答题次数。")
        from people.models import Person

        unit_id = Person.objects.filter(pk=by.person_id).values_list("unit_id", flat=True).first()
        attempt = Attempt(quiz=quiz_obj, person_id=by.person_id, unit_id=unit_id, number=count + 1, started_at=now)
        save_audited(attempt, by=by, policy=None, action="activities.attempt.start")
    return attempt


def attempt_deadline(attempt: Attempt) -> datetime:
    return attempt.started_at + timedelta(minutes=attempt.quiz.time_limit_minutes)


def attempt_submit(*, by, attempt: Attempt, answers: dict[str, object], now: datetime) -> Attempt:
    """交卷: grade the paper. After the time limit (plus a minute for the page's
    own auto-submit to arrive) the paper is refused and scored as handed in empty."""
    if attempt.person_id != by.person_id:
        raise PermissionDenied("只能提交本人的答卷。")
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            return attempt  # a double click: the first submission stands
        paper = list(attempt.quiz.paper.select_related("question"))
        late = now > attempt_deadline(attempt) + SUBMIT_GRACE
        kept = {} if late else {str(qq.pk): answers.get(str(qq.pk)) for qq in paper}
        correct = sum(1 for qq in paper if quiz.check_answer(qq.question.as_pure(), kept.get(str(qq.pk))))
        attempt.answers = {k: v for k, v in kept.items() if v not in (None, "", [])}
        attempt.correct = correct
        attempt.score = (Decimal(100 * correct) / Decimal(len(paper) or 1)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        attempt.submitted_at = now
        attempt.timed_out = late
        save_audited(attempt, by=by, policy=None, action="activities.attempt.submit")
    return attempt


# Live contest ---------------------------------------------------------------


def player_token(participant: Participant) -> str:
    return signing.dumps({"q": participant.quiz_id, "p": participant.pk}, salt=TOKEN_SALT, compress=True)


def read_token(token: str) -> tuple[int, int] | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        return int(data["q"]), int(data["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def participant_join(*, by, join_code: str, now: datetime) -> Participant:
    """Join a live quiz with its code (again from another phone: the same participant)."""
    code = "".join(ch for ch in (join_code or "") if ch.isdigit())
    quiz_obj = Quiz.objects.filter(join_code=code, mode=Quiz.LIVE).exclude(status=Quiz.FINISHED).first()
    if quiz_obj is None:
        raise ValidationError("加入码无效，或该竞赛已结束。")
    if by.person_id is None:
        raise ValidationError("您的账号没有关联人员信息，不能参赛。")
    existing = Participant.objects.filter(quiz=quiz_obj, person_id=by.person_id).first()
    if existing is not None:
        return existing
    if not _may_take(by, quiz_obj):
        raise ValidationError("该竞赛不对您开放（只面向主办组织的会员或指定单位的职工）。")
    from people.models import Person

    unit_id = Person.objects.filter(pk=by.person_id).values_list("unit_id", flat=True).first()
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                quiz=quiz_obj, person_id=by.person_id, unit_id=unit_id, joined_at=now
            )
    except IntegrityError:
        return Participant.objects.get(quiz=quiz_obj, person_id=by.person_id)
    return participant


def live_next(*, by, quiz_obj: Quiz, now: datetime) -> Quiz:
    """The host opens the next question's countdown (the first one starts the contest)."""
    policies.quizzes.require(by, CHANGE, quiz_obj)
    with transaction.atomic():
        q = Quiz.objects.select_for_update().get(pk=quiz_obj.pk)
        if q.status == Quiz.FINISHED:
            raise ValidationError("竞赛已结束。")
        total = q.paper.count()
        if total == 0:
            raise ValidationError("请先组卷。")
        if q.current_opened_at and not _closed(q, now):
            raise ValidationError("本题还在计时，请等计时结束或先结束本题。")
        if q.current_position >= total:
            raise ValidationError("已经是最后一题。")
        q.status = Quiz.RUNNING
        q.current_position += 1
        q.current_opened_at = now
        q.current_closed_at = None
        q.save(update_fields=["status", "current_position", "current_opened_at", "current_closed_at"])
        audit.record(actor=by, action="activities.quiz.live_next", obj=q, after={"position": q.current_position})
    return q


def live_close(*, by, quiz_obj: Quiz, now: datetime) -> Quiz:
    """The host ends the current question before its countdown runs out."""
    policies.quizzes.require(by, CHANGE, quiz_obj)
    with transaction.atomic():
        q = Quiz.objects.select_for_update().get(pk=quiz_obj.pk)
        if q.current_opened_at is None or _closed(q, now):
            return q
        q.current_closed_at = now
        q.save(update_fields=["current_closed_at"])
        audit.record(actor=by, action="activities.quiz.live_close", obj=q, after={"position": q.current_position})
    return q


def closes_at(q: Quiz) -> datetime | None:
    if q.current_opened_at is None:
        return None
    natural = q.current_opened_at + timedelta(seconds=q.question_seconds)
    return min(natural, q.current_closed_at) if q.current_closed_at else natural


def _closed(q: Quiz, now: datetime) -> bool:
    end = closes_at(q)
    return end is not None and now > end


def live_answer(*, quiz_id: int, participant_id: int, quiz_question_id: int, given, now: datetime) -> quiz.Outcome:
    """Take one answer: ACCEPTED (kept and marked), DUPLICATE (the first answer's
    result again) or REFUSED (Chinese reason: too late, not the current question)."""
    qq = (
        QuizQuestion.objects.select_related("question", "quiz")
        .filter(pk=quiz_question_id, quiz_id=quiz_id)
        .only(
            "position",
            "question__kind",
            "question__answer",
            "question__difficulty",
            "question__tags",
            "quiz__status",
            "quiz__current_position",
            "quiz__current_opened_at",
            "quiz__current_closed_at",
            "quiz__question_seconds",
        )
        .order_by()[:1]
    )
    qq = qq[0] if qq else None
    if qq is None:
        return quiz.Outcome(quiz.REFUSED, "没有该题目。")
    first = (
        LiveAnswer.objects.filter(participant_id=participant_id, quiz_question_id=quiz_question_id)
        .values_list("points", "correct")
        .first()
    )
    if first is not None:
        return quiz.Outcome(quiz.DUPLICATE, "本题已作答，以第一次提交的答案为准。", first[0], first[1])
    q = qq.quiz
    if q.status != Quiz.RUNNING or q.current_position != qq.position or q.current_opened_at is None:
        return quiz.Outcome(quiz.REFUSED, f"第{qq.position}题已结束作答，答案不予受理。")
    if q.current_closed_at is not None and now > q.current_closed_at:
        return quiz.Outcome(quiz.REFUSED, f"主持人已结束第{qq.position}题的作答，答案不予受理。")
    pure = qq.question.as_pure()
    window = quiz.Window(pure.id, q.current_opened_at, timedelta(seconds=q.question_seconds))
    try:
        kept = quiz.mark_answer(pure, window, participant=participant_id, given=given, at=now)
    except quiz.AnswerRefused as refusal:
        return quiz.Outcome(quiz.REFUSED, str(refusal).replace(f"题目 {pure.id} ", f"第{qq.position}题"))
    try:
        with transaction.atomic():
            LiveAnswer.objects.create(
                participant_id=participant_id,
                quiz_question_id=quiz_question_id,
                given=given,
                answered_at=now,
                elapsed_ms=kept.elapsed // timedelta(milliseconds=1),
                correct=kept.correct,
                points=kept.points,
            )
    except IntegrityError:
        # The same phone twice at once: the other request kept its answer.
        points, correct = (
            LiveAnswer.objects.filter(participant_id=participant_id, quiz_question_id=quiz_question_id)
            .values_list("points", "correct")
            .get()
        )
        return quiz.Outcome(quiz.DUPLICATE, "本题已作答，以第一次提交的答案为准。", points, correct)
    verdict = "回答正确" if kept.correct else "回答错误"
    return quiz.Outcome(quiz.ACCEPTED, f"{verdict}，得 {kept.points} 分。", kept.points, kept.correct)


@dataclass(frozen=True)
class Leaderboards:
    people: list  # [(PersonRow, name, unit name)]
    units: list  # [(UnitRow, unit name)]
    answered: int  # answers to the current question


def leaderboards(quiz_obj: Quiz) -> Leaderboards:
    """By person and by unit (quiz.py's rules), from the answers kept so far. Two queries."""
    roster_rows = list(
        Participant.objects.filter(quiz=quiz_obj).values_list("pk", "person__name", "unit_id", "unit__name")
    )
    roster = {pk: (unit_id or 0) for pk, _, unit_id, _ in roster_rows}
    names = {pk: name for pk, name, _, _ in roster_rows}
    unit_names = {(unit_id or 0): (unit_name or "未填单位") for _, _, unit_id, unit_name in roster_rows}
    kept, answered = [], 0
    rows = LiveAnswer.objects.filter(participant__quiz=quiz_obj).values_list(
        "participant_id",
        "quiz_question_id",
        "quiz_question__position",
        "answered_at",
        "elapsed_ms",
        "correct",
        "points",
    )
    for pid, qq_id, position, at, elapsed, correct, points in rows:
        kept.append(quiz.KeptAnswer(pid, str(qq_id), None, at, timedelta(milliseconds=elapsed), correct, points))
        if position == quiz_obj.current_position:
            answered += 1
    people = [
        (row, names[row.participant], unit_names[row.unit]) for row in quiz.person_leaderboard(kept, roster=roster)
    ]
    units = [(row, unit_names[row.unit]) for row in quiz.unit_leaderboard(kept, roster=roster)]
    return Leaderboards(people=people, units=units, answered=answered)
