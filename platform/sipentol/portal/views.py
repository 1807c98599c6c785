"""Citizen pages of a kecamatan's site: home with search, services, contact, FAQ.

Everything works without JavaScript (search is a GET form) and on a 360 px phone.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from services_catalog.configured.models import KecamatanService
from services_catalog.configured.selectors import service_get, service_list
from services_catalog.selectors import faq_list
from sipentol.lib.pagecache import public_page
from sipentol.privacy.forms import TrackingCodeForm
from sipentol.privacy.policy import retention_table
from sipentol.regency.selectors import Period, public_statistics
from tenants.models import Desa

from . import outreach
from .outreach import guide_steps
from .selectors import apply_url, services_most_used, whatsapp_url

MAX_QUERY = 100


def _query(request) -> str:
    return (request.GET.get("q") or "").strip()[:MAX_QUERY]


@require_GET
@public_page
def home(request):
    """A kecamatan's front page: search and every service it offers online."""
    desa = Desa.objects.filter(kecamatan_id=request.tenant.pk).order_by("name")
    return render(request, "portal/home.html", {"services": service_list(), "q": "", "desa_list": desa})


@require_GET
@public_page
def service_index(request):
    q = _query(request)
    services = list(service_list(query=q))
    return render(request, "portal/service_list.html", {"services": services, "q": q})


@require_GET
@public_page
def service_detail(request, slug: str):
    try:
        service = service_get(slug=slug)
    except KecamatanService.DoesNotExist:
        return render(request, "portal/service_not_found.html", {"services": service_list(), "slug": slug}, status=404)
    context = {
        "service": service,
        "requirements": list(service.requirements.all()),
        "guide": guide_steps(service),
        "apply_url": apply_url(service.slug),
    }
    return render(request, "portal/service_detail.html", context)


@require_GET
def contact(request):
    kecamatan = request.tenant
    context = {
        "whatsapp_url": whatsapp_url(kecamatan.whatsapp),
        "desa_list": Desa.objects.filter(kecamatan_id=kecamatan.pk).order_by("name"),
    }
    return render(request, "portal/contact.html", context)


@require_GET
def faq(request):
    return render(request, "portal/faq.html", {"faqs": faq_list()})


@require_GET
def privacy(request):
    """What this kecamatan collects, why, for how long (the policy in force), who sees it, how to ask."""
    kecamatan = request.tenant
    context = {
        "retention": retention_table(),
        "whatsapp_url": whatsapp_url(kecamatan.whatsapp),
        "form": TrackingCodeForm(),
    }
    return render(request, "portal/privacy.html", context)


@require_GET
def statistics(request):
    """This kecamatan's public statistics this month (the regency's fact table, cached)."""
    period = Period.parse(None)
    context = {"period": period, "statistics": public_statistics(period, kecamatan=request.tenant)}
    return render(request, "portal/statistics.html", context)


# ------------------------------------------------------------------ guides and outreach
def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def guide(request):
    """The citizen guide of this kecamatan: how applying works, then each of its services' own steps."""
    services = [(s, guide_steps(s)) for s in service_list().prefetch_related("requirements")]
    context = {"services": services, "most_used": services_most_used(limit=3)}
    return render(request, "portal/guide.html", context)


@require_GET
def poster(request):
    """The A4 poster to print and put up (kantor kecamatan, balai desa)."""
    return _pdf(outreach.poster_pdf(request.tenant), f"poster-sipentol-{request.tenant.slug}.pdf")


@require_GET
def leaflet(request, slug: str):
    """One printable page for one service, to hand out at desa offices."""
    try:
        service = service_get(slug=slug)
    except KecamatanService.DoesNotExist:
        return render(request, "portal/service_not_found.html", {"services": service_list(), "slug": slug}, status=404)
    return _pdf(outreach.leaflet_pdf(request.tenant, service), f"leaflet-{request.tenant.slug}-{slug}.pdf")
