from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Diskominfo's ops console on BASE_DOMAIN/ops/ (pages only: it composes tenants, billing,
    the regency figures and health, so it sits above all of them)."""

    name = "sipentol.ops"
    label = "ops"
    verbose_name = "Ops console"
