"""Regency templates in Diskominfo's console (/ops/templat/): which kecamatan may publish,
every published version, the difference between two versions, where each version was applied."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from services_catalog import blueprints
from services_catalog.blueprint_forms import diff_context
from services_catalog.models import TemplateApplication, TemplateSource
from tenants.models import Kecamatan

from .views import ops_required


@ops_required
@require_GET
def templates(request):
    marked = set(TemplateSource.objects.filter(enabled=True).values_list("kecamatan_code", flat=True))
    return render(
        request,
        "ops/templates.html",
        {
            "versions": blueprints.template_versions_listed(),
            "kecamatan": [{"k": k, "model": k.code in marked} for k in Kecamatan.objects.order_by("name")],
            "applications": TemplateApplication.objects.select_related("kecamatan", "version__template")[:50],
        },
    )


@ops_required
@require_GET
def template_diff(request):
    return render(request, "ops/template_diff.html", diff_context(request.GET))


@ops_required
@require_POST
def template_source(request, slug: str):
    kecamatan = get_object_or_404(Kecamatan, slug=slug)
    enabled = request.POST.get("enabled") == "1"
    blueprints.template_source_set(kecamatan_code=kecamatan.code, enabled=enabled, actor=request.user.get_username())
    if enabled:
        messages.success(request, _("Kecamatan %(name)s sekarang kecamatan model.") % {"name": kecamatan.name})
    else:
        messages.success(request, _("Kecamatan %(name)s bukan lagi kecamatan model.") % {"name": kecamatan.name})
    return redirect("ops:templates")
