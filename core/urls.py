from django.urls import path

from core import calendar_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log_view, name="audit_log"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("settings/", views.settings_view, name="settings"),
    path("calendar/", calendar_views.calendar_view, name="calendar"),
]
