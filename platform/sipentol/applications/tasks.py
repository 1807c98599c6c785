"""Thin Celery wrappers; the beat job crosses every active kecamatan."""

from __future__ import annotations

from celery import shared_task
from django_tenants.utils import tenant_context

from tenants.models import Kecamatan

from .services import applications_expire_and_remind


@shared_task(name="applications.tasks.expire_and_remind_all")
def expire_and_remind_all() -> dict:
    """Daily: per kecamatan, remind citizens before the completion deadline and expire after it.

    Crosses tenants on purpose (a beat job has no tenant); each kecamatan's work is idempotent.
    """
    totals = {"reminded": 0, "expired": 0}
    for kecamatan in Kecamatan.objects.exclude(status=Kecamatan.Status.SUSPENDED):
        with tenant_context(kecamatan):
            result = applications_expire_and_remind()
        for key in totals:
            totals[key] += result[key]
    return totals
