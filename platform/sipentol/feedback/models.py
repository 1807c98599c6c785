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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sipentol.lib import complaint_clock

from .skm import UNSUR, UNSUR_FIELDS

UNSUR_CODES = tuple(u.code for u in UNSUR)
# An answer of 1 or 2 (tidak / kurang) on any unsur opens a follow-up for the kecamatan.
LOW_SCORE = 2

SCORE = [MinValueValidator(1), MaxValueValidator(4)]


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class AgeBand(models.TextChoices):
    UNDER_20 = "lt20", _("Di bawah 20 tahun")
    A20 = "20-29", _("20-29 tahun")
    A30 = "30-39", _("30-39 tahun")
    A40 = "40-49", _("40-49 tahun")
    A50 = "50+", _("50 tahun ke atas")


class Education(models.TextChoices):
    SD = "sd", _("SD ke bawah")
    SMP = "smp", _("SMP")
    SMA = "sma", _("SMA/SMK")
    D = "diploma", _("D1-D4")
    S1 = "s1", _("S1")
    S2 = "s2", _("S2 ke atas")


class Occupation(models.TextChoices):
    PNS = "pns", _("PNS/TNI/Polri")
    PRIVATE = "swasta", _("Pegawai swasta")
    SELF = "wirausaha", _("Wirausaha")
    FARMER = "tani", _("Petani/nelayan")
    STUDENT = "pelajar", _("Pelajar/mahasiswa")
    HOME = "rumahtangga", _("Mengurus rumah tangga")
    OTHER = "lainnya", _("Lainnya")


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
    # The regulation's respondent profile, each optional ("" = not given). Published only as
    # counts with small cells suppressed (selectors.skm_profile), never per response.
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("umur"), max_length=5, choices=AgeBand.choices, blank=True)
    education = models.CharField(_("pendidikan"), max_length=8, choices=Education.choices, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=12, choices=Occupation.choices, blank=True)
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

    @property
    def low_unsur(self) -> list[str]:
        """The codes (U1..U9) answered 1 or 2: each opens the response's follow-up."""
        return [code for code, f in zip(UNSUR_CODES, UNSUR_FIELDS, strict=True) if getattr(self, f) <= LOW_SCORE]


class SkmFollowUp(models.Model):
    """What the kecamatan does about a response with a low answer (1 or 2 on any unsur): exactly
    one per response (opened by services.skm_submit), worked on the staff page and listed on the
    Camat's board while open. Its changes are audited in SkmFollowUpEvent."""

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        IN_PROGRESS = "in_progress", _("Sedang ditangani")
        DONE = "done", _("Selesai")

    response = models.OneToOneField(SurveyResponse, on_delete=models.CASCADE, related_name="follow_up")
    low_unsur = models.CharField(_("unsur bernilai rendah"), max_length=40)  # "U3,U7"
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(_("catatan tindak lanjut"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("tindak lanjut SKM")
        verbose_name_plural = _("tindak lanjut SKM")

    def __str__(self) -> str:
        return f"SKM follow-up {self.response_id} {self.status}"


class SkmFollowUpEvent(models.Model):
    """Append-only: who changed a follow-up, when, to which status, with which note."""

    follow_up = models.ForeignKey(SkmFollowUp, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.follow_up_id} {self.from_status}->{self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("follow-up events are append-only")
        super().save(*args, **kwargs)


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
        VERIFIED = "diverifikasi", _("Diverifikasi/diteruskan")
        IN_PROGRESS = "ditindaklanjuti", _("Ditindaklanjuti")
        DONE = "selesai", _("Selesai")

    class Identity(models.TextChoices):
        OPEN = "biasa", _("Biasa: nama dan kontak terlihat oleh petugas")
        CONFIDENTIAL = "rahasia", _("Rahasia: identitas disimpan tetapi tidak ditampilkan kepada petugas")
        ANONYMOUS = "anonim", _("Anonim: tanpa nama dan kontak")

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
    identity = models.CharField(_("identitas"), max_length=8, choices=Identity.choices, default=Identity.OPEN)
    # SHA-256 of the secret the complainant got with the reference (the lookup page asks for both).
    lookup_hash = models.CharField(max_length=64, blank=True)
    # The SP4N-LAPOR! clock (lib/complaint_clock.py) runs in working days from this day.
    received_on = models.DateField(_("diterima"), default=timezone.localdate)
    verified_at = models.DateTimeField(null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
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

    @property
    def identity_hidden(self) -> bool:
        """Staff pages, exports and the API show no name or contact of this complaint."""
        return self.identity != self.Identity.OPEN

    @property
    def stage(self) -> str:
        """Where the complaint stands on the SP4N-LAPOR! clock (lib/complaint_clock.py)."""
        return STAGE_OF_STATUS[self.status]


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


STAGE_OF_STATUS = {
    Complaint.Status.NEW: complaint_clock.RECEIVED,
    Complaint.Status.VERIFIED: complaint_clock.VERIFIED,
    Complaint.Status.IN_PROGRESS: complaint_clock.FOLLOWED_UP,
    Complaint.Status.DONE: complaint_clock.RESOLVED,
}

STAGE_LABELS = {
    complaint_clock.RECEIVED: _("Menunggu verifikasi/diteruskan"),
    complaint_clock.VERIFIED: _("Menunggu tindak lanjut"),
    complaint_clock.FOLLOWED_UP: _("Menunggu penyelesaian"),
    complaint_clock.RESOLVED: _("Selesai"),
}
