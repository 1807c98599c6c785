"""Recomputing the dashboards' facts from the console: the page with the latest runs (it refreshes
itself while one is open) and the button that starts one (ops/facts_rebuild.py)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sipentol.accounts.permissions import RegencyCapability, regency_can

from .facts_rebuild import facts_rebuild_start
from .selectors import facts_rebuild_runs
from .views import ops_audit, ops_capability_required, ops_required


@ops_required
@never_cache
def facts_rebuild(request):
    runs = facts_rebuild_runs()
    return render(
        request,
        "ops/facts_rebuild.html",
        {
            "runs": runs,
            "running": any(run.is_open for run in runs),
            "may_rebuild": regency_can(request.user, RegencyCapability.REBUILD_FACTS),
        },
    )


@ops_capability_required(RegencyCapability.REBUILD_FACTS)
@require_POST
def facts_rebuild_start_view(request):
    run, created = facts_rebuild_start(actor=request.user.get_username())
    if created:
        ops_audit(request, "facts_rebuild", target=f"facts_rebuild:{run.pk}", details={"run": run.pk})
        messages.success(request, _("Penghitungan ulang fakta dasbor diantrekan."))
    else:
        messages.info(request, _("Penghitungan ulang sudah berjalan; tunggu sampai selesai."))
    return redirect("ops:facts-rebuild")
