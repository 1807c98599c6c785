"""The desa's covering letter (surat pengantar), issued and handed over inside the platform.

Lives in the kecamatan's schema, beside the applications it serves. A request moves
requested -> drafted -> signed, or to refused; `withdrawn` when the citizen cancelled meanwhile.
Each desa numbers its own pengantar per year without gaps (`PengantarSequence`, one locked row
per desa and year, through `lib/sequences.py`). The desa learns from an application only what it
needs to write the letter (`PengantarRequest`'s copied fields), never the uploaded files.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_BODY = (
    "<p>Yang bertanda tangan di bawah ini {{ desa.head_title }} {{ desa.name }}, Kecamatan {{ desa.kecamatan }}, "
    "Kabupaten Mojokerto, menerangkan bahwa:</p>\n"
    "<table>\n<tr><td>Nama</td><td>:</td><td>{{ data.nama }}</td></tr>\n"
    "<tr><td>NIK</td><td>:</td><td>{{ data.nik }}</td></tr>\n"
    "<tr><td>Alamat</td><td>:</td><td>{{ data.alamat }}</td></tr>\n</table>\n"
    "<p>adalah benar penduduk {{ desa.name }} dan kepadanya diberikan surat pengantar ini untuk mengurus "
    "<b>{{ data.layanan }}</b> di Kantor Kecamatan {{ desa.kecamatan }}{% if data.keperluan %}, keperluan: "
    "{{ data.keperluan }}{% endif %}.</p>\n"
    "{% if data.keterangan %}<p>{{ data.keterangan }}</p>{% endif %}\n"
    "<p>Demikian surat pengantar ini dibuat untuk dipergunakan sebagaimana mestinya.</p>"
)


class DesaProfile(models.Model):
    """One desa's template: letterhead, the signer's title, the pengantar's wording, its deadline."""

    desa_code = models.CharField(_("kode desa"), max_length=13, unique=True)
    head_title = models.CharField(_("jabatan penanda tangan"), max_length=60, default="Kepala Desa")
    address = models.CharField(_("alamat kantor desa"), max_length=200, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    unit_code = models.CharField(
        _("kode unit pada nomor"), max_length=30, blank=True, help_text=_("Kosongkan untuk memakai kode desa.")
    )
    body_html = models.TextField(_("isi surat pengantar (HTML)"), default=DEFAULT_BODY)
    deadline_working_days = models.PositiveSmallIntegerField(
        _("batas waktu desa (hari kerja)"), default=settings.DESA_PENGANTAR_WORKING_DAYS
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("templat desa")

    def __str__(self) -> str:
        return self.desa_code


class PengantarSequence(models.Model):
    desa_code = models.CharField(max_length=13)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["desa_code", "year"], name="pengantar_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.desa_code} {self.year}: {self.last_number}"


class PengantarRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Diminta, menunggu operator desa")
        DRAFTED = "drafted", _("Draf siap, menunggu tanda tangan Kepala Desa/Lurah")
        SIGNED = "signed", _("Ditandatangani dan dikirim ke kecamatan")
        REFUSED = "refused", _("Ditolak desa")
        WITHDRAWN = "withdrawn", _("Dibatalkan pemohon")

    class Via(models.TextChoices):
        PLATFORM = "platform", _("SIPENTOL")
        API = "api", _("Sistem informasi desa (API)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Deleted with its application (privacy purge, trial purge): the copied personal data goes too.
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="pengantar_requests"
    )
    desa_code = models.CharField(_("kode desa"), max_length=13, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    # What the desa needs to write the letter, copied when asked (no files, no phone, no e-mail).
    tracking_code = models.CharField(_("kode lacak"), max_length=20)
    service_name = models.CharField(_("layanan"), max_length=200)
    applicant_name = models.CharField(_("nama pemohon"), max_length=150)
    applicant_nik = models.CharField(_("NIK"), max_length=16)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    purpose = models.CharField(_("keperluan"), max_length=300, blank=True)

    requested_at = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField(_("batas waktu desa"))
    operator_escalated_at = models.DateTimeField(null=True, blank=True)
    kecamatan_escalated_at = models.DateTimeField(null=True, blank=True)

    note = models.CharField(_("keterangan tambahan"), max_length=500, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    drafted_at = models.DateTimeField(null=True, blank=True)
    pdf_key = models.CharField(max_length=100, blank=True)

    number = models.CharField(_("nomor"), max_length=80, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    signed_pdf_key = models.CharField(max_length=100, blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signer_name = models.CharField(max_length=150, blank=True)
    signer_title = models.CharField(max_length=120, blank=True)
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.PLATFORM)

    refused_reason = models.CharField(_("alasan penolakan"), max_length=500, blank=True)
    # Signed or refused: the desa's answer, what its response time counts to.
    responded_at = models.DateTimeField(null=True, blank=True)
    working_days_taken = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "requested_at"]
        indexes = [models.Index(fields=["desa_code", "status"], name="pengantar_desa_status")]
        verbose_name = _("permintaan surat pengantar")

    def __str__(self) -> str:
        return f"{self.tracking_code} ({self.desa_code})"

    @property
    def masked_nik(self) -> str:
        from sipentol.lib.nik import mask_nik

        return mask_nik(self.applicant_nik) if self.applicant_nik else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


OPEN_STATUSES = (PengantarRequest.Status.REQUESTED, PengantarRequest.Status.DRAFTED)


class PengantarEvent(models.Model):
    """Append-only audit trail of a request: who drafted, signed, refused, pushed, escalated, opened."""

    request = models.ForeignKey(PengantarRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=30)
    note = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("PengantarEvent is append-only")
        super().save(*args, **kwargs)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DesaApiToken(models.Model):
    """A desa information system's (e.g. OpenSID) key to push signed pengantar for its own desa.

    Only the SHA-256 of the token is kept (the token is shown once, when issued); `prefix` lets
    the admin tell tokens apart. Revoked tokens stay, for the audit trail."""

    desa_code = models.CharField(_("kode desa"), max_length=13, db_index=True)
    name = models.CharField(_("nama sistem"), max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["desa_code", "-created_at"]
        verbose_name = _("token API desa")

    def __str__(self) -> str:
        return f"{self.desa_code} {self.prefix}…"


class DesaApiEvent(models.Model):
    """Append-only audit of every call with a desa token (accepted or refused) and of issuing/revoking."""

    at = models.DateTimeField(auto_now_add=True)
    token = models.ForeignKey(DesaApiToken, null=True, on_delete=models.PROTECT, related_name="events")
    desa_code = models.CharField(max_length=13, blank=True)
    action = models.CharField(max_length=30)
    outcome = models.CharField(max_length=30)
    reference = models.CharField(max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.desa_code} {self.action} {self.outcome}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("DesaApiEvent is append-only")
        super().save(*args, **kwargs)
