"""Reads of the desa's covering letters, each through a helper that applies the reader's rights:
a desa role sees only its own desa's requests, office staff every desa's of this kecamatan."""

from __future__ import annotations

from statistics import median

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sipentol.accounts.permissions import Capability, can, staff_desa_code
from sipentol.applications.lifecycle import Status as ApplicationStatus
from tenants.models import Desa

from .models import OPEN_STATUSES, DesaApiToken, DesaProfile, PengantarRequest


def pengantar_requests_for(user) -> QuerySet[PengantarRequest]:
    qs = PengantarRequest.objects.all()
    if not can(user, Capability.VIEW_PENGANTAR):
        return qs.none()
    if can(user, Capability.SEE_ALL_APPLICATIONS):
        return qs
    desa = staff_desa_code(user)
    return qs.filter(desa_code=desa) if desa else qs.none()


def pengantar_queue(user, *, show: str = "open") -> QuerySet[PengantarRequest]:
    """Open requests (still awaited by their application) first by the desa's deadline; or the answered ones."""
    qs = pengantar_requests_for(user)
    if show == "done":
        return qs.exclude(status__in=OPEN_STATUSES).order_by("-responded_at", "-pk")
    return qs.filter(status__in=OPEN_STATUSES, application__status=ApplicationStatus.AWAITING_DESA).order_by(
        "due_date", "requested_at"
    )


def pengantar_get_for(user, pk: int) -> PengantarRequest:
    request = pengantar_requests_for(user).select_related("application").filter(pk=pk).first()
    if request is None:
        raise Http404
    return request


def pengantar_public(uuid) -> PengantarRequest | None:
    """A signed pengantar, for its public verification page (QR)."""
    return PengantarRequest.objects.filter(uuid=uuid, status=PengantarRequest.Status.SIGNED).first()


def pengantar_of_application(application) -> PengantarRequest | None:
    return PengantarRequest.objects.filter(application=application).order_by("-requested_at", "-pk").first()


def desa_profile_or_default(code: str) -> DesaProfile:
    """The desa's stored template, or an unsaved one with the defaults (a GET writes nothing)."""
    return DesaProfile.objects.filter(desa_code=code).first() or DesaProfile(desa_code=code)


def desa_choices(kecamatan) -> list[tuple[str, str]]:
    return [(d.code, str(d)) for d in Desa.objects.filter(kecamatan_id=kecamatan.pk).order_by("name")]


def desa_api_tokens() -> QuerySet[DesaApiToken]:
    return DesaApiToken.objects.select_related("created_by", "revoked_by").order_by("desa_code", "-created_at")


# ---------------------------------------------------------------------------- figures
def desa_response_times(*, kecamatan, start=None, end=None, today=None) -> list[dict]:
    """Per desa of this kecamatan: requests asked in [start, end), answered, signed, refused, still
    open, open past the desa's deadline, and the working days to answer (median, mean, max)."""
    today = today or timezone.localdate()
    qs = PengantarRequest.objects.all()
    if start is not None:
        qs = qs.filter(requested_at__gte=start)
    if end is not None:
        qs = qs.filter(requested_at__lt=end)
    names = dict(Desa.objects.filter(kecamatan_id=kecamatan.pk).values_list("code", "name"))
    rows: dict[str, dict] = {}
    live = Q(status__in=OPEN_STATUSES, application__status=ApplicationStatus.AWAITING_DESA)
    open_ids = set(qs.filter(live).values_list("pk", flat=True))
    for pk, code, status, taken, due in qs.values_list("pk", "desa_code", "status", "working_days_taken", "due_date"):
        row = rows.setdefault(
            code,
            {
                "desa_code": code,
                "desa": names.get(code, code),
                "asked": 0,
                "signed": 0,
                "refused": 0,
                "open": 0,
                "late": 0,
                "days": [],
            },
        )
        row["asked"] += 1
        if status == PengantarRequest.Status.SIGNED:
            row["signed"] += 1
        elif status == PengantarRequest.Status.REFUSED:
            row["refused"] += 1
        if taken is not None:
            row["days"].append(taken)
        if pk in open_ids:
            row["open"] += 1
            row["late"] += due < today
    result = []
    for row in sorted(rows.values(), key=lambda r: r["desa"]):
        days = row.pop("days")
        row["answered"] = len(days)
        row["median_days"] = median(days) if days else None
        row["mean_days"] = round(sum(days) / len(days), 1) if days else None
        row["max_days"] = max(days) if days else None
        result.append(row)
    return result
