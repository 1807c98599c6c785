"""Reads on privacy requests and the purge record."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import PrivacyRequest
from .retention.models import PurgeRecord


def requests_of(application) -> QuerySet[PrivacyRequest]:
    return PrivacyRequest.objects.filter(application=application)


def staff_requests(*, status: str = "") -> QuerySet[PrivacyRequest]:
    """The kecamatan's requests for its admin: open ones first, oldest first."""
    qs = PrivacyRequest.objects.select_related("application", "application__service", "handled_by")
    if status:
        return qs.filter(status=status).order_by("created_at", "pk")
    return qs.order_by("status", "created_at", "pk")


def staff_request_get(pk: int) -> PrivacyRequest:
    request = PrivacyRequest.objects.select_related("application").filter(pk=pk).first()
    if request is None:
        raise Http404
    return request


def purge_records(limit: int = 30) -> QuerySet[PurgeRecord]:
    return PurgeRecord.objects.select_related("kecamatan")[:limit]
