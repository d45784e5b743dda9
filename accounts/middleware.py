from accounts.models import Grant
from accounts.scope import act_as

SESSION_KEY = "acting_grant_id"


class ActingGrantMiddleware:
    """Applies the grant chosen in the top bar (kept in the session) to request.user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        grant_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if user is not None and user.is_authenticated and grant_id:
            grant = (
                Grant.objects.select_related("party_org", "union_org", "user__person__party_member__branch")
                .filter(pk=grant_id, user=user)
                .first()
            )
            if grant:
                act_as(user, grant)
            else:
                request.session.pop(SESSION_KEY, None)
        return self.get_response(request)
