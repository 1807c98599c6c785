"""The application's fact row for the regency roll-up (`lib/facts.py` carries it there).

Why "nothing is lost": `application_fact_publish` runs inside the application's transition,
on the same database connection. In a kecamatan's request the search_path is
"<kecamatan>, public", and the fact table exists only in public, so the row lands in the
public schema within the very transaction that changes the status. Either both commit or
neither does. `application_facts_rebuild` recomputes everything for backfill and repair.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sipentol.lib import facts, sla
from tenants.crossing import EVERY, for_each_kecamatan

from . import lifecycle
from .models import Application, Event


def _completion_requested(application: Application) -> bool:
    """Staff asked for completion at least once (the rebuild annotates it; a transition asks)."""
    if application.status == lifecycle.Status.NEEDS_COMPLETION:
        return True
    annotated = getattr(application, "had_completion", None)
    if annotated is not None:
        return annotated
    return application.events.filter(kind=Event.Kind.TRANSITION, to_status=lifecycle.Status.NEEDS_COMPLETION).exists()


def application_fact_row(application: Application) -> facts.ApplicationFactRow:
    closed = application.closed_at
    taken = on_time = None
    if closed is not None and application.submitted_at is not None:
        closed_on = timezone.localdate(closed)
        taken = sla.working_days_taken(submitted_on=timezone.localdate(application.submitted_at), closed_on=closed_on)
        if application.status in lifecycle.DECIDED:
            on_time = sla.on_time(due=application.due_date, decided_on=closed_on)
    skm_total = rated_at = None
    if application.status == lifecycle.Status.RATED:
        # The survey row is written just before the issued -> rated transition.
        response = getattr(application, "survey_response", None)
        if response is not None:
            skm_total, rated_at = response.unsur_total, response.created_at
    service = application.service
    return facts.ApplicationFactRow(
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
        issued_at=closed if application.status in lifecycle.ISSUED else None,
        sla_working_days=service.sla_working_days,
        working_days_taken=taken,
        on_time=on_time,
        clock_running=application.clock_running,
        skm_total=skm_total,
        rated_at=rated_at,
        tracking_code=application.tracking_code,
        completion_requested=_completion_requested(application),
        assigned_to=application.assigned_to.get_username() if application.assigned_to_id else "",
    )


def application_fact_publish(application: Application) -> None:
    """Upsert the application's fact in the caller's transaction (called by every transition).

    Applications never submitted (a draft the citizen dropped) are not demand and get no row;
    trial applications (made while the kecamatan was onboarding) are not demand either: no
    figure built on the facts (regency dashboard, ops usage, billing) counts them.
    """
    if application.submitted_at is None or application.is_trial:
        return
    facts.publish(kecamatan_id=connection.tenant.pk, rows=[application_fact_row(application)])


def application_facts_rebuild(*, kecamatan_list: Iterable | None = None, batch_size: int = 1000) -> dict[str, int]:
    """Recompute the facts of every kecamatan (or the given ones) from their schemas.

    Idempotent: upserts every submitted application but trials and deletes facts whose application no
    longer exists. Crosses tenants through `for_each_kecamatan` (every status: a suspended
    kecamatan's figures stay on the dashboard), one transaction per kecamatan.
    Returns {schema_name: rows}.
    """

    def rebuild(kecamatan) -> int:
        with transaction.atomic():
            started = timezone.now()
            rows = 0
            batch: list[facts.ApplicationFactRow] = []
            applications = (
                Application.objects.exclude(submitted_at=None)
                .exclude(is_trial=True)
                .select_related("service", "survey_response", "assigned_to")
                .annotate(
                    had_completion=Exists(
                        Event.objects.filter(
                            application=OuterRef("pk"),
                            kind=Event.Kind.TRANSITION,
                            to_status=lifecycle.Status.NEEDS_COMPLETION,
                        )
                    )
                )
                .order_by("pk")
            )
            for application in applications.iterator(chunk_size=batch_size):
                batch.append(application_fact_row(application))
                rows += 1
                if len(batch) >= batch_size:
                    facts.publish(kecamatan_id=kecamatan.pk, rows=batch)
                    batch = []
            facts.publish(kecamatan_id=kecamatan.pk, rows=batch)
            # Every fact of a live application was just rewritten; older ones have no application.
            facts.purge_older(kecamatan_id=kecamatan.pk, before=started)
        return rows

    return for_each_kecamatan(rebuild, statuses=EVERY, kecamatan_list=kecamatan_list, isolate=False)
