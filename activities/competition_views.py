"""Competition pages: set-up, entries, the draw, schedule and results (referees),
judges' marking, and the public live page that refreshes itself (htmx polling)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scope import scope_of
from activities import boards, forms, policies, selectors, sports
from activities import competition_services as cs
from activities.models import Competition, Entry, Fixture, Official
from activities.policies import EDIT
from activities.views import AREA
from core.forms import apply_errors
from core.listing import Action, Column, ListDefinition, ListPage
from core.policies import CHANGE, VIEW

POLL_SECONDS = 5

COMPETITION_LIST = ListDefinition(
    name="比赛",
    columns=[
        Column(
            "name",
            "比赛名称",
            lambda c: c.name,
            sort="name",
            link=lambda c: reverse("activities:competition_detail", args=[c.pk]),
        ),  # fmt: skip
        Column("discipline", "项目", lambda c: c.get_discipline_display(), sort="discipline"),
        Column("format", "赛制", lambda c: c.get_format_display()),
        Column("activity", "所属活动", lambda c: c.activity.title),
        Column("entries", "参赛", lambda c: c.n_entries),
        Column(
            "status",
            "状态",
            lambda c: c.get_status_display(),
            sort="status",
            tag=lambda c: {"finished": "tag-full", "drawn": "tag-probationary"}.get(c.status, ""),
        ),  # fmt: skip
        Column("role", "我的角色", lambda c: "裁判/评委" if c.is_official else ""),
    ],
    default_sort="-created_at",
    row_actions=[Action("查看", lambda c: reverse("activities:competition_detail", args=[c.pk]))],
    empty_text="还没有比赛。在文体类活动下点击“新增比赛”设置赛制。",
)


@login_required
def competition_list(request):
    page = ListPage(request, COMPETITION_LIST, selectors.competitions(user=request.user))
    if page.wants_export:
        return page.export()
    may_add = policies.is_organiser(scope_of(request.user))
    return render(request, "activities/list_page.html", {"page_title": "比赛", "breadcrumbs": [AREA, ("比赛", None)],
                  "add_url": reverse("activities:competition_create") if may_add else "", **page.context()})  # fmt: skip


def _competition_or_404(request, pk, action=VIEW):
    qs = Competition.objects.select_related("activity", "activity__union_org", "activity__party_org")
    if action == VIEW:
        return get_object_or_404(
            selectors.competitions(user=request.user).select_related("activity__union_org", "activity__party_org"),
            pk=pk,
        )
    return get_object_or_404(policies.competitions.queryset(request.user, action, qs), pk=pk)


@login_required
def competition_create(request):
    if not policies.is_organiser(scope_of(request.user)):
        raise PermissionDenied("仅活动主办单位的管理员可以设置比赛。")
    initial = {"activity": request.GET.get("activity")}
    form = forms.CompetitionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            competition = cs.competition_save(by=request.user, competition=form.save(commit=False))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已创建比赛“{competition.name}”，请登记参赛者后抽签。")
            return redirect("activities:competition_detail", competition.pk)
    return render(request, "activities/form.html", {"page_title": "新增比赛", "form": form,
                  "breadcrumbs": [AREA, ("比赛", reverse("activities:competition_list")), ("新增比赛", None)]})  # fmt: skip


@login_required
def competition_detail(request, pk: int):
    competition = _competition_or_404(request, pk)
    manage = policies.competitions.may(request.user, CHANGE, competition)
    may_edit = manage or competition.is_official
    board = boards.build(competition)
    judge = (
        competition.is_judged
        and Official.objects.filter(competition=competition, user=request.user, role=Official.JUDGE).exists()
    )
    context = {
        "page_title": competition.name,
        "competition": competition,
        "board": board,
        "manage": manage,
        "may_edit": may_edit,
        "judge": judge,
        "officials": list(competition.officials.select_related("user")),
        "criteria": list(competition.criteria.all()) if competition.is_judged else [],
        "official_form": forms.OfficialForm(),
        "criterion_form": forms.CriterionForm(),
        "live_url": request.build_absolute_uri(reverse("activities:live", args=[competition.public_token])),
        "breadcrumbs": [AREA, ("比赛", reverse("activities:competition_list")), (competition.name, None)],
    }
    return render(request, "activities/competition_detail.html", context)


def _work_dir(competition) -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "activities" / "works" / str(competition.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


@login_required
def entry_add(request, pk: int):
    competition = _competition_or_404(request, pk, CHANGE)
    form = forms.EntryForm(request.POST or None, request.FILES or None, competition=competition)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = d.get("unit") or (d["person"].unit if d.get("person") else None)
        work_file = ""
        try:
            if unit is None:
                raise ValidationError({"unit": "请选择单位（参赛人员须有工作单位）。"})
            if d.get("work_file"):
                from activities.services import read_image

                upload = d["work_file"]
                head = upload.read(5)
                upload.seek(0)
                if head.startswith(b"%PDF"):
                    data, ext = upload.read(), "pdf"
                else:
                    data, ext, _ = read_image(upload)
                work_file = f"activities/works/{competition.pk}/{uuid.uuid4().hex}.{ext}"
            entry = cs.entry_add(
                by=request.user, competition=competition, unit=unit, person=d.get("person"),
                team_name=d.get("team_name", ""), members=d.get("members") or [], seed=d.get("seed"),
                weight_kg=d.get("weight_kg"), entry_time_ms=d.get("entry_time"), work_title=d.get("work_title", ""),
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if work_file:
                _work_dir(competition)
                (Path(settings.PRIVATE_MEDIA_ROOT) / work_file).write_bytes(data)
                Entry.objects.filter(pk=entry.pk).update(work_file=work_file)
            messages.success(request, f"已登记参赛：{entry.name}。")
            if "another" in request.POST:
                return redirect("activities:entry_add", competition.pk)
            return redirect("activities:competition_detail", competition.pk)
    return render(request, "activities/form.html", {"page_title": f"登记参赛：{competition.name}", "form": form,
                  "breadcrumbs": [AREA, ("比赛", reverse("activities:competition_list")),
                                  (competition.name, reverse("activities:competition_detail", args=[competition.pk])), ("登记参赛", None)]})  # fmt: skip


@login_required
def entry_file(request, pk: int):
    request.nav_active = "activities:competition_list"
    entry = get_object_or_404(policies.entries.queryset(request.user, VIEW).exclude(work_file=""), pk=pk)
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = (root / entry.work_file).resolve()
    if root not in path.parents or not path.exists():
        raise Http404("作品文件不存在。")
    content_type = (
        "application/pdf" if path.suffix == ".pdf" else f"image/{path.suffix.lstrip('.').replace('jpg', 'jpeg')}"
    )
    return FileResponse(path.open("rb"), content_type=content_type)


@login_required
@require_POST
def competition_draw(request, pk: int):
    competition = _competition_or_404(request, pk, CHANGE)
    try:
        cs.competition_draw(
            by=request.user, competition=competition, seed=int(timezone.now().timestamp()), now=timezone.now()
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "抽签完成，赛程已生成。")
    return redirect("activities:competition_detail", competition.pk)


@login_required
@require_POST
def competition_finish(request, pk: int):
    competition = _competition_or_404(request, pk, CHANGE)
    cs.competition_finish(by=request.user, competition=competition)
    messages.success(request, "比赛已结束，成绩已锁定。")
    return redirect("activities:competition_detail", competition.pk)


@login_required
@require_POST
def official_add(request, pk: int):
    competition = _competition_or_404(request, pk, CHANGE)
    form = forms.OfficialForm(request.POST)
    if form.is_valid():
        cs.official_assign(by=request.user, competition=competition, user=form.cleaned_data["username"],
                           role=form.cleaned_data["role"])  # fmt: skip
        messages.success(request, "已指定。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("activities:competition_detail", competition.pk)


@login_required
@require_POST
def criterion_add(request, pk: int):
    competition = _competition_or_404(request, pk, CHANGE)
    form = forms.CriterionForm(request.POST)
    if form.is_valid():
        try:
            cs.criterion_add(by=request.user, competition=competition, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已增加评分项。")
    else:
        messages.error(request, "评分项填写有误。")
    return redirect("activities:competition_detail", competition.pk)


def _fixture_for_edit(request, pk):
    request.nav_active = "activities:competition_list"
    fixture = get_object_or_404(Fixture.objects.select_related("competition", "competition__activity"), pk=pk)
    if not policies.competitions.may(request.user, EDIT, fixture.competition):
        if policies.competitions.may(request.user, VIEW, fixture.competition):
            raise PermissionDenied("只有本比赛的裁判或主办单位管理员可以登记成绩。")
        raise Http404
    return fixture


@login_required
def fixture_result(request, pk: int):
    fixture = _fixture_for_edit(request, pk)
    competition = fixture.competition
    form = forms.ResultForm(request.POST or None, fixture=fixture)
    schedule = forms.ScheduleForm(initial={"court": fixture.court, "scheduled_at": fixture.scheduled_at})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            games = cs.parse_games(d["games"]) if d.get("games") else None
            forfeited = {"home": fixture.home, "away": fixture.away}.get(d.get("forfeit") or "")
            cs.result_record(by=request.user, fixture=fixture, home_score=d.get("home_score"), away_score=d.get("away_score"),
                             games=games, forfeited_by=forfeited, now=timezone.now())  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{fixture.code} 成绩已登记。")
            return redirect(reverse("activities:competition_detail", args=[competition.pk]) + "#fixtures")
    return render(request, "activities/fixture_result.html", {
        "page_title": f"登记成绩：{fixture.code} {fixture.home_label} 对 {fixture.away_label}", "fixture": fixture,
        "form": form, "schedule_form": schedule, "result": boards.result_of(fixture), "competition": competition,
        "breadcrumbs": [AREA, ("比赛", reverse("activities:competition_list")),
                        (competition.name, reverse("activities:competition_detail", args=[competition.pk])), (fixture.code, None)],
    })  # fmt: skip


@login_required
@require_POST
def fixture_void(request, pk: int):
    fixture = _fixture_for_edit(request, pk)
    try:
        cs.result_void(by=request.user, fixture=fixture)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已撤销 {fixture.code} 的成绩。")
    return redirect("activities:fixture_result", fixture.pk)


@login_required
@require_POST
def fixture_schedule(request, pk: int):
    fixture = _fixture_for_edit(request, pk)
    form = forms.ScheduleForm(request.POST)
    if form.is_valid():
        cs.fixture_schedule(by=request.user, fixture=fixture, court=form.cleaned_data["court"],
                            scheduled_at=form.cleaned_data["scheduled_at"])  # fmt: skip
        messages.success(request, "赛程已更新。")
    else:
        messages.error(request, "比赛时间格式不对。")
    return redirect(reverse("activities:competition_detail", args=[fixture.competition_id]) + "#fixtures")


@login_required
def timed_results(request, pk: int):
    competition = get_object_or_404(Competition.objects.select_related("activity"), pk=pk, format=Competition.TIMED)
    if not policies.competitions.may(request.user, EDIT, competition):
        raise Http404
    board = boards.build(competition)
    errors = []
    if request.method == "POST":
        saved = 0
        for heat, rows in board.heats:
            for row in rows:
                e = row["entry"]
                raw = request.POST.get(f"time-{e.pk}", "").strip()
                status = request.POST.get(f"status-{e.pk}", sports.OK)
                if not raw and status == sports.OK:
                    continue
                try:
                    ms = forms.parse_time_ms(raw) if status == sports.OK else None
                    cs.timed_result_record(by=request.user, entry=e, time_ms=ms, status=status, now=timezone.now())
                    saved += 1
                except ValidationError as exc:
                    errors.append(f"第{heat}组 {e.name}：{'；'.join(exc.messages)}")
        if not errors:
            messages.success(request, f"已保存 {saved} 条成绩。")
            return redirect("activities:competition_detail", competition.pk)
        board = boards.build(competition)
    return render(request, "activities/timed_results.html", {"page_title": f"登记成绩：{competition.name}",
                  "competition": competition, "board": board, "errors": errors, "statuses": sports.STATUS_LABELS,
                  "breadcrumbs": [AREA, ("比赛", reverse("activities:competition_list")),
                                  (competition.name, reverse("activities:competition_detail", args=[competition.pk])), ("登记成绩", None)]})  # fmt: skip


@login_required
def judge(request, pk: int):
    """评委打分: the judge's own marks for every entry, by criterion."""
    competition = get_object_or_404(Competition.objects.select_related("activity"), pk=pk, format=Competition.JUDGED)
    if not Official.objects.filter(competition=competition, user=request.user, role=Official.JUDGE).exists():
        raise Http404
    criteria = list(competition.criteria.all())
    entries = list(competition.entries.select_related("person", "unit"))
    errors = {}
    if request.method == "POST":
        entry = next((e for e in entries if str(e.pk) == request.POST.get("entry")), None)
        if entry is None:
            raise Http404
        marks = {c.pk: request.POST.get(f"c{c.pk}", "") for c in criteria}
        try:
            cs.marks_save(by=request.user, entry=entry, marks=marks)
        except ValidationError as exc:
            errors[entry.pk] = exc.messages
        else:
            messages.success(request, f"已保存对“{entry.work_title or entry.name}”的评分。")
            return redirect(reverse("activities:judge", args=[competition.pk]) + f"#entry-{entry.pk}")
    mine = {}
    from activities.models import Mark

    for entry_id, criterion_id, score in Mark.objects.filter(
        entry__competition=competition, judge=request.user
    ).values_list("entry_id", "criterion_id", "score"):
        mine.setdefault(entry_id, {})[criterion_id] = score
    rows = [(e, [(c, mine.get(e.pk, {}).get(c.pk)) for c in criteria], errors.get(e.pk)) for e in entries]
    return render(request, "activities/judge.html", {"page_title": f"评委打分：{competition.name}", "competition": competition,
                  "rows": rows, "criteria": criteria,
                  "breadcrumbs": [AREA, ("比赛", reverse("activities:competition_list")),
                                  (competition.name, reverse("activities:competition_detail", args=[competition.pk])), ("评委打分", None)]})  # fmt: skip


# Public live page -----------------------------------------------------------


def _public(token: str) -> Competition:
    competition = Competition.objects.filter(public_token=token).select_related("activity").first()
    if competition is None:
        raise Http404("链接无效。")
    return competition


def live(request, token: str):
    """实时成绩: public (no sign-in), for the big screen and spectators' phones."""
    competition = _public(token)
    return render(request, "activities/live.html", {"page_title": f"{competition.name} 实时成绩", "competition": competition,
                  "board": boards.build(competition), "poll": POLL_SECONDS, "token": token})  # fmt: skip


def live_board(request, token: str):
    competition = _public(token)
    return render(request, "activities/_board.html", {"competition": competition, "board": boards.build(competition),
                  "public": True, "poll": POLL_SECONDS, "token": token, "updated": timezone.localtime()})  # fmt: skip
