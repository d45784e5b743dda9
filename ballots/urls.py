from django.urls import path

from ballots import views

app_name = "ballots"
urlpatterns = [
    path("", views.ballot_list, name="list"),
    path("new/", views.ballot_create, name="create"),
    path("<int:pk>/", views.ballot_detail, name="detail"),
    path("<int:pk>/edit/", views.ballot_edit, name="edit"),
    path("<int:pk>/delete/", views.ballot_delete, name="delete"),
    path("<int:pk>/open/", views.ballot_open, name="open"),
    path("<int:pk>/codes/", views.ballot_codes, name="codes"),
    path("<int:pk>/count/", views.ballot_count, name="count"),
    path("<int:pk>/written/", views.ballot_written, name="written"),
    path("<int:pk>/close/", views.ballot_close, name="close"),
    path("<int:pk>/paper/", views.ballot_paper, name="paper"),
    path("<int:pk>/result/", views.ballot_result, name="result"),
    path("v/<str:code>/", views.vote, name="vote"),
]
