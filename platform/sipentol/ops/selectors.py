"""The ops console's reads: the figures of every kecamatan from public tables (regency facts,
daily snapshots, the audit trail) and usage against quota from billing's own records."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.db.models.functions import Greatest
from django.utils import timezone

# usage against quota: billing's own records, read where billing keeps them (re-exported for the console)
from billing_and_quota.selectors import Usage, usage_by_kecamatan, usage_for
from sipentol.applications import lifecycle
from sipentol.letters.models import SigningBatchItem
from sipentol.notifications.selectors import outbox_undelivered
from sipentol.regency.models import ApplicationFact, KecamatanSnapshot
from sipentol.regency.selectors import (
    Period,
    latest_snapshots,
    month_snapshots,
    overdue_q,
)
from tenants.crossing import in_schema
from tenants.models import Kecamatan, OpsEvent
from tenants.selectors import kecamatan_host, kecamatan_list
from tenants.services import PROFILE_FIELDS

from .models import FactsRebuildRun, SignatureFooter

# ---------------------------------------------------------------- the console's figures
#
# The list reads only public tables, each in one grouped query: the regency facts (this month's
# applications, backlog, overdue, last activity), billing's plans (quota), the daily snapshots the
# beat job measures inside each schema (storage used, undelivered messages) and the audit trail.
# Its cost does not grow with the number of kecamatan. Only the detail page of ONE kecamatan
# reads inside that kecamatan's schema (its undelivered messages and failed signings).

# Sort keys of the list: (value of a row, largest first?).
SORTS = {
    "name": (lambda row: row.kecamatan.name, False),
    "code": (lambda row: row.kecamatan.code, False),
    "status": (lambda row: (row.kecamatan.status, row.kecamatan.name), False),
    "activity": (lambda row: row.last_activity or _EPOCH, True),
    "month": (lambda row: row.usage.applications_submitted, True),
    "backlog": (lambda row: row.backlog, True),
    "overdue": (lambda row: row.overdue, True),
    "storage": (lambda row: row.snapshot.storage_bytes if row.snapshot else -1, True),
    "quota": (lambda row: row.usage.percent, True),
    "undelivered": (lambda row: row.snapshot.undelivered_messages if row.snapshot else -1, True),
}
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Audit rows that made a kecamatan active: provisioned active (Jetis) or a status change.
_ACTIVATIONS = ("provision", "status")


@dataclass
class Readiness:
    """What the console can say of a kecamatan's preparation without the go-live checklist."""

    profile_filled: int  # office profile fields filled (address, phone, WhatsApp, e-mail, hours)
    profile_total: int
    applications: int  # applications it ever received (trial runs included), from the facts
    active_since: dt.datetime | None  # when Diskominfo last made it active


@dataclass
class ConsoleRow:
    kecamatan: Kecamatan
    host: str
    usage: Usage
    backlog: int = 0
    overdue: int = 0
    last_activity: dt.datetime | None = None
    snapshot: KecamatanSnapshot | None = None
    readiness: Readiness | None = None
    golive: tuple[int, int] | None = None  # (done, total) items of the go-live checklist


def golive_progress(snapshot: KecamatanSnapshot | None) -> tuple[int, int] | None:
    """(items done, items in total) of the go-live checklist (tenants.golive) as the hourly
    snapshot measured it; None before the first measurement (the console then shows the readiness
    it can compute itself, `Readiness`). The checklist page of one kecamatan
    (ops/golive_views.py) evaluates it live."""
    if snapshot is None or not snapshot.golive_total:
        return None
    return (snapshot.golive_done, snapshot.golive_total)


def _fact_figures(*, today: dt.date) -> dict:
    """Per kecamatan: open applications (lifecycle.OPEN), overdue ones (the one SLA rule),
    all it received, and its last application activity (submitted, closed or rated).

    Not `updated_at`: the facts rebuild rewrites every row and would make every kecamatan look
    active at the time of the rebuild."""
    return {
        "backlog": Count("pk", filter=Q(status__in=lifecycle.OPEN)),
        "overdue": Count("pk", filter=overdue_q(today)),
        "total": Count("pk"),
        "last_activity": Max(Greatest("submitted_at", "closed_at", "rated_at")),
    }


