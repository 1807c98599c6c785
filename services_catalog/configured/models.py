"""A kecamatan's own service list (tenant schema), copied from the regency catalog.

The copy is the kecamatan's to change: enable/disable, SLA, fee, requirements, form fields.
Every change goes through `services_catalog.configured.services` and leaves a
ServiceChangeEvent.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from services_catalog.models import RequirementStandard, ServiceStandard

FIELD_TYPES = ("text", "textarea", "date", "number", "nik", "kk", "phone", "email", "desa", "choice")


class KecamatanService(ServiceStandard):
    catalog_code = models.SlugField(_("kode katalog"), max_length=60)
    slug = models.SlugField(_("alamat halaman"), max_length=60, unique=True)  # /layanan/<slug>/
    enabled = models.BooleanField(_("aktif"), default=True)
    # Field names this kecamatan changed from the catalog's values, so a later catalog update
    # can refresh the rest without undoing the kecamatan's choices.
    customized_fields = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("layanan kecamatan")
        verbose_name_plural = _("layanan kecamatan")

    @property
    def required_requirements(self):
        return [r for r in self.requirements.all() if r.required]


class ServiceRequirement(RequirementStandard):
    service = models.ForeignKey(KecamatanService, related_name="requirements", on_delete=models.CASCADE)

    class Meta:
        ordering = ["service", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="service_requirement_code_unique")]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")


class ServiceChangeEvent(models.Model):
    """Append-only: who changed what in this kecamatan's service list, and when."""

    service = models.ForeignKey(KecamatanService, related_name="change_events", on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.service_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("ServiceChangeEvent is append-only")
        super().save(*args, **kwargs)
