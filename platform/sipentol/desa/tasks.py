"""Thin Celery wrappers: the daily escalation of pengantar past the desa's deadline."""

from __future__ import annotations

from celery import shared_task

from tenants.crossing import WORKING, for_each_kecamatan

from . import services


@shared_task(name="desa.tasks.escalate_late_pengantar", ignore_result=True)
def escalate_late_pengantar() -> dict[str, dict[str, int]]:
    """Hourly, in every working kecamatan: remind the desa, then tell the kecamatan (deadlines.py). Idempotent."""
    counts = for_each_kecamatan(lambda _k: services.pengantar_deadlines_escalate(), statuses=WORKING)
    return {schema: c for schema, c in counts.items() if any(c.values())}
