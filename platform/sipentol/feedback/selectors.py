"""Reads of the feedback app: the SKM index (PermenPAN-RB 14/2017) and complaint lists."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from sipentol.applications.models import Event, Status
from sipentol.lib.ikm import ikm_exact_from_nrr, sample_size

from .models import Complaint, SurveyResponse
from .skm import MUTU_LABELS, UNSUR, UNSUR_FIELDS, WEIGHT, Unsur, ikm_from_nrr, mutu, nrr


@dataclass(frozen=True)
class UnsurScore:
    unsur: Unsur
    nrr: Decimal
    weighted: Decimal


@dataclass(frozen=True)
class SkmSummary:
    respondents: int
    unsur: list[UnsurScore] = field(default_factory=list)
    ikm_unit: Decimal | None = None  # 1-4 scale
    ikm: Decimal | None = None  # 25-100 scale, 2 decimals
    ikm_exact: Decimal | None = None  # the same with the exact weight 1/9 instead of 0.111
    mutu: str = ""
    mutu_label: str = ""
    by_service: list[tuple[str, int]] = field(default_factory=list)
    population: int | None = None  # applications issued in the period (None: not counted)
    sample_required: int | None = None  # Krejcie-Morgan sample size for the population

    @property
    def sample_reached(self) -> bool:
        """At least one respondent and at least the required sample."""
        return self.sample_required is not None and self.respondents > 0 and self.respondents >= self.sample_required


def issued_count(*, since: datetime | None = None, until: datetime | None = None, service=None) -> int:
    """The SKM's population of a period: applications (not trial runs) issued in [since, until)."""
    qs = Event.objects.filter(kind=Event.Kind.TRANSITION, to_status=Status.ISSUED, application__is_trial=False)
    if since is not None:
        qs = qs.filter(at__gte=since)
    if until is not None:
        qs = qs.filter(at__lt=until)
    if service is not None:
        qs = qs.filter(application__service=service)
    return qs.values("application_id").distinct().count()


def skm_sample(*, since: datetime | None = None, until: datetime | None = None, service=None) -> SkmSummary:
    """`skm_summary` with the period's population and the sample size it requires."""
    summary = skm_summary(since=since, until=until, service=service)
    population = issued_count(since=since, until=until, service=service)
    return replace(summary, population=population, sample_required=sample_size(population))


def _responses(*, since: datetime | None, until: datetime | None, service=None) -> QuerySet[SurveyResponse]:
    qs = SurveyResponse.objects.all()
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    if service is not None:
        qs = qs.filter(service=service)
    return qs


def skm_summary(*, since: datetime | None = None, until: datetime | None = None, service=None) -> SkmSummary:
    """The IKM of the responses in [since, until), optionally of one service: two queries."""
    qs = _responses(since=since, until=until, service=service)
    totals = qs.aggregate(n=Count("pk"), **{f: Sum(f) for f in UNSUR_FIELDS})
    n = totals["n"]
    if not n:
        return SkmSummary(respondents=0)
    nrrs = [nrr(totals[f], n) for f in UNSUR_FIELDS]
    unit, ikm = ikm_from_nrr(nrrs)
    grade = mutu(ikm)
    by_service = [
        (row["service__name"], row["n"])
        for row in qs.values("service__name").annotate(n=Count("pk")).order_by("-n", "service__name")
    ]
    return SkmSummary(
        respondents=n,
        unsur=[UnsurScore(u, value, value * WEIGHT) for u, value in zip(UNSUR, nrrs, strict=True)],
        ikm_unit=unit,
        ikm=ikm,
        ikm_exact=ikm_exact_from_nrr(nrrs),
        mutu=grade,
        mutu_label=str(MUTU_LABELS[grade]),
        by_service=by_service,
    )


def skm_last_twelve_months(*, now: datetime | None = None) -> tuple[datetime, datetime, SkmSummary]:
    """The public figure: the last 12 months up to now."""
    until = now or timezone.now()
    since = until - timedelta(days=365)
    return since, until, skm_summary(since=since, until=until)


def skm_latest_suggestions(*, since=None, until=None, service=None, limit: int = 20) -> QuerySet[SurveyResponse]:
    """The latest non-empty suggestions, with only the service (no applicant data)."""
    return (
        _responses(since=since, until=until, service=service)
        .exclude(suggestion="")
        .select_related("service")
        .only("suggestion", "created_at", "service__name")[:limit]
    )


def complaint_list(*, status: str = "") -> QuerySet[Complaint]:
    qs = Complaint.objects.select_related("application", "responded_by")
    return qs.filter(status=status) if status else qs


def complaint_get(pk: int) -> Complaint:
    return Complaint.objects.get(pk=pk)
