from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "sipentol.applications"
    label = "applications"
