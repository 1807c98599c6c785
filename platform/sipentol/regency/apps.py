from django.apps import AppConfig


class RegencyConfig(AppConfig):
    name = "sipentol.regency"
    label = "regency"
    verbose_name = "Regency site and dashboards"
