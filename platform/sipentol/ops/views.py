"""Diskominfo's ops console on BASE_DOMAIN/ops/: tenants, their status and platform health."""

from __future__ import annotations

from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from billing_and_quota.selectors import WARNING_PERCENT
from sipentol.accounts.models import SignInEvent
from sipentol.accounts.permissions import RegencyCapability, regency_can
from sipentol.accounts.services import sign_in_event_record, two_factor_reset
from sipentol.accounts.signin import Site, recent_password_required, second_factor_required
from sipentol.health import run_checks
from tenants.golive import GoLiveIncomplete
from tenants.models import Kecamatan, OpsEvent
from tenants.selectors import kecamatan_host, kecamatan_list
from tenants.services import kecamatan_set_status, ops_event_record

from .selectors import usage_by_kecamatan


def is_operator(user) -> bool:
    """A Diskominfo account (admin, operator, help desk) of the public schema: reads the console."""
    return regency_can(user, RegencyCapability.VIEW_CONSOLE)


def _forbidden(request):
    return render(request, "ops/forbidden.html", status=403)


# Password and second factor (accounts/signin.py) for every page of the console.
OPS = Site(name="ops", prefix="/ops/", heading=gettext_lazy("Masuk konsol operasi Diskominfo"), may_enter=is_operator)
ops_required = second_factor_required(OPS, forbidden=_forbidden)


def ops_audit(request, action: str, **fields):
    """Record what the signed-in Diskominfo account just did (tenants.OpsEvent), with its address."""
    return ops_event_record(
        actor=request.user.get_username(), action=action, ip_address=get_client_ip_address(request), **fields
    )


def ops_capability_required(capability: RegencyCapability):
    """Signed in to the console (password + second factor) and the role holds `capability`
    (accounts/permissions.REGENCY_PERMISSIONS); otherwise the 403 page naming whom to ask."""

    def decorator(view):
        @ops_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not regency_can(request.user, capability):
                return _forbidden(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@ops_required
def console(request):
    ok, checks = run_checks()
    kecamatan = list(kecamatan_list())
    usage = usage_by_kecamatan(kecamatan)  # this month, from the regency facts
    rows = [{"k": k, "host": kecamatan_host(k), "usage": usage[k.pk]} for k in kecamatan]
    return render(
        request,
        "ops/console.html",
        {
            "rows": rows,
            "health_ok": ok,
            "checks": checks,
            "heartbeat": caches["routing"].get("worker-heartbeat"),
            "events": OpsEvent.objects.select_related("kecamatan")[:20],
            "statuses": Kecamatan.Status.choices,
            "warning_percent": WARNING_PERCENT,
        },
    )


@ops_capability_required(RegencyCapability.CHANGE_KECAMATAN_STATUS)
@require_POST
def set_status(request, slug: str):
    kecamatan = get_object_or_404(Kecamatan, slug=slug)
    try:
        kecamatan_set_status(
            kecamatan=kecamatan,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
            actor=request.user.get_username(),
        )
    except GoLiveIncomplete as refusal:
        messages.error(
            request,
            _("Kecamatan %(name)s belum dapat diaktifkan. Butir daftar periksa yang belum selesai: %(items)s.")
            % {"name": kecamatan.name, "items": "; ".join(str(s.check.label) for s in refusal.missing)},
        )
        return redirect("ops:golive", slug=kecamatan.slug)
    except ValueError:
        messages.error(
            request,
            _("Status tidak diubah: pilih status yang benar, dan tulis alasan untuk penghentian sementara."),
        )
    else:
        messages.success(request, _("Status Kecamatan %(name)s diperbarui.") % {"name": kecamatan.name})
    return redirect("ops:console")


@ops_capability_required(RegencyCapability.MANAGE_REGENCY_USERS)
@recent_password_required(OPS)
@sensitive_variables("code")
@never_cache
@require_POST
def enrolment_code(request):
    """A new one-time enrolment code for a Diskominfo or regency account (public schema): a new
    account's first authenticator, or a lost phone (its authenticator and backup codes stop)."""
    username = request.POST.get("username", "").strip()
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None or user.pk == request.user.pk:
        messages.error(
            request,
            _("Tidak ada akun aktif Diskominfo atau pimpinan dengan nama pengguna itu (akun Anda sendiri juga tidak)."),
        )
        return redirect("ops:console")
    code = two_factor_reset(user=user)
    sign_in_event_record(
        site=OPS.name,
        action=SignInEvent.Action.TWO_FACTOR_RESET,
        username=username,
        user=user,
        details={"by": request.user.get_username()},
    )
    ops_audit(request, "enrolment_code", target=f"user:{user.get_username()}")
    response = render(
        request,
        "ops/enrolment_code.html",
        {"member": user, "enrolment_code": code, "enrolment_code_hours": settings.ENROLMENT_CODE_HOURS},
    )
    response["Cache-Control"] = "no-store"
    return response
