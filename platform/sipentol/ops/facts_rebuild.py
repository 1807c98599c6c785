"""Recomputing the regency boards' facts from the console: a `FactsRebuildRun` and the Celery task
that recomputes, kecamatan by kecamatan, every application fact
(`applications.facts.application_facts_rebuild`) and complaint fact
(`feedback.services.complaint_facts_rebuild`), reporting its progress for the page.

Both rebuilds are idempotent (upsert by application or complaint; application facts whose
application is gone are deleted), so running one twice, or again after a failure, is safe.
Operators run it once after an upgrade that adds figures to the facts (docs/dashboard.md), or to
repair the boards.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from sipentol.applications.facts import application_facts_rebuild
from sipentol.feedback.services import complaint_facts_rebuild
from tenants.crossing import EVERY, kecamatan_queryset

from .models import FactsRebuildRun
from .runs import run_enqueue, run_save

log = logging.getLogger(__name__)

# An open run whose task reported nothing for this long is taken as lost (the broker was down when
# it was queued, or its worker died): it no longer stops a new run from being started.
STALE_SECONDS = 900

OPEN = (FactsRebuildRun.Status.QUEUED, FactsRebuildRun.Status.RUNNING)


def facts_rebuild_start(*, actor: str) -> tuple[FactsRebuildRun, bool]:
    """Record a run and queue its task after commit; (run, created). A run still open is returned
    instead of a second one (a double click starts nothing twice); an open run silent for
    STALE_SECONDS is marked failed first. Two requests racing past the check would at worst
    recompute twice, which the idempotent rebuild allows."""
    with transaction.atomic():
        stale = timezone.now() - dt.timedelta(seconds=STALE_SECONDS)
        FactsRebuildRun.objects.filter(status__in=OPEN, updated_at__lt=stale).update(
            status=FactsRebuildRun.Status.FAILED,
            error_message=f"no progress reported for {STALE_SECONDS // 60} minutes (broker down or worker lost)",
            current="",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if run := FactsRebuildRun.objects.filter(status__in=OPEN).first():
            return run, False
        run = FactsRebuildRun.objects.create(started_by=actor, total=kecamatan_queryset(EVERY).count())
        transaction.on_commit(partial(_enqueue, run.pk), robust=True)
    return run, True


def _enqueue(run_id: int) -> None:
    from .tasks import facts_rebuild_run  # the tasks module imports this one

    run_enqueue(facts_rebuild_run, run_id, what="facts rebuild")


def facts_rebuild_execute(*, run_id: int) -> str:
    """The task's body (public schema; the rebuilds enter each kecamatan's schema). Every
    kecamatan of every status (a suspended one's figures stay on the boards), one transaction per
    kecamatan and kind of fact; progress is committed after each kecamatan so the page sees it.
    A finished or failed run changes nothing; a run left `running` (its worker died, the task was
    delivered again) starts over from the first kecamatan. Returns the run's final status."""
    with transaction.atomic():
        run = FactsRebuildRun.objects.select_for_update().get(pk=run_id)
        if run.status not in OPEN:
            return run.status
        kecamatan_list = list(kecamatan_queryset(EVERY).order_by("name"))
        run_save(
            run,
            status=FactsRebuildRun.Status.RUNNING,
            total=len(kecamatan_list),
            done=0,
            applications=0,
            complaints=0,
            started_at=timezone.now(),
        )
    for kecamatan in kecamatan_list:
        run_save(run, current=kecamatan.name)
        try:
            applications = sum(application_facts_rebuild(kecamatan_list=[kecamatan]).values())
            complaints = sum(complaint_facts_rebuild(kecamatan_list=[kecamatan]).values())
        except Exception as exc:
            log.exception("facts rebuild run %s failed in %s", run.pk, kecamatan.schema_name)
            run_save(
                run,
                status=FactsRebuildRun.Status.FAILED,
                error_message=f"{kecamatan.name}: {type(exc).__name__}: {exc}"[:2000],
                current="",
                finished_at=timezone.now(),
            )
            return run.status
        run_save(
            run,
            done=run.done + 1,
            applications=run.applications + applications,
            complaints=run.complaints + complaints,
            current="",
        )
    run_save(run, status=FactsRebuildRun.Status.DONE, finished_at=timezone.now())
    return run.status
