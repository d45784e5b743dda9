from django.urls import include, path

urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("orgs/", include("orgs.urls")),
    path("people/", include("people.urls")),
    path("", include("core.urls")),
]
