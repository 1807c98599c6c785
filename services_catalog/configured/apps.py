from django.apps import AppConfig


class ConfiguredServicesConfig(AppConfig):
    """A kecamatan's own service list (tenant schema), copied from the regency catalog."""

    name = "services_catalog.configured"
    label = "configured_services"
    verbose_name = "Configured services (per kecamatan)"
