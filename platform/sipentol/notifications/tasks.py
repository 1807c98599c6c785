"""Thin Celery wrappers: deliver one outbox message; sweep every active kecamatan's outbox."""

from __future__ import annotations

import logging

from celery import shared_task
from django_tenants.utils import tenant_context

from sipentol.celery import KecamatanTask, app

logger = logging.getLogger(__name__)


@app.task(base=KecamatanTask, name="notifications.deliver_message", ignore_result=True)
def deliver_message(message_id: int) -> str:
    """Idempotent: claims the row with SKIP LOCKED, does nothing if it is sent, in flight or not due.

    Retries are not Celery retries: a failure stores next_attempt_at (backoff) on the row and
    the beat sweep queues it again then, so a retry survives a worker or broker restart.
    """
    from sipentol.notifications.services import outbox_deliver

    return outbox_deliver(message_id=message_id)


@shared_task(name="notifications.sweep_outbox", ignore_result=True)
def sweep_outbox() -> dict[str, int]:
    """Crosses tenants (beat, every minute): queue due messages of every active kecamatan."""
    from sipentol.notifications.services import outbox_sweep
    from tenants.models import Kecamatan

    queued: dict[str, int] = {}
    for kecamatan in Kecamatan.objects.filter(status=Kecamatan.Status.ACTIVE).exclude(schema_name="public"):
        try:
            with tenant_context(kecamatan):
                if count := outbox_sweep():
                    queued[kecamatan.schema_name] = count
        except Exception:  # noqa: BLE001 - one kecamatan's trouble must not stop the others
            logger.exception("outbox sweep failed in %s", kecamatan.schema_name)
    return queued
