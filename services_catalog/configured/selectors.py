"""Reads of this kecamatan's service list (the current tenant's schema)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from .models import KecamatanService, ServiceRequirement


def service_list(*, enabled_only: bool = True, query: str = "") -> QuerySet[KecamatanService]:
    """Services in display order; `query` keeps those matching every word (name, summary, aliases)."""
    qs = KecamatanService.objects.all()
    if enabled_only:
        qs = qs.filter(enabled=True)
    for word in query.split()[:8]:
        qs = qs.filter(Q(name__icontains=word) | Q(summary__icontains=word) | Q(aliases__icontains=word))
    return qs.order_by("order", "name")


def service_get(*, slug: str, enabled_only: bool = True) -> KecamatanService:
    """One service with its requirements; raises KecamatanService.DoesNotExist (a 404 for views)."""
    qs = KecamatanService.objects.prefetch_related(
        Prefetch("requirements", queryset=ServiceRequirement.objects.order_by("order", "pk"))
    )
    if enabled_only:
        qs = qs.filter(enabled=True)
    return qs.get(slug=slug)
