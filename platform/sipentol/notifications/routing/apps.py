from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    """Public schema (SHARED_APPS only): what the platform-wide webhooks need before they know the kecamatan."""

    name = "sipentol.notifications.routing"
    label = "notifications_routing"
    verbose_name = _("Perutean laporan pengiriman")
