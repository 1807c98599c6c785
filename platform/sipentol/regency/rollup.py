"""The daily roll-up of the application facts: the one home of what a fact counts for on which day.

The leadership boards ask for figures over a range of days (submitted, issued, decided on time,
completion requests, SKM, lead time). Aggregating the raw facts for every page grows with the
number of kecamatan; the regency board must not (issue "Leaders see and act", point 7). So every
change of a fact also changes, in the same transaction, a few counters per (kecamatan, service,
day) and per (whole regency, service, day): `DailyFigures`, and the lead-time histogram
`DailyLeadTimes` (letters issued that day, by working days taken), from which the median and the
P90 are exact (`percentile`). A range's figures are sums over at most (services x days) rows,
whatever the number of kecamatan.

How a fact counts (`contributions`), on the day in the platform's time zone:
- submitted, and completion_requested when staff asked it to complete: on the day it was submitted;
- issued, and its lead time: on the day its letter was issued;
- decided, and on_time: on the day it was closed, when the SLA judged it (issued or rejected by
  staff; a cancelled or expired one is not judged);
- skm_respondents and skm_sum: on the day the citizen answered the survey.

What an application is today is counted the same way, by its due date rather than by a day
(`OpenApplications`): `open` while it is not closed (in progress), `running` while its SLA clock
runs, so that "overdue today" is the sum of `running` over the due dates before today (lib/sla.py's
rule), read from at most (services x due dates) rows.

The writes are increments (`x = x + delta`) on rows locked in one order (scope, service, day),
so concurrent transitions in different kecamatan neither lose a count nor deadlock.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

# The scope of the regency-wide rows (kecamatan ids start at 1).
REGENCY = 0

COUNTERS = ("submitted", "completion_requested", "issued", "decided", "on_time", "skm_respondents", "skm_sum")
OPEN_COUNTERS = ("open", "running")

# A key of DailyFigures: (scope, service_code, day); of DailyLeadTimes: (scope, service_code, day, working days).
FigureKey = tuple[int, str, dt.date]
LeadKey = tuple[int, str, dt.date, int]


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def contributions(fact: Any) -> tuple[dict, dict, dict]:
    """What one fact (an ApplicationFact or an ApplicationFactRow) adds to the roll-up:
    ({(service, day): {counter: n}}, {(service, day, working days): letters},
    {(service, due date): {"open": n, "running": n}})."""
    figures: dict[tuple[str, dt.date], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    leads: dict[tuple[str, dt.date, int], int] = {}
    service = fact.service_code
    submitted = _day(fact.submitted_at)
    if submitted is not None:
        figures[(service, submitted)]["submitted"] += 1
        if fact.completion_requested:
            figures[(service, submitted)]["completion_requested"] += 1
    issued = _day(fact.issued_at)
    if issued is not None:
        figures[(service, issued)]["issued"] += 1
        if fact.working_days_taken is not None:
            leads[(service, issued, fact.working_days_taken)] = 1
    closed = _day(fact.closed_at)
    if closed is not None and fact.on_time is not None:
        figures[(service, closed)]["decided"] += 1
        if fact.on_time:
            figures[(service, closed)]["on_time"] += 1
    rated = _day(fact.rated_at)
    if rated is not None and fact.skm_total is not None:
        figures[(service, rated)]["skm_respondents"] += 1
        figures[(service, rated)]["skm_sum"] += fact.skm_total
    today: dict[tuple[str, dt.date | None], dict[str, int]] = {}
    if fact.closed_at is None or fact.clock_running:
        today[(service, fact.due_date)] = {"open": int(fact.closed_at is None), "running": int(fact.clock_running)}
    return dict(figures), leads, today


class Delta:
    """The net change of a batch of facts of one kecamatan: what the old facts counted is taken
    away, what the new ones count is added; both scopes (the kecamatan, the regency) move alike."""

    def __init__(self) -> None:
        self.figures: dict[tuple[str, dt.date], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
        self.leads: dict[tuple[str, dt.date, int], int] = defaultdict(int)
        self.open: dict[tuple[str, dt.date | None], dict[str, int]] = defaultdict(
            lambda: dict.fromkeys(OPEN_COUNTERS, 0)
        )
        self.names: dict[str, str] = {}

    def add(self, fact: Any, sign: int = 1) -> None:
        figures, leads, today = contributions(fact)
        for key, counters in figures.items():
            row = self.figures[key]
            for name, value in counters.items():
                row[name] += sign * value
        for key, letters in leads.items():
            self.leads[key] += sign * letters
        for key, counters in today.items():
            row = self.open[key]
            for name, value in counters.items():
                row[name] += sign * value
        if sign > 0:
            self.names[fact.service_code] = fact.service_name

    def rows(self, kecamatan_id: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
        """The figure, lead-time and open rows to apply, for the kecamatan and the regency, in lock
        order; keys whose net change is nothing are left out."""
        figures, leads, today = [], [], []
        for scope in sorted({REGENCY, kecamatan_id}):
            for (service, day), counters in sorted(self.figures.items()):
                if any(counters.values()):
                    name = self.names.get(service, "")
                    figures.append((scope, service, name, day, *(counters[c] for c in COUNTERS)))
            for (service, day, days), letters in sorted(self.leads.items()):
                if letters:
                    leads.append((scope, service, day, days, letters))
            for (service, due), counters in sorted(
                self.open.items(), key=lambda item: (item[0][0], item[0][1] or dt.date.max)
            ):
                if any(counters.values()):
                    today.append((scope, service, due, counters["open"], counters["running"]))
        return figures, leads, today


_FIGURES_SQL = """
INSERT INTO regency_dailyfigures (kecamatan_id, service_code, service_name, day, {columns})
VALUES {values}
ON CONFLICT (kecamatan_id, service_code, day) DO UPDATE SET
    service_name = CASE WHEN EXCLUDED.service_name = '' THEN regency_dailyfigures.service_name
                        ELSE EXCLUDED.service_name END,
    {increments}
