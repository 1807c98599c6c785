"""Beat job: the retention purge, in every kecamatan."""

from __future__ import annotations

from celery import shared_task

from tenants.crossing import EVERY, for_each_kecamatan

from . import services


@shared_task(name="privacy.tasks.purge_expired_data", ignore_result=True)
def purge_expired_data() -> dict[str, dict[str, int]]:
    """Daily, in every kecamatan (a suspended office's citizens keep their rights too): delete the
    applications past their retention period, with their files and cache entries. Idempotent."""
    counts = for_each_kecamatan(lambda _k: services.applications_purge_due(), statuses=EVERY)
    return {schema: c for schema, c in counts.items() if c}
