from django.apps import AppConfig


class PartylifeConfig(AppConfig):
    name = "partylife"
    verbose_name = "组织生活"