"""

_OPEN_SQL = """
INSERT INTO regency_openapplications (kecamatan_id, service_code, due_date, open, running)
VALUES {values}
ON CONFLICT (kecamatan_id, service_code, due_date) DO UPDATE SET
    open = regency_openapplications.open + EXCLUDED.open,
    running = regency_openapplications.running + EXCLUDED.running
"""

_LEADS_SQL = """
INSERT INTO regency_dailyleadtimes (kecamatan_id, service_code, day, working_days, letters)
VALUES {values}
ON CONFLICT (kecamatan_id, service_code, day, working_days) DO UPDATE SET
    letters = regency_dailyleadtimes.letters + EXCLUDED.letters
"""


def apply(*, kecamatan_id: int, delta: Delta) -> None:
    """Add `delta` to the kecamatan's and the regency's rows, in the caller's transaction."""
    figures, leads, today = delta.rows(kecamatan_id)
    with connection.cursor() as cursor:
        if figures:
            placeholders = "(" + ", ".join(["%s"] * (4 + len(COUNTERS))) + ")"
            sql = _FIGURES_SQL.format(
                columns=", ".join(COUNTERS),
                values=", ".join([placeholders] * len(figures)),
                increments=", ".join(f"{c} = regency_dailyfigures.{c} + EXCLUDED.{c}" for c in COUNTERS),
            )
            cursor.execute(sql, [value for row in figures for value in row])
        if leads:
            sql = _LEADS_SQL.format(values=", ".join(["(%s, %s, %s, %s, %s)"] * len(leads)))
            cursor.execute(sql, [value for row in leads for value in row])
        if today:
            sql = _OPEN_SQL.format(values=", ".join(["(%s, %s, %s::date, %s, %s)"] * len(today)))
            cursor.execute(sql, [value for row in today for value in row])


def rebuild(*, facts: Iterable[Any], figures_model, leads_model, open_model, batch_size: int = 2000) -> int:
    """Empty the roll-up and count every fact again (a repair, and the migration that fills it).
    Takes the models so that a migration can pass its historical ones. Returns the facts read."""
    read = 0
    with transaction.atomic():
        figures_model.objects.all().delete()
        leads_model.objects.all().delete()
        open_model.objects.all().delete()
        per_kecamatan: dict[int, Delta] = defaultdict(Delta)
        for fact in facts:
            per_kecamatan[fact.kecamatan_id].add(fact)
            read += 1
            if read % batch_size == 0:
                for kecamatan_id, delta in per_kecamatan.items():
                    apply(kecamatan_id=kecamatan_id, delta=delta)
                per_kecamatan.clear()
        for kecamatan_id, delta in per_kecamatan.items():
            apply(kecamatan_id=kecamatan_id, delta=delta)
    return read


def percentile(histogram: Mapping[int, int], q: float) -> float | None:
    """PostgreSQL's percentile_cont(q) of the values a histogram {value: count} holds: the value at
    position q * (n - 1) of the sorted values, interpolated linearly between its two neighbours."""
    n = sum(count for count in histogram.values() if count > 0)
    if n == 0:
        return None
    position = q * (n - 1)
    lower = int(position)
    fraction = position - lower
    seen = 0
    below: float | None = None
    for value in sorted(v for v, count in histogram.items() if count > 0):
        seen += histogram[value]
        if below is None and seen > lower:
            below = float(value)
            if fraction == 0 or seen > lower + 1:
                return below
        elif below is not None:
            return below + fraction * (value - below)
    return below


def merge(histograms: Sequence[Mapping[int, int]]) -> dict[int, int]:
    merged: dict[int, int] = defaultdict(int)
    for histogram in histograms:
        for value, count in histogram.items():
            merged[value] += count
    return dict(merged)
