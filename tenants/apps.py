from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Kecamatan (tenants)"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (routing cache invalidation)
