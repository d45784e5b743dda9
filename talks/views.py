from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.scope import scope_of
from core.listing import Action, Column, ListDefinition, ListPage
from core.policies import CHANGE, VIEW
from core.rule_settings import value
from orgs import policies as org_policies
from orgs.models import OrgOfficer, PartyOrg
from orgs.policies import PARTY_READERS
from talks import policies, rules, selectors, services
from talks.forms import TalkForm, TalkSearchForm
from talks.models import KINDS, Talk

KIND_LABELS = dict(KINDS)


def _follow_up_tag(t: Talk) -> str:
    if t.kind != Talk.ADMONITION or t.status != Talk.DONE:
        return ""
    return "tag-danger" if _follow_up_findings(t) else "tag-full"


def _follow_up_findings(t: Talk):
    return rules.admonition_follow_up_findings(
        follow_up_due=t.follow_up_due, followed_up_on=t.followed_up_on, today=timezone.localdate()
    )


def _due_tag(t: Talk) -> str:
    if t.status == Talk.DONE:
        return "tag-full"
    return "tag-danger" if t.due_on and t.due_on < timezone.localdate() else "tag-probationary"


TALK_LIST = ListDefinition(
    name="谈话记录",
    columns=[
        Column("kind", "谈话类型", lambda t: t.get_kind_display(), sort="kind", tag=lambda t: "tag-info"),
        Column(
            "talked_to",
            "谈话对象",
            lambda t: t.talked_to.name,
            sort="talked_to__name_pinyin",
            link=lambda t: reverse("talks:talk_detail", args=[t.pk]),
        ),  # fmt: skip
        Column("org", "负责党组织", lambda t: t.org.short_name or t.org.name, sort="org__path"),
        Column("talker", "谈话人", lambda t: t.talker.name if t.talker_id else ""),
        Column("due_on", "应谈话日期", lambda t: t.due_on, sort="due_on"),
        Column("talked_on", "谈话日期", lambda t: t.talked_on, sort="talked_on"),
        Column("status", "状态", lambda t: t.get_status_display(), sort="status", tag=_due_tag),
        Column(
            "follow_up",
            "回访日期",
            lambda t: t.follow_up_due if t.kind == Talk.ADMONITION else "",
            sort="follow_up_due",
            tag=lambda t: _follow_up_tag(t) or None,
        ),  # fmt: skip
    ],
    default_sort="-id",
    row_actions=[
        Action("查看", lambda t: reverse("talks:talk_detail", args=[t.pk])),
        Action("编辑", lambda t: reverse("talks:talk_edit", args=[t.pk])),
    ],
    empty_text="没有您可以查看的谈话记录。谈话记录仅谈话人、负责党组织书记和纪检委员可以查看。",
)


def _reader_or_403(request):
    scope = scope_of(request.user)
    if scope is None or (scope.role not in PARTY_READERS and not request.user.person_id):
        raise PermissionDenied("您无权访问谈话记录。")
    return scope


@login_required
def talk_list(request):
    scope = _reader_or_403(request)
    form = TalkSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.talks(user=request.user, search=data.get("q", ""), kind=data.get("kind", ""),
                         status=data.get("status", ""))  # fmt: skip
    page = ListPage(request, TALK_LIST, qs)
    if page.wants_export:
        return page.export(title="谈话记录（保密）")
    counts = selectors.talk_counts(user=request.user)
    context = {
        "page_title": "谈话记录",
        "search_form": form,
        "add_url": reverse("talks:talk_create") if scope.role in PARTY_READERS else "",
        "counts": [(KIND_LABELS[k], v) for k, v in counts.items()],
        **page.context(),
    }
    return render(request, "talks/talk_list.html", context)


