"""Writes of the activities area: activities, sign-up and the waiting list,
check-in, photos, training certificates and work-break exercise.

Every write is a keyword-only ``<entity>_<verb>(*, by, …, now|today)`` inside
one transaction, validated, re-checked against the actor's scope and audited.
Competitions are in competition_services.py, quizzes in quiz_services.py.
"""

from __future__ import annotations

import io
import uuid
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse

from activities import policies, rules
from activities.models import Activity, ActivityPhoto, ExerciseCheckIn, Registration
from core import audit
from core.models import Notification
from core.policies import CHANGE, VIEW
from core.services import save_audited

ACTIVITY_FIELDS = (
    "title",
    "kind",
    "union_org",
    "party_org",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "signup_deadline",
    "waitlist_enabled",
    "open_to",
    "hours",
    "description",
)


# Activities -----------------------------------------------------------------


def activity_save(*, by, activity: Activity | None, data: dict, units=(), now: datetime) -> Activity:
    """Create (``activity`` None) or update an activity; the organiser must be in
    the actor's scope before and after. ``units`` are the named units when the
    activity is open to units only."""
    creating = activity is None
    activity = activity or Activity()
    for field in ACTIVITY_FIELDS:
        if field in data:
            setattr(activity, field, data[field])
    if activity.open_to == Activity.UNITS and not units:
        raise ValidationError({"units": "参加范围为指定单位时，请至少选择一个单位。"})
    with transaction.atomic():
        save_audited(
            activity, by=by, policy=policies.activities, action=None if creating else "activities.activity.update"
        )
        activity.units.set(units if activity.open_to == Activity.UNITS else [])
    return activity


def activity_cancel(*, by, activity: Activity, now: datetime) -> Activity:
    """取消活动: registrations stay for the record; everyone signed up is told."""
    with transaction.atomic():
        policies.activities.require(by, CHANGE, activity)
        activity.cancelled = True
        save_audited(activity, by=by, policy=policies.activities, action="activities.activity.cancel")
        users = _users_of(
            activity.registrations.exclude(status=Registration.CANCELLED).values_list("person_id", flat=True)
        )
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=user_id,
                    title=f"活动“{activity.title}”已取消",
                    url=reverse("activities:activity_detail", args=[activity.pk]),
                    level="warning",
                    dedupe_key=f"activities:cancel:{activity.pk}:{user_id}",
                )
                for user_id in users
            ],
            ignore_conflicts=True,
        )
    return activity


def _users_of(person_ids) -> list[int]:
    from accounts.models import User

    return list(User.objects.filter(person_id__in=list(person_ids)).values_list("pk", flat=True))


# Sign-up --------------------------------------------------------------------


def _locked(activity: Activity) -> Activity:
    """The activity row locked for the rest of the transaction: sign-ups and
    cancellations of one activity are serialised, so capacity cannot be overrun."""
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _counts(activity: Activity) -> tuple[int, int]:
    row = activity.registrations.aggregate(
        taken=Count("pk", filter=Q(status=Registration.REGISTERED)),
        waiting=Count("pk", filter=Q(status=Registration.WAITLISTED)),
    )
    return row["taken"], row["waiting"]


def registration_signup(*, by, activity: Activity, now: datetime) -> Registration:
    """A member signs himself up: registered while places are free, else on the
    waiting list (or refused when the activity has none). Raises
    ValidationError with a Chinese message."""
    person_id = getattr(by, "person_id", None)
    if person_id is None:
        raise ValidationError("您的账号没有关联人员信息，不能报名。")
    place = policies.person_place(person_id, cache_on=by)
    eligible = Activity.objects.filter(pk=activity.pk).filter(policies.eligible_q(place)).exists()
    if not eligible:
        raise ValidationError("该活动不对您开放报名（只面向主办组织的会员或指定单位的职工）。")
    with transaction.atomic():
        activity = _locked(activity)
        existing = Registration.objects.filter(activity=activity, person_id=person_id).first()
        if existing is not None and existing.status != Registration.CANCELLED:
            raise ValidationError("您已报名该活动，无需重复报名。")
        taken, waiting = _counts(activity)
        decision = rules.signup_decision(
            now=now,
            starts_at=activity.starts_at,
            deadline=activity.signup_deadline,
            cancelled=activity.cancelled,
            capacity=activity.capacity,
            taken=taken,
            waiting=waiting,
            wanted=1,
            waitlist_enabled=activity.waitlist_enabled,
        )
        if decision.refusal:
            raise ValidationError(decision.refusal)
        status = Registration.REGISTERED if decision.registered else Registration.WAITLISTED
        registration = existing or Registration(activity=activity, person_id=person_id)
        registration.status = status
        registration.unit_id = place.unit_id
        registration.registered_by = by
        registration.created_at = now
        registration.cancelled_at = None
        save_audited(registration, by=by, policy=policies.registrations, action="activities.registration.signup")
    return registration


