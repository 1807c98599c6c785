from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesCatalogConfig(AppConfig):
    name = "services_catalog"
    verbose_name = "Service catalog"

    def ready(self) -> None:
        # tenants imports no tenant app: the catalog plugs into loading the regency here.
        from tenants.provisioning import Step, register_kecamatan_step, register_regency_step

        from .blueprints import configuration_copy, template_source_default
        from .services import catalog_load

        def load(*, actor: str) -> str:
            result = catalog_load(actor=actor)
            return f"service catalog: {result.created} new, {result.updated} updated"

        def mark_model(*, actor: str) -> str:
            return "Jetis marked as the model kecamatan" if template_source_default() else "model kecamatan kept"

        register_regency_step(Step(name="catalog", label=_("Katalog layanan kabupaten"), run=load, order=10))
        register_regency_step(Step(name="template-source", label=_("Kecamatan model"), run=mark_model, order=20))
        # Before the catalog's services step (order 10): a template gives the kecamatan its list,
        # then the catalog adds, disabled, what the template lacks.
        register_kecamatan_step(
            Step(
                name="configuration-copy",
                label=_("Salinan konfigurasi dari templat kabupaten"),
                run=configuration_copy,
                order=5,
                options=("template_version", "created"),
            )
        )
