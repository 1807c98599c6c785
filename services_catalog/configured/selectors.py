"""Reads of this kecamatan's service list (the current tenant's schema)."""

from __future__ import annotations

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When

from .models import KecamatanService, ServiceRequirement


def service_list(*, enabled_only: bool = True, query: str = "") -> QuerySet[KecamatanService]:
    """Services in display order; `query` keeps those matching every word (name, summary, aliases)."""
    qs = KecamatanService.objects.all()
    if enabled_only:
        qs = qs.filter(enabled=True)
    words = query.split()[:8]
    if not words:
        return qs.order_by("order", "name")
    name_hits = Value(0)
    for word in words:
        qs = qs.filter(Q(name__icontains=word) | Q(summary__icontains=word) | Q(aliases__icontains=word))
        name_hits = name_hits + Case(When(name__icontains=word, then=1), default=0)
    # Services named after the words come first ("domisili" -> Surat Keterangan Domisili).
    return qs.annotate(name_hits=name_hits).order_by("-name_hits", "order", "name")


def service_get(*, slug: str, enabled_only: bool = True) -> KecamatanService:
    """One service with its requirements; raises KecamatanService.DoesNotExist (a 404 for views)."""
    qs = KecamatanService.objects.prefetch_related(
        Prefetch("requirements", queryset=ServiceRequirement.objects.order_by("order", "pk"))
    )
    if enabled_only:
        qs = qs.filter(enabled=True)
    return qs.get(slug=slug)


def service_list_for_admin() -> QuerySet[KecamatanService]:
    """Every service of this kecamatan (enabled or not) with how many applications it received."""
    from django.db.models import Count

    submitted = ~Q(applications__status="draft")  # a draft nobody sent is not an application yet
    return KecamatanService.objects.annotate(application_count=Count("applications", filter=submitted)).order_by(
        "order", "name"
    )


def service_history(*, service: KecamatanService):
    """Changes to one service, newest first."""
    return service.change_events.order_by("-at", "-pk")


def service_letter_classification(*, slug: str) -> str:
    """The classification code that starts the number of this service's letters (its configuration page's).

    The one source of the code: letters read it here when they are drafted and numbered.
    Raises KecamatanService.DoesNotExist.
    """
    return KecamatanService.objects.values_list("letter_classification", flat=True).get(slug=slug)


def service_letter_classifications() -> dict[str, str]:
    """{service slug: letter classification code} for every service of this kecamatan."""
    return dict(KecamatanService.objects.values_list("slug", "letter_classification"))
