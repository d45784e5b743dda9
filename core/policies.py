"""One permission policy per model (the Wagtail/NetBox pattern).

A policy answers "which objects may this user do ACTION to" (a queryset) and
"may this user do ACTION to this object". Every list, detail, export and form
choice goes through ``queryset``; services re-check the saved row with
``may`` inside their transaction so a write can never leave the user's scope.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from accounts.scope import NOTHING, Scope, scope_of

VIEW, ADD, CHANGE, DELETE, EXPORT, REVEAL = "view", "add", "change", "delete", "export", "reveal"


class Policy:
    model: type[Model]

    def scope_q(self, scope: Scope, action: str) -> Q:
        """The filter selecting the rows ``scope`` may act on; NOTHING when none."""
        raise NotImplementedError

    def queryset(self, user, action: str = VIEW, qs: QuerySet | None = None) -> QuerySet:
        qs = self.model._default_manager.all() if qs is None else qs
        scope = scope_of(user)
        if scope is None:
            return qs.none()
        q = self.scope_q(scope, action)
        return qs.none() if q is NOTHING else qs.filter(q)

    def may(self, user, action: str, obj: Model) -> bool:
        if obj.pk is None:
            return False
        return self.queryset(user, action).filter(pk=obj.pk).exists()

    def require(self, user, action: str, obj: Model) -> None:
        """Raise PermissionDenied (rolling back the caller's transaction) unless allowed."""
        if not self.may(user, action, obj):
            raise PermissionDenied("您无权对该记录进行此操作，或该记录不在您的管理范围内。")
