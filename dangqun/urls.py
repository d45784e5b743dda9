from django.urls import include, path

urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("orgs/", include("orgs.urls")),
    path("people/", include("people.urls")),
    path("recruitment/", include("recruitment.urls")),
    path("ballots/", include("ballots.urls")),
    path("partylife/", include("partylife.urls")),
    path("talks/", include("talks.urls")),
    path("stats/", include("stats.urls")),
    path("dues/", include("dues.urls")),
    path("union/", include("union.urls")),
    path("activities/", include("activities.urls")),
    path("", include("core.urls")),
]
