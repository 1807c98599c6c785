"""Reads for the leadership boards and the public statistics: only the public schema's facts and
their daily roll-up (rollup.py), never a kecamatan schema.

A range's figures are sums over the roll-up's rows of the scope (the whole regency, or one
kecamatan), and today's state (in progress, overdue) a count over the open facts, so the
regency board costs the same few queries, over about as many rows, for 18 kecamatan as for 1,000.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache, caches
from django.db.models import Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from sipentol.lib import complaint_clock, sla
from sipentol.lib.dashboards import Filters
from sipentol.lib.ikm import ikm_from_average_total, mutu
from tenants.models import Kecamatan

from . import rollup
from .models import (
    ApplicationFact,
    ComplaintDeadlines,
    ComplaintFact,
    DailyFigures,
    DailyLeadTimes,
    KecamatanSnapshot,
    OpenApplications,
)


@dataclass(frozen=True)
class Period:
    """A calendar month in the platform's time zone, and the 12 months ending with it."""

    month: dt.date  # first day

    @classmethod
    def parse(cls, value: str | None, *, today: dt.date | None = None) -> Period:
        today = today or timezone.localdate()
        try:
            year, month = (int(part) for part in (value or "").split("-"))
            first = dt.date(year, month, 1)
        except (TypeError, ValueError):
            first = today.replace(day=1)
        return cls(min(first, today.replace(day=1)))  # no future months

    @staticmethod
    def _shift(first: dt.date, months: int) -> dt.date:
        index = first.year * 12 + first.month - 1 + months
        return dt.date(index // 12, index % 12 + 1, 1)

    def _start_of(self, day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    @property
    def start(self) -> dt.datetime:
        return self._start_of(self.month)

    @property
    def end(self) -> dt.datetime:
        return self._start_of(self._shift(self.month, 1))

    @property
    def year_start(self) -> dt.datetime:
        return self._start_of(self._shift(self.month, -11))

    @property
    def key(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def previous(self) -> Period:
        return Period(self._shift(self.month, -1))

    @property
    def next(self) -> Period | None:
        following = self._shift(self.month, 1)
        return Period(following) if following <= timezone.localdate() else None

    def choices(self, count: int = 24) -> list[Period]:
        current = timezone.localdate().replace(day=1)
        return [Period(self._shift(current, -i)) for i in range(count)]


def overdue_q(today: dt.date) -> Q:
    """Overdue facts: the one SLA rule (lib/sla.py) on the clock the application recorded."""
    return sla.overdue_q(today=today, running=Q(clock_running=True))


def latest_snapshots() -> dict[int, KecamatanSnapshot]:
    """{kecamatan_id: its most recent daily snapshot} (1 query, whatever the number of kecamatan)."""
    rows = KecamatanSnapshot.objects.order_by("kecamatan_id", "-day").distinct("kecamatan_id")
    return {row.kecamatan_id: row for row in rows}


def month_snapshots(kecamatan, *, since: dt.date) -> dict[dt.date, KecamatanSnapshot]:
    """{first day of month: the month's last snapshot} of one kecamatan from `since` on (1 query)."""
    result: dict[dt.date, KecamatanSnapshot] = {}
    for row in KecamatanSnapshot.objects.filter(kecamatan=kecamatan, day__gte=since).order_by("day"):
        result[row.day.replace(day=1)] = row  # later days of the month replace earlier ones
    return result


# Public statistics (docs/statistics.md): figures a visitor may see, cached this long.
PUBLIC_STATISTICS_SECONDS = 600
PUBLIC_FIELDS = (
    "submitted",
    "issued",
    "median_days",
    "decided",
    "on_time",
    "compliance",
    "skm",
    "skm_grade",
    "skm_respondents",
)
_SKM_FIELDS = ("skm", "skm_grade", "skm_respondents")


def public_statistics_key(period: Period, kecamatan=None) -> str:
    """One key per kecamatan (or the whole regency) and month. The default cache's key function
    (django_tenants.cache.make_key) also prefixes the schema of the request."""
    scope = f"kecamatan-{kecamatan.pk}" if kecamatan is not None else "regency"
    return f"regency:public-statistics:{scope}:{period.key}"


def public_statistics(period: Period, *, kecamatan=None) -> dict:
    """{"services": [per-service figures], "totals": figures} of one kecamatan, or of the whole
    regency when `kecamatan` is None, for the month: the boards' figures and formulas
    (`board_by_service`, `board_totals`: median working days of the letters issued in the month,
    SLA compliance of the applications decided in it) but the IKM, taken over the 12 months ending
    with the month (a month alone has too few respondents). Only counts, the median, percentages
    and the IKM: no identifier. Cached PUBLIC_STATISTICS_SECONDS."""
    key = public_statistics_key(period, kecamatan)
    cached = cache.get(key)
    if cached is not None:
        return cached
    month = Filters(
        start=period.start,
        end=period.end,
        today=timezone.localdate(),
        kecamatan_id=kecamatan.pk if kecamatan is not None else None,
    )
    year = dataclasses.replace(month, start=period.year_start)
    year_groups = _period(year, "service_code")
    year_skm = {code: _board_row(group, None) for code, group in year_groups.items()}
    month_groups = _period(month, "service_code")
    names = service_names(month)
    services = []
    for code in sorted(set(month_groups) | set(year_skm)):
        row = _board_row(month_groups.get(code), None)
        row |= {field: year_skm.get(code, _board_row(None, None))[field] for field in _SKM_FIELDS}
        if row["submitted"] or row["issued"] or row["decided"] or row["skm_respondents"]:
            public = {field: row[field] for field in PUBLIC_FIELDS}
            services.append(public | {"service_code": code, "service_name": names.get(code, code)})
    services.sort(key=lambda row: (-row["submitted"], row["service_code"]))
    totals = _board_row(_merge(month_groups.values()), None)
    totals |= {field: _board_row(_merge(year_groups.values()), None)[field] for field in _SKM_FIELDS}
    result = {"services": services, "totals": {field: totals[field] for field in PUBLIC_FIELDS}}
    cache.set(key, result, PUBLIC_STATISTICS_SECONDS)
    return result


# The leadership boards (lib/dashboards.py; sections in sections.py): the figures of a Filters range
# from the daily roll-up (rollup.py) and the open facts. One home for "the same figures" on the
# regency board, the Camat's board and the public statistics: the Camat's sections call these with
# the kecamatan's own id.


def board_facts(filters: Filters):
    """The facts a board's filters select by place and service (the time range is per figure)."""
    facts = ApplicationFact.objects.all()
    if filters.kecamatan_id:
        facts = facts.filter(kecamatan_id=filters.kecamatan_id)
    if filters.service_code:
        facts = facts.filter(service_code=filters.service_code)
    return facts


def _days(filters: Filters) -> tuple[dt.date, dt.date]:
    """The first and the last day (inclusive) of the filters' half-open range."""
    first = timezone.localtime(filters.start).date()
    last = timezone.localtime(filters.end - dt.timedelta(microseconds=1)).date()
    return first, last


def _daily(model, filters: Filters, *, first: dt.date, last: dt.date, kecamatan_ids=None):
    """Roll-up rows (rollup.py) of the filters' scope and service, and of the days."""
    return _scoped(model.objects.filter(day__gte=first, day__lte=last), filters, kecamatan_ids)


def _scoped(rows, filters: Filters, kecamatan_ids):
    """Roll-up rows of `kecamatan_ids` (the per-kecamatan table) or else of the scope the filters
    choose (one kecamatan, or the regency's own rows), and of the filters' service."""
    if kecamatan_ids is not None:
        rows = rows.filter(kecamatan_id__in=kecamatan_ids)
    else:
        rows = rows.filter(kecamatan_id=filters.kecamatan_id or rollup.REGENCY)
    if filters.service_code:
        rows = rows.filter(service_code=filters.service_code)
    return rows


_SUMS = {name: Sum(name) for name in rollup.COUNTERS}


def _period(filters: Filters, by: str | None, *, kecamatan_ids=None, first=None, last=None) -> dict:
    """{group: {counter: sum, "lead_times": {working days: letters}}} of the range (2 queries):
    grouped by `by` ("service_code", "kecamatan_id", "month") or, when None, one group None."""
    if first is None:
        first, last = _days(filters)
    groups: dict = {}
    fields = [] if by is None else [by]
    figures = _daily(DailyFigures, filters, first=first, last=last, kecamatan_ids=kecamatan_ids)
    leads = _daily(DailyLeadTimes, filters, first=first, last=last, kecamatan_ids=kecamatan_ids)
    if by == "month":
        figures, leads = figures.annotate(month=TruncMonth("day")), leads.annotate(month=TruncMonth("day"))
    if by is None:
        totals = figures.aggregate(**_SUMS)
        figure_rows = [totals] if totals["submitted"] is not None else []
    else:
        figure_rows = figures.values(by).annotate(**_SUMS).order_by()
    for row in figure_rows:
        key = row.pop(by) if by else None
        groups[key] = {name: row[name] or 0 for name in rollup.COUNTERS} | {"lead_times": {}}
    for row in leads.values(*fields, "working_days").annotate(n=Sum("letters")).order_by():
        key = row[by] if by else None
        group = groups.setdefault(key, dict.fromkeys(rollup.COUNTERS, 0) | {"lead_times": {}})
        group["lead_times"][row["working_days"]] = row["n"]
    return groups


def _merge(groups) -> dict:
    """The sum of several groups of `_period` (their counters and lead times)."""
    groups = list(groups)
    merged = {name: sum(group[name] for group in groups) for name in rollup.COUNTERS}
    return merged | {"lead_times": rollup.merge([group["lead_times"] for group in groups])}


def _today(filters: Filters, by: str | None, *, kecamatan_ids=None) -> dict:
    """{group: {"in_progress": n, "overdue": n}}: what is open today and late by the SLA rule
    (lib/sla.py, on the counted due dates), whatever the period (1 query over the roll-up's open
    counters: at most services x due dates rows per kecamatan or for the regency)."""
    rows = _scoped(OpenApplications.objects.all(), filters, kecamatan_ids)
    figures = {
        "in_progress": Coalesce(Sum("open"), 0),
        "overdue": Coalesce(Sum("running", filter=sla.overdue_q(today=filters.today, running=Q(running__gt=0))), 0),
    }
    if by is None:
        return {None: rows.aggregate(**figures)}
    return {row.pop(by): row for row in rows.values(by).annotate(**figures).order_by()}


def _board_row(period: dict | None, today: dict | None) -> dict:
    """One row of figures from a group's counters, lead times and today's state (the one set of
    formulas both boards and the public statistics use)."""
    period = period or {}
    today = today or {}
    row = {name: period.get(name, 0) for name in rollup.COUNTERS}
    row["in_progress"] = today.get("in_progress", 0)
    row["overdue"] = today.get("overdue", 0)
    lead_times = period.get("lead_times", {})
    row["median_days"] = rollup.percentile(lead_times, 0.5)
    row["p90_days"] = rollup.percentile(lead_times, 0.9)
    row["compliance"] = round(100 * row["on_time"] / row["decided"], 1) if row["decided"] else None
    row["completion_rate"] = (
        round(100 * row["completion_requested"] / row["submitted"], 1) if row["submitted"] else None
    )
    ikm = (
        ikm_from_average_total(Decimal(row["skm_sum"]) / Decimal(row["skm_respondents"]))
        if row["skm_respondents"]
        else None
    )
    row["skm"] = float(round(ikm, 2)) if ikm is not None else None
    row["skm_grade"] = mutu(ikm) if ikm is not None else ""
    return row


def board_kecamatan(filters: Filters):
    """The kecamatan the per-kecamatan table lists: active ones and any with figures, by name
    (only the chosen one if any)."""
    kecamatan_list = Kecamatan.objects.filter(
        Q(status=Kecamatan.Status.ACTIVE) | Exists(DailyFigures.objects.filter(kecamatan_id=OuterRef("pk")))
    )
    if filters.kecamatan_id:
        kecamatan_list = kecamatan_list.filter(pk=filters.kecamatan_id)
    return kecamatan_list.only("pk", "name").order_by("name", "pk")


def board_by_kecamatan(filters: Filters, kecamatan_list=None) -> list[dict]:
    """One row per kecamatan of `kecamatan_list` (default: `board_kecamatan`), 4 queries: the
    kecamatan, their counters, lead times and open facts."""
    kecamatan_list = list(kecamatan_list if kecamatan_list is not None else board_kecamatan(filters))
    ids = [k.pk for k in kecamatan_list]
    period = _period(filters, "kecamatan_id", kecamatan_ids=ids)
    today = _today(filters, "kecamatan_id", kecamatan_ids=ids)
    return [
        _board_row(period.get(k.pk), today.get(k.pk)) | {"kecamatan_id": k.pk, "kecamatan_name": k.name}
        for k in kecamatan_list
    ]


def service_names(filters: Filters | None = None) -> dict[str, str]:
    """{catalog code: name} of the services with figures in the scope (the name on their latest day)."""
    scope = filters.kecamatan_id if filters is not None and filters.kecamatan_id else rollup.REGENCY
    return dict(
        DailyFigures.objects.filter(kecamatan_id=scope)
        .exclude(service_name="")
        .order_by("service_code", "-day")
        .distinct("service_code")
        .values_list("service_code", "service_name")
    )


def board_by_service(filters: Filters) -> list[dict]:
    """One row per catalog service with any figure in the range or open today, busiest first (4 queries)."""
    period = _period(filters, "service_code")
    today = _today(filters, "service_code")
    names = service_names(filters)
    rows = []
    for code in set(period) | set(today):
        row = _board_row(period.get(code), today.get(code))
        if row["submitted"] or row["issued"] or row["in_progress"] or row["decided"]:
            rows.append(row | {"service_code": code, "service_name": names.get(code, code)})
    return sorted(rows, key=lambda row: (-row["submitted"], row["service_code"]))


def board_totals(filters: Filters) -> dict:
    """The same figures over everything the filters select (3 queries)."""
    return _board_row(_period(filters, None).get(None), _today(filters, None)[None])


def _months(filters: Filters) -> list[dt.date]:
    """First days of the months of the trend: those of the range, and at least the 12 ending with it."""
    last = (filters.end - dt.timedelta(microseconds=1)).astimezone(timezone.get_current_timezone()).date()
    last = last.replace(day=1)
    first = timezone.localtime(filters.start).date().replace(day=1)
    first = min(first, Period._shift(last, -11))
    months, month = [], first
    while month <= last:
        months.append(month)
        month = Period._shift(month, 1)
    return months


def board_trend(filters: Filters) -> list[dict]:
    """Per month of the trend: submitted, issued, median lead time, SLA compliance (2 queries)."""
    months = _months(filters)
    per_month = _period(filters, "month", first=months[0], last=_days(filters)[1])
    result = []
    for month in months:
        row = _board_row(per_month.get(month), None)
        result.append(
            {
                "month": month,
                "submitted": row["submitted"],
                "issued": row["issued"],
                "median_days": row["median_days"],
                "decided": row["decided"],
                "on_time": row["on_time"],
                "compliance": row["compliance"],
            }
        )
    return result


@dataclass(frozen=True)
class OverdueFact:
    kecamatan_id: int
    application_id: int
    kecamatan_name: str
    tracking_code: str
    service_name: str
    due_date: dt.date
    days_late: int
    assigned_to: str


def board_overdue_count(filters: Filters) -> int:
    """How many applications are late today: the same count as the figures tables' (1 query)."""
    return _today(filters, None)[None]["overdue"]


def board_overdue(filters: Filters, *, limit: int | None = None) -> list[OverdueFact]:
    """The applications late today by the one SLA rule (lib/sla.py), longest overdue first (1 query).

    Only the public tracking code, the service, the due date, the working days late and the
    assigned staff member's username: no applicant's data."""
    rows = (
        board_facts(filters)
        .filter(overdue_q(filters.today))
        .select_related("kecamatan")
        .only("kecamatan__name", "tracking_code", "service_name", "due_date", "assigned_to", "application_id")
        .order_by("due_date", "kecamatan__name", "application_id")
    )
    if limit is not None:
        rows = rows[:limit]
    result = []
    late_by_due: dict[dt.date, int | None] = {}  # many share a due date; counting working days is a loop
    for fact in rows:
        if fact.due_date not in late_by_due:
            late_by_due[fact.due_date] = sla.days_left(due=fact.due_date, running=True, today=filters.today)
        late = late_by_due[fact.due_date]
        result.append(
            OverdueFact(
                kecamatan_id=fact.kecamatan_id,
                application_id=fact.application_id,
                kecamatan_name=fact.kecamatan.name,
                tracking_code=fact.tracking_code or f"#{fact.application_id}",
                service_name=fact.service_name,
                due_date=fact.due_date,
                days_late=-late if late is not None else 0,
                assigned_to=fact.assigned_to,
            )
        )
    return result


def recap_facts(*, kecamatan_id: int, month: Period) -> dict[str, list[ApplicationFact]]:
    """The monthly recap of one kecamatan: {service name: its applications} submitted in the month
    or closed in it (the register a kecamatan reports upward), by submission (1 query)."""
    in_month = Q(submitted_at__gte=month.start, submitted_at__lt=month.end) | Q(
        closed_at__gte=month.start, closed_at__lt=month.end
    )
    result: dict[str, list[ApplicationFact]] = {}
    facts = ApplicationFact.objects.filter(in_month, kecamatan_id=kecamatan_id).order_by(
        "service_name", "submitted_at", "application_id"
    )
    for fact in facts:
        result.setdefault(fact.service_name, []).append(fact)
    return result


# ------------------------------------------------------------------ complaints (SP4N-LAPOR!)
# Diskominfo's deadlines are regency-wide and read inside every kecamatan's schema: they are
# cached in the "routing" cache, which is not keyed per schema (the default cache is), so that one
# save clears the one entry every kecamatan reads.
COMPLAINT_DEADLINES_KEY = "complaint-deadlines"
COMPLAINT_DEADLINES_SECONDS = 300


def complaint_thresholds() -> complaint_clock.Thresholds:
    """Diskominfo's complaint deadlines (public schema, cached): the regulation's 3/5/10 until set."""
    store = caches["routing"]
    cached = store.get(COMPLAINT_DEADLINES_KEY)
    if cached is not None:
        return complaint_clock.Thresholds(*cached)
    # The table lives in the public schema, on every kecamatan's search_path.
    row = ComplaintDeadlines.objects.filter(pk=1).first()
    limits = (
        complaint_clock.Thresholds(row.verify_days, row.follow_up_days, row.resolve_days)
        if row is not None
        else complaint_clock.DEFAULT
    )
    store.set(COMPLAINT_DEADLINES_KEY, (limits.verify, limits.follow_up, limits.resolve), COMPLAINT_DEADLINES_SECONDS)
    return limits


def complaints_by_kecamatan(*, today: dt.date, kecamatan_id: int | None = None) -> list[dict]:
    """Open, due and overdue complaints per kecamatan from the complaint facts, judged by the one
    clock (`lib/complaint_clock.py`) with the deadlines in force today. Kecamatan with no open
    complaint are left out. One query: open complaints are few (a resolved one is not read)."""
    limits = complaint_thresholds()
    facts = ComplaintFact.objects.exclude(stage=complaint_clock.RESOLVED).select_related("kecamatan")
    if kecamatan_id is not None:
        facts = facts.filter(kecamatan_id=kecamatan_id)
    rows: dict[int, dict] = {}
    for fact in facts.order_by("kecamatan__name"):
        row = rows.setdefault(fact.kecamatan_id, {"kecamatan": fact.kecamatan, "open": 0, "due": 0, "overdue": 0})
        verdict = complaint_clock.judge(received_on=fact.received_on, stage=fact.stage, today=today, limits=limits)
        row["open"] += 1
        row["due"] += verdict.due
        row["overdue"] += verdict.overdue
    return list(rows.values())
