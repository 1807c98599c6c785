"""Diskominfo's read-only view of a kecamatan's go-live checklist, and its planned opening date."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tenants.golive import checklist
from tenants.models import Kecamatan
from tenants.selectors import kecamatan_url
from tenants.services import kecamatan_set_opening

from .views import ops_required


@ops_required
@never_cache
@require_GET
def golive(request, slug: str):
    kecamatan = get_object_or_404(Kecamatan, slug=slug)
    states = checklist(kecamatan)
    rows = [
        {"state": s, "fix_url": kecamatan_url(kecamatan, reverse(s.check.fix_url_name, urlconf=settings.ROOT_URLCONF))}
        for s in states
    ]
    return render(
        request,
        "ops/golive.html",
        {"kecamatan": kecamatan, "rows": rows, "complete": all(s.done for s in states)},
    )


@ops_required
@require_POST
def set_opening(request, slug: str):
    kecamatan = get_object_or_404(Kecamatan, slug=slug)
    raw = request.POST.get("opens_on", "").strip()
    try:
        opens_on = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        messages.error(request, _("Tanggal tidak dikenali. Tulis sebagai TTTT-BB-HH, misalnya 2026-08-17."))
    else:
        kecamatan_set_opening(kecamatan=kecamatan, opens_on=opens_on, actor=request.user.get_username())
        messages.success(request, _("Rencana tanggal buka layanan disimpan."))
    return redirect("ops:golive", slug=kecamatan.slug)
