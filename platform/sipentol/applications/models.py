"""A citizen's application (permohonan) in one kecamatan: its documents and its event log.

The statuses and the transition table are `lifecycle.py`; the SLA arithmetic `lib/sla.py`.
Every change goes through a service in `services.py`, which writes an Event.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sipentol.lib import sla
from sipentol.lib.nik import mask_nik

from . import lifecycle
from .lifecycle import Status

__all__ = ["AccessCode", "Application", "Document", "Event", "Status", "hash_secret"]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def notification_key_prefix(application) -> str:
    """What every outbox row about this application starts its dedupe key with (the purge finds
    them so): the citizen's messages (`services._notify`) and the staff's (`alerts.py`)."""
    return f"{application.pk}:"


class Application(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tracking_code = models.CharField(_("kode lacak"), max_length=20, unique=True)
    # Only the hash of the secret link's token is kept: a database leak does not open files.
    secret_hash = models.CharField(max_length=64)
    idempotency_key = models.UUIDField(unique=True)
    service = models.ForeignKey(
        "configured_services.KecamatanService", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)

    applicant_name = models.CharField(_("nama pemohon"), max_length=150, blank=True)
    applicant_nik = models.CharField(_("NIK"), max_length=16, blank=True)
    applicant_phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    desa_code = models.CharField(_("kode desa"), max_length=13, blank=True)
    data = models.JSONField(default=dict)  # the service's form fields, validated

    submitted_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(_("batas waktu"), null=True, blank=True)
    completion_requested_at = models.DateTimeField(null=True, blank=True)
    completion_deadline = models.DateField(null=True, blank=True)
    completion_reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_applications"
    )
    # Assisted mode: the staff member or operator desa who applied on the citizen's behalf.
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assisted_applications"
    )
    consent_statement = models.TextField(blank=True)
    channel = models.CharField(max_length=10, default="online")  # online | assisted | kiosk | api
    # Made by staff while the kecamatan was onboarding (applications/intake.py): a trial run,
    # never published as a fact (so never counted), its letter numbered apart, purgeable.
    is_trial = models.BooleanField(_("uji coba"), default=False, db_index=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_date"]), models.Index(fields=["applicant_nik"])]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.applicant_nik) if self.applicant_nik else ""

    def check_secret(self, secret: str) -> bool:
        import hmac

        return bool(secret) and hmac.compare_digest(self.secret_hash, hash_secret(secret))

    def can_become(self, status: str) -> bool:
        return lifecycle.can_become(self.status, status)

    # The SLA, as every page and API shows it (rules: lib/sla.py; which statuses run: lifecycle).
    @property
    def clock_running(self) -> bool:
        return lifecycle.clock_running(self.status)

    def sla_days_left(self, today=None) -> int | None:
        return sla.days_left(due=self.due_date, running=self.clock_running, today=today or timezone.localdate())

    def sla_overdue(self, today=None) -> bool:
        return sla.is_overdue(due=self.due_date, running=self.clock_running, today=today or timezone.localdate())


class DocumentQuerySet(models.QuerySet):
    def current(self):
        """The files in force: a file the citizen uploaded again supersedes the earlier one."""
        return self.filter(superseded=False)

    def to_redo(self):
        """Current files staff asked the citizen to upload again."""
        return self.current().filter(verdict=Document.Verdict.REDO)

    def openable(self):
        """Files the antivirus found clean: the only ones anybody may open, print or judge."""
        return self.filter(scan_status=Document.ScanStatus.CLEAN)

    def scan_pending(self):
        return self.filter(scan_status=Document.ScanStatus.PENDING)


class Document(models.Model):
    """One uploaded file for one requirement. A redone file supersedes the earlier one."""

    class Verdict(models.TextChoices):
        PENDING = "pending", _("Belum diperiksa")
        ACCEPTED = "accepted", _("Diterima")
        REDO = "redo", _("Perlu diunggah ulang")

    class ScanStatus(models.TextChoices):
        # values are sipentol.lib.antivirus's CLEAN / PENDING / INFECTED
        PENDING = "pending", _("Sedang diperiksa antivirus")
        CLEAN = "clean", _("Bersih")
        INFECTED = "infected", _("Mengandung virus, dihapus")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement_code = models.SlugField(max_length=60)
    requirement_name = models.CharField(max_length=200)
    key = models.CharField(max_length=80)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    superseded = models.BooleanField(default=False)
    verdict = models.CharField(max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    verdict_reason = models.CharField(max_length=500, blank=True)
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verdict_at = models.DateTimeField(null=True, blank=True)
    # Nothing is CLEAN unless clamd said so (files stored before the scanner existed start PENDING).
    # A file kept while clamd was unreachable is PENDING: never streamed, printed or judged until
    # the beat job `rescan_pending_documents` finds it clean (or INFECTED: the object is deleted).
    scan_status = models.CharField(max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING)
    scanned_at = models.DateTimeField(null=True, blank=True)
    # A desa's signed pengantar (sipentol.desa): accepted by its signature, not by a person
    # judging a photo. Holds the signer, the desa, the number and the validation result shown
    # to the verifier; empty for every uploaded file.
    signature = models.JSONField(default=dict, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["application", "requirement_code", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.requirement_code}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def verified_by_signature(self) -> bool:
        return bool(self.signature.get("valid"))

    @property
    def is_openable(self) -> bool:
        return self.scan_status == self.ScanStatus.CLEAN


class Event(models.Model):
    """Append-only audit trail: every transition, and every time staff open a citizen's file."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Perubahan status")
        FILE_VIEWED = "file_viewed", _("Berkas dibuka petugas")
        FILES_PRINTED = "files_printed", _("Berkas dicetak")
        VERDICT = "verdict", _("Penilaian persyaratan")
        NOTE = "note", _("Catatan internal")
        ASSIGNED = "assigned", _("Penugasan")
        DETAIL_VIEWED = "detail_viewed", _("Data pemohon dibuka petugas")
        UPLOAD = "upload", _("Berkas diunggah")
        ACCESS = "access", _("Akses pemohon")
        SCAN = "scan", _("Pemeriksaan antivirus")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)  # "pemohon", "sistem", or the staff member's name
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    internal = models.BooleanField(default=False)  # hidden from the citizen's timeline

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.from_status}->{self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("events are append-only")
        super().save(*args, **kwargs)


class AccessCode(models.Model):
    """A one-time code sent to the citizen's phone or e-mail to open the application's details."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="access_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"code for {self.application_id}"
