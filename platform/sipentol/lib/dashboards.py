"""The sections of the two leadership dashboards, and the tables they offer for export.

Two boards: the regency dashboard (`/dashboard/` on the regency host, figures from the public
schema's facts) and the Camat's dashboard (the back office of one kecamatan, its own schema).
The app that owns a figure owns its section (feedback: complaints due and SKM follow-ups;
desa pengantar: desa response times; the regency: the application figures); the dashboard views
only ask this registry, so a board never imports the apps below or beside it. Apps register
their sections in `AppConfig.ready()`.

A section renders itself as HTML (already escaped) and lists its tables as plain values, so the
one export code (Excel and CSV) serves every table of every board and a downloaded sheet holds
exactly the figures the page shows.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

Board = Literal["regency", "camat"]
T = TypeVar("T")
BOARDS: tuple[Board, ...] = ("regency", "camat")

# A cell is a number, a date or a text; exports write numbers and dates as real cells.
Cell = int | float | str | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Filters:
    """What a board is asked to show: a half-open time range [start, end) of aware datetimes,
    optionally one kecamatan (regency board only; the Camat's board is its own kecamatan) and
    one service (catalogue code), and the day the figures are judged on (overdue, due)."""

    start: dt.datetime
    end: dt.datetime
    today: dt.date
    kecamatan_id: int | None = None
    service_code: str = ""

    def describe(self) -> list[tuple[str, str]]:
        """The filters as (name, value) pairs, written on every exported sheet."""
        last = (self.end - dt.timedelta(seconds=1)).date()
        rows = [("periode", f"{self.start.date().isoformat()} s.d. {last.isoformat()}")]
        rows.append(("kecamatan", str(self.kecamatan_id) if self.kecamatan_id else "semua"))
        rows.append(("layanan", self.service_code or "semua"))
        rows.append(("dihitung pada", self.today.isoformat()))
        return rows


@dataclass(frozen=True)
class Table:
    """One table of a board: `key` is a slug unique on its board (used in export URLs)."""

    key: str
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]] = field(default_factory=tuple)


class Section(Protocol):
    key: str
    title: str

    def tables(self, request, filters: Filters) -> list[Table]:
        """The section's figures as tables (what the export downloads)."""

    def render(self, request, filters: Filters) -> str:
        """The section as HTML, already escaped (what the dashboard page shows)."""


_SECTIONS: dict[Board, list[Section]] = {board: [] for board in BOARDS}


def register(board: Board, section: Section) -> Section:
    if board not in _SECTIONS:
        raise ValueError(f"unknown dashboard {board!r}")
    keys = {s.key for s in _SECTIONS[board]}
    if section.key in keys:
        # Registered again (ready() twice in tests): keep the first.
        return section
    _SECTIONS[board].append(section)
    return section


def sections(board: Board) -> list[Section]:
    return list(_SECTIONS[board])


def table(board: Board, key: str, request, filters: Filters) -> Table | None:
    """The table `key` of a board, whichever section offers it (None if no section does)."""
    for section in _SECTIONS[board]:
        # A section that names its downloads is asked for its tables only when it offers `key`
        # (the per-kecamatan table is not computed for the per-service download).
        downloads = getattr(section, "downloads", None)
        if downloads is not None and key not in {offered for offered, _title in downloads()}:
            continue
        for t in section.tables(request, filters):
            if t.key == key:
                return t
    return None


def memo(request, key: tuple, compute: Callable[[], T]) -> T:
    """`compute()` once per request and key: a board page asks a section for its tables to
    render them and again to name their downloads, and two tables end with the same totals;
    the second time costs nothing."""
    if request is None:
        return compute()
    cache = request.__dict__.setdefault("_dashboard_tables", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def tables_once(method):
    """Decorator of a section's `tables(request, filters)`: computed once per request and filters."""

    @functools.wraps(method)
    def tables(self, request, filters: Filters) -> list[Table]:
        key = (type(self).__module__, type(self).__qualname__, self.key, filters)
        return memo(request, key, lambda: method(self, request, filters))

    return tables