def _profile_filled(kecamatan: Kecamatan) -> int:
    return sum(1 for name in PROFILE_FIELDS if getattr(kecamatan, name))


def console_rows(*, status: str = "", sort: str = "name", today: dt.date | None = None) -> list[ConsoleRow]:
    """One row per kecamatan (optionally of one status), sorted by `sort` (see SORTS): 8 queries."""
    today = today or timezone.localdate()
    kecamatan = list(kecamatan_list())
    if status:
        kecamatan = [k for k in kecamatan if k.status == status]
    usage = usage_by_kecamatan(kecamatan)
    figures = {
        row["kecamatan_id"]: row
        for row in ApplicationFact.objects.values("kecamatan_id").annotate(**_fact_figures(today=today)).order_by()
    }
    snapshots = latest_snapshots()
    active_since = dict(
        OpsEvent.objects.filter(action__in=_ACTIVATIONS, to_status=Kecamatan.Status.ACTIVE, kecamatan__isnull=False)
        .values("kecamatan_id")
        .annotate(at=Max("at"))
        .values_list("kecamatan_id", "at")
    )
    rows = []
    for k in kecamatan:
        fact = figures.get(k.pk, {})
        rows.append(
            ConsoleRow(
                kecamatan=k,
                host=kecamatan_host(k),
                usage=usage[k.pk],
                backlog=fact.get("backlog", 0),
                overdue=fact.get("overdue", 0),
                last_activity=fact.get("last_activity"),
                snapshot=snapshots.get(k.pk),
                readiness=Readiness(
                    profile_filled=_profile_filled(k),
                    profile_total=len(PROFILE_FIELDS),
                    applications=fact.get("total", 0),
                    active_since=active_since.get(k.pk) if k.is_active else None,
                ),
                golive=golive_progress(snapshots.get(k.pk)),
            )
        )
    key, descending = SORTS.get(sort, SORTS["name"])
    rows.sort(key=key, reverse=descending)
    return rows


