"""Reads for the regency dashboard: only the public ApplicationFact table, never a kecamatan schema.

Each figure is one grouped query over the facts (per kecamatan, per service), so the page costs
the same number of queries for 18 kecamatan as for 5,000.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.db.models import Aggregate, Avg, Count, FloatField, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sipentol.lib import complaint_clock, sla
from sipentol.lib.dashboards import Filters
from sipentol.lib.ikm import ikm_from_average_total, mutu
from tenants.models import Kecamatan

from .models import ApplicationFact, ComplaintDeadlines, ComplaintFact, KecamatanSnapshot


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median, with FILTER support from Aggregate."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False


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


def _figures(period: Period, *, today: dt.date) -> dict:
    in_month = Q(submitted_at__gte=period.start, submitted_at__lt=period.end)
    in_year = Q(submitted_at__gte=period.year_start, submitted_at__lt=period.end)
    closed_in_month = Q(closed_at__gte=period.start, closed_at__lt=period.end)
    rated_in_year = Q(rated_at__gte=period.year_start, rated_at__lt=period.end, skm_total__isnull=False)
    issued_in_month = Q(issued_at__gte=period.start, issued_at__lt=period.end)
    return {
        "month_count": Count("pk", filter=in_month),
        "year_count": Count("pk", filter=in_year),
        "backlog": Count("pk", filter=Q(closed_at=None)),
        "overdue": Count("pk", filter=overdue_q(today)),
        "decided": Count("pk", filter=closed_in_month & Q(on_time__isnull=False)),
        "on_time": Count("pk", filter=closed_in_month & Q(on_time=True)),
        "issued": Count("pk", filter=issued_in_month),
        "median_days": Median("working_days_taken", filter=issued_in_month),
        # SKM over the 12 months ending with the period (a month alone has too few respondents).
        "skm_respondents": Count("pk", filter=rated_in_year),
        "skm_avg_total": Avg("skm_total", filter=rated_in_year),
    }


def _finish(row: dict) -> dict:
    row["compliance"] = round(100 * row["on_time"] / row["decided"]) if row["decided"] else None
    average = row.get("skm_avg_total")
    row["skm"] = ikm_from_average_total(average) if average is not None else None
    return row


def month_counts_by_kecamatan(period: Period) -> dict[int, dict[str, int]]:
    """{kecamatan_id: {"submitted": n, "issued": n}} for the month: usage metering (1 query)."""
    rows = (
        ApplicationFact.objects.values("kecamatan_id")
        .annotate(
            submitted=Count("pk", filter=Q(submitted_at__gte=period.start, submitted_at__lt=period.end)),
            issued=Count("pk", filter=Q(issued_at__gte=period.start, issued_at__lt=period.end)),
        )
        .order_by()
    )
    return {row["kecamatan_id"]: {"submitted": row["submitted"], "issued": row["issued"]} for row in rows}


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
    "month_count",
    "issued",
    "median_days",
    "decided",
    "on_time",
    "compliance",
    "skm",
    "skm_grade",
    "skm_respondents",
)


def _public(row: dict) -> dict:
    """Only the public figures of a finished row (counts, median, percentages, IKM): no identifiers."""
    row = _finish(row)
    row["skm_grade"] = mutu(row["skm"]) if row["skm"] is not None else None
    return {key: row[key] for key in PUBLIC_FIELDS} | {
        key: row[key] for key in ("service_code", "service_name") if key in row
    }


def public_statistics_key(period: Period, kecamatan=None) -> str:
    """One key per kecamatan (or the whole regency) and month. The default cache's key function
    (django_tenants.cache.make_key) also prefixes the schema of the request."""
    scope = f"kecamatan-{kecamatan.pk}" if kecamatan is not None else "regency"
    return f"regency:public-statistics:{scope}:{period.key}"


def public_statistics(period: Period, *, kecamatan=None) -> dict:
    """{"services": [per-service figures], "totals": figures} of one kecamatan, or of the whole
    regency when `kecamatan` is None, for the month: the dashboard's formulas (`_figures`,
    `_finish`: median working days of the letters issued in the month, SLA compliance of the
    applications decided in the month, IKM over the 12 months ending with it) and its grade
    (lib/ikm.mutu). Cached PUBLIC_STATISTICS_SECONDS (3 fact queries when not cached)."""
    key = public_statistics_key(period, kecamatan)
    cached = cache.get(key)
    if cached is not None:
        return cached
    facts = ApplicationFact.objects.all()
    if kecamatan is not None:
        facts = facts.filter(kecamatan=kecamatan)
    figures = _figures(period, today=timezone.localdate())
    rows = (
        facts.values("service_code")
        .annotate(**figures)
        .filter(Q(month_count__gt=0) | Q(issued__gt=0) | Q(decided__gt=0) | Q(skm_respondents__gt=0))
        .order_by("-month_count", "service_code")
    )
    names = dict(
        facts.order_by("service_code", "-updated_at")
        .distinct("service_code")
        .values_list("service_code", "service_name")
    )
    result = {
        "services": [
            _public({**row, "service_name": names.get(row["service_code"], row["service_code"])}) for row in rows
        ],
        "totals": _public(facts.aggregate(**figures)),
    }
    cache.set(key, result, PUBLIC_STATISTICS_SECONDS)
    return result


# The leadership boards (lib/dashboards.py; sections in sections.py): the figures of a Filters range.
# One home for "the same figures" on the regency board and the Camat's board: the Camat's sections
# call these with the kecamatan's own id.


class P90(Aggregate):
    """PostgreSQL's percentile_cont(0.9): nine applications in ten took at most this long."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.9) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False


