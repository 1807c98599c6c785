from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Diskominfo's ops console on BASE_DOMAIN/ops/ (pages only: it composes tenants, billing,
    the regency figures and health, so it sits above all of them)."""

    name = "sipentol.ops"
    label = "ops"
    verbose_name = "Ops console"

    def ready(self) -> None:
        # billing records quota notices; the outbox and the admins are in apps it may not import.
        from billing_and_quota.services import register_notice_sender

        from .quota_notices import quota_notice_send

        register_notice_sender(quota_notice_send)

        # Letters (below the console) read the BSrE footer Diskominfo edits here.
        from sipentol.lib.signature_footer import register_provider

        from .selectors import signature_footer_text

        register_provider(signature_footer_text)
