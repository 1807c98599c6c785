from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sipentol.portal"
    label = "portal"
    verbose_name = "Citizen portal"

    def ready(self) -> None:
        from . import content

        content.connect()