def console_row(kecamatan: Kecamatan, *, today: dt.date | None = None) -> ConsoleRow:
    """The list's figures for one kecamatan (its detail page)."""
    today = today or timezone.localdate()
    fact = ApplicationFact.objects.filter(kecamatan=kecamatan).aggregate(**_fact_figures(today=today))
    snapshot = KecamatanSnapshot.objects.filter(kecamatan=kecamatan).order_by("-day").first()
    active_since = (
        OpsEvent.objects.filter(kecamatan=kecamatan, action__in=_ACTIVATIONS, to_status=Kecamatan.Status.ACTIVE)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return ConsoleRow(
        kecamatan=kecamatan,
        host=kecamatan_host(kecamatan),
        usage=usage_for(kecamatan),
        backlog=fact["backlog"],
        overdue=fact["overdue"],
        last_activity=fact["last_activity"],
        snapshot=snapshot,
        readiness=Readiness(
            profile_filled=_profile_filled(kecamatan),
            profile_total=len(PROFILE_FIELDS),
            applications=fact["total"],
            active_since=active_since if kecamatan.is_active else None,
        ),
        golive=golive_progress(snapshot),
    )


def kecamatan_months(kecamatan: Kecamatan, *, count: int = 12, today: dt.date | None = None) -> list[dict]:
    """The last `count` months of one kecamatan, newest first: applications submitted and letters
    issued in the month, applications still open at its end, quota use (against today's plan),
    and the month's last snapshot (storage used, undelivered messages, failed signings). 3 queries."""
    today = today or timezone.localdate()
    periods = [Period(today.replace(day=1))]
    while len(periods) < count:
        periods.append(periods[-1].previous)
    aggregates = {}
    for i, p in enumerate(periods):
        end = min(p.end, timezone.now())
        aggregates[f"s{i}"] = Count("pk", filter=Q(submitted_at__gte=p.start, submitted_at__lt=p.end))
        aggregates[f"i{i}"] = Count("pk", filter=Q(issued_at__gte=p.start, issued_at__lt=p.end))
        aggregates[f"o{i}"] = Count(
            "pk", filter=Q(submitted_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        )
    counts = ApplicationFact.objects.filter(kecamatan=kecamatan).aggregate(**aggregates)
    snapshots = month_snapshots(kecamatan, since=periods[-1].month)
    peak = max([counts[f"s{i}"] for i in range(len(periods))] + [1])
    months = []
    for i, p in enumerate(periods):
        usage = usage_for(kecamatan, p.month)  # billing's records of that month
        months.append(
            {
                "month": p.month,
                "submitted": counts[f"s{i}"],  # from the facts, as the dashboard counts them
                "issued": counts[f"i{i}"],
                "usage": usage,
                "open_at_end": counts[f"o{i}"],
                "snapshot": snapshots.get(p.month),
                "peak": peak,
            }
        )
    return months


# ---------------------------------------------------------------- inside one kecamatan's schema

# What an error text must not show: a raw e-mail address or phone number (the masked recipient
# stands for it), nor a NIK/KK. Providers' errors sometimes quote the address they refused.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_DIGITS = re.compile(r"\+?\d[\d\s-]{7,}\d")


def error_without_personal_data(error: str, *, recipient: str = "", masked: str = "") -> str:
    """A provider's or signer's error as the console may show it."""
    placeholder = "\x00"  # the recipient's own masked form survives the scrubbing below
    if recipient:
        error = error.replace(recipient, placeholder)
    error = _DIGITS.sub("***", _EMAIL.sub("***@***", error))
    return error.replace(placeholder, masked or "***")[:500]


@dataclass(frozen=True)
class UndeliveredMessage:
    id: int
    kind: str  # the message's template (e.g. application_submitted): its type, never its text
    channel: str
    recipient_masked: str
    status: str
    attempts: int
    error: str
    created_at: dt.datetime


@dataclass(frozen=True)
class RecordedError:
    at: dt.datetime | None
    source: str
    reference: str
    error: str


def undelivered_messages(kecamatan: Kecamatan, *, limit: int = 50) -> tuple[list[UndeliveredMessage], int]:
    """The kecamatan's undelivered messages, oldest first, read in its schema; and how many in all."""
    with in_schema(kecamatan.schema_name):
        undelivered = outbox_undelivered()
        total = undelivered.count()
        rows = [
            UndeliveredMessage(
                id=m.pk,
                kind=m.template,
                channel=m.get_channel_display(),
                recipient_masked=m.recipient_masked,
                status=m.get_status_display(),
                attempts=m.attempts,
                error=error_without_personal_data(m.last_error, recipient=m.recipient, masked=m.recipient_masked),
                created_at=m.created_at,
            )
            for m in undelivered[:limit]
        ]
    return rows, total


def recent_errors(kecamatan: Kecamatan, *, limit: int = 20) -> list[RecordedError]:
    """Errors the kecamatan's schema records, newest first: failed letters of signing batches.

    Undelivered messages are listed apart (with their retry button). Other failures (a Celery
    task, a request) are recorded only in the logs, by request id and schema, not here."""
    with in_schema(kecamatan.schema_name):
        items = SigningBatchItem.objects.filter(state=SigningBatchItem.State.FAILED).order_by("-finished_at", "-pk")
        return [
            RecordedError(
                at=item.finished_at,
                source="signing",
                reference=f"letter:{item.letter_id}",
                error=error_without_personal_data(item.error),
            )
            for item in items[:limit]
        ]


def undelivered_message_get(kecamatan: Kecamatan, message_id: int):
    """The kecamatan's undelivered message `message_id` (read in its schema), or None."""
    with in_schema(kecamatan.schema_name):
        return outbox_undelivered().filter(pk=message_id).first()


def signature_footer_text() -> str | None:
    """The BSrE footer Diskominfo set on the console, or None (then lib/signature_footer's default).
    Read from a kecamatan's schema too: the table is in the public schema, on every search path."""
    row = SignatureFooter.objects.order_by("pk").first()
    return row.bsre_text if row else None


def facts_rebuild_runs(*, limit: int = 10) -> list[FactsRebuildRun]:
    """The latest recomputations of the dashboard facts, newest first (the console's page)."""
    return list(FactsRebuildRun.objects.all()[:limit])
