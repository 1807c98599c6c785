"""Thin Celery wrappers: deliver one outbox message; sweep the outbox of every working kecamatan."""

from __future__ import annotations

import logging

from celery import shared_task

from sipentol.celery import KecamatanTask, app
from tenants.crossing import WORKING, for_each_kecamatan

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
    """Crosses tenants (beat, every minute): queue due messages of every active or onboarding
    kecamatan (an onboarding office's trial runs must get their messages too); a suspended
    kecamatan's messages wait in its outbox until it is active again."""
    from sipentol.notifications.services import outbox_sweep

    counts = for_each_kecamatan(lambda _kecamatan: outbox_sweep(), statuses=WORKING)
    return {schema: count for schema, count in counts.items() if count}
