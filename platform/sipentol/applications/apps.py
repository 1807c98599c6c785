from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "sipentol.applications"
    label = "applications"

    def ready(self) -> None:
        from tenants.golive import register_check

        from .golive import CHECK

        register_check(CHECK)

        # The Camat's board shows this app's section without importing it (lib/dashboards.py).
        from sipentol.lib import dashboards

        from .dashboard import SECTION

        dashboards.register("camat", SECTION)
