from django.apps import AppConfig


class ServicesCatalogConfig(AppConfig):
    name = "services_catalog"
    verbose_name = "Service catalog"