def board_facts(filters: Filters):
    """The facts a board's filters select by place and service (the time range is per figure)."""
    facts = ApplicationFact.objects.all()
    if filters.kecamatan_id:
        facts = facts.filter(kecamatan_id=filters.kecamatan_id)
    if filters.service_code:
        facts = facts.filter(service_code=filters.service_code)
    return facts


def _board_aggregates(filters: Filters) -> dict:
    submitted = Q(submitted_at__gte=filters.start, submitted_at__lt=filters.end)
    issued = Q(issued_at__gte=filters.start, issued_at__lt=filters.end)
    closed = Q(closed_at__gte=filters.start, closed_at__lt=filters.end)
    rated = Q(rated_at__gte=filters.start, rated_at__lt=filters.end, skm_total__isnull=False)
    return {
        "submitted": Count("pk", filter=submitted),
        "issued": Count("pk", filter=issued),
        # Today's state, whatever the period: what is open now, and what of it is late.
        "in_progress": Count("pk", filter=Q(closed_at=None)),
        "overdue": Count("pk", filter=overdue_q(filters.today)),
        "decided": Count("pk", filter=closed & Q(on_time__isnull=False)),
        "on_time": Count("pk", filter=closed & Q(on_time=True)),
        "median_days": Median("working_days_taken", filter=issued),
        "p90_days": P90("working_days_taken", filter=issued),
        "completion_requested": Count("pk", filter=submitted & Q(completion_requested=True)),
        "skm_respondents": Count("pk", filter=rated),
        "skm_avg_total": Avg("skm_total", filter=rated),
    }


def _board_finish(row: dict) -> dict:
    row["compliance"] = round(100 * row["on_time"] / row["decided"], 1) if row["decided"] else None
    row["completion_rate"] = (
        round(100 * row["completion_requested"] / row["submitted"], 1) if row["submitted"] else None
    )
    average = row.get("skm_avg_total")
    ikm = ikm_from_average_total(average) if average is not None else None
    row["skm"] = float(round(ikm, 2)) if ikm is not None else None
    row["skm_grade"] = mutu(ikm) if ikm is not None else ""
    return row


def _empty(filters: Filters) -> dict:
    return dict.fromkeys(_board_aggregates(filters), 0) | {
        "median_days": None,
        "p90_days": None,
        "skm_avg_total": None,
    }


def board_by_kecamatan(filters: Filters) -> list[dict]:
    """One row per kecamatan (active, or with facts; only the chosen one if any), 2 queries."""
    figures = {
        row["kecamatan_id"]: row
        for row in board_facts(filters).values("kecamatan_id").annotate(**_board_aggregates(filters)).order_by()
    }
    kecamatan_list = Kecamatan.objects.filter(Q(status=Kecamatan.Status.ACTIVE) | Q(pk__in=list(figures)))
    if filters.kecamatan_id:
        kecamatan_list = kecamatan_list.filter(pk=filters.kecamatan_id)
    empty = _empty(filters)
    return [
        _board_finish({**empty, **figures.get(k.pk, {}), "kecamatan_id": k.pk, "kecamatan_name": k.name})
        for k in kecamatan_list.only("pk", "name").order_by("name")
    ]


def service_names(filters: Filters | None = None) -> dict[str, str]:
    """{catalog code: name} of the services that have facts (the name of the latest fact)."""
    facts = ApplicationFact.objects.all()
    if filters is not None and filters.kecamatan_id:
        facts = facts.filter(kecamatan_id=filters.kecamatan_id)
    return dict(
        facts.order_by("service_code", "-updated_at")
        .distinct("service_code")
        .values_list("service_code", "service_name")
    )


def board_by_service(filters: Filters) -> list[dict]:
    """One row per catalog service with any figure in the range or open today, busiest first (2 queries)."""
    rows = (
        board_facts(filters)
        .values("service_code")
        .annotate(**_board_aggregates(filters))
        .filter(Q(submitted__gt=0) | Q(issued__gt=0) | Q(in_progress__gt=0) | Q(decided__gt=0))
        .order_by("-submitted", "service_code")
    )
    names = service_names(filters)
    return [_board_finish({**row, "service_name": names.get(row["service_code"], row["service_code"])}) for row in rows]


def board_totals(filters: Filters) -> dict:
    """The same figures over everything the filters select (1 query)."""
    return _board_finish(board_facts(filters).aggregate(**_board_aggregates(filters)))


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
    """Per month of the trend: submitted, issued, median lead time, SLA compliance (3 queries)."""
    months = _months(filters)
    since = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))
    facts = board_facts(filters)
    rows = {
        month: {"month": month, "submitted": 0, "issued": 0, "median_days": None, "decided": 0, "on_time": 0}
        for month in months
    }

    def per_month(field: str, **aggregates):
        return (
            facts.filter(**{f"{field}__gte": since, f"{field}__lt": filters.end})
            .annotate(m=TruncMonth(field))
            .values("m")
            .annotate(**aggregates)
            .order_by()
        )

    for row in per_month("submitted_at", submitted=Count("pk")):
        rows[timezone.localtime(row["m"]).date()]["submitted"] = row["submitted"]
    for row in per_month("issued_at", issued=Count("pk"), median_days=Median("working_days_taken")):
        rows[timezone.localtime(row["m"]).date()].update(issued=row["issued"], median_days=row["median_days"])
    decided = per_month(
        "closed_at", decided=Count("pk", filter=Q(on_time__isnull=False)), on_time=Count("pk", filter=Q(on_time=True))
    )
    for row in decided:
        rows[timezone.localtime(row["m"]).date()].update(decided=row["decided"], on_time=row["on_time"])
    result = []
    for month in months:
        row = rows[month]
        row["compliance"] = round(100 * row["on_time"] / row["decided"], 1) if row["decided"] else None
        result.append(row)
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
    return board_facts(filters).filter(overdue_q(filters.today)).count()


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
