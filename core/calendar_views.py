"""节假日安排: the 工委 administrator enters a later year's published schedule (BASE-02).

``chinesecalendar`` knows the years up to its last release; once the State Council
publishes the next year's schedule (holidays and make-up working days, 调休), an
administrator types it here. Working-day computations for that year then use it;
a year nobody entered is refused by ``core.workdays``, never guessed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from accounts.scope import scope_of
from core import audit
from core.excel import clean_text, parse_date
from core.models import CalendarDay
from core.workdays import YearSchedule, package_years
from core.workdays_db import known_years

_LINE = re.compile(r"^(\S+?)(?:\s*(?:至|到|~|～|—|--)\s*(\S+?))?(?:\s+(.*))?$")
MAX_SPAN_DAYS = 15


def parse_days(text: str, *, label: str) -> tuple[list[tuple[date, str]], list[str]]:
    """Lines "2027-01-01 元旦" or "2027-02-10至2027-02-16 春节": (day, name) pairs and errors."""
    days, errors = [], []
    for number, raw in enumerate((text or "").splitlines(), 1):
        line = clean_text(raw).replace("～", "~")
        if not line:
            continue
        match = _LINE.match(line)
        try:
            first = parse_date(match.group(1))
            last = parse_date(match.group(2)) if match.group(2) else first
        except (ValueError, AttributeError):
            errors.append(f"{label}第 {number} 行“{line}”：无法识别的日期，应如 2027-01-01 或 2027-02-10至2027-02-16。")
            continue
        if last < first:
            errors.append(f"{label}第 {number} 行：结束日期 {last} 早于开始日期 {first}。")
            continue
        if (last - first).days > MAX_SPAN_DAYS:
            errors.append(
                f"{label}第 {number} 行：连续 {(last - first).days + 1} 天，超过 {MAX_SPAN_DAYS} 天，请核对。"
            )
            continue
        name = (match.group(3) or "").strip()[:30]
        d = first
        while d <= last:
            days.append((d, name))
            d += timedelta(days=1)
    return days, errors


class YearScheduleForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label="放假日期",
        widget=forms.Textarea(attrs={"rows": 9, "placeholder": "2027-01-01 元旦\n2027-02-06至2027-02-13 春节"}),
        help_text="每行一个日期或一段日期（用“至”连接），后面可写节日名称。",
    )
    workdays = forms.CharField(
        label="调休上班日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "2027-02-14 春节调休"}),
        help_text="因调休而上班的周六、周日，每行一个，后面可写说明。",
    )

    def clean(self):
        data = super().clean()
        year = data.get("year")
        holidays, errors = parse_days(data.get("holidays", ""), label="放假日期")
        workdays, more = parse_days(data.get("workdays", ""), label="调休上班日期")
        errors += more
        if not errors and year:
            if not holidays:
                errors.append("请至少填写一个放假日期。")
            try:
                YearSchedule(holidays={d for d, _ in holidays}, makeup_workdays={d for d, _ in workdays}).check(year)
            except ValueError as exc:
                errors.append(str(exc))
        for error in errors:
            self.add_error(None, error)
        data["holiday_days"], data["workday_days"] = holidays, workdays
        return data


def _require_district_admin(request):
    scope = scope_of(request.user)
    if scope is None or not scope.is_district_admin:
        raise PermissionDenied("仅工委管理员可以维护节假日安排。")
    return scope


def _snapshot(year: int) -> list[str]:
    return [f"{d.day} {d.kind} {d.name}".strip() for d in CalendarDay.objects.filter(year=year).order_by("day")]


def _lines(year: int, kind: str) -> str:
    return "\n".join(
        f"{d.day.isoformat()} {d.name}".strip()
        for d in CalendarDay.objects.filter(year=year, kind=kind).order_by("day")
    )


@login_required
def calendar_view(request):
    _require_district_admin(request)
    if request.method == "POST" and request.POST.get("delete_year"):
        year = int(request.POST["delete_year"]) if request.POST["delete_year"].isdigit() else 0
        before = _snapshot(year)
        if before:
            with transaction.atomic():
                CalendarDay.objects.filter(year=year).delete()
                audit.record(actor=request.user, action="core.calendar.delete", object_type="core.calendar",
                             object_id=str(year), object_repr=f"{year}年节假日安排", before={"days": before}, after=None)  # fmt: skip
            messages.success(request, f"已删除 {year} 年的节假日安排。")
        return redirect("core:calendar")
    edit_year = request.GET.get("year", "")
    initial = {}
    if edit_year.isdigit():
        year = int(edit_year)
        initial = {
            "year": year,
            "holidays": _lines(year, CalendarDay.HOLIDAY),
            "workdays": _lines(year, CalendarDay.WORKDAY),
        }
    form = YearScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        before = _snapshot(year)
        rows = [
            CalendarDay(year=year, day=d, kind=CalendarDay.HOLIDAY, name=n)
            for d, n in form.cleaned_data["holiday_days"]
        ]
        rows += [
            CalendarDay(year=year, day=d, kind=CalendarDay.WORKDAY, name=n)
            for d, n in form.cleaned_data["workday_days"]
        ]
        with transaction.atomic():
            CalendarDay.objects.filter(year=year).delete()
            CalendarDay.objects.bulk_create(rows)
            audit.record(actor=request.user, action="core.calendar.update", object_type="core.calendar",
                         object_id=str(year), object_repr=f"{year}年节假日安排",
                         before={"days": before} if before else None, after={"days": _snapshot(year)})  # fmt: skip
        note = "（该年份内置数据已被覆盖）" if year in package_years() else ""
        messages.success(
            request,
            f"已保存 {year} 年的节假日安排：放假 {len(form.cleaned_data['holiday_days'])} 天，调休上班 {len(form.cleaned_data['workday_days'])} 天{note}。",
        )
        return redirect("core:calendar")
    entered = list(
        CalendarDay.objects.values("year")
        .annotate(holidays=Count("pk", filter=Q(kind=CalendarDay.HOLIDAY)), workdays=Count("pk", filter=Q(kind=CalendarDay.WORKDAY)))
        .order_by("-year")
    )  # fmt: skip
    years = package_years()
    return render(request, "core/calendar.html", {
        "page_title": "节假日安排", "form": form, "known": known_years(), "entered": entered,
        "package_first": years.start, "package_last": years.stop - 1, "editing": bool(initial),
        "breadcrumbs": [("系统管理", None), ("节假日安排", None)],
    })  # fmt: skip
