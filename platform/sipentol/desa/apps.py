from django.apps import AppConfig


class DesaConfig(AppConfig):
    name = "sipentol.desa"
    label = "desa"
    verbose_name = "Surat pengantar desa"

    def ready(self) -> None:
        from sipentol.applications import handoffs, panels
        from sipentol.lib import dashboards

        from .figures import DesaResponseSection
        from .panels import pengantar_panel
        from .services import pengantar_request_open

        handoffs.register(pengantar_request_open)
        panels.register(pengantar_panel)
        dashboards.register("camat", DesaResponseSection())
