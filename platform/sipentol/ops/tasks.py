"""Thin Celery wrappers: the ops console's beat jobs, one kecamatan's onboarding, recomputing the facts."""

from __future__ import annotations

from celery import shared_task

from .facts_rebuild import facts_rebuild_execute
from .provisioning import provisioning_execute
from .services import kecamatan_snapshots_take


@shared_task(name="ops.snapshot_kecamatan_figures", ignore_result=True)
def snapshot_kecamatan_figures() -> int:
    """Crosses tenants (beat, hourly): refresh today's snapshot of every kecamatan's storage used,
    undelivered messages and failed signings (ops/services.py). Returns how many were measured."""
    return len(kecamatan_snapshots_take())


@shared_task(name="ops.provisioning_run", ignore_result=True)
def provisioning_run(run_id: int) -> str:
    """Runs in the public schema (it is not a KecamatanTask: it creates the kecamatan and enters
    its schema step by step). Idempotent; see `provisioning_execute`."""
    return provisioning_execute(run_id=run_id)


@shared_task(name="ops.facts_rebuild_run", ignore_result=True)
def facts_rebuild_run(run_id: int) -> str:
    """Runs in the public schema (the rebuilds enter each kecamatan's schema). Idempotent; see
    `facts_rebuild_execute`."""
    return facts_rebuild_execute(run_id=run_id)
