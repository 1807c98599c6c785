"""Staff of one kecamatan (lives in the kecamatan's schema) and their roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VERIFIER = "verifier", _("Petugas pelayanan / verifikator")
    CAMAT = "camat", _("Camat")
    SEKCAM = "sekcam", _("Sekretaris Camat")
    ADMIN = "admin", _("Admin kecamatan")
    DESA_OPERATOR = "desa_operator", _("Operator desa")


class StaffProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    position = models.CharField(_("jabatan"), max_length=120, blank=True)
    # An operator desa works for one desa: its Kemendagri code (public schema's tenants.Desa).
    desa_code = models.CharField(_("kode desa"), max_length=13, blank=True)

    class Meta:
        verbose_name = _("petugas")
        verbose_name_plural = _("petugas")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.get_role_display()})"
