"""Cross-kecamatan facts for the regency dashboard and the ops console (public schema).

ARCHITECTURE §3: cross-tenant figures come from this table, never from a query across
kecamatan schemas. One row per (kecamatan, application), upserted by the application's own
transition (`applications/facts.py`, carried by `lib/facts.py` to `services.RegencyFactSink`).
It holds no personal data: no name, NIK, phone or e-mail, only what a leadership comparison needs.
"""

from __future__ import annotations

import uuid

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
    # The public tracking code and the assigned staff member's username: what the overdue list
    # names (the code is on the citizen's receipt and holds no personal data).
    tracking_code = models.CharField(_("kode permohonan"), max_length=40, blank=True)
    assigned_to = models.CharField(_("petugas"), max_length=150, blank=True)
    # Staff asked the citizen to complete the application at least once.
    completion_requested = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "application_id"], name="application_fact_unique"),
        ]
        indexes = [
            models.Index(fields=["submitted_at"]),
            models.Index(fields=["issued_at"]),
            models.Index(fields=["kecamatan", "closed_at"]),
            # What is open today (in progress, overdue): the boards read only these rows.
            models.Index(fields=["service_code"], condition=models.Q(closed_at=None), name="application_fact_open"),
            models.Index(fields=["due_date"], condition=models.Q(clock_running=True), name="application_fact_clock"),
        ]
        verbose_name = _("fakta permohonan")
        verbose_name_plural = _("fakta permohonan")

    def __str__(self) -> str:
        return f"{self.kecamatan_id}:{self.application_id} {self.status}"


class KecamatanSnapshot(models.Model):
    """Figures of one kecamatan that only its own schema knows (storage used, undelivered messages,
    failed signings), measured by the ops beat job `ops.snapshot_kecamatan_figures` through
    `tenants.crossing.for_each_kecamatan` and kept here, one row per kecamatan and day (refreshed
    on each run of that day), so that the ops console's list never queries a kecamatan's schema.
    Counts and bytes only: no personal data."""

    kecamatan = models.ForeignKey("tenants.Kecamatan", on_delete=models.PROTECT, related_name="snapshots")
    day = models.DateField()
    # Bytes of the uploaded files the kecamatan keeps (letters' PDFs are not counted yet).
    storage_bytes = models.BigIntegerField(default=0)
    documents = models.PositiveIntegerField(default=0)
    # Outbox messages not delivered: failed (a retry is scheduled) or dead (no retry left).
    undelivered_messages = models.PositiveIntegerField(default=0)
    # Signing batch items that failed in the 30 days before the measurement.
    failed_signings = models.PositiveIntegerField(default=0)
    # Items of the go-live checklist (tenants.golive) done at the measurement, of how many.
    golive_done = models.PositiveSmallIntegerField(default=0)
    golive_total = models.PositiveSmallIntegerField(default=0)
    measured_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kecamatan", "day"], name="kecamatan_snapshot_day_unique")]
        ordering = ["kecamatan", "-day"]
        verbose_name = _("cuplikan harian kecamatan")
        verbose_name_plural = _("cuplikan harian kecamatan")

    def __str__(self) -> str:
        return f"{self.kecamatan_id}:{self.day}"


