from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Kecamatan (tenants)"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (routing cache invalidation)
        from .blueprints import OFFICE_SECTION, register_section

        register_section(OFFICE_SECTION)  # the office-hours text travels with a regency template
