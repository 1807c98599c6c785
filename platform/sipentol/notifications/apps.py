from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sipentol.notifications"
    label = "notifications"

    def ready(self) -> None:
        # WhatsApp messages per month are metered by the app that sends them (billing reads the
        # count through lib/metering.py).
        from sipentol.lib import metering

        from .selectors import whatsapp_count

        metering.register_meter(metering.Quota.WHATSAPP, whatsapp_count)
