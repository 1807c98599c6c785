from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data under UU 27/2022: requests of the data subject, export, retention purge."""

    name = "sipentol.privacy"
    label = "privacy"
    verbose_name = _("Pelindungan data pribadi")

    def ready(self) -> None:
        from sipentol.applications import panels

        from .views import citizen_panel

        panels.register(citizen_panel)
