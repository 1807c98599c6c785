"""Thin Celery wrappers of billing's beat jobs (CELERY_BEAT_SCHEDULE in the settings)."""

from __future__ import annotations

from celery import shared_task

from tenants.crossing import WORKING, for_each_kecamatan

from . import services, statements


@shared_task(name="billing_and_quota.tasks.daily_usage_check")
def daily_usage_check() -> dict[str, int]:
    """Daily, in every working kecamatan: measure storage (object store, the kecamatan's prefix),
    staff seats and WhatsApp messages, then send the 80% / 100% notices due (once per month each;
    running twice sends nothing more)."""
    return for_each_kecamatan(lambda k: services.usage_daily_check(kecamatan=k), statuses=WORKING)


@shared_task(name="billing_and_quota.tasks.monthly_statements")
def monthly_statements() -> int:
    """Daily; from the first working day of a month on, makes last month's missing statements."""
    return len(statements.statements_due())
