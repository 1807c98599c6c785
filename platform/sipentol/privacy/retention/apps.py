from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    """The regency-wide retention policy and the purge record (public schema, SHARED_APPS only)."""

    name = "sipentol.privacy.retention"
    label = "privacy_retention"
    verbose_name = _("Masa simpan data pribadi")