def registration_signup_list(*, by, activity: Activity, persons, now: datetime) -> tuple[int, int, int]:
    """An organiser signs up a list of people: all or nothing. Returns (registered,
    waitlisted, already signed up). Everyone must be eligible."""
    policies.activities.require(by, CHANGE, activity)
    persons = list(persons)
    with transaction.atomic():
        activity = _locked(activity)
        existing = {
            r.person_id: r for r in Registration.objects.filter(activity=activity, person__in=[p.pk for p in persons])
        }
        fresh = [p for p in persons if p.pk not in existing or existing[p.pk].status == Registration.CANCELLED]
        already = len(persons) - len(fresh)
        not_open = _ineligible(activity, fresh)
        if not_open:
            names = "、".join(p.name for p in not_open[:10])
            raise ValidationError(f"以下人员不在该活动的参加范围内：{names}{'等' if len(not_open) > 10 else ''}。")
        taken, waiting = _counts(activity)
        decision = rules.signup_decision(
            now=now,
            starts_at=activity.starts_at,
            deadline=activity.signup_deadline,
            cancelled=activity.cancelled,
            capacity=activity.capacity,
            taken=taken,
            waiting=waiting,
            wanted=len(fresh),
            waitlist_enabled=activity.waitlist_enabled,
        )
        if decision.refusal and fresh:
            raise ValidationError(decision.refusal)
        created, updated = [], []
        for i, person in enumerate(fresh):
            status = Registration.REGISTERED if i < decision.registered else Registration.WAITLISTED
            row = existing.get(person.pk) or Registration(activity=activity, person=person)
            row.status, row.unit_id, row.registered_by, row.created_at = status, person.unit_id, by, now
            row.cancelled_at = None
            (updated if row.pk else created).append(row)
        Registration.objects.bulk_create(created)
        if updated:
            Registration.objects.bulk_update(
                updated, ["status", "unit_id", "registered_by", "created_at", "cancelled_at"]
            )
        audit.record_many(actor=by, action="activities.registration.signup_list", objects=created + updated)
    return decision.registered, decision.waitlisted, already


def _ineligible(activity: Activity, persons) -> list:
    """Persons for whom the activity is not open (by union, branch or unit)."""
    if not persons:
        return []
    from people.models import Person

    ok = set()
    rows = Person.objects.filter(pk__in=[p.pk for p in persons]).values(
        "pk", "unit_id", "union_member__union_org__path", "party_member__branch__path"
    )
    named = set(activity.units.values_list("pk", flat=True))
    org_path = activity.organiser.path
    for row in rows:
        if activity.open_to == Activity.UNITS:
            if row["unit_id"] in named:
                ok.add(row["pk"])
            continue
        path = row["union_member__union_org__path"] if activity.union_org_id else row["party_member__branch__path"]
        if path and path.startswith(org_path):
            ok.add(row["pk"])
    return [p for p in persons if p.pk not in ok]


def registration_cancel(*, by, registration: Registration, now: datetime) -> Registration | None:
    """Cancel a sign-up (the member himself before the start, or an organiser).
    A freed place goes to the first on the waiting list, who is notified.
    Returns the promoted registration, if any."""
    with transaction.atomic():
        activity = _locked(registration.activity)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        policies.registrations.require(by, CHANGE, registration)
        is_organiser = policies.activities.may(by, CHANGE, activity)
        if registration.status == Registration.CANCELLED:
            raise ValidationError("该报名已取消。")
        if not is_organiser and now > activity.starts_at:
            raise ValidationError("活动已开始，不能再取消报名，请联系主办单位。")
        if registration.checked_in_at:
            raise ValidationError("已签到的报名不能取消。")
        freed = registration.status == Registration.REGISTERED
        registration.status = Registration.CANCELLED
        registration.cancelled_at = now
        save_audited(registration, by=by, policy=policies.registrations, action="activities.registration.cancel")
        promoted = None
        if freed and activity.capacity is not None:
            taken, _ = _counts(activity)
            if taken < activity.capacity:
                promoted = (
                    Registration.objects.select_for_update()
                    .filter(activity=activity, status=Registration.WAITLISTED)
                    .order_by("created_at", "id")
                    .first()
                )
        if promoted is not None:
            promoted.status = Registration.REGISTERED
            promoted.save(update_fields=["status"])
            audit.record(
                actor=by, action="activities.registration.promote", obj=promoted, after={"status": promoted.status}
            )
            Notification.objects.bulk_create(
                [
                    Notification(
                        user_id=user_id,
                        title=f"候补成功：您已获得“{activity.title}”的名额",
                        url=reverse("activities:activity_detail", args=[activity.pk]),
                        level="info",
                        dedupe_key=f"activities:promote:{promoted.pk}:{user_id}",
                    )
                    for user_id in _users_of([promoted.person_id])
                ],
                ignore_conflicts=True,
            )
    return promoted


# Check-in -------------------------------------------------------------------


def _certificate_no(activity: Activity, registration: Registration) -> str:
    return f"PX{activity.starts_at.year}{activity.pk:04d}-{registration.pk:05d}"


def _check_in(registration: Registration, *, method: str, now: datetime) -> None:
    registration.checked_in_at = now
    registration.checkin_method = method
    if registration.activity.kind == "training" and not registration.certificate_no:
        registration.certificate_no = _certificate_no(registration.activity, registration)


