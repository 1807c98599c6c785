from django.apps import AppConfig


class UpgradeAppConfig(AppConfig):
    name = "tests.bench.upgrade_app"
    label = "bench_upgrade"
    default_auto_field = "django.db.models.BigAutoField"
