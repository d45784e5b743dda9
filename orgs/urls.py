from django.urls import path

from orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("party/<int:pk>/", views.party_org_detail, name="party_org_detail"),
    path("units/", views.unit_list, name="unit_list"),
]

urlpatterns += [
    path("terms/", views.term_ledger, name="term_ledger"),
    path("terms/print/", views.term_ledger_print, name="term_ledger_print"),
    path("terms/refresh/", views.terms_refresh, name="terms_refresh"),
    path("party/<int:pk>/terms/", views.org_terms, name="org_terms"),
    path("party/<int:pk>/terms/new/", views.term_create, name="term_create"),
    path("terms/<int:pk>/reelection/", views.term_reelection, name="term_reelection"),
    path("terms/<int:pk>/postpone/", views.term_postpone, name="term_postpone"),
]
