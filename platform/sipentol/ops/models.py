"""The ops console's own records (public schema)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvisioningRun(models.Model):
    """One onboarding of a kecamatan started from /ops/kecamatan/baru/: what was asked, how far
    the Celery task got (each step with its timing), and, on failure, the step and the error.
    A retry runs the same row again; every step is idempotent, so it resumes where it stopped."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        FAILED = "failed", _("Gagal")
        DONE = "done", _("Selesai")

    code = models.CharField(_("kode wilayah"), max_length=8)
    name = models.CharField(_("nama kecamatan"), max_length=100)
    slug = models.SlugField(_("subdomain"), max_length=40)
    kecamatan = models.ForeignKey(
        "tenants.Kecamatan", null=True, blank=True, on_delete=models.PROTECT, related_name="provisioning_runs"
    )
    # The configuration template to copy (services_catalog's versions); None: Jetis's latest.
    template_version_id = models.PositiveIntegerField(_("versi templat"), null=True, blank=True)
    admin_full_name = models.CharField(_("nama admin kecamatan"), max_length=150)
    admin_email = models.EmailField(_("e-mail admin"), blank=True)
    admin_phone = models.CharField(_("WhatsApp admin"), max_length=20, blank=True)
    admin_username = models.CharField(_("nama pengguna admin"), max_length=150, blank=True)
    # accounts.Invitation of the first admin, in the kecamatan's schema (no key across schemas)
    invitation_id = models.PositiveBigIntegerField(null=True, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    current_step = models.CharField(_("langkah berjalan"), max_length=40, blank=True)
    # [{"name", "label", "seconds", "result"}] of the steps finished, in order
    steps_done = models.JSONField(default=list, blank=True)
    error_step = models.CharField(_("langkah yang gagal"), max_length=40, blank=True)
    error_message = models.TextField(_("pesan galat"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proses pendaftaran kecamatan")
        constraints = [
            # One open run per kecamatan: a second click while one runs finds that one.
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(status__in=["queued", "running"]), name="ops_one_open_run_per_code"
            ),
        ]

    def __str__(self) -> str:
        return f"provisioning of {self.code} {self.name} ({self.status})"


class SignatureFooter(models.Model):
    """The footer of letters signed through BSrE (one row, public schema), editable by Diskominfo
    when BSSN changes its wording; no row yet: lib/signature_footer.DEFAULT_BSRE_FOOTER."""

    bsre_text = models.TextField(_("catatan kaki surat bertanda tangan BSrE"))
    updated_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("catatan kaki tanda tangan elektronik")

    def __str__(self) -> str:
        return self.bsre_text[:60]


class FactsRebuildRun(models.Model):
    """One recomputation of the regency boards' facts (applications and complaints) of every
    kecamatan, started from /ops/fakta/: how far its Celery task got (kecamatan done of total),
    what it counted and, on failure, the kecamatan and the error. The rebuild is idempotent, so
    a failed run is simply started again."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        FAILED = "failed", _("Gagal")
        DONE = "done", _("Selesai")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("jumlah kecamatan"), default=0)
    done = models.PositiveIntegerField(_("kecamatan selesai"), default=0)
    current = models.CharField(_("kecamatan yang sedang dihitung"), max_length=100, blank=True)
    applications = models.PositiveIntegerField(_("fakta permohonan"), default=0)
    complaints = models.PositiveIntegerField(_("fakta pengaduan"), default=0)
    error_message = models.TextField(_("pesan galat"), blank=True)
    started_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("penghitungan ulang fakta dasbor")

    def __str__(self) -> str:
        return f"facts rebuild {self.pk} ({self.status}, {self.done}/{self.total})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0
