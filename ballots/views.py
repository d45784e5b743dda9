"""Ballot pages: the secretary's list, detail, code sheet, live count and result; the
voter's phone page (no account: the one-time code is the authorisation)."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.scope import scope_of
from ballots import rules, selectors, services
from ballots.forms import BallotForm, BallotSearchForm, IssueForm, PaperForm, VoteForm, WrittenForm
from ballots.models import Ballot
from ballots.policies import ballots as ballot_policy
from core.forms import apply_errors as _form_error
from core.listing import Action, Column, ListDefinition, ListPage
from core.policies import CHANGE, VIEW

BALLOT_LIST = ListDefinition(
    name="票决",
    columns=[
        Column(
            "title", "表决事项", lambda b: b.title, sort="title", link=lambda b: reverse("ballots:detail", args=[b.pk])
        ),
        Column("org", "组织", lambda b: b.org.short_name or b.org.name),
        Column("meeting_on", "会议日期", lambda b: b.meeting_on, sort="meeting_on"),
        Column("mode", "表决方式", lambda b: "网上投票" if b.is_online else "纸质票", sort="mode"),
        Column("rule", "计票规则", lambda b: b.rule if b.rule != rules.MAJORITY else "过半数", sort="rule"),
        Column("entitled", "应到（人）", lambda b: b.entitled, sort="entitled"),
        Column("present", "实到（人）", lambda b: b.present, sort="present"),
        Column("status", "状态", lambda b: b.get_status_display(), sort="status", tag=lambda b: b.status_tag),
    ],
    default_sort="-meeting_on",
    row_actions=[
        Action("查看", lambda b: reverse("ballots:detail", args=[b.pk])),
        Action("结果", lambda b: reverse("ballots:result", args=[b.pk]) if b.status == Ballot.CLOSED else ""),
    ],
    empty_text="暂无票决。召开党员大会表决前，点击“新增”创建票决。",
)

CRUMB = ("票决", None)


def _crumbs(*tail):
    return [("发展党员", None), ("票决", reverse("ballots:list")), *tail]


def _ballot_or_404(request, pk: int, action: str = VIEW) -> Ballot:
    qs = ballot_policy.queryset(request.user, action).select_related("party_org", "union_org")
    return get_object_or_404(qs, pk=pk)


@login_required
def ballot_list(request):
    form = BallotSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.ballot_list(
        user=request.user, search=data.get("q", ""), status=data.get("status", ""), mode=data.get("mode", "")
    )
    page = ListPage(request, BALLOT_LIST, qs)
    if page.wants_export:
        return page.export()
    scope = scope_of(request.user)
    may_add = scope is not None and (scope.is_party_admin or scope.is_union_admin)
    context = {
        "page_title": "票决",
        "search_form": form,
        "add_url": reverse("ballots:create") if may_add else "",
        "breadcrumbs": [("发展党员", None), CRUMB],
        **page.context(),
    }
    return render(request, "ballots/ballot_list.html", context)


@login_required
def ballot_create(request):
    scope = scope_of(request.user)
    if scope is None or not (scope.is_party_admin or scope.is_union_admin):
        raise Http404("没有可操作的组织。")
    form = BallotForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ballot = services.ballot_create(
                by=request.user, title=d["title"], meeting_on=d["meeting_on"], mode=d["mode"], rule=d["rule"],
                items=form.item_labels(), party_org=d.get("party_org"), union_org=d.get("union_org"),
                entitled=d.get("entitled"), today=timezone.localdate(),
            )  # fmt: skip
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "票决已创建。")
            return redirect("ballots:detail", ballot.pk)
    context = {"page_title": "新增票决", "form": form, "breadcrumbs": _crumbs(("新增", None))}
    return render(request, "ballots/ballot_form.html", context)


@login_required
def ballot_edit(request, pk: int):
    ballot = _ballot_or_404(request, pk, CHANGE)
    initial = {
        "title": ballot.title, "meeting_on": ballot.meeting_on, "mode": ballot.mode, "rule": ballot.rule,
        "entitled": ballot.entitled, "items": "\n".join(ballot.items.values_list("label", flat=True)),
        "disciplined": list(ballot.disciplined.values_list("id", flat=True)),
    }  # fmt: skip
    form = BallotForm(request.POST or None, user=request.user, ballot=ballot, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.ballot_update(
                by=request.user, ballot=ballot, title=d["title"], meeting_on=d["meeting_on"], mode=d["mode"],
                rule=d["rule"], items=form.item_labels(), disciplined=d.get("disciplined") or [],
                entitled=d.get("entitled"), today=timezone.localdate(),
            )  # fmt: skip
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "票决已保存。")
            return redirect("ballots:detail", ballot.pk)
    context = {
        "page_title": f"编辑票决：{ballot.title}",
        "form": form,
        "ballot": ballot,
        "breadcrumbs": _crumbs((ballot.title, reverse("ballots:detail", args=[ballot.pk])), ("编辑", None)),
    }
    return render(request, "ballots/ballot_form.html", context)


@login_required
def ballot_delete(request, pk: int):
    ballot = _ballot_or_404(request, pk, CHANGE)
    if request.method == "POST":
        try:
            services.ballot_delete(by=request.user, ballot=ballot, today=timezone.localdate())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("ballots:detail", ballot.pk)
        messages.success(request, "票决已删除。")
        return redirect("ballots:list")
    return render(request, "components/confirm_delete.html", {
        "object": ballot, "object_kind": "票决", "cancel_url": reverse("ballots:detail", args=[ballot.pk]),
        "breadcrumbs": _crumbs((ballot.title, reverse("ballots:detail", args=[ballot.pk])), ("删除", None)),
    })  # fmt: skip


def _voter_rows(ballot: Ballot) -> list[dict]:
    """Everyone who may vote, with whether he holds a code and whether it was used."""
    receipts = dict(ballot.receipts.values_list("person_id", "voted"))
    rows = []
    for person in selectors.eligible_persons(ballot):
        state = "voted" if receipts.get(person.pk) else "issued" if person.pk in receipts else ""
        rows.append({"person": person, "state": state})
    return rows


@login_required
def ballot_detail(request, pk: int):
    ballot = _ballot_or_404(request, pk)
    items = list(ballot.items.all())
    may_change = ballot_policy.may(request.user, CHANGE, ballot)
    context = {
        "page_title": ballot.title,
        "ballot": ballot,
        "items": items,
        "counts": selectors.receipt_counts(ballot),
        "may_change": may_change,
        "rule_label": rules.RULE_LABELS[ballot.rule],
        "voters": _voter_rows(ballot) if ballot.is_online and ballot.status != Ballot.CLOSED else [],
        "disciplined": list(ballot.disciplined.all()) if ballot.party_org_id else [],
        "breadcrumbs": _crumbs((ballot.title, None)),
    }
    return render(request, "ballots/ballot_detail.html", context)


def _redirect_with_errors(request, ballot, exc: ValidationError):
    messages.error(request, " ".join(exc.messages))
    return redirect("ballots:detail", ballot.pk)


@login_required
@require_POST
def ballot_open(request, pk: int):
    ballot = _ballot_or_404(request, pk, CHANGE)
    try:
        services.ballot_open(by=request.user, ballot=ballot, today=timezone.localdate())
    except ValidationError as exc:
        return _redirect_with_errors(request, ballot, exc)
    messages.success(request, "投票已开始，表决码即刻生效。")
    return redirect("ballots:detail", ballot.pk)


@login_required
@require_POST
def ballot_close(request, pk: int):
    ballot = _ballot_or_404(request, pk, CHANGE)
    try:
        services.ballot_close(by=request.user, ballot=ballot, today=timezone.localdate())
    except ValidationError as exc:
        return _redirect_with_errors(request, ballot, exc)
    messages.success(request, "投票已结束，表决结果已公布。")
    return redirect("ballots:result", ballot.pk)


def qr_svg(data: str) -> str:
    """A QR code as inline SVG (generated here: no outside service sees the code)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


