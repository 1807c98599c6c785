"""Writes of the regency roll-up: the ApplicationFact rows (public schema).

The application publishes its fact rows (`sipentol.lib.facts`) inside each transition's
transaction; this module is the sink that stores them, registered in `RegencyConfig.ready()`.
The regency never imports `applications`: a row arrives as a plain `ApplicationFactRow`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from sipentol.lib.facts import ApplicationFactRow

from .models import ApplicationFact

# The row's fields this table keeps (the tracking code travels to billing only).
_ROW_FIELDS = [f.name for f in dataclasses.fields(ApplicationFactRow) if f.name != "tracking_code"]
_UPDATE_FIELDS = [name for name in _ROW_FIELDS if name != "application_id"] + ["updated_at"]


class RegencyFactSink:
    """Stores application facts in public.regency_applicationfact, in the caller's transaction."""

    def upsert(self, *, kecamatan_id: int, rows: list[ApplicationFactRow]) -> None:
        now = timezone.now()
        facts = [
            ApplicationFact(kecamatan_id=kecamatan_id, updated_at=now, **{f: getattr(row, f) for f in _ROW_FIELDS})
            for row in rows
        ]
        if facts:
            # One INSERT ... ON CONFLICT DO UPDATE: safe under concurrent transitions.
            ApplicationFact.objects.bulk_create(
                facts,
                update_conflicts=True,
                unique_fields=["kecamatan", "application_id"],
                update_fields=_UPDATE_FIELDS,
            )

    def purge_older(self, *, kecamatan_id: int, before: dt.datetime) -> int:
        deleted, _ = ApplicationFact.objects.filter(kecamatan_id=kecamatan_id, updated_at__lt=before).delete()
        return deleted


sink = RegencyFactSink()
