"""Plans and their quotas, each kecamatan's subscription, and what billing records: usage items
(counted live), measured levels, overage, quota notices and monthly statements.

All of it lives in the public schema (Diskominfo's books). It holds no personal data: an
application is named by its id inside the kecamatan's schema and its public tracking code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sipentol.lib.metering import Quota

DEFAULT_PLAN_NAME = "Standar"
GB = 1024**3
QUOTA_LABELS = {
    Quota.APPLICATIONS: _("Permohonan per bulan"),
    Quota.LETTERS: _("Surat terbit per bulan"),
    Quota.STORAGE: _("Penyimpanan"),
    Quota.STAFF_SEATS: _("Akun petugas aktif"),
    Quota.WHATSAPP: _("Pesan WhatsApp per bulan"),
}
QUOTA_CHOICES = [(q.value, QUOTA_LABELS[q]) for q in Quota]
THRESHOLDS = (80, 100)


class Plan(models.Model):
    """Edited by Diskominfo on the ops console (Paket)."""

    name = models.CharField(_("nama paket"), max_length=60, unique=True)
    monthly_application_quota = models.PositiveIntegerField(_("kuota permohonan per bulan"), default=2000)
    monthly_letter_quota = models.PositiveIntegerField(_("kuota surat terbit per bulan"), default=2000)
    storage_quota_gb = models.PositiveIntegerField(_("kuota penyimpanan (GB)"), default=50)
    staff_seats = models.PositiveIntegerField(_("jumlah akun petugas aktif"), default=25)
    monthly_whatsapp_quota = models.PositiveIntegerField(_("kuota pesan WhatsApp per bulan"), default=5000)
    # The plan a new kecamatan subscribes to.
    is_default = models.BooleanField(_("paket bawaan"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True), name="one_default_plan")
        ]
        verbose_name = _("paket")
        verbose_name_plural = _("paket")

    def __str__(self) -> str:
        return self.name

    def limit(self, quota: str) -> int:
        """The quota's limit in its unit (storage in bytes)."""
        return {
            Quota.APPLICATIONS: self.monthly_application_quota,
            Quota.LETTERS: self.monthly_letter_quota,
            Quota.STORAGE: self.storage_quota_gb * GB,
            Quota.STAFF_SEATS: self.staff_seats,
            Quota.WHATSAPP: self.monthly_whatsapp_quota,
        }[Quota(quota)]


class Subscription(models.Model):
    """Every kecamatan has exactly one (made at provisioning; the default plan until changed)."""

    kecamatan = models.OneToOneField("tenants.Kecamatan", on_delete=models.CASCADE, related_name="subscription")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    since = models.DateField(_("berlaku sejak"), auto_now_add=True)

    class Meta:
        verbose_name = _("langganan")
        verbose_name_plural = _("langganan")

    def __str__(self) -> str:
        return f"{self.kecamatan_id}: {self.plan}"


class UsageItem(models.Model):
    """One application submitted, or one letter issued, counted once in the month it happened.

    Written in the same transaction as the application's transition (through the fact registry),
    so the count is live and a rolled-back submission counts nothing.
    """

    kecamatan = models.ForeignKey("tenants.Kecamatan", on_delete=models.CASCADE, related_name="usage_items")
    quota = models.CharField(max_length=20, choices=QUOTA_CHOICES)
    period = models.DateField()  # first day of the month
    application_id = models.BigIntegerField()  # inside the kecamatan's schema
    tracking_code = models.CharField(max_length=40, blank=True)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "quota", "application_id"], name="billing_usage_item_once")
        ]
        indexes = [models.Index(fields=["kecamatan", "quota", "period"], name="billing_usage_item_month")]

    def __str__(self) -> str:
        return f"{self.kecamatan_id}:{self.quota}:{self.application_id}"


class MeasuredUsage(models.Model):
    """The last measured level of a quota in a month (storage, staff seats, WhatsApp messages)."""

    kecamatan = models.ForeignKey("tenants.Kecamatan", on_delete=models.CASCADE, related_name="measured_usage")
    quota = models.CharField(max_length=20, choices=QUOTA_CHOICES)
    period = models.DateField()
    value = models.BigIntegerField(default=0)
    measured_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "quota", "period"], name="billing_measured_usage_once")
        ]

    def __str__(self) -> str:
        return f"{self.kecamatan_id}:{self.quota}:{self.period:%Y-%m}={self.value}"


class Overage(models.Model):
    """A counted item beyond the plan's monthly quota. Nobody was refused: it is recorded for
    cost allocation, with the application that went over."""

    kecamatan = models.ForeignKey("tenants.Kecamatan", on_delete=models.CASCADE, related_name="overages")
    quota = models.CharField(_("kuota"), max_length=20, choices=QUOTA_CHOICES)
    period = models.DateField(_("bulan"))
    application_id = models.BigIntegerField()
    tracking_code = models.CharField(_("kode lacak"), max_length=40, blank=True)
    used = models.PositiveIntegerField(_("pemakaian ke-"))
    limit = models.PositiveIntegerField(_("kuota"))
    at = models.DateTimeField(_("waktu"))

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "quota", "application_id"], name="billing_overage_once")
        ]
        verbose_name = _("kelebihan kuota")
        verbose_name_plural = _("kelebihan kuota")

    def __str__(self) -> str:
        return f"{self.kecamatan_id}:{self.quota}:{self.tracking_code} ({self.used}/{self.limit})"


class QuotaNotice(models.Model):
    """A notice that usage reached 80% or 100% of a quota: at most one per quota, threshold and
    month (the constraint holds under concurrent runs of the daily check)."""

    kecamatan = models.ForeignKey("tenants.Kecamatan", on_delete=models.CASCADE, related_name="quota_notices")
    quota = models.CharField(_("kuota"), max_length=20, choices=QUOTA_CHOICES)
    threshold = models.PositiveSmallIntegerField(_("ambang (%)"))
    period = models.DateField(_("bulan"))
    used = models.BigIntegerField(_("pemakaian"))
    limit = models.BigIntegerField(_("kuota"))
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kecamatan", "quota", "threshold", "period"], name="billing_quota_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kecamatan_id}:{self.quota}:{self.threshold}%:{self.period:%Y-%m}"


class Statement(models.Model):
    """A generated monthly document in object storage (public prefix): a kecamatan's statement
    (PDF, CSV), or the regency summary (CSV) when kecamatan is empty."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        CSV = "csv", "CSV"
        SUMMARY_CSV = "summary_csv", _("Ringkasan kabupaten (CSV)")

    kecamatan = models.ForeignKey(
        "tenants.Kecamatan", on_delete=models.CASCADE, null=True, blank=True, related_name="statements"
    )
    period = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "kecamatan__code", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "period", "kind"], name="billing_statement_once"),
            models.UniqueConstraint(
                fields=["period", "kind"], condition=models.Q(kecamatan=None), name="billing_summary_once"
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def content_type(self) -> str:
        return "application/pdf" if self.kind == self.Kind.PDF else "text/csv; charset=utf-8"

    @property
    def filename(self) -> str:
        who = self.kecamatan.slug if self.kecamatan_id else "kabupaten"
        ext = "pdf" if self.kind == self.Kind.PDF else "csv"
        return f"tagihan-{who}-{self.period:%Y-%m}.{ext}"
