"""Reads of the feedback app: the SKM index (PermenPAN-RB 14/2017) and complaint lists."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sipentol.applications.models import Event, Status
from sipentol.lib import complaint_clock
from sipentol.lib.ikm import ikm_exact_from_nrr, sample_size

from .models import AgeBand, Complaint, Education, Occupation, Sex, SkmFollowUp, SurveyResponse
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


# A profile category with fewer respondents than this is shown as "<3": with a service and a
# month chosen, a cell of 1 or 2 could point at a person the staff remember.
PROFILE_MIN_CELL = 3


@dataclass(frozen=True)
class ProfileRow:
    label: str
    count: int | None  # None: suppressed (fewer than PROFILE_MIN_CELL)


@dataclass(frozen=True)
class ProfileGroup:
    title: str
    rows: list[ProfileRow]


def skm_profile(*, since=None, until=None, service=None) -> list[ProfileGroup]:
    """The respondents' profile (sex, age band, education, occupation) as counts per category,
    with categories of fewer than PROFILE_MIN_CELL respondents suppressed ("<3"), so that nobody
    can be picked out; "not given" is a category too. One query per question."""
    qs = _responses(since=since, until=until, service=service)
    groups = []
    for field_name, choices in (
        ("sex", Sex),
        ("age_band", AgeBand),
        ("education", Education),
        ("occupation", Occupation),
    ):
        counts = dict(qs.values_list(field_name).annotate(n=Count("pk")).order_by())
        labels = [(value, str(label)) for value, label in choices.choices] + [("", str(_("Tidak diisi")))]
        rows = []
        for value, label in labels:
            n = counts.get(value, 0)
            if n:
                rows.append(ProfileRow(label, n if n >= PROFILE_MIN_CELL else None))
        groups.append(ProfileGroup(str(SurveyResponse._meta.get_field(field_name).verbose_name), rows))
    return groups


def follow_ups(*, status: str = "") -> QuerySet[SkmFollowUp]:
    """SKM follow-ups, oldest first, with the response's service (no applicant data)."""
    qs = SkmFollowUp.objects.select_related("response__service", "updated_by")
    return qs.filter(status=status) if status else qs


def follow_ups_open() -> QuerySet[SkmFollowUp]:
    return follow_ups().exclude(status=SkmFollowUp.Status.DONE)


def follow_ups_counts(*, since=None, until=None, service=None) -> dict[str, int]:
    """Follow-ups opened by the period's responses: how many, done, not done yet."""
    qs = SkmFollowUp.objects.filter(response__in=_responses(since=since, until=until, service=service))
    counts = qs.aggregate(opened=Count("pk"), done=Count("pk", filter=Q(status=SkmFollowUp.Status.DONE)))
    return {**counts, "pending": counts["opened"] - counts["done"]}


def follow_up_get(pk: int) -> SkmFollowUp:
    return SkmFollowUp.objects.get(pk=pk)


@dataclass(frozen=True)
class ComplaintOnClock:
    complaint: Complaint
    judgement: complaint_clock.Judgement


def complaints_on_clock(*, today, due_or_overdue_only: bool = False) -> list[ComplaintOnClock]:
    """Open complaints with where each stands on the SP4N-LAPOR! clock (lib/complaint_clock.py),
    most late first; one query, one read of the deadlines."""
    limits = complaint_clock.thresholds()
    rows = []
    for complaint in Complaint.objects.exclude(status=Complaint.Status.DONE).order_by("received_on", "pk"):
        verdict = complaint_clock.judge(
            received_on=complaint.received_on, stage=complaint.stage, today=today, limits=limits
        )
        if due_or_overdue_only and not (verdict.due or verdict.overdue):
            continue
        rows.append(ComplaintOnClock(complaint, verdict))
    rows.sort(key=lambda r: (not r.judgement.overdue, -r.judgement.days_late, r.judgement.deadline))
    return rows


def lookup_hash(code: str) -> str:
    """How a complaint's lookup code is stored (only the hash; services make the code)."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def complaint_by_lookup(*, reference: str, code: str) -> Complaint | None:
    """The complaint whose reference AND secret code match (the complainant's lookup), else None."""
    reference = reference.strip().upper()
    if not reference or not code.strip():
        return None
    return Complaint.objects.filter(reference=reference, lookup_hash=lookup_hash(code)).exclude(lookup_hash="").first()


def complaint_clock_of(complaint: Complaint, *, today=None) -> complaint_clock.Judgement:
    return complaint_clock.judge(
        received_on=complaint.received_on, stage=complaint.stage, today=today or timezone.localdate()
    )


def complaint_answers(complaint: Complaint):
    """The staff's answers on a complaint, oldest first, without who wrote them (for the complainant)."""
    return complaint.events.exclude(response="").only("at", "to_status", "response")


def complaint_list(*, status: str = "") -> QuerySet[Complaint]:
    qs = Complaint.objects.select_related("application", "responded_by")
    return qs.filter(status=status) if status else qs


def complaint_get(pk: int) -> Complaint:
    return Complaint.objects.get(pk=pk)
