from django.urls import path

from recruitment import views

app_name = "recruitment"
urlpatterns = [
    path("", views.record_list, name="ledger"),
    path("new/", views.record_create, name="record_create"),
    path("<int:pk>/", views.record_detail, name="record_detail"),
    path("<int:pk>/step/<int:step>/", views.step_edit, name="step_edit"),
    path("<int:pk>/reason/", views.reason_add, name="reason_add"),
    path("<int:pk>/print/", views.record_print, name="record_print"),
    path("<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("ledgers/activists/", views.activist_ledger, name="activist_ledger"),
    path("ledgers/candidates/", views.candidate_ledger, name="candidate_ledger"),
    path("ledgers/conversions/", views.conversion_ledger, name="conversion_ledger"),
    path("import/", views.import_view, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/print/", views.notice_print, name="notice_print"),
    path("notices/<int:pk>/docx/", views.notice_docx, name="notice_docx"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("pipeline/", views.pipeline, name="pipeline"),
]
