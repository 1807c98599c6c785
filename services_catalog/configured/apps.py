from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfiguredServicesConfig(AppConfig):
    """A kecamatan's own service list (tenant schema), copied from the regency catalog."""

    name = "services_catalog.configured"
    label = "configured_services"
    verbose_name = "Configured services (per kecamatan)"

    def ready(self) -> None:
        # tenants imports no tenant app: provisioning a kecamatan runs this registered step.
        # tenants imports no tenant app: provisioning a kecamatan runs this registered step,
        # and a regency template carries the service list through the blueprint registry.
        from tenants.blueprints import register_section
        from tenants.golive import register_check
        from tenants.provisioning import Step, register_kecamatan_step

        from .blueprints import SERVICES_SECTION
        from .golive import CHECK
        from .services import kecamatan_services_init

        register_check(CHECK)

        register_kecamatan_step(
            Step(name="services", label=_("Daftar layanan dari katalog"), run=kecamatan_services_init, order=10)
        )
        register_section(SERVICES_SECTION)
