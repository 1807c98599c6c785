"""Writes of the regency roll-up: the ApplicationFact rows (public schema).

Why "nothing is lost": `regency_fact_record` runs inside the application's transition, on the
same database connection. In a kecamatan's request the search_path is "<kecamatan>, public",
and the fact table exists only in public, so the upsert lands in public.regency_applicationfact
within the very transaction that changes the status. Either both commit or neither does: a
crash, a rollback or a dead broker cannot leave a transition without its fact (or a fact
without its transition). `regency_facts_rebuild` recomputes everything from the kecamatan
schemas for backfill and repair.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from sipentol.lib.workdays import working_days_between

from .models import ApplicationFact

# Status values of sipentol.applications.models.Status, kept as strings so that this module
# (a shared app) does not import a tenant app at import time.
ISSUED_STATUSES = {"issued", "rated"}
DECIDED_STATUSES = ISSUED_STATUSES | {"rejected"}

_UPDATE_FIELDS = [
    "service_code",
    "service_name",
    "channel",
    "desa_code",
    "status",
    "submitted_at",
    "due_date",
    "closed_at",
    "issued_at",
    "sla_working_days",
    "working_days_taken",
    "on_time",
    "skm_total",
    "rated_at",
    "updated_at",
]


def _fact_for(application, *, kecamatan_id: int) -> ApplicationFact:
    closed = application.closed_at
    taken = None
    on_time = None
    if closed is not None and application.submitted_at is not None:
        closed_day = timezone.localdate(closed)
        taken = working_days_between(timezone.localdate(application.submitted_at), closed_day)
        if application.status in DECIDED_STATUSES and application.due_date is not None:
            on_time = closed_day <= application.due_date
    skm_total = rated_at = None
    if application.status == "rated":
        # The survey row is written just before the issued -> rated transition.
        response = getattr(application, "survey_response", None)
        if response is not None:
            from sipentol.feedback.skm import UNSUR_FIELDS

            skm_total = sum(getattr(response, field) for field in UNSUR_FIELDS)
            rated_at = response.created_at
    service = application.service
    return ApplicationFact(
        kecamatan_id=kecamatan_id,
        application_id=application.pk,
        service_code=service.catalog_code,
        service_name=service.name,
        channel=application.channel,
        desa_code=application.desa_code or "",
        status=application.status,
        submitted_at=application.submitted_at,
        due_date=application.due_date,
        closed_at=closed,
        # Issuing closes the application, and rating it later does not touch closed_at.
        issued_at=closed if application.status in ISSUED_STATUSES else None,
        sla_working_days=service.sla_working_days,
        working_days_taken=taken,
        on_time=on_time,
        skm_total=skm_total,
        rated_at=rated_at,
        updated_at=timezone.now(),
    )


def _upsert(facts: list[ApplicationFact]) -> None:
    if facts:
        # One INSERT ... ON CONFLICT DO UPDATE: safe under concurrent transitions.
        ApplicationFact.objects.bulk_create(
            facts,
            update_conflicts=True,
            unique_fields=["kecamatan", "application_id"],
            update_fields=_UPDATE_FIELDS,
        )


def regency_fact_record(application) -> None:
    """Upsert the application's fact row, in the caller's transaction (call it from `_transition`).

    Applications never submitted (a draft the citizen dropped) are not demand and get no row.
    Must run with the kecamatan's schema active (`connection.tenant` is the Kecamatan).
    """
    if application.submitted_at is None:
        return
    _upsert([_fact_for(application, kecamatan_id=connection.tenant.pk)])


def regency_facts_rebuild(*, kecamatan_list: Iterable | None = None, batch_size: int = 1000) -> dict[str, int]:
    """Recompute the facts of every kecamatan (or the given ones) from their schemas.

    Idempotent: upserts every submitted application and deletes facts whose application no
    longer exists. Crosses tenants on purpose (tenant_context per kecamatan), one transaction
    per kecamatan. Returns {schema_name: rows}.
    """
    from django_tenants.utils import get_public_schema_name, tenant_context

    from sipentol.applications.models import Application
    from tenants.models import Kecamatan

    if kecamatan_list is None:
        kecamatan_list = Kecamatan.objects.exclude(schema_name__in=[get_public_schema_name(), "tenant_template"])
    counts: dict[str, int] = {}
    for kecamatan in kecamatan_list:
        with tenant_context(kecamatan), transaction.atomic():
            started = timezone.now()
            rows = 0
            batch: list[ApplicationFact] = []
            applications = Application.objects.exclude(submitted_at=None).select_related("service").order_by("pk")
            for application in applications.iterator(chunk_size=batch_size):
                batch.append(_fact_for(application, kecamatan_id=kecamatan.pk))
                rows += 1
                if len(batch) >= batch_size:
                    _upsert(batch)
                    batch = []
            _upsert(batch)
            # Every fact of a live application was just rewritten; older ones have no application.
            ApplicationFact.objects.filter(kecamatan_id=kecamatan.pk, updated_at__lt=started).delete()
            counts[kecamatan.schema_name] = rows
    return counts
