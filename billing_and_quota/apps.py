"""Plans, quotas, usage metering, notices and statements per kecamatan (Diskominfo's books)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingAndQuotaConfig(AppConfig):
    name = "billing_and_quota"
    verbose_name = "Billing and quota"

    def ready(self) -> None:
        # Counts and limits meet accounts and the applications in the lowest layer (lib), so that
        # no app of layer 3 imports another; see docs/billing.md.
        from sipentol.lib import facts, metering
        from tenants.provisioning import Step, register_kecamatan_step

        from .services import fact_sink, seat_limit, subscription_ensure

        facts.register_sink(fact_sink)
        metering.register_limit_provider(seat_limit)
        register_kecamatan_step(
            Step(name="subscription", label=_("Langganan paket bawaan"), run=subscription_ensure, order=20)
        )
