from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "dues"
    verbose_name = "党费会费"
