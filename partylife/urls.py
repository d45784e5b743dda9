from django.urls import path

from partylife import views

app_name = "partylife"
urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_form, name="meeting_create"),
    path("meetings/roster/", views.meeting_roster, name="meeting_roster"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_form, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("meetings/<int:pk>/all-present/", views.meeting_all_present, name="meeting_all_present"),
    path("meetings/<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("my/", views.my_meetings, name="my_meetings"),
    path("calendar/", views.calendar, name="calendar"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/remind/<int:member_pk>/", views.absence_reminder, name="absence_reminder"),
    path("circulars/", views.circular_list, name="circular_list"),
    path("circulars/new/", views.circular_create, name="circular_create"),
    path("circulars/<int:pk>/", views.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/edit/", views.circular_edit, name="circular_edit"),
    path("circulars/<int:pk>/recompute/", views.circular_recompute, name="circular_recompute"),
    path("circulars/<int:pk>/publish/", views.circular_publish, name="circular_publish"),
    path("circulars/<int:pk>/file.<str:fmt>", views.circular_file, name="circular_file"),
    path("notices/", views.notice_board, name="notice_board"),
]
