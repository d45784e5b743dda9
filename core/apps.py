from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "公共"

    def ready(self) -> None:
        # Each app declares its local rule settings and dashboard alerts in modules
        # of these names; importing them registers them.
        autodiscover_modules("rule_settings")
        autodiscover_modules("dashboard")