def checkin_by_token(*, by, token: str, now: datetime) -> Registration:
    """签到 by scanning the door's QR code: the member checks himself in."""
    activity = Activity.objects.filter(checkin_token=token, cancelled=False).first()
    if activity is None:
        raise ValidationError("签到码无效或活动已取消。")
    person_id = getattr(by, "person_id", None)
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .select_related("activity")
            .filter(activity=activity, person_id=person_id)
            .first()
            if person_id
            else None
        )
        refusal = rules.checkin_refusal(
            now=now,
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            status=registration.status if registration else None,
        )
        if refusal:
            raise ValidationError(refusal)
        if registration.checked_in_at:
            return registration  # a second scan changes nothing
        _check_in(registration, method=Registration.QR, now=now)
        save_audited(registration, by=by, policy=policies.registrations, action="activities.registration.checkin")
    return registration


def checkin_list(*, by, activity: Activity, registration_ids, now: datetime) -> int:
    """An organiser ticks who came (签到 by list). Returns how many were checked in now."""
    policies.activities.require(by, CHANGE, activity)
    with transaction.atomic():
        rows = list(
            Registration.objects.select_for_update()
            .select_related("activity")
            .filter(activity=activity, pk__in=list(registration_ids), status=Registration.REGISTERED)
            .filter(checked_in_at__isnull=True)
        )
        for row in rows:
            _check_in(row, method=Registration.LIST, now=now)
        Registration.objects.bulk_update(rows, ["checked_in_at", "checkin_method", "certificate_no"])
        for row in rows:
            audit.record(actor=by, action="activities.registration.checkin", obj=row, after={"method": "list"})
    return len(rows)


# Photos ---------------------------------------------------------------------

PHOTO_TYPES = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}


def _private_dir(*parts: str) -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT).joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_image(upload) -> tuple[bytes, str, str]:
    """(bytes, extension, content type) of an uploaded photo, or ValidationError in Chinese."""
    from PIL import Image, UnidentifiedImageError

    size = getattr(upload, "size", 0) or 0
    if size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(f"照片过大，不能超过 {settings.MAX_UPLOAD_BYTES // 1024 // 1024} MB。")
    data = upload.read()
    if not data:
        raise ValidationError("上传的文件是空的。")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError("只能上传 JPG、PNG 或 WEBP 格式的照片。") from exc
    if kind not in PHOTO_TYPES:
        raise ValidationError("只能上传 JPG、PNG 或 WEBP 格式的照片。")
    ext, content_type = PHOTO_TYPES[kind]
    return data, ext, content_type


def photo_add(*, by, activity: Activity, upload, caption: str = "") -> ActivityPhoto:
    policies.activities.require(by, CHANGE, activity)
    data, ext, content_type = read_image(upload)
    relative = f"activities/{activity.pk}/{uuid.uuid4().hex}.{ext}"
    path = Path(settings.PRIVATE_MEDIA_ROOT) / relative
    with transaction.atomic():
        photo = ActivityPhoto(
            activity=activity, file=relative, content_type=content_type, caption=caption, uploaded_by=by
        )
        save_audited(photo, by=by, policy=policies.photos)
        _private_dir("activities", str(activity.pk))
        path.write_bytes(data)
    return photo


def photo_path(photo: ActivityPhoto) -> Path:
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = (root / photo.file).resolve()
    if root not in path.parents:
        raise PermissionDenied("文件路径无效。")
    return path


# Work-break exercise --------------------------------------------------------


def exercise_check_in(
    *, by, unit, day: date, now: datetime, person=None, participants: int | None = None
) -> tuple[ExerciseCheckIn, bool]:
    """工间操 one-tap check-in for ``day``: the unit's (by an organiser of the
    unit's union or party organisation) or a member's own (``person`` is the
    actor's person and works in ``unit``). Repeat taps change nothing: returns
    (check-in, created)."""
    if day > now.date():
        raise ValidationError("不能为以后的日期打卡。")
    if person is not None:
        if person.pk != getattr(by, "person_id", None):
            raise PermissionDenied("只能为本人打卡。")
        if person.unit_id != unit.pk:
            raise ValidationError("只能在本人所在单位打卡。")
    else:
        from orgs import policies as org_policies

        if not org_policies.units.queryset(by, VIEW).filter(pk=unit.pk).exists() or not policies.is_organiser(
            _scope(by)
        ):
            raise PermissionDenied("只有本单位的工会或党组织管理员可以为单位打卡。")
    existing = ExerciseCheckIn.objects.filter(unit=unit, day=day, person=person).first()
    if existing is not None:
        return existing, False
    row = ExerciseCheckIn(unit=unit, day=day, person=person, participants=participants, checked_by=by, created_at=now)
    try:
        with transaction.atomic():
            save_audited(row, by=by, policy=None, action="activities.exercise.checkin")
    except IntegrityError:
        # Two taps at once: the other one was kept.
        return ExerciseCheckIn.objects.get(unit=unit, day=day, person=person), False
    return row, True


def _scope(user):
    from accounts.scope import scope_of

    return scope_of(user)
