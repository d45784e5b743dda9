from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/import/", views.member_import, name="member_import"),
    path("members/import/errors/", views.member_import_errors, name="member_import_errors"),
    path("members/import/template/", views.member_import_template, name="member_import_template"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/delete/", views.member_delete, name="member_delete"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("persons/<int:pk>/reveal/<str:field>/", views.person_reveal, name="person_reveal"),
    path("union-members/", views.union_member_list, name="union_member_list"),
    path("me/", views.me, name="me"),
]
