"""Thin Celery wrappers of the ops console's beat jobs."""

from __future__ import annotations

from celery import shared_task

from .services import kecamatan_snapshots_take


@shared_task(name="ops.snapshot_kecamatan_figures", ignore_result=True)
def snapshot_kecamatan_figures() -> int:
    """Crosses tenants (beat, hourly): refresh today's snapshot of every kecamatan's storage used,
    undelivered messages and failed signings (ops/services.py). Returns how many were measured."""
    return len(kecamatan_snapshots_take())
