from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "sipentol.applications"
    label = "applications"

    def ready(self) -> None:
        from tenants.golive import register_check

        from .golive import CHECK

        register_check(CHECK)
