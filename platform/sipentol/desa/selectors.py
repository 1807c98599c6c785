"""Reads of the desa's covering letters, each through a helper that applies the reader's rights:
a desa role sees only its own desa's requests, office staff every desa's of this kecamatan."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

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
