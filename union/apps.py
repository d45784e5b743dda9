from django.apps import AppConfig


class UnionConfig(AppConfig):
    name = "union"
    verbose_name = "工会工作"
