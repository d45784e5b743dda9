from django.urls import path

from dues import views

app_name = "dues"
urlpatterns = [
    path("", views.roll, name="roll"),
    path("roll/compute/", views.roll_compute, name="roll_compute"),
    path("bases/", views.base_list, name="base_list"),
    path("bases/new/", views.base_create, name="base_create"),
    path("payments/new/", views.payment_create, name="payment_create"),
    path("lines/<int:pk>/excuse/", views.excuse, name="excuse"),
    path("import/", views.payroll_import, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("reductions/", views.reduction_list, name="reduction_list"),
    path("reductions/new/", views.reduction_create, name="reduction_create"),
    path("reductions/<int:pk>/", views.reduction_detail, name="reduction_detail"),
    path("arrears/", views.arrears, name="arrears"),
    path("report/", views.report, name="report"),
    path("calculator/", views.calculator, name="calculator"),
    path("mine/", views.mine, name="mine"),
]
