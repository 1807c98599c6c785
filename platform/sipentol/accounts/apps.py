from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sipentol.accounts"
    label = "accounts"
    verbose_name = "Staff accounts and roles"

    def ready(self) -> None:
        from tenants.golive import register_check

        from .golive import CHECKS

        for check in CHECKS:
            register_check(check)
