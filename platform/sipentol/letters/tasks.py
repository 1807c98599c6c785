"""Thin Celery wrappers of letters' beat jobs, crossing kecamatan through `for_each_kecamatan`."""

from __future__ import annotations

from celery import shared_task

from tenants.crossing import WORKING, for_each_kecamatan

from . import alerts


@shared_task(name="letters.tasks.signing_digest_all", ignore_result=True)
def signing_digest_all() -> dict[str, int]:
    """Every morning, in every working kecamatan: the Camat's and Sekcam's digest of letters
    waiting for signature. Idempotent per person and day (a second run tells no one)."""
    counts = for_each_kecamatan(lambda _k: alerts.signing_digest_send(), statuses=WORKING)
    return {schema: n for schema, n in counts.items() if n}
