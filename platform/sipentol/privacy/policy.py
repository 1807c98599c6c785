"""The retention policy: how long each type of record is kept, and which applications are due.

The one home of the periods' defaults (drafts 30 days, rejected/cancelled/expired 1 year,
issued: the archive period) and of the date each period counts from. Diskominfo changes a
period in the ops console (`retention_rule_set`); the privacy page and the purge read it here.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sipentol.applications import lifecycle
from sipentol.applications.models import Application, Status

from .retention.models import RecordType, RetentionRule

# Defaults when Diskominfo set nothing. Issued: 10 years, the archive period assumed for a
# kecamatan's service records until the regency's archive schedule (JRA) says otherwise; the
# signed letter itself and its verification record are never purged.
DEFAULT_DAYS: dict[str, int] = {
    RecordType.DRAFT: 30,
    RecordType.CLOSED: 365,
    RecordType.ISSUED: 3650,
}
MIN_DAYS = 1
MAX_DAYS = 36500

# Which applications each type covers, and the moment its period counts from.
_STATUSES: dict[str, frozenset[str]] = {
    RecordType.DRAFT: frozenset({Status.DRAFT}),
    RecordType.CLOSED: frozenset({Status.REJECTED, Status.CANCELLED, Status.EXPIRED}),
    RecordType.ISSUED: lifecycle.ISSUED,
}
_SINCE: dict[str, str] = {
    RecordType.DRAFT: "updated_at",  # the last time the citizen saved it
    RecordType.CLOSED: "closed_at",
    RecordType.ISSUED: "closed_at",  # the day it was issued
}


def retention_days() -> dict[str, int]:
    """{record type: days} as in force now: Diskominfo's setting, else the default."""
    stored = dict(RetentionRule.objects.values_list("record_type", "days"))
    return {t: stored.get(t, DEFAULT_DAYS[t]) for t in RecordType.values}


def retention_table() -> list[dict]:
    """For the pages: each type with its label, days in force and default."""
    days = retention_days()
    return [
        {"type": t, "label": RecordType(t).label, "days": days[t], "default": DEFAULT_DAYS[t]}
        for t in RecordType.values
    ]


def retention_rule_set(*, record_type: str, days: int, actor: str) -> RetentionRule:
    if record_type not in RecordType.values:
        raise ValueError(record_type)
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise ValueError(days)
    with transaction.atomic():
        rule, _created = RetentionRule.objects.update_or_create(
            record_type=record_type, defaults={"days": days, "updated_by": actor[:150]}
        )
    return rule


def due_q(*, now=None) -> Q:
    """Applications of this kecamatan past their retention period, as a filter."""
    now = now or timezone.now()
    days = retention_days()
    due = Q(pk__in=[])
    for record_type, statuses in _STATUSES.items():
        since = _SINCE[record_type]
        cutoff = now - timedelta(days=days[record_type])
        # A closed application without closed_at (made before it existed) counts from its last change.
        moment = Q(**{f"{since}__lt": cutoff}) | Q(**{f"{since}__isnull": True, "updated_at__lt": cutoff})
        due |= Q(status__in=statuses) & moment
    return due


def record_type_of(application: Application) -> str:
    return next(t for t, statuses in _STATUSES.items() if application.status in statuses)
