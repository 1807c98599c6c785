"""Diskominfo's retention page in the ops console: how long each type of record is kept, for
every kecamatan, and the anonymous record of what the purge deleted."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sipentol.accounts.permissions import RegencyCapability
from sipentol.privacy import policy
from sipentol.privacy.selectors import purge_records

from .views import ops_audit, ops_capability_required, ops_required


@ops_required
@require_GET
def retention(request):
    return render(
        request,
        "ops/privacy.html",
        {"rules": policy.retention_table(), "records": purge_records(), "min": policy.MIN_DAYS, "max": policy.MAX_DAYS},
    )


@ops_capability_required(RegencyCapability.CONFIGURE_RETENTION)
@require_POST
def retention_set(request):
    try:
        days = int(request.POST.get("days", ""))
        policy.retention_rule_set(
            record_type=request.POST.get("record_type", ""), days=days, actor=request.user.get_username()
        )
    except ValueError:
        messages.error(
            request,
            _("Masa simpan tidak diubah: isi jumlah hari antara %(min)s dan %(max)s.")
            % {"min": policy.MIN_DAYS, "max": policy.MAX_DAYS},
        )
    else:
        ops_audit(
            request, "retention_set", target=f"retention:{request.POST.get('record_type', '')}", details={"days": days}
        )
        messages.success(request, _("Masa simpan diperbarui; berlaku pada penghapusan berikutnya."))
    return redirect("ops:retention")