@login_required
@require_POST
@never_cache
def ballot_codes(request, pk: int):
    """Issue one-time codes to the ticked voters and show the printable code sheet (once)."""
    ballot = _ballot_or_404(request, pk, CHANGE)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("ballots:detail", ballot.pk)
    try:
        issued = services.ballot_issue_codes(
            by=request.user, ballot=ballot, persons=form.cleaned_data["persons"],
            reissue=form.cleaned_data["reissue"], today=timezone.localdate(),
        )  # fmt: skip
    except ValidationError as exc:
        return _redirect_with_errors(request, ballot, exc)
    slips = []
    for person, code in issued:
        url = request.build_absolute_uri(reverse("ballots:vote", args=[code]))
        slips.append({"name": person.name, "code": services.format_code(code), "url": url, "qr": qr_svg(url)})
    context = {"page_title": f"表决码：{ballot.title}", "ballot": ballot, "slips": slips}
    response = render(request, "ballots/code_sheet.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def ballot_count(request, pk: int):
    """The live count (htmx): how many have voted — never how."""
    ballot = _ballot_or_404(request, pk)
    return render(request, "ballots/_count.html", {"ballot": ballot, "counts": selectors.receipt_counts(ballot)})


@login_required
def ballot_written(request, pk: int):
    ballot = _ballot_or_404(request, pk, CHANGE)
    items = list(ballot.items.all())
    form = WrittenForm(request.POST or None, ballot=ballot, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_record_written(
                by=request.user, ballot=ballot, written_count=form.cleaned_data["written_count"],
                written_in_favour=form.written_in_favour(), today=timezone.localdate(),
            )  # fmt: skip
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "书面意见已保存。")
            return redirect("ballots:detail", ballot.pk)
    context = {
        "page_title": f"书面意见：{ballot.title}",
        "form": form,
        "ballot": ballot,
        "breadcrumbs": _crumbs((ballot.title, reverse("ballots:detail", args=[ballot.pk])), ("书面意见", None)),
    }
    return render(request, "ballots/written_form.html", context)


@login_required
def ballot_paper(request, pk: int):
    ballot = _ballot_or_404(request, pk, CHANGE)
    items = list(ballot.items.all())
    form = PaperForm(request.POST or None, ballot=ballot, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_record_paper(
                by=request.user, ballot=ballot, present=form.cleaned_data["present"],
                written_count=form.cleaned_data["written_count"], counts=form.counts(), today=timezone.localdate(),
            )  # fmt: skip
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "纸质票结果已录入。")
            return redirect("ballots:result", ballot.pk)
    context = {
        "page_title": f"录入纸质票结果：{ballot.title}",
        "form": form,
        "ballot": ballot,
        "breadcrumbs": _crumbs((ballot.title, reverse("ballots:detail", args=[ballot.pk])), ("录入结果", None)),
    }
    return render(request, "ballots/paper_form.html", context)


@login_required
def ballot_result(request, pk: int):
    """The result with its arithmetic — only once the ballot is closed."""
    ballot = _ballot_or_404(request, pk)
    items = list(ballot.items.all())
    context = {
        "page_title": f"表决结果：{ballot.title}",
        "ballot": ballot,
        "outcome": selectors.ballot_outcome(ballot, items),
        "counts": selectors.receipt_counts(ballot),
        "breadcrumbs": _crumbs((ballot.title, reverse("ballots:detail", args=[ballot.pk])), ("表决结果", None)),
    }
    return render(request, "ballots/ballot_result.html", context)


# --- the voter's phone -----------------------------------------------------------------------


@never_cache
def vote(request, code: str):
    """The voter's ballot paper. No account needed; the code works once."""
    receipt = services.receipt_for_code(code)
    if receipt is None:
        return _refused(request, "表决码无效", "未找到该表决码，请核对后重新扫码，或向会议主持人询问。", status=404)
    ballot = receipt.ballot
    if receipt.voted:
        return _refused(request, "此表决码已使用", "每个表决码只能投票一次，您已完成投票。", status=409)
    if ballot.status == Ballot.DRAFT:
        return _refused(request, "投票尚未开始", "请等待会议主持人宣布开始投票后，刷新本页面。", status=200, retry=True)
    if ballot.status == Ballot.CLOSED:
        return _refused(request, "投票已结束", "本次投票已经结束，不能再投票。", status=410)
    items = list(ballot.items.all())
    form = VoteForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cast(code=code, choices=form.choices())
        except ValidationError as exc:
            return _refused(request, "未能投票", " ".join(exc.messages), status=409)
        return render(request, "ballots/vote_done.html", {"page_title": "投票成功", "ballot": ballot})
    context = {"page_title": ballot.title, "ballot": ballot, "form": form, "rows": form.rows()}
    return render(request, "ballots/vote.html", context)


def _refused(request, title: str, text: str, *, status: int, retry: bool = False):
    context = {"page_title": title, "text": text, "retry": retry}
    return render(request, "ballots/vote_refused.html", context, status=status)
