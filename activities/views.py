"""Activity pages: list, detail, sign-up (member, mobile; organiser, by list),
check-in (QR at the door, by list), photos, my activities, training hours,
work-break exercise and the balance of kinds. Thin: parse, authorise, call a
service, render."""

from __future__ import annotations

import io
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scope import scope_of
from activities import balance, forms, policies, selectors, services
from activities.models import Activity, ActivityPhoto, Registration
from core.forms import apply_errors
from core.listing import Action, Column, ListDefinition, ListPage
from core.policies import CHANGE, VIEW

AREA = ("文体活动", None)
KIND_TAG = {
    balance.LEARNING: "tag-full",
    balance.TRAINING: "tag-full",
    balance.CULTURE: "tag-probationary",
    balance.SPORTS: "tag-probationary",
}
STATUS_TAG = {Registration.REGISTERED: "tag-full", Registration.WAITLISTED: "tag-probationary"}


def _now():
    return timezone.now()


def _fmt(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _capacity(a) -> str:
    return f"{a.n_registered}/{a.capacity}" if a.capacity else f"{a.n_registered}/不限"


ACTIVITY_LIST = ListDefinition(
    name="活动列表",
    columns=[
        Column(
            "title",
            "活动名称",
            lambda a: a.title,
            sort="title",
            link=lambda a: reverse("activities:activity_detail", args=[a.pk]),
        ),  # fmt: skip
        Column("kind", "类别", lambda a: a.get_kind_display(), sort="kind", tag=lambda a: KIND_TAG.get(a.kind, "")),
        Column("organiser", "主办组织", lambda a: a.organiser.short_name or a.organiser.name),
        Column("starts_at", "开始时间", lambda a: _fmt(a.starts_at), sort="starts_at"),
        Column("place", "地点", lambda a: a.place),
        Column("registered", "报名/名额", _capacity),
        Column("waiting", "候补", lambda a: a.n_waiting or ""),
        Column("attended", "签到", lambda a: a.n_attended or ""),
        Column(
            "status",
            "状态",
            lambda a: "已取消" if a.cancelled else "",
            tag=lambda a: "tag-overdue" if a.cancelled else "",
        ),
    ],
    default_sort="-starts_at",
    row_actions=[Action("查看", lambda a: reverse("activities:activity_detail", args=[a.pk]))],
    empty_text="没有符合条件的活动。可调整查询条件，或点击“新增”发布活动。",
)


@login_required
def index(request):
    scope = scope_of(request.user)
    if scope is None or (scope.is_member or not policies.is_organiser(scope)):
        return redirect("activities:my")
    return redirect("activities:activity_list")


@login_required
def activity_list(request):
    scope = scope_of(request.user)
    form = forms.ActivitySearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.activities(
        user=request.user, search=data.get("q", ""), kind=data.get("kind", ""), year=data.get("year")
    )
    page = ListPage(request, ACTIVITY_LIST, qs)
    if page.wants_export:
        return page.export()
    return render(request, "activities/activity_list.html", {
        "page_title": "活动列表", "search_form": form, "breadcrumbs": [AREA, ("活动列表", None)],
        "add_url": reverse("activities:activity_create") if policies.is_organiser(scope) else "",
        **page.context(),
    })  # fmt: skip


@login_required
def activity_create(request):
    if not policies.is_organiser(scope_of(request.user)):
        raise PermissionDenied("仅工会或党组织管理员可以发布活动。")
    form = forms.ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_save(by=request.user, activity=None, data=form.activity_data(),
                                              units=form.cleaned_data["units"], now=_now())  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied:
            form.add_error("organiser", "主办组织不在您的管理范围内。")
        else:
            messages.success(request, f"已发布活动“{activity.title}”。")
            return redirect("activities:activity_detail", activity.pk)
    return render(request, "activities/form.html", {"page_title": "发布活动", "form": form,
                  "breadcrumbs": [AREA, ("活动列表", reverse("activities:activity_list")), ("发布活动", None)]})  # fmt: skip


def _activity_or_404(request, pk, action=VIEW):
    request.nav_active = "activities:activity_list"
    qs = policies.activities.queryset(request.user, action).select_related("union_org", "party_org")
    return get_object_or_404(qs, pk=pk)


@login_required
def activity_edit(request, pk: int):
    activity = _activity_or_404(request, pk, CHANGE)
    form = forms.ActivityForm(request.POST or None, user=request.user, initial=forms.activity_initial(activity))
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(by=request.user, activity=activity, data=form.activity_data(),
                                   units=form.cleaned_data["units"], now=_now())  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied:
            form.add_error("organiser", "主办组织不在您的管理范围内。")
        else:
            messages.success(request, "已保存。")
            return redirect("activities:activity_detail", activity.pk)
    return render(request, "activities/form.html", {"page_title": f"编辑：{activity.title}", "form": form,
                  "breadcrumbs": [AREA, ("活动列表", reverse("activities:activity_list")),
                                  (activity.title, reverse("activities:activity_detail", args=[activity.pk])), ("编辑", None)]})  # fmt: skip


@login_required
@require_POST
def activity_cancel(request, pk: int):
    activity = _activity_or_404(request, pk, CHANGE)
    services.activity_cancel(by=request.user, activity=activity, now=_now())
    messages.success(request, f"已取消活动“{activity.title}”，已通知报名人员。")
    return redirect("activities:activity_detail", activity.pk)


@login_required
def activity_detail(request, pk: int):
    activity = _activity_or_404(request, pk)
    manage = policies.activities.may(request.user, CHANGE, activity)
    mine = None
    if request.user.person_id:
        mine = Registration.objects.filter(activity=activity, person_id=request.user.person_id).first()
    if not manage:
        return _member_detail(request, activity, mine)
    registrations = list(selectors.registrations_of(activity).order_by("status", "created_at", "pk"))
    counts = {
        s: sum(1 for r in registrations if r.status == s) for s in (Registration.REGISTERED, Registration.WAITLISTED)
    }
    context = {
        "page_title": activity.title,
        "activity": activity,
        "registrations": registrations,
        "counts": counts,
        "attended": sum(1 for r in registrations if r.checked_in_at),
        "by_unit": selectors.counts_by_unit(activity),
        "photos": list(activity.photos.all()),
        "competitions": list(activity.competitions.all()),
        "quizzes": list(activity.quizzes.all()),
        "photo_form": forms.PhotoForm(),
        "checkin_url": request.build_absolute_uri(reverse("activities:checkin", args=[activity.checkin_token])),
        "mine": mine,
        "breadcrumbs": [AREA, ("活动列表", reverse("activities:activity_list")), (activity.title, None)],
    }
    return render(request, "activities/activity_detail.html", context)


def _member_detail(request, activity, mine):
    now = _now()
    closes = activity.signup_deadline or activity.starts_at
    position = selectors.waiting_position(mine) if mine else None
    taken = activity.registrations.filter(status=Registration.REGISTERED).count()
    return render(request, "activities/m_activity.html", {
        "page_title": activity.title, "activity": activity, "mine": mine if mine and mine.status != Registration.CANCELLED else None,
        "position": position, "taken": taken, "open": not activity.cancelled and now <= closes,
        "photos": list(activity.photos.all()), "closes": closes,
    })  # fmt: skip


@login_required
@require_POST
def signup(request, pk: int):
    activity = _activity_or_404(request, pk)
    try:
        registration = services.registration_signup(by=request.user, activity=activity, now=_now())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if registration.status == Registration.REGISTERED:
            messages.success(request, f"报名成功：{activity.title}。")
        else:
            messages.warning(request, "名额已满，您已进入候补名单；有人取消时按顺序递补，届时会通知您。")
    return redirect(request.POST.get("next") or reverse("activities:activity_detail", args=[activity.pk]))


@login_required
@require_POST
def registration_cancel(request, pk: int):
    registration = get_object_or_404(
        policies.registrations.queryset(request.user, CHANGE).select_related("activity"), pk=pk
    )
    try:
        promoted = services.registration_cancel(by=request.user, registration=registration, now=_now())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        note = f"候补的 {promoted.person.name} 已递补。" if promoted else ""
        messages.success(request, f"已取消报名。{note}")
    return redirect(request.POST.get("next") or reverse("activities:activity_detail", args=[registration.activity_id]))


@login_required
def signup_list(request, pk: int):
    activity = _activity_or_404(request, pk, CHANGE)
    form = forms.SignupListForm(request.POST or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            registered, waiting, already = services.registration_signup_list(
                by=request.user, activity=activity, persons=form.cleaned_data["names"], now=_now()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            parts = [f"报名 {registered} 人"]
            if waiting:
                parts.append(f"候补 {waiting} 人")
            if already:
                parts.append(f"{already} 人此前已报名")
            messages.success(request, "，".join(parts) + "。")
            return redirect("activities:activity_detail", activity.pk)
    return render(request, "activities/form.html", {"page_title": f"批量报名：{activity.title}", "form": form,
                  "submit_label": "报名",
                  "breadcrumbs": [AREA, ("活动列表", reverse("activities:activity_list")),
                                  (activity.title, reverse("activities:activity_detail", args=[activity.pk])), ("批量报名", None)]})  # fmt: skip


@login_required
@require_POST
def checkin_by_list(request, pk: int):
    activity = _activity_or_404(request, pk, CHANGE)
    form = forms.CheckInForm(request.POST, activity=activity)
    if form.is_valid() and form.cleaned_data["ids"]:
        count = services.checkin_list(
            by=request.user, activity=activity, registration_ids=form.cleaned_data["ids"], now=_now()
        )
        messages.success(request, f"已签到 {count} 人。")
    else:
        messages.error(request, "请先勾选已到场的人员。")
    return redirect("activities:activity_detail", activity.pk)


@login_required
def checkin_qr(request, pk: int):
    """The door's QR code (SVG), pointing at the check-in page of this activity."""
    import qrcode
    import qrcode.image.svg

    activity = _activity_or_404(request, pk, CHANGE)
    url = request.build_absolute_uri(reverse("activities:checkin", args=[activity.checkin_token]))
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    out = io.BytesIO()
    image.save(out)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def checkin_poster(request, pk: int):
    activity = _activity_or_404(request, pk, CHANGE)
    return render(
        request, "activities/checkin_poster.html", {"page_title": f"签到：{activity.title}", "activity": activity}
    )


@login_required
def checkin(request, token: str):
    """The page the door's QR code opens on a member's phone."""
    activity = Activity.objects.filter(checkin_token=token).select_related("union_org", "party_org").first()
    if activity is None:
        raise Http404("签到码无效。")
    registration, error = None, ""
    if request.method == "POST":
        try:
            registration = services.checkin_by_token(by=request.user, token=token, now=_now())
        except ValidationError as exc:
            error = "；".join(exc.messages)
    elif request.user.person_id:
        registration = Registration.objects.filter(activity=activity, person_id=request.user.person_id).first()
    return render(request, "activities/m_checkin.html", {"page_title": "活动签到", "activity": activity,
                  "registration": registration, "error": error})  # fmt: skip


@login_required
@require_POST
def photo_upload(request, pk: int):
    activity = _activity_or_404(request, pk, CHANGE)
    form = forms.PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的照片。")
    else:
        try:
            services.photo_add(by=request.user, activity=activity, upload=form.cleaned_data["file"],
                               caption=form.cleaned_data["caption"])  # fmt: skip
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "照片已上传。")
    return redirect(reverse("activities:activity_detail", args=[activity.pk]) + "#photos")


@login_required
def photo(request, pk: int):
    item = get_object_or_404(policies.photos.queryset(request.user, VIEW), pk=pk)
    path = services.photo_path(item)
    if not path.exists():
        raise Http404("照片文件不存在。")
    response = FileResponse(path.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def my_activities(request):
    """我的活动 (mobile): what I signed up for, and what I may still sign up for."""
    now = _now()
    mine = list(selectors.my_registrations(user=request.user)[:50])
    upcoming = [r for r in mine if r.activity.ends_at >= now]
    past = [r for r in mine if r.activity.ends_at < now]
    available = list(selectors.open_for_signup(user=request.user, now=now)[:30])
    return render(request, "activities/m_my.html", {"page_title": "我的活动", "upcoming": upcoming, "past": past,
                  "available": available, "quizzes": list(selectors.open_quizzes(user=request.user)[:10])})  # fmt: skip


# Training -------------------------------------------------------------------


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


HOURS_LIST = ListDefinition(
    name="培训学时",
    columns=[
        Column("name", "姓名", lambda r: r["person__name"], sort="person__name_pinyin"),
        Column("unit", "单位", lambda r: r["unit__name"] or "", sort="unit__name"),
        Column("courses", "参加培训（次）", lambda r: r["courses"], sort="courses"),
        Column("hours", "学时", lambda r: r["hours"], sort="hours"),
    ],
    default_sort="-hours",
    empty_text="本年度没有培训签到记录。培训签到后学时自动计入。",
)


@login_required
def training_hours(request):
    year = _year(request)
    qs = selectors.hours_by_member(user=request.user, year=year)
    page = ListPage(request, HOURS_LIST, qs)
    if page.wants_export:
        return page.export(title=f"{year}年度培训学时")
    return render(request, "activities/training_hours.html", {
        "page_title": f"{year}年度培训学时", "year": year, "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
        "by_unit": selectors.hours_by_unit(user=request.user, year=year),
        "breadcrumbs": [AREA, ("培训学时", None)], **page.context(),
    })  # fmt: skip


CERT_LIST = ListDefinition(
    name="培训证书",
    columns=[
        Column("no", "证书编号", lambda r: r.certificate_no, sort="certificate_no"),
        Column("name", "姓名", lambda r: r.person.name, sort="person__name_pinyin"),
        Column("unit", "单位", lambda r: r.unit.name if r.unit_id else ""),
        Column("course", "培训", lambda r: r.activity.title, sort="activity__title"),
        Column("hours", "学时", lambda r: r.activity.hours),
        Column(
            "date", "培训日期", lambda r: timezone.localtime(r.activity.starts_at).date(), sort="activity__starts_at"
        ),
    ],
    default_sort="certificate_no",
    empty_text="本年度还没有颁发培训证书。学员签到后自动生成证书编号。",
)


@login_required
def certificates(request):
    year = _year(request)
    page = ListPage(request, CERT_LIST, selectors.certificates(user=request.user, year=year))
    if page.wants_export:
        return page.export(title=f"{year}年度培训证书")
    return render(request, "activities/list_page.html", {"page_title": f"{year}年度培训证书", "year": year,
                  "breadcrumbs": [AREA, ("培训证书", None)], **page.context()})  # fmt: skip


# Work-break exercise --------------------------------------------------------


@login_required
def exercise(request):
    """工间操: one tap for the member (own unit) and for the organisers (each unit)."""
    today = timezone.localdate()
    scope = scope_of(request.user)
    if request.method == "POST":
        from orgs.models import Unit

        unit = get_object_or_404(Unit, pk=request.POST.get("unit"))
        own = request.POST.get("own") == "1"
        try:
            person = request.user.person if own else None
            _, created = services.exercise_check_in(by=request.user, unit=unit, day=today, now=_now(), person=person,
                                                    participants=_int(request.POST.get("participants")))  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"{unit.name} 今日工间操已打卡。" if created else "今日已打卡，无需重复打卡。")
        return redirect("activities:exercise")
    person = request.user.person
    mine = None
    if person is not None and person.unit_id:
        from activities.models import ExerciseCheckIn

        mine = ExerciseCheckIn.objects.filter(unit_id=person.unit_id, day=today, person=person).exists()
    units = []
    if policies.is_organiser(scope):
        from activities.models import ExerciseCheckIn

        done = set(ExerciseCheckIn.objects.filter(day=today, person__isnull=True).values_list("unit_id", flat=True))
        units = [(u, u.pk in done) for u in selectors.exercise_units(user=request.user).order_by("name_pinyin")[:200]]
    return render(request, "activities/m_exercise.html", {"page_title": "工间操打卡", "today": today, "person": person,
                  "mine": mine, "units": units})  # fmt: skip


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def exercise_stats(request):
    today = timezone.localdate()
    try:
        year, month = (int(p) for p in request.GET.get("month", "").split("-"))
        date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    rows = selectors.exercise_month(user=request.user, year=year, month=month, today=today)
    return render(request, "activities/exercise_stats.html", {"page_title": f"{year}年{month}月工间操参与情况",
                  "rows": rows, "month": f"{year}-{month:02d}", "breadcrumbs": [AREA, ("工间操统计", None)]})  # fmt: skip


# Balance --------------------------------------------------------------------


@login_required
def balance_view(request):
    from activities.dashboard import balance_chart

    scope = scope_of(request.user)
    if scope is None or not scope.is_union_admin:
        raise PermissionDenied("仅工会管理员可以查看活动结构。")
    year = _year(request)
    minimum = selectors.min_education_share()
    rows = selectors.balance_rows(scope=scope, year=year, min_share=minimum)
    return render(request, "activities/balance.html", {
        "page_title": f"{year}年度活动结构", "rows": rows, "year": year, "minimum": f"{float(minimum) * 100:.0f}%",
        "chart": balance_chart(rows, min_share=minimum) if any(r.mix.total for r in rows) else "",
        "kinds": balance.KIND_LABELS, "breadcrumbs": [AREA, ("活动结构", None)],
        "flagged": sum(1 for r in rows if any(f.rule == "ACT-08" for f in r.findings)),
    })  # fmt: skip


__all__ = ["ActivityPhoto"]
