from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Kecamatan (tenants)"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from . import signals  # noqa: F401  (routing cache invalidation)
        from .golive import Check, profile_evaluate, register_check

        register_check(
            Check(
                name="profile",
                label=_("Profil kantor: alamat, telepon, WhatsApp, jam layanan"),
                evaluate=profile_evaluate,
                fix_url_name="staff:office-profile",
                order=10,
            )
        )

        from .blueprints import OFFICE_SECTION, register_section

        register_section(OFFICE_SECTION)  # the office-hours text travels with a regency template
