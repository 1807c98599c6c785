"""Platform tasks: a heartbeat that proves worker and beat run, and a per-kecamatan probe."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from sipentol.celery import KecamatanTask, app


@shared_task(name="tenants.tasks.record_heartbeat")
def record_heartbeat() -> str:
    """Scheduled by beat; /ops/ shows when the worker last ran it."""
    now = timezone.now().isoformat()
    caches["routing"].set("worker-heartbeat", now, timeout=None)
    return now


@app.task(base=KecamatanTask, name="tenants.tasks.kecamatan_probe")
def kecamatan_probe() -> dict:
    """Report which schema this task ran in and how many staff it sees there (ops diagnostics)."""
    return {"schema": connection.schema_name, "users": get_user_model().objects.count()}
