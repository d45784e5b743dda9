"""Knowledge quiz pages: the question bank (and its .xlsx import), quizzes and
their papers, the self-paced paper, and the live contest — host screen,
players' phones, leaderboards — refreshed by htmx polling."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.scope import scope_of
from activities import forms, policies, quiz, selectors
from activities import quiz_services as qs
from activities.models import Attempt, Participant, Question, Quiz, QuizQuestion
from activities.views import AREA
from core.excel import XLSX_CONTENT_TYPE, UploadError, read_upload, write_xlsx
from core.forms import apply_errors
from core.listing import Action, Column, ListDefinition, ListPage
from core.policies import CHANGE, VIEW

HOST_POLL = 1  # seconds: the leaderboard shows within a second of the countdown's end
PLAYER_POLL = 2

QUESTION_LIST = ListDefinition(
    name="题库",
    columns=[
        Column("text", "题目", lambda q: q.text[:60], sort="id"),
        Column("kind", "题型", lambda q: q.get_kind_display(), sort="kind"),
        Column("options", "选项", lambda q: "；".join(f"{k}. {t}" for k, t in q.lettered_options)[:80]),
        Column("answer", "答案", lambda q: q.answer_text),
        Column("tags", "标签", lambda q: "、".join(q.tags)),
        Column("difficulty", "难度", lambda q: q.get_difficulty_display(), sort="difficulty"),
        Column("owner", "所属题库", lambda q: (q.union_org or q.party_org).name),
    ],
    default_sort="-id",
    row_actions=[Action("编辑", lambda q: reverse("activities:question_edit", args=[q.pk]))],
    empty_text="题库中还没有题目。点击“新增”录入，或“导入”Excel 题库。",
)


def _organiser_or_403(request):
    if not policies.is_organiser(scope_of(request.user)):
        raise PermissionDenied("仅工会或党组织管理员可以管理题库和竞赛。")


@login_required
def question_list(request):
    _organiser_or_403(request)
    form = forms.QuestionSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = policies.questions.queryset(request.user, VIEW).select_related("union_org", "party_org")
    if data.get("q"):
        rows = rows.filter(text__contains=data["q"])
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    if data.get("difficulty"):
        rows = rows.filter(difficulty=data["difficulty"])
    if data.get("tag"):
        rows = rows.filter(tags__icontains=data["tag"])
    page = ListPage(request, QUESTION_LIST, rows)
    if page.wants_export:
        return page.export()
    return render(request, "activities/list_page.html", {"page_title": "题库", "search_form": form,
                  "add_url": reverse("activities:question_create"), "import_url": reverse("activities:question_import"),
                  "breadcrumbs": [AREA, ("题库", None)], **page.context()})  # fmt: skip


def _question_form_page(request, question: Question | None):
    initial = {}
    if question is not None:
        initial = {
            "owner": f"u:{question.union_org_id}" if question.union_org_id else f"p:{question.party_org_id}",
            "kind": question.kind, "text": question.text, "options": "\n".join(question.options),
            "answer": "|".join(question.answer) if question.kind == quiz.FILL_IN else "".join(question.answer),
            "tags": ",".join(question.tags), "difficulty": question.difficulty,
        }  # fmt: skip
    form = forms.QuestionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        from orgs.models import UnionOrg

        d = form.cleaned_data
        question = question or Question()
        owner = d["owner_obj"]
        question.union_org = owner if isinstance(owner, UnionOrg) else None
        question.party_org = None if isinstance(owner, UnionOrg) else owner
        question.kind, question.text, question.options = d["kind"], d["text"].strip(), d["options_list"]
        question.answer, question.tags, question.difficulty = d["answer_list"], d["tags_list"], d["difficulty"]
        try:
            qs.question_save(by=request.user, question=question)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied:
            form.add_error("owner", "该题库不在您的管理范围内。")
        else:
            messages.success(request, "题目已保存。")
            return redirect("activities:question_list")
    title = "新增题目" if question is None or question.pk is None else "编辑题目"
    return render(request, "activities/form.html", {"page_title": title, "form": form,
                  "breadcrumbs": [AREA, ("题库", reverse("activities:question_list")), (title, None)]})  # fmt: skip


@login_required
def question_create(request):
    _organiser_or_403(request)
    return _question_form_page(request, None)


@login_required
def question_edit(request, pk: int):
    question = get_object_or_404(policies.questions.queryset(request.user, CHANGE), pk=pk)
    return _question_form_page(request, question)


def _import_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@login_required
def question_import(request):
    """导入题库: check first (every bad cell listed), then import all or nothing."""
    _organiser_or_403(request)
    form = forms.QuestionImportForm(request.POST or None, request.FILES or None, user=request.user)
    report, token, owner_value = None, "", request.POST.get("owner", "")
    if request.method == "POST" and request.POST.get("token"):
        token = request.POST["token"]
        owner = forms.resolve_organiser(request.user, owner_value)
        try:
            path = _import_dir() / f"questions-{request.user.pk}-{uuid.UUID(token).hex}.xlsx"
        except ValueError as exc:
            raise Http404 from exc
        if not path.exists() or owner is None:
            messages.error(request, "导入文件已过期，请重新上传。")
            return redirect("activities:question_import")
        report = qs.questions_import(by=request.user, data=path.read_bytes(), owner=owner)
        if report.ok:
            path.unlink()
            messages.success(request, f"已导入 {report.imported} 道题目。")
            return redirect("activities:question_list")
    elif request.method == "POST" and form.is_valid():
        try:
            data = read_upload(form.cleaned_data["file"])
            report = qs.questions_import(by=request.user, data=data, owner=form.cleaned_data["owner"], dry_run=True)
        except UploadError as exc:
            form.add_error("file", str(exc))
        else:
            if report.ok:
                token = uuid.uuid4().hex
                (_import_dir() / f"questions-{request.user.pk}-{token}.xlsx").write_bytes(data)
    return render(request, "activities/question_import.html", {"page_title": "导入题库", "form": form, "report": report,
                  "token": token, "owner_value": owner_value,
                  "breadcrumbs": [AREA, ("题库", reverse("activities:question_list")), ("导入题库", None)]})  # fmt: skip


@login_required
def question_import_template(request):
    rows = [
        ["单选", "党的最高领导机关是？", "党的全国代表大会和它所产生的中央委员会", "中央政治局", "中央书记处", "中央军委", "A", "党章", "容易"],
        ["多选", "工会的基本职责包括？", "维护职工合法权益", "竭诚服务职工群众", "组织职工参加民主管理", "", "ABC", "工会法", "中等"],
        ["判断", "预备党员的预备期为一年。", "", "", "", "", "对", "党章", "容易"],
        ["填空", "我国工会的最高领导机关是中华全国总工会的______。", "", "", "", "", "全国代表大会|全国代表大会及其执行委员会", "工会法", "困难"],
    ]  # fmt: skip
    data = write_xlsx(sheet_title="题库", headers=qs.TEMPLATE_HEADERS, rows=rows)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path('题库导入模板.xlsx')}"
    return response


# Quizzes --------------------------------------------------------------------

QUIZ_LIST = ListDefinition(
    name="知识竞赛",
    columns=[
        Column(
            "title",
            "竞赛名称",
            lambda q: q.title,
            sort="title",
            link=lambda q: reverse("activities:quiz_detail", args=[q.pk]),
        ),  # fmt: skip
        Column("mode", "方式", lambda q: q.get_mode_display(), sort="mode"),
        Column("activity", "所属活动", lambda q: q.activity.title),
        Column("questions", "题数", lambda q: q.n_questions),
        Column("participants", "现场参赛人数", lambda q: q.n_participants if q.mode == Quiz.LIVE else ""),
        Column("status", "状态", lambda q: q.get_status_display(), sort="status"),
    ],
    default_sort="-created_at",
    row_actions=[Action("查看", lambda q: reverse("activities:quiz_detail", args=[q.pk]))],
    empty_text="还没有知识竞赛。点击“新增”，选择所属活动和抽题规则。",
)


@login_required
def quiz_list(request):
    scope = scope_of(request.user)
    if not policies.is_organiser(scope):
        return redirect("activities:quiz_join")
    page = ListPage(request, QUIZ_LIST, selectors.quizzes(user=request.user))
    if page.wants_export:
        return page.export()
    return render(request, "activities/list_page.html", {"page_title": "知识竞赛", "add_url": reverse("activities:quiz_create"),
                  "breadcrumbs": [AREA, ("知识竞赛", None)], **page.context()})  # fmt: skip


@login_required
def quiz_create(request):
    _organiser_or_403(request)
    form = forms.QuizForm(request.POST or None, user=request.user, initial={"activity": request.GET.get("activity")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        quiz_obj = Quiz(activity=d["activity"], title=d["title"], mode=d["mode"], draw_rules=d["rules"],
                        time_limit_minutes=d["time_limit_minutes"], attempts_limit=d["attempts_limit"],
                        question_seconds=d["question_seconds"])  # fmt: skip
        try:
            qs.quiz_save(by=request.user, quiz_obj=quiz_obj)
            qs.quiz_draw_paper(by=request.user, quiz_obj=quiz_obj, seed=int(timezone.now().timestamp()) % 100000)
        except ValidationError as exc:
            if quiz_obj.pk:
                messages.warning(request, f"竞赛已创建，但组卷未成功：{'；'.join(exc.messages)}")
                return redirect("activities:quiz_detail", quiz_obj.pk)
            apply_errors(form, exc)
        else:
            messages.success(request, f"已创建知识竞赛“{quiz_obj.title}”并完成组卷。")
            return redirect("activities:quiz_detail", quiz_obj.pk)
    return render(request, "activities/form.html", {"page_title": "新增知识竞赛", "form": form,
                  "breadcrumbs": [AREA, ("知识竞赛", reverse("activities:quiz_list")), ("新增", None)]})  # fmt: skip


def _quiz_or_404(request, pk, action=VIEW):
    return get_object_or_404(policies.quizzes.queryset(request.user, action).select_related("activity"), pk=pk)


@login_required
def quiz_detail(request, pk: int):
    quiz_obj = _quiz_or_404(request, pk)
    manage = policies.quizzes.may(request.user, CHANGE, quiz_obj)
    if not manage:
        return redirect("activities:quiz_take" if quiz_obj.mode == Quiz.SELF_PACED else "activities:quiz_join", *(
            [quiz_obj.pk] if quiz_obj.mode == Quiz.SELF_PACED else []))  # fmt: skip
    paper = list(quiz_obj.paper.select_related("question"))
    context = {
        "page_title": quiz_obj.title, "quiz": quiz_obj, "paper": paper, "rules": forms.rules_text(quiz_obj.draw_rules),
        "breadcrumbs": [AREA, ("知识竞赛", reverse("activities:quiz_list")), (quiz_obj.title, None)],
        "join_url": request.build_absolute_uri(reverse("activities:quiz_join")),
    }  # fmt: skip
    if quiz_obj.mode == Quiz.LIVE:
        context["boards"] = qs.leaderboards(quiz_obj)
    else:
        context["attempts"] = list(
            Attempt.objects.filter(quiz=quiz_obj, submitted_at__isnull=False)
            .select_related("person", "unit")
            .order_by("-score", "submitted_at")[:200]
        )
    return render(request, "activities/quiz_detail.html", context)


@login_required
@require_POST
def quiz_redraw(request, pk: int):
    quiz_obj = _quiz_or_404(request, pk, CHANGE)
    try:
        qs.quiz_draw_paper(by=request.user, quiz_obj=quiz_obj, seed=int(timezone.now().timestamp()) % 100000)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已重新组卷。")
    return redirect("activities:quiz_detail", quiz_obj.pk)


@login_required
@require_POST
def quiz_status(request, pk: int):
    quiz_obj = _quiz_or_404(request, pk, CHANGE)
    status = request.POST.get("status")
    if status not in (Quiz.OPEN, Quiz.FINISHED):
        raise Http404
    try:
        qs.quiz_set_status(by=request.user, quiz_obj=quiz_obj, status=status)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "竞赛已开放答题。" if status == Quiz.OPEN else "竞赛已结束。")
    return redirect("activities:quiz_detail", quiz_obj.pk)


# Self-paced -----------------------------------------------------------------


@login_required
def quiz_take(request, pk: int):
    quiz_obj = _quiz_or_404(request, pk)
    if quiz_obj.mode != Quiz.SELF_PACED:
        return redirect("activities:quiz_join")
    now = timezone.now()
    attempt = Attempt.objects.filter(quiz=quiz_obj, person_id=request.user.person_id, submitted_at__isnull=True).first()
    done = list(Attempt.objects.filter(quiz=quiz_obj, person_id=request.user.person_id, submitted_at__isnull=False))
    error = ""
    if request.method == "POST" and request.POST.get("start"):
        try:
            attempt = qs.attempt_start(by=request.user, quiz_obj=quiz_obj, now=now)
        except ValidationError as exc:
            error = "；".join(exc.messages)
    elif request.method == "POST" and attempt is not None:
        paper = list(quiz_obj.paper.select_related("question"))
        answers = {}
        for qq in paper:
            key = f"q{qq.pk}"
            answers[str(qq.pk)] = (
                request.POST.getlist(key) if qq.question.kind == quiz.MULTIPLE else request.POST.get(key, "")
            )
        attempt = qs.attempt_submit(by=request.user, attempt=attempt, answers=answers, now=now)
        if attempt.timed_out:
            messages.error(request, "已超过答题时限，本次答卷不予计分。")
        else:
            messages.success(request, f"已交卷：答对 {attempt.correct} 题，得 {attempt.score} 分。")
        return redirect("activities:quiz_take", quiz_obj.pk)
    paper = list(quiz_obj.paper.select_related("question")) if attempt else []
    deadline = qs.attempt_deadline(attempt) if attempt else None
    return render(request, "activities/m_quiz_take.html", {"page_title": quiz_obj.title, "quiz": quiz_obj, "attempt": attempt,
                  "paper": paper, "done": done, "error": error, "deadline": deadline,
                  "remaining": max(0, int((deadline - now).total_seconds())) if deadline else 0,
                  "attempts_left": max(0, quiz_obj.attempts_limit - len(done))})  # fmt: skip


# Live contest: host ---------------------------------------------------------


def _live_state(quiz_obj: Quiz, now):
    """The phase of the live contest now: waiting / question (counting down) / closed / finished."""
    if quiz_obj.status == Quiz.FINISHED:
        return "finished"
    if quiz_obj.current_opened_at is None:
        return "waiting"
    end = qs.closes_at(quiz_obj)
    return "question" if now <= end else "closed"


def _current(quiz_obj: Quiz) -> QuizQuestion | None:
    if not quiz_obj.current_position:
        return None
    return quiz_obj.paper.select_related("question").filter(position=quiz_obj.current_position).first()


def _host_context(quiz_obj: Quiz, now) -> dict:
    phase = _live_state(quiz_obj, now)
    end = qs.closes_at(quiz_obj)
    total = quiz_obj.paper.count()
    boards = qs.leaderboards(quiz_obj)
    return {
        "quiz": quiz_obj, "phase": phase, "current": _current(quiz_obj), "total": total, "boards": boards,
        "remaining": max(0, (end - now).total_seconds()) if end and phase == "question" else 0,
        "participants": len(boards.people), "state_key": f"{quiz_obj.current_position}:{phase}",
        "is_last": quiz_obj.current_position >= total, "poll": HOST_POLL,
    }  # fmt: skip


@login_required
def live_host(request, pk: int):
    quiz_obj = _quiz_or_404(request, pk, CHANGE)
    if quiz_obj.mode != Quiz.LIVE:
        raise Http404
    context = _host_context(quiz_obj, timezone.now())
    context.update(page_title=f"{quiz_obj.title}（主持人）",
                   join_url=request.build_absolute_uri(reverse("activities:quiz_join")))  # fmt: skip
    return render(request, "activities/live_host.html", context)


@login_required
def live_host_state(request, pk: int):
    quiz_obj = _quiz_or_404(request, pk, CHANGE)
    return render(request, "activities/_live_host_state.html", _host_context(quiz_obj, timezone.now()))


@login_required
@require_POST
def live_host_action(request, pk: int, action: str):
    quiz_obj = _quiz_or_404(request, pk, CHANGE)
    now = timezone.now()
    try:
        if action == "next":
            quiz_obj = qs.live_next(by=request.user, quiz_obj=quiz_obj, now=now)
        elif action == "close":
            quiz_obj = qs.live_close(by=request.user, quiz_obj=quiz_obj, now=now)
        elif action == "finish":
            quiz_obj = qs.quiz_set_status(by=request.user, quiz_obj=quiz_obj, status=Quiz.FINISHED)
        else:
            raise Http404
    except ValidationError as exc:
        if request.htmx:
            context = _host_context(quiz_obj, now) | {"error": "；".join(exc.messages)}
            return render(request, "activities/_live_host_state.html", context)
        messages.error(request, "；".join(exc.messages))
    if request.htmx:
        return render(request, "activities/_live_host_state.html", _host_context(quiz_obj, now))
    return redirect("activities:live_host", quiz_obj.pk)


# Live contest: players ------------------------------------------------------


@login_required
def quiz_join(request):
    form = forms.JoinForm(request.POST or request.GET or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant = qs.participant_join(by=request.user, join_code=form.cleaned_data["code"], now=timezone.now())
        except ValidationError as exc:
            form.add_error("code", exc.messages)
        else:
            return redirect("activities:live_play", participant.quiz_id)
    return render(request, "activities/m_quiz_join.html", {"page_title": "参加知识竞赛", "form": form,
                  "quizzes": list(selectors.open_quizzes(user=request.user).filter(mode=Quiz.SELF_PACED)[:10])})  # fmt: skip


def _participant_or_404(request, pk) -> Participant:
    if request.user.person_id is None:
        raise Http404
    return get_object_or_404(Participant.objects.select_related("quiz"), quiz_id=pk, person_id=request.user.person_id)


def _player_context(participant: Participant, now) -> dict:
    quiz_obj = participant.quiz
    phase = _live_state(quiz_obj, now)
    current = _current(quiz_obj) if phase in ("question", "closed") else None
    kept = None
    if current is not None:
        from activities.models import LiveAnswer

        kept = LiveAnswer.objects.filter(participant=participant, quiz_question=current).first()
    end = qs.closes_at(quiz_obj)
    context = {
        "quiz": quiz_obj, "participant": participant, "phase": phase, "current": current, "kept": kept,
        "remaining": max(0, (end - now).total_seconds()) if end and phase == "question" else 0,
        "token": qs.player_token(participant), "poll": PLAYER_POLL,
        "state_key": f"{quiz_obj.current_position}:{phase}:{1 if kept else 0}",
    }  # fmt: skip
    if phase in ("closed", "finished"):
        boards = qs.leaderboards(quiz_obj)
        context["boards"] = boards
        context["me"] = next((row for row in boards.people if row[0].participant == participant.pk), None)
    return context


@login_required
def live_play(request, pk: int):
    participant = _participant_or_404(request, pk)
    context = _player_context(participant, timezone.now())
    context["page_title"] = participant.quiz.title
    return render(request, "activities/m_live_play.html", context)


@login_required
def live_play_state(request, pk: int):
    """Polled by the phone; 204 (nothing to swap) while the state is unchanged, so
    a player's half-ticked multiple choice is not wiped."""
    participant = _participant_or_404(request, pk)
    context = _player_context(participant, timezone.now())
    if request.GET.get("shown") == context["state_key"] and context["phase"] == "question":
        return HttpResponse(status=204)
    return render(request, "activities/_live_play_state.html", context)


