"""Thin Celery wrapper: run one kecamatan's onboarding (ops/provisioning.py)."""

from __future__ import annotations

from celery import shared_task

from .provisioning import provisioning_execute


@shared_task(name="ops.provisioning_run", ignore_result=True)
def provisioning_run(run_id: int) -> str:
    """Runs in the public schema (it is not a KecamatanTask: it creates the kecamatan and enters
    its schema step by step). Idempotent; see `provisioning_execute`."""
    return provisioning_execute(run_id=run_id)
