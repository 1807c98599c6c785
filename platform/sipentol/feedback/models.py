"""SKM responses (one per issued application) and complaints (pengaduan), per kecamatan schema.

Neither keeps more personal data than its job needs: a survey response points at the
application and copies only its service (for the index by service); a complaint keeps the
optional name and contact the complainant chose to give, with any NIK in the text masked.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .skm import UNSUR_FIELDS

SCORE = [MinValueValidator(1), MaxValueValidator(4)]


def _score(verbose: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose, validators=SCORE)


class SurveyResponse(models.Model):
    """One citizen's SKM answers (1-4 per unsur) for one issued application."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="survey_response"
    )
    service = models.ForeignKey(
        "configured_services.KecamatanService", on_delete=models.PROTECT, related_name="survey_responses"
    )
    u1_persyaratan = _score("U1")
    u2_prosedur = _score("U2")
    u3_waktu = _score("U3")
    u4_biaya = _score("U4")
    u5_produk = _score("U5")
    u6_kompetensi = _score("U6")
    u7_perilaku = _score("U7")
    u8_pengaduan = _score("U8")
    u9_sarana = _score("U9")
    suggestion = models.TextField(_("saran"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="skm_scores_1_to_4",
                condition=models.Q(*[models.Q(**{f"{f}__gte": 1, f"{f}__lte": 4}) for f in UNSUR_FIELDS]),
            )
        ]

    def __str__(self) -> str:
        return f"SKM {self.application_id}"

    @property
    def unsur_total(self) -> int:
        """The sum of the 9 unsur scores (9-36): the IKM is linear in it (see skm.py)."""
        return sum(getattr(self, field) for field in UNSUR_FIELDS)


class Complaint(models.Model):
    class Category(models.TextChoices):
        STAFF = "staff", _("Sikap atau perilaku petugas")
        PROCEDURE = "procedure", _("Persyaratan atau prosedur")
        TIME = "time", _("Waktu penyelesaian")
        FEE = "fee", _("Biaya atau pungutan")
        FACILITY = "facility", _("Sarana, prasarana atau aplikasi")
        OTHER = "other", _("Lainnya")

    class Status(models.TextChoices):
        NEW = "baru", _("Baru")
        IN_PROGRESS = "ditindaklanjuti", _("Ditindaklanjuti")
        DONE = "selesai", _("Selesai")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("nomor pengaduan"), max_length=12, unique=True)
    category = models.CharField(_("kategori"), max_length=12, choices=Category.choices)
    text = models.TextField(_("isi pengaduan"))
    name = models.CharField(_("nama"), max_length=150, blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)
    contact_email = models.EmailField(blank=True)
    tracking_code = models.CharField(_("kode lacak"), max_length=20, blank=True)
    application = models.ForeignKey(
        "applications.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    response = models.TextField(_("tanggapan"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_phone or self.contact_email)


class ComplaintEvent(models.Model):
    """Append-only: who changed a complaint, when, from which status to which, and what they answered."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    response = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.from_status}->{self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("complaint events are append-only")
        super().save(*args, **kwargs)
