from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sipentol.notifications"
    label = "notifications"
