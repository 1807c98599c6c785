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

        # Staff seats are metered by the app that owns staff (billing reads it through lib).
        from sipentol.lib import metering

        from .services import active_staff_count

        metering.register_meter(metering.Quota.STAFF_SEATS, lambda **_dates: active_staff_count())
