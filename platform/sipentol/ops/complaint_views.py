"""Diskominfo's complaint deadlines page in the ops console: the SP4N-LAPOR! working days by which
every kecamatan verifies/forwards, follows up and resolves a complaint (lib/complaint_clock.py)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sipentol.accounts.permissions import RegencyCapability, regency_can
from sipentol.lib import complaint_clock
from sipentol.regency.selectors import complaint_thresholds
from sipentol.regency.services import complaint_deadlines_set

from .views import ops_audit, ops_capability_required, ops_required


@ops_required
@require_GET
def complaint_deadlines(request):
    return render(
        request,
        "ops/complaint_deadlines.html",
        {
            "limits": complaint_thresholds(),
            "default": complaint_clock.DEFAULT,
            "can_edit": regency_can(request.user, RegencyCapability.CONFIGURE_COMPLAINT_DEADLINES),
        },
    )


@ops_capability_required(RegencyCapability.CONFIGURE_COMPLAINT_DEADLINES)
@require_POST
def complaint_deadlines_save(request):
    try:
        numbers = {name: int(request.POST.get(name, "")) for name in ("verify", "follow_up", "resolve")}
        before = complaint_thresholds()
        complaint_deadlines_set(**numbers, actor=request.user.get_username())
    except ValueError:
        messages.error(
            request,
            _(
                "Tenggat tidak diubah: isi bilangan bulat dengan verifikasi ≤ tindak lanjut ≤ penyelesaian, "
                "antara 1 dan 60 hari kerja."
            ),
        )
    else:
        ops_audit(
            request,
            "complaint_deadlines_set",
            target="complaint-deadlines",
            details={"before": [before.verify, before.follow_up, before.resolve], "after": list(numbers.values())},
        )
        messages.success(request, _("Tenggat pengaduan diperbarui untuk semua kecamatan."))
    return redirect("ops:complaint-deadlines")
