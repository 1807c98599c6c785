"""Plans and their quotas. Usage is not stored here: it is counted from the regency facts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_PLAN_NAME = "Standar"


class Plan(models.Model):
    name = models.CharField(_("nama paket"), max_length=60, unique=True)
    monthly_application_quota = models.PositiveIntegerField(_("kuota permohonan per bulan"), default=2000)
    storage_quota_gb = models.PositiveIntegerField(_("kuota penyimpanan (GB)"), default=50)
    # The plan of every kecamatan without a Subscription of its own.
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


class Subscription(models.Model):
    """A kecamatan on a plan other than the default one."""

    kecamatan = models.OneToOneField("tenants.Kecamatan", on_delete=models.CASCADE, related_name="subscription")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    since = models.DateField(_("berlaku sejak"), auto_now_add=True)

    class Meta:
        verbose_name = _("langganan")
        verbose_name_plural = _("langganan")

    def __str__(self) -> str:
        return f"{self.kecamatan_id}: {self.plan}"
