"""Audited writes: the one path every create/update/delete goes through.

``save_audited`` validates (full_clean, Chinese messages), saves inside a
transaction, re-checks the saved row against the actor's scope with the model's
policy (rolling back if the write left it) and appends the audit entry.
"""

from __future__ import annotations

from django.db import models, transaction

from core import audit
from core.policies import ADD, CHANGE, DELETE, Policy


def save_audited(obj: models.Model, *, by, policy: Policy | None, action: str | None = None) -> models.Model:
    """Create or update ``obj`` as ``by``; raises ValidationError / PermissionDenied, saving nothing."""
    label = obj._meta.label_lower
    creating = obj.pk is None
    with transaction.atomic():
        before = None
        if not creating:
            before = audit.snapshot(type(obj)._default_manager.select_for_update().get(pk=obj.pk))
            if policy is not None:
                policy.require(by, CHANGE, obj)  # the row as it was: may the actor touch it at all?
        obj.full_clean()
        obj.save()
        if policy is not None:
            policy.require(by, ADD if creating else CHANGE, obj)  # the row as saved
        after = audit.snapshot(obj)
        if creating or audit.diff(before, after):
            audit.record(
                actor=by,
                action=action or f"{label}.{'create' if creating else 'update'}",
                obj=obj,
                before=before,
                after=after,
            )
    return obj


def delete_audited(obj: models.Model, *, by, policy: Policy | None, action: str | None = None) -> None:
    with transaction.atomic():
        if policy is not None:
            policy.require(by, DELETE, obj)
        before = audit.snapshot(obj)
        label, pk, text = obj._meta.label_lower, str(obj.pk), str(obj)
        obj.delete()
        audit.record(
            actor=by,
            action=action or f"{label}.delete",
            object_type=label,
            object_id=pk,
            object_repr=text,
            before=before,
            after=None,
        )