class ExportJob(models.Model):
    """A dashboard export too large for the request (the monthly recap workbook, a long table),
    written by a Celery task (`regency.tasks.export_run`) into object storage.

    Only the account that asked may see it or download it: `schema_name` is where that account
    lives (public for regency users, the kecamatan's schema for its staff, whose user ids repeat
    across schemas) and `user_id` its pk there. No personal data: the file holds the figures and
    lists the dashboards show.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Sedang dibuat")
        DONE = "done", _("Siap diunduh")
        FAILED = "failed", _("Gagal")

    class Kind(models.TextChoices):
        TABLE = "table", _("Tabel dasbor")
        RECAP = "recap", _("Rekap bulanan")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    schema_name = models.CharField(max_length=63)
    user_id = models.BigIntegerField()
    board = models.CharField(max_length=10)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The filters and the table key (or the recap's kecamatan and month), as the URL gave them.
    params = models.JSONField(default=dict)
    title = models.CharField(max_length=200)
    extension = models.CharField(max_length=4, default="xlsx")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    object_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["schema_name", "user_id", "-created_at"])]
        verbose_name = _("ekspor dasbor")
        verbose_name_plural = _("ekspor dasbor")

    def __str__(self) -> str:
        return f"{self.kind} {self.title} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ComplaintFact(models.Model):
    """One complaint of a kecamatan as the regency board needs it: where it stands on the
    SP4N-LAPOR! clock (`lib/complaint_clock.py`) and when it was received. Published by
    feedback's services on every change (`lib/facts.publish_complaints`); no reference, text,
    name or contact. Due and overdue are judged when read, with the deadlines then in force."""

    kecamatan = models.ForeignKey("tenants.Kecamatan", on_delete=models.PROTECT, related_name="complaint_facts")
    complaint_id = models.BigIntegerField()  # the Complaint's pk inside the kecamatan's schema
    category = models.CharField(_("kategori"), max_length=12)
    stage = models.CharField(_("tahap"), max_length=12)
    received_on = models.DateField(_("diterima"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "complaint_id"], name="complaint_fact_unique"),
        ]
        indexes = [models.Index(fields=["stage", "received_on"])]
        verbose_name = _("fakta pengaduan")
        verbose_name_plural = _("fakta pengaduan")

    def __str__(self) -> str:
        return f"{self.kecamatan_id}:{self.complaint_id} {self.stage}"


class ComplaintDeadlines(models.Model):
    """Diskominfo's SP4N-LAPOR! deadlines in working days (one row, pk 1), edited on the ops
    console (`/ops/pengaduan/tenggat/`) and read by every kecamatan through
    `regency.selectors.complaint_thresholds` (cached). Without a row: the regulation's 3, 5, 10."""

    verify_days = models.PositiveSmallIntegerField(_("verifikasi/diteruskan (hari kerja)"), default=3)
    follow_up_days = models.PositiveSmallIntegerField(_("ditindaklanjuti (hari kerja)"), default=5)
    resolve_days = models.PositiveSmallIntegerField(_("diselesaikan (hari kerja)"), default=10)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(name="complaint_deadlines_singleton", condition=models.Q(pk=1))]
        verbose_name = _("tenggat pengaduan")
        verbose_name_plural = _("tenggat pengaduan")

    def __str__(self) -> str:
        return f"{self.verify_days}/{self.follow_up_days}/{self.resolve_days}"


class DailyFigures(models.Model):
    """Counters of one service on one day, for one kecamatan or (kecamatan_id 0) the whole regency:
    what the boards sum over a range of days. Written only by `regency/rollup.py` (the one home of
    what a fact counts for), in the transaction that changes the fact. Counts only."""

    kecamatan_id = models.IntegerField()  # 0: the whole regency (rollup.REGENCY)
    service_code = models.SlugField(max_length=60)
    service_name = models.CharField(max_length=200, blank=True)
    day = models.DateField()
    submitted = models.IntegerField(default=0)
    completion_requested = models.IntegerField(default=0)
    issued = models.IntegerField(default=0)
    decided = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    skm_respondents = models.IntegerField(default=0)
    skm_sum = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kecamatan_id", "service_code", "day"], name="daily_figures_unique"),
        ]
        indexes = [models.Index(fields=["kecamatan_id", "day"], name="daily_figures_scope_day")]
        verbose_name = _("angka harian")
        verbose_name_plural = _("angka harian")

    def __str__(self) -> str:
        return f"{self.kecamatan_id}:{self.service_code}:{self.day}"


class DailyLeadTimes(models.Model):
    """Letters of one service issued on one day (per kecamatan, or 0 for the regency) that took
    `working_days` working days: the histogram the median and P90 are computed from exactly."""

    kecamatan_id = models.IntegerField()
    service_code = models.SlugField(max_length=60)
    day = models.DateField()
    working_days = models.IntegerField()
    letters = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kecamatan_id", "service_code", "day", "working_days"], name="daily_lead_times_unique"
            ),
        ]
        indexes = [models.Index(fields=["kecamatan_id", "day"], name="daily_lead_times_scope_day")]
        verbose_name = _("lama proses harian")
        verbose_name_plural = _("lama proses harian")

    def __str__(self) -> str:
        return f"{self.kecamatan_id}:{self.service_code}:{self.day}:{self.working_days}"


class OpenApplications(models.Model):
    """Applications of one service (per kecamatan, or 0 for the regency) open today, by due date:
    `open` not closed (in progress), `running` with the SLA clock running, so that the overdue
    count is the sum of `running` over the due dates before today (lib/sla.py). Written only by
    `regency/rollup.py`; due_date is null for open applications without one."""

    kecamatan_id = models.IntegerField()
    service_code = models.SlugField(max_length=60)
    due_date = models.DateField(null=True)
    open = models.IntegerField(default=0)
    running = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kecamatan_id", "service_code", "due_date"],
                name="open_applications_unique",
                nulls_distinct=False,
            ),
        ]
        verbose_name = _("permohonan terbuka")
        verbose_name_plural = _("permohonan terbuka")

    def __str__(self) -> str:
        return f"{self.kecamatan_id}:{self.service_code}:{self.due_date}"
