from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesCatalogConfig(AppConfig):
    name = "services_catalog"
    verbose_name = "Service catalog"

    def ready(self) -> None:
        # tenants imports no tenant app: the catalog plugs into loading the regency here.
        from tenants.provisioning import Step, register_regency_step

        from .services import catalog_load

        def load(*, actor: str) -> str:
            result = catalog_load(actor=actor)
            return f"service catalog: {result.created} new, {result.updated} updated"

        register_regency_step(Step(name="catalog", label=_("Katalog layanan kabupaten"), run=load, order=10))
