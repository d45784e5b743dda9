"""What every page's frame (top bar, menu, breadcrumbs) needs, as ``layout``.

``layout`` is lazy and cached on the request: a page that shows the frame runs at
most three queries for it (acting scope, the user's grants, unread count), an
htmx fragment that shows none of it runs none, and rendering several templates
in one request computes it once. Anonymous users get nothing.
"""

from __future__ import annotations

from functools import cached_property

from django.urls import NoReverseMatch, reverse

from accounts.models import Grant
from accounts.scope import Scope, scope_of
from core import navigation

ROLE_LABELS = dict(Grant.ROLES)
_CACHE_ATTR = "_dangqun_layout"


class Layout:
    """The signed-in user's frame. Views may set ``request.nav_active = "app:url_name"``
    to choose the highlighted menu item when the URL alone does not tell."""

    def __init__(self, request):
        self.request = request
        self.user = request.user

    @cached_property
    def user_name(self) -> str:
        return self.user.get_full_name()

    @cached_property
    def scope(self) -> Scope | None:
        return scope_of(self.user)

    @cached_property
    def role(self) -> str | None:
        return self.scope.role if self.scope else None

    @cached_property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, "") if self.role else ""

    @cached_property
    def org_name(self) -> str:
        return self.scope.org_name if self.scope else ""

    @cached_property
    def is_member_view(self) -> bool:
        """Member-facing frame: single column, large touch targets."""
        return self.role == Grant.MEMBER

    @cached_property
    def grants(self) -> list[Grant]:
        return list(self.user.grants.select_related("party_org", "union_org"))

    @cached_property
    def can_switch(self) -> bool:
        return len(self.grants) > 1

    @cached_property
    def current_grant_id(self) -> int | None:
        return self.scope.grant_id if self.scope else None

    @cached_property
    def unread_count(self) -> int:
        return self.user.notifications.filter(read_at__isnull=True).count()

    @cached_property
    def menu(self) -> list[navigation.MenuGroup]:
        match = getattr(self.request, "resolver_match", None)
        return navigation.menu_for(
            self.role,
            view_name=match.view_name if match else "",
            path=self.request.path,
            active=getattr(self.request, "nav_active", "") or "",
            district_level=bool(self.scope and self.scope.is_district_level),
        )

    @cached_property
    def trail(self) -> list[tuple[str, str | None]]:
        return navigation.trail(self.menu, path=self.request.path)

    @cached_property
    def home_url(self) -> str:
        try:
            return reverse("core:home")
        except NoReverseMatch:
            return "/"


def layout(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is None:
        cached = Layout(request)
        setattr(request, _CACHE_ATTR, cached)
    return {"layout": cached}
