"""Thin Celery wrappers of the regency's background work."""

from __future__ import annotations

from celery import shared_task

from .exports import export_job_execute


@shared_task(name="regency.export_run", ignore_result=True)
def export_run(job_id: str) -> str:
    """Write one dashboard export (exports.export_job_execute). Runs in the schema of the host that
    asked: public for the regency board, the kecamatan's for the Camat's board. Idempotent."""
    return export_job_execute(job_id=job_id).status
