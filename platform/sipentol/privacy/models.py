"""A citizen's request to correct or delete their personal data in one application, tracked by
the kecamatan's admin (UU 27/2022 Pasal 6 and 8). Per kecamatan schema."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyRequest(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Perbaikan data")
        DELETION = "deletion", _("Penghapusan data")

    class Status(models.TextChoices):
        NEW = "new", _("Baru")
        IN_PROGRESS = "in_progress", _("Sedang diproses")
        DONE = "done", _("Selesai")
        REFUSED = "refused", _("Ditolak")

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="privacy_requests"
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    details = models.TextField(_("uraian"), max_length=1000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    response = models.TextField(_("tanggapan"), max_length=1000, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"PDP-{self.pk:06d}" if self.pk else "PDP-?"
