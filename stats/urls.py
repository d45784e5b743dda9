from django.urls import path

from stats import views

app_name = "stats"
urlpatterns = [
    path("", views.index, name="index"),
    path("tables/", views.table_list, name="table_list"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("export/", views.export_all, name="export_all"),
    path("tables/<str:code>/", views.table, name="table"),
    path("tables/<str:code>/cell/", views.cell, name="cell"),
    path("tables/<str:code>/export/", views.export_table, name="export_table"),
]
