"""The application facts the regency roll-up keeps, and the registry that carries them there.

The application (layer 5) writes a fact row inside each transition's transaction; the regency
(layer 6) stores it in the public schema. Neither imports the other: `sipentol.regency`
registers its sink here in `AppConfig.ready()`, and `sipentol.applications` publishes plain
`ApplicationFactRow` values. Without a registered sink, publishing is an error, never a silent
loss (a fact missing from the regency dashboard would go unnoticed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ApplicationFactRow:
    """What a leadership comparison needs of one application: no name, NIK, phone or e-mail."""

    application_id: int
    service_code: str
    service_name: str
    channel: str
    desa_code: str
    status: str
    submitted_at: dt.datetime | None
    due_date: dt.date | None
    closed_at: dt.datetime | None
    issued_at: dt.datetime | None
    sla_working_days: int | None
    working_days_taken: int | None
    on_time: bool | None
    clock_running: bool
    skm_total: int | None
    rated_at: dt.datetime | None
    # The public tracking code (no personal data): billing names the application that went over a quota,
    # the dashboards' overdue list names the application late.
    tracking_code: str = ""
    # Staff asked the citizen to complete it at least once (the dashboards' completion-request rate).
    completion_requested: bool = False
    # The username of the staff member it is assigned to ("" if none): the overdue list's "who".
    assigned_to: str = ""


class FactSink(Protocol):
    def upsert(self, *, kecamatan_id: int, rows: list[ApplicationFactRow]) -> None:
        """Store the rows in the caller's transaction (insert or update by application)."""

    def purge_older(self, *, kecamatan_id: int, before: dt.datetime) -> int:
        """Delete the kecamatan's rows not written since `before` (their application is gone)."""


_sinks: list[FactSink] = []


def register_sink(sink: FactSink) -> None:
    if sink not in _sinks:
        _sinks.append(sink)


def publish(*, kecamatan_id: int, rows: list[ApplicationFactRow]) -> None:
    if not _sinks:
        raise RuntimeError("no application fact sink registered (is sipentol.regency installed?)")
    if rows:
        for sink in _sinks:
            sink.upsert(kecamatan_id=kecamatan_id, rows=rows)


def purge_older(*, kecamatan_id: int, before: dt.datetime) -> int:
    return sum(sink.purge_older(kecamatan_id=kecamatan_id, before=before) for sink in _sinks)


@dataclass(frozen=True)
class ComplaintFactRow:
    """What the regency board needs of one complaint (open, due, overdue per kecamatan): the
    category, where it stands on the SP4N-LAPOR! clock (`lib/complaint_clock.py`) and when it was
    received. No reference, text, name or contact."""

    complaint_id: int
    category: str
    stage: str
    received_on: dt.date


class ComplaintFactSink(Protocol):
    def upsert_complaints(self, *, kecamatan_id: int, rows: list[ComplaintFactRow]) -> None:
        """Store the rows in the caller's transaction (insert or update by complaint)."""


_complaint_sinks: list[ComplaintFactSink] = []


def register_complaint_sink(sink: ComplaintFactSink) -> None:
    if sink not in _complaint_sinks:
        _complaint_sinks.append(sink)


def publish_complaints(*, kecamatan_id: int, rows: list[ComplaintFactRow]) -> None:
    """Like `publish`: no registered sink is an error, never a silent loss."""
    if not _complaint_sinks:
        raise RuntimeError("no complaint fact sink registered (is sipentol.regency installed?)")
    if rows:
        for sink in _complaint_sinks:
            sink.upsert_complaints(kecamatan_id=kecamatan_id, rows=rows)
