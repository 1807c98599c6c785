"""Cross-kecamatan facts for the regency dashboard and the ops console (public schema).

ARCHITECTURE §3: cross-tenant figures come from this table, never from a query across
kecamatan schemas. One row per (kecamatan, application), upserted by the application's own
transition (`applications/facts.py`, carried by `lib/facts.py` to `services.RegencyFactSink`).
It holds no personal data: no name, NIK, phone or e-mail, only what a leadership comparison needs.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The group that once marked regency leaders; accounts' migration 0004 turned its members into
# RegencyProfile(role=leader). Who reads the dashboard: accounts/permissions.REGENCY_PERMISSIONS.
REGENCY_GROUP = "regency"


class ApplicationFact(models.Model):
    kecamatan = models.ForeignKey("tenants.Kecamatan", on_delete=models.PROTECT, related_name="application_facts")
    application_id = models.BigIntegerField()  # the Application's pk inside the kecamatan's schema
    service_code = models.SlugField(_("kode katalog"), max_length=60)
    service_name = models.CharField(_("layanan"), max_length=200)
    channel = models.CharField(max_length=10)
    desa_code = models.CharField(_("kode desa"), max_length=13, blank=True)
    status = models.CharField(_("status"), max_length=20)
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    sla_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Working days from submission to closing (null while open): the lead time.
    working_days_taken = models.IntegerField(null=True, blank=True)
    # Closed by staff (issued or rejected) by the due date; null while open, and for
    # applications the citizen cancelled or let expire (the office decided nothing).
    on_time = models.BooleanField(null=True, blank=True)
    # The SLA clock runs (the lifecycle's judgement, recorded with the status): with due_date,
    # what lib/sla.py needs to call the application overdue without knowing the statuses.
    clock_running = models.BooleanField(default=False)
    # SKM (feedback app): the sum of the 9 unsur scores (9-36) of the citizen's survey, and when.
    # The IKM is linear in it (lib/ikm.py: ikm_from_average_total, PermenPAN-RB 14/2017).
    skm_total = models.PositiveSmallIntegerField(null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "application_id"], name="application_fact_unique"),
        ]
        indexes = [
            models.Index(fields=["submitted_at"]),
            models.Index(fields=["issued_at"]),
            models.Index(fields=["kecamatan", "closed_at"]),
        ]
        verbose_name = _("fakta permohonan")
        verbose_name_plural = _("fakta permohonan")

    def __str__(self) -> str:
        return f"{self.kecamatan_id}:{self.application_id} {self.status}"
