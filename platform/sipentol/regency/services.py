"""Writes of the regency roll-up: the ApplicationFact rows (public schema).

The application publishes its fact rows (`sipentol.lib.facts`) inside each transition's
transaction; this module is the sink that stores them, registered in `RegencyConfig.ready()`.
The regency never imports `applications`: a row arrives as a plain `ApplicationFactRow`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone

from sipentol.lib import complaint_clock
from sipentol.lib.facts import ApplicationFactRow, ComplaintFactRow

from . import rollup
from .models import ApplicationFact, ComplaintDeadlines, ComplaintFact, ExportJob, KecamatanSnapshot
from .selectors import COMPLAINT_DEADLINES_KEY
from .tasks import export_run

# The row's fields this table keeps (all of them).
_ROW_FIELDS = [f.name for f in dataclasses.fields(ApplicationFactRow)]
_UPDATE_FIELDS = [name for name in _ROW_FIELDS if name != "application_id"] + ["updated_at"]


class RegencyFactSink:
    """Stores application facts in public.regency_applicationfact, in the caller's transaction,
    and moves the daily roll-up (`rollup.py`) by what the change adds and takes away."""

    def upsert(self, *, kecamatan_id: int, rows: list[ApplicationFactRow]) -> None:
        if not rows:
            return
        now = timezone.now()
        with transaction.atomic():
            # The facts as they stand, locked: a concurrent transition of the same application
            # waits, so what the roll-up takes away is what it had counted.
            old = ApplicationFact.objects.select_for_update().filter(
                kecamatan_id=kecamatan_id, application_id__in=[row.application_id for row in rows]
            )
            delta = rollup.Delta()
            for fact in old:
                delta.add(fact, -1)
            for row in rows:
                delta.add(row)
            # One INSERT ... ON CONFLICT DO UPDATE: safe under concurrent transitions.
            ApplicationFact.objects.bulk_create(
                [
                    ApplicationFact(
                        kecamatan_id=kecamatan_id, updated_at=now, **{f: getattr(row, f) for f in _ROW_FIELDS}
                    )
                    for row in rows
                ],
                update_conflicts=True,
                unique_fields=["kecamatan", "application_id"],
                update_fields=_UPDATE_FIELDS,
            )
            rollup.apply(kecamatan_id=kecamatan_id, delta=delta)

    def upsert_complaints(self, *, kecamatan_id: int, rows: list[ComplaintFactRow]) -> None:
        facts = [
            ComplaintFact(
                kecamatan_id=kecamatan_id,
                complaint_id=row.complaint_id,
                category=row.category,
                stage=row.stage,
                received_on=row.received_on,
            )
            for row in rows
        ]
        if facts:
            ComplaintFact.objects.bulk_create(
                facts,
                update_conflicts=True,
                unique_fields=["kecamatan", "complaint_id"],
                update_fields=["category", "stage", "received_on", "updated_at"],
            )

    def purge_older(self, *, kecamatan_id: int, before: dt.datetime) -> int:
        with transaction.atomic():
            gone = list(
                ApplicationFact.objects.select_for_update().filter(kecamatan_id=kecamatan_id, updated_at__lt=before)
            )
            if not gone:
                return 0
            delta = rollup.Delta()
            for fact in gone:
                delta.add(fact, -1)
            ApplicationFact.objects.filter(pk__in=[fact.pk for fact in gone]).delete()
            rollup.apply(kecamatan_id=kecamatan_id, delta=delta)
        return len(gone)


sink = RegencyFactSink()


def kecamatan_snapshot_record(
    *,
    kecamatan_id: int,
    day: dt.date,
    storage_bytes: int,
    documents: int,
    undelivered_messages: int,
    failed_signings: int,
    golive_done: int = 0,
    golive_total: int = 0,
) -> KecamatanSnapshot:
    """Store the day's measured figures of one kecamatan (insert, or replace that day's row).

    Idempotent: a second run on the same day overwrites the figures with the newer measurement.
    """
    snapshot, _created = KecamatanSnapshot.objects.update_or_create(
        kecamatan_id=kecamatan_id,
        day=day,
        defaults={
            "storage_bytes": storage_bytes,
            "documents": documents,
            "undelivered_messages": undelivered_messages,
            "failed_signings": failed_signings,
            "golive_done": golive_done,
            "golive_total": golive_total,
            "measured_at": timezone.now(),
        },
    )
    return snapshot


def export_job_start(*, user, board: str, kind: str, params: dict, title: str, extension: str = "xlsx") -> ExportJob:
    """Record the job and queue its task after commit (a job row without its task cannot happen:
    the task is sent only once the row is visible to the worker)."""
    with transaction.atomic():
        job = ExportJob.objects.create(
            schema_name=connection.schema_name,
            user_id=user.pk,
            board=board,
            kind=kind,
            params=params,
            title=title[:200],
            extension=extension,
        )
        transaction.on_commit(lambda: export_run.delay(str(job.pk)))
    return job


def complaint_deadlines_set(*, verify: int, follow_up: int, resolve: int, actor: str) -> ComplaintDeadlines:
    """Set Diskominfo's SP4N-LAPOR! deadlines (working days from receipt) for every kecamatan.

    Raises ValueError unless 1 <= verify <= follow_up <= resolve <= 60. The cached copy every
    kecamatan reads is cleared after commit, so the next page anywhere uses the new numbers;
    the caller writes the ops audit row.
    """
    complaint_clock.Thresholds(verify, follow_up, resolve).check()
    with transaction.atomic():
        row, _created = ComplaintDeadlines.objects.update_or_create(
            pk=1,
            defaults={"verify_days": verify, "follow_up_days": follow_up, "resolve_days": resolve, "updated_by": actor},
        )
        # Cleared now and again after commit: a page reading between the two re-caches the old row.
        caches["routing"].delete(COMPLAINT_DEADLINES_KEY)
        transaction.on_commit(lambda: caches["routing"].delete(COMPLAINT_DEADLINES_KEY))
    return row
