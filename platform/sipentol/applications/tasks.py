"""Thin Celery wrappers: the signing batch's per-letter task, and the beat jobs that cross
kecamatan through `tenants.crossing.for_each_kecamatan`, each with its status filter."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from sipentol.celery import KecamatanTask, app
from sipentol.lib.storage import StorageUnavailable
from tenants.crossing import EVERY, WORKING, for_each_kecamatan

from . import alerts, services, uploads


@app.task(base=KecamatanTask, name="applications.sign_batch_item", ignore_result=True)
def sign_batch_item(item_id: int) -> str:
    """Sign one letter of a batch and issue its application (one transaction). Idempotent: a
    redelivered or duplicated task finds the item done and changes nothing."""
    return services.application_sign_batch_item(item_id=item_id)


@app.task(
    base=KecamatanTask,
    name="applications.discard_stray_uploads",
    ignore_result=True,
    autoretry_for=(StorageUnavailable, DatabaseError),
    retry_backoff=60,
    max_retries=10,
)
def discard_stray_uploads(keys: list[str]) -> int:
    """Delete the files a failed request may have left in storage (storage or the database was
    down then), unless a document refers to them. Idempotent."""
    return uploads.uploads_discard_unreferenced(keys)


@shared_task(name="applications.tasks.expire_and_remind_all")
def expire_and_remind_all() -> dict:
    """Daily, in every working (active or onboarding) kecamatan: remind citizens before the
    completion deadline and expire after it. Each kecamatan's work is idempotent."""
    results = for_each_kecamatan(lambda _k: services.applications_expire_and_remind(), statuses=WORKING)
    return {key: sum(result[key] for result in results.values()) for key in ("reminded", "expired")}


@shared_task(name="applications.tasks.sweep_signing_batches", ignore_result=True)
def sweep_signing_batches(older_than_seconds: int | None = None) -> dict[str, int]:
    """Every minute, in every working kecamatan: queue again batch items whose task was lost
    (pending longer than SIGNING_BATCH_STALE_SECONDS, or `older_than_seconds`, after queuing)."""
    counts = for_each_kecamatan(
        lambda _k: services.signing_batches_sweep(older_than_seconds=older_than_seconds), statuses=WORKING
    )
    return {schema: n for schema, n in counts.items() if n}


@shared_task(name="applications.tasks.reconcile_signed_letters", ignore_result=True)
def reconcile_signed_letters() -> dict[str, int]:
    """Every 5 minutes, in every kecamatan (suspended too: a signed letter must not leave its
    application waiting): issue applications whose letter is signed."""
    counts = for_each_kecamatan(lambda _k: services.applications_reconcile_signed(), statuses=EVERY)
    return {schema: n for schema, n in counts.items() if n}


@shared_task(name="applications.tasks.rescan_pending_documents", ignore_result=True)
def rescan_pending_documents() -> dict[str, dict[str, int]]:
    """Every 2 minutes, in every working kecamatan: scan the files kept unscanned while clamd was
    unreachable (clean: shown to staff; infected: deleted, citizen and staff told). Idempotent."""
    counts = for_each_kecamatan(lambda _k: services.documents_rescan_pending(), statuses=WORKING)
    return {schema: c for schema, c in counts.items() if any(c.values())}


@shared_task(name="applications.tasks.sla_alerts_all")
def sla_alerts_all() -> dict:
    """Every morning, in every working kecamatan: SLA warnings to the handlers (2 working days
    before the due date) and the Sekcam's list of lapsed applications. Idempotent per kecamatan."""
    results = for_each_kecamatan(lambda _k: alerts.sla_alerts_send(), statuses=WORKING)
    return {key: sum(result[key] for result in results.values()) for key in ("warned", "escalated")}
