from django.urls import path

from orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("party/<int:pk>/", views.party_org_detail, name="party_org_detail"),
    path("units/", views.unit_list, name="unit_list"),
]
