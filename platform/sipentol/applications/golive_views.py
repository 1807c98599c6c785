"""The go-live checklist page of the back office (`/kantor/siap-layanan/`) and the purge of trial
applications. The items come from `tenants.golive` (each app registers its own)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sipentol.accounts.decorators import staff_required
from sipentol.accounts.permissions import Capability, can
from tenants.golive import checklist

from . import services
from .models import Application


@staff_required(capability=Capability.VIEW_GOLIVE_CHECKLIST)
@never_cache
@require_GET
def golive(request):
    states = checklist(request.tenant)
    rows = [{"state": s, "fix_url": reverse(s.check.fix_url_name)} for s in states]
    return render(
        request,
        "applications/staff/golive.html",
        {
            "rows": rows,
            "complete": all(s.done for s in states),
            "kecamatan": request.tenant,
            "trial_count": Application.objects.filter(is_trial=True).count(),
            "can_purge": can(request.user, Capability.PURGE_TRIALS),
        },
    )


@staff_required(capability=Capability.PURGE_TRIALS)
@require_POST
def golive_purge_trials(request):
    count = services.trial_applications_purge(actor=request.user)
    messages.success(
        request, _("%(count)d permohonan uji coba dihapus beserta berkas dan suratnya.") % {"count": count}
    )
    return redirect("staff:golive")
