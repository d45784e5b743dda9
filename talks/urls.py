from django.urls import path

from talks import views

app_name = "talks"
urlpatterns = [
    path("", views.talk_list, name="talk_list"),
    path("new/", views.talk_form, name="talk_create"),
    path("<int:pk>/", views.talk_detail, name="talk_detail"),
    path("<int:pk>/edit/", views.talk_form, name="talk_edit"),
    path("<int:pk>/delete/", views.talk_delete, name="talk_delete"),
]
