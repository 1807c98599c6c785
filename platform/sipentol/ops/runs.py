"""What the console's background runs share (provisioning a kecamatan, recomputing the dashboard
facts): a run is queued after its transaction commits, a broker outage leaves it queued (its page
says so and the operator may start it again), and it saves its progress one field set at a time."""

from __future__ import annotations

import logging

from django.db import models

log = logging.getLogger(__name__)


def run_enqueue(task, run_id: int, *, what: str) -> None:
    try:
        task.delay(run_id)
    except Exception:  # noqa: BLE001 - kombu raises many types when the broker is unreachable
        log.exception("broker unavailable: %s run %s stays queued", what, run_id)


def run_save(run: models.Model, **fields) -> None:
    for key, value in fields.items():
        setattr(run, key, value)
    run.save(update_fields=[*fields, "updated_at"])