@csrf_exempt
@require_POST
def live_answer(request):
    """Take one answer. The player is identified by the signed token the play page
    carries, not by the session cookie, so CSRF (a cookie-riding attack) does not
    apply and the path needs no session or user lookup. Responds with the
    player's state fragment (htmx) or JSON."""
    ids = qs.read_token(request.POST.get("token", ""))
    if ids is None:
        return JsonResponse({"status": quiz.REFUSED, "message": "答题凭证无效，请重新加入竞赛。"}, status=403)
    quiz_id, participant_id = ids
    given: object = request.POST.getlist("answer")
    if len(given) == 1:
        given = given[0]
    try:
        qq_id = int(request.POST.get("question", ""))
    except ValueError:
        return JsonResponse({"status": quiz.REFUSED, "message": "没有该题目。"}, status=400)
    outcome = qs.live_answer(quiz_id=quiz_id, participant_id=participant_id, quiz_question_id=qq_id, given=given,
                             now=timezone.now())  # fmt: skip
    if request.headers.get("HX-Request"):
        return render(request, "activities/_live_answer.html", {"outcome": outcome})
    return JsonResponse(
        {"status": outcome.status, "message": outcome.message, "points": outcome.points, "correct": outcome.correct},
        status=200 if outcome.status != quiz.REFUSED else 409,
    )


__all__ = ["json"]
