"""How long each type of record is kept (set by Diskominfo for the whole regency), and the
anonymous record of each purge. Public schema: read by every kecamatan through its search path.

The defaults and the reading of a period are `sipentol.privacy.policy`; a type without a row
here keeps its default.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordType(models.TextChoices):
    DRAFT = "draft", _("Draf permohonan yang tidak dikirim (termasuk foto KTP/KK)")
    CLOSED = "closed", _("Permohonan ditolak, dibatalkan atau kedaluwarsa")
    ISSUED = "issued", _("Permohonan yang suratnya terbit (arsip)")


class RetentionRule(models.Model):
    record_type = models.CharField(_("jenis data"), max_length=20, choices=RecordType.choices, unique=True)
    days = models.PositiveIntegerField(_("masa simpan (hari)"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["record_type"]

    def __str__(self) -> str:
        return f"{self.record_type}: {self.days} d"


class PurgeRecord(models.Model):
    """One purge run in one kecamatan that deleted something: counts per type, never personal data."""

    at = models.DateTimeField(auto_now_add=True)
    kecamatan = models.ForeignKey("tenants.Kecamatan", on_delete=models.CASCADE, related_name="+")
    counts = models.JSONField(default=dict)  # {"applications": n, "documents": n, "objects": n, ...}

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kecamatan_id} {self.counts}"
