"""Letters of one kecamatan (tenant schema): templates, numbering, signatures, verification.

A letter moves draft -> awaiting_signature -> signed, and a signed letter can later be
revoked or replaced. Its number is given at signing time from `LetterSequence` (one row per
year, locked with SELECT ... FOR UPDATE) so that numbers have no gap and no duplicate.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterSettings(models.Model):
    """Per-kecamatan letter settings (one row): the unit code used in letter numbers."""

    unit_code = models.CharField(
        _("kode unit"), max_length=40, blank=True, help_text=_("Kosongkan untuk memakai kode dari kode Kemendagri.")
    )
    city = models.CharField(_("tempat penandatanganan"), max_length=60, default="Mojokerto")
    # The kecamatan's letterhead logo in object storage (checked and re-encoded by lib/uploads);
    # empty: letters carry the regency's fixed logo, and the go-live checklist says it is missing.
    logo_key = models.CharField(max_length=100, blank=True)
    logo_content_type = models.CharField(max_length=40, blank=True)
    logo_sha256 = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengaturan surat")

    def __str__(self) -> str:
        return self.unit_code or "-"


class LetterTemplate(models.Model):
    """A kecamatan's body of one service's letter. The classification code of its number is the
    service's (KecamatanService.letter_classification), never the template's."""

    service_slug = models.SlugField(_("layanan"), max_length=80, unique=True)
    title = models.CharField(_("judul surat"), max_length=150)
    html = models.TextField(_("isi (HTML)"))
    css = models.TextField(_("gaya (CSS)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["service_slug"]
        verbose_name = _("templat surat")
        verbose_name_plural = _("templat surat")

    def __str__(self) -> str:
        return self.title


class LetterSequence(models.Model):
    year = models.PositiveIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Letter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        AWAITING_SIGNATURE = "awaiting_signature", _("Menunggu tanda tangan")
        SIGNED = "signed", _("Sah")
        REVOKED = "revoked", _("Dicabut")
        REPLACED = "replaced", _("Diganti")

    class Capacity(models.TextChoices):
        CAMAT = "camat", _("Camat")
        AN = "an", _("a.n. Camat")
        PLH = "plh", _("Plh. Camat")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    service_slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=150)
    # The service's code when the letter was drafted, then when it was numbered: what its number starts with.
    classification = models.CharField(max_length=20)
    number = models.CharField(max_length=80, unique=True, null=True, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    holder_name = models.CharField(max_length=150)
    holder_nik = models.CharField(max_length=16)
    subject_data = models.JSONField(default=dict)
    pdf_key = models.CharField(max_length=100, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    # A trial run while the kecamatan is onboarding: marked "UJI COBA" on the PDF and numbered
    # outside the year's sequence (UJI-COBA/<pk>/...), so real letters' numbers stay gap-free.
    is_trial = models.BooleanField(default=False)
    signed_pdf_key = models.CharField(max_length=100, blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signer_name = models.CharField(max_length=150, blank=True)
    signer_nip = models.CharField(max_length=18, blank=True)
    signer_position = models.CharField(max_length=120, blank=True)
    signer_capacity = models.CharField(max_length=10, choices=Capacity.choices, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("surat")
        verbose_name_plural = _("surat")

    def __str__(self) -> str:
        return self.number or f"{self.title} (draf)"

    @property
    def masked_nik(self) -> str:
        nik = self.holder_nik or ""
        if len(nik) < 8:
            return "*" * len(nik)
        return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]


class SignerCredential(models.Model):
    class Kind(models.TextChoices):
        PKCS12 = "pkcs12", _("Sertifikat PKCS#12 lokal")
        BSRE = "bsre", _("BSrE (tanda tangan jarak jauh)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signer_credentials")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # PKCS#12 and its password, each encrypted with SIGNING_KEY_ENCRYPTION_KEY (docengine/crypto.py).
    p12_encrypted = models.BinaryField(null=True, blank=True)
    p12_password_encrypted = models.BinaryField(null=True, blank=True)
    # BSrE signs for a person identified by NIK; the passphrase is asked at each signing. The NIK
    # is shown masked on every page (`masked_nik`); the user id is the signer's account at BSrE.
    bsre_nik = models.CharField(max_length=16, blank=True)
    bsre_user_id = models.CharField(max_length=120, blank=True)
    # The last "test" call to BSrE from the enrolment page: when, and what BSrE answered.
    bsre_checked_at = models.DateTimeField(null=True, blank=True)
    bsre_check_ok = models.BooleanField(null=True, blank=True)
    bsre_check_message = models.CharField(max_length=300, blank=True)
    certificate_pem = models.TextField(blank=True)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_to = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kredensial penanda tangan")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"

    @property
    def masked_nik(self) -> str:
        nik = self.bsre_nik or ""
        return nik[:4] + "*" * (len(nik) - 8) + nik[-4:] if len(nik) >= 8 else "*" * len(nik)


class TrustAnchor(models.Model):
    """A CA certificate this kecamatan trusts when verifying its letters: a root (trust anchor) or
    an intermediate (a link in the chain, trusted only through a root). The row is its own record
    of who registered it and when; a removed certificate keeps its row (`removed_at`)."""

    class Kind(models.TextChoices):
        ROOT = "root", _("Sertifikat akar (root CA)")
        INTERMEDIATE = "intermediate", _("Sertifikat antara (intermediate CA)")

    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ROOT)
    certificate_pem = models.TextField()
    fingerprint_sha256 = models.CharField(max_length=64, blank=True)
    valid_to = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The development CA keeps its key here (encrypted) to issue signer certificates.
    private_key_encrypted = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class SigningDelegation(models.Model):
    class Capacity(models.TextChoices):
        AN = "an", _("a.n. Camat")
        PLH = "plh", _("Plh. Camat")

    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations")
    capacity = models.CharField(max_length=5, choices=Capacity.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="delegation_range")
        ]

    def __str__(self) -> str:
        return f"{self.delegate_id} {self.capacity} {self.starts_on}..{self.ends_on}"


class LetterEvent(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.letter_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("LetterEvent is append-only")
        super().save(*args, **kwargs)


class SigningBatch(models.Model):
    """One "sign these letters" request, confirmed once with the signer's second factor.

    The work is done by one idempotent Celery task per item (applications.tasks): a retried or
    duplicated task finds its item signed and does nothing, and the beat sweep queues again the
    items a dead worker left pending. The confirmation holds for BATCH_VALID_HOURS only.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"batch {self.uuid} by {self.signer_id}"


class SigningBatchItem(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SIGNED = "signed", _("Ditandatangani")
        FAILED = "failed", _("Gagal")

    batch = models.ForeignKey(SigningBatch, on_delete=models.CASCADE, related_name="items")
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    error = models.CharField(max_length=300, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "letter"], name="signing_batch_letter_unique")]
        indexes = [models.Index(fields=["state", "queued_at"], name="signing_item_state_queued")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.letter_id} {self.state}"