def _initial(request) -> dict:
    initial = {"status": request.GET.get("status") or Talk.DONE, "kind": request.GET.get("kind") or Talk.REMINDER}
    for key in ("org", "talked_to", "talker", "due_on", "talked_on"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    if "talker" not in initial and request.user.person_id:
        initial["talker"] = request.user.person_id
    return initial


@login_required
def talk_form(request, pk: int | None = None):
    scope = _reader_or_403(request)
    talk = None
    if pk is not None:
        talk = get_object_or_404(policies.talks.queryset(request.user, CHANGE).select_related("org"), pk=pk)
    elif scope.role not in PARTY_READERS:
        raise PermissionDenied("您无权登记谈话记录。")
    source = request.POST if request.method == "POST" else request.GET
    org = None
    if source.get("org", "").isdigit():
        org = org_policies.party_orgs.queryset(request.user, VIEW).filter(pk=int(source["org"])).first()
    if org is None and talk is not None:
        org = talk.org
    elif org is None and len(scope.party_path or "") > PartyOrg.steplen:
        # Below the 工委 the user's own organisation is the usual one; the 工委 picks one first.
        org = org_policies.party_orgs.queryset(request.user, VIEW).filter(path=scope.party_path).first()
    initial = _initial(request) if talk is None else {}
    if talk is None and org is not None:
        initial["org"] = org.pk
    form = TalkForm(request.POST or None, instance=talk, user=request.user, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.talk_save(by=request.user, talk=form.instance, today=timezone.localdate())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied:
            form.add_error("org", "该党组织不在您的管理范围内。")
        else:
            messages.success(request, "谈话记录已保存。")
            if policies.talks.may(request.user, VIEW, saved):
                return redirect("talks:talk_detail", saved.pk)
            messages.info(request, "按保密规定，该记录仅谈话人、负责党组织书记和纪检委员可以查看。")
            return redirect("talks:talk_list")
    return render(request, "talks/talk_form.html", {
        "page_title": "编辑谈话记录" if talk else "登记谈话", "form": form, "talk": talk,
        "breadcrumbs": [("组织生活", None), ("谈话记录", reverse("talks:talk_list")), ("编辑" if talk else "登记谈话", None)],
    })  # fmt: skip


def _secretary_orgs(request) -> set[int]:
    if not request.user.person_id:
        return set()
    return set(
        OrgOfficer.objects.filter(
            person_id=request.user.person_id, role=OrgOfficer.SECRETARY, party_org__isnull=False, ended_on__isnull=True
        ).values_list("party_org_id", flat=True)
    )


@login_required
def talk_detail(request, pk: int):
    talk = get_object_or_404(
        policies.talks.queryset(request.user, VIEW).select_related("org", "talker", "talked_to", "officer"), pk=pk
    )
    scope = scope_of(request.user)
    if not policies.may_see(scope, talk=talk, secretary_org_ids=_secretary_orgs(request)):
        raise PermissionDenied  # the filter and the rule must agree (TALK-01)
    today = timezone.localdate()
    findings = []
    if talk.kind == Talk.APPOINTMENT and talk.officer_id:
        findings += rules.appointment_talk_findings(
            took_office_on=talk.officer.started_on, talked_on=talk.talked_on if talk.status == Talk.DONE else None,
            today=today, days=value("APPOINTMENT_TALK_DAYS"),
        )  # fmt: skip
    if talk.kind == Talk.ADMONITION and talk.status == Talk.DONE:
        findings += _follow_up_findings(talk)
    return render(request, "talks/talk_detail.html", {
        "page_title": f"{talk.get_kind_display()}：{talk.talked_to.name}", "talk": talk, "findings": findings,
        "may_change": policies.talks.may(request.user, CHANGE, talk),
        "breadcrumbs": [("组织生活", None), ("谈话记录", reverse("talks:talk_list")), (talk.talked_to.name, None)],
    })  # fmt: skip


@login_required
def talk_delete(request, pk: int):
    talk = get_object_or_404(policies.talks.queryset(request.user, CHANGE).select_related("talked_to"), pk=pk)
    if request.method == "POST":
        services.talk_delete(by=request.user, talk=talk)
        messages.success(request, "已删除谈话记录。")
        return redirect("talks:talk_list")
    return render(request, "components/confirm_delete.html", {"page_title": "删除谈话记录", "object": talk,
                  "object_kind": "谈话记录", "cancel_url": reverse("talks:talk_detail", args=[pk])})  # fmt: skip
