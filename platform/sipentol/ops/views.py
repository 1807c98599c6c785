"""Diskominfo's ops console on BASE_DOMAIN/ops/: tenants, their status and platform health."""

from __future__ import annotations

from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.paginator import Paginator
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
from sipentol.notifications.services import outbox_retry
from tenants.crossing import in_schema
from tenants.golive import GoLiveIncomplete
from tenants.models import Kecamatan, OpsEvent
from tenants.services import kecamatan_set_status, ops_event_record

from .selectors import (
    SORTS,
    console_row,
    console_rows,
    kecamatan_months,
    recent_errors,
    undelivered_message_get,
    undelivered_messages,
)


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


AUDIT_PAGE_SIZE = 25

SORT_CHOICES = [
    ("name", gettext_lazy("Nama")),
    ("code", gettext_lazy("Kode")),
    ("status", gettext_lazy("Status")),
    ("activity", gettext_lazy("Aktivitas terakhir")),
    ("month", gettext_lazy("Permohonan bulan ini")),
    ("backlog", gettext_lazy("Antrean")),
    ("overdue", gettext_lazy("Terlambat")),
    ("storage", gettext_lazy("Penyimpanan")),
    ("quota", gettext_lazy("Pemakaian kuota")),
    ("undelivered", gettext_lazy("Pesan gagal")),
]
assert {key for key, _label in SORT_CHOICES} == set(SORTS)


@ops_required
def console(request):
    """Every kecamatan with its figures (public tables only: see selectors.console_rows)."""
    ok, checks = run_checks()
    status = request.GET.get("status", "")
    if status not in Kecamatan.Status.values:
        status = ""
    sort = request.GET.get("urut", "name")
    if sort not in SORTS:
        sort = "name"
    return render(
        request,
        "ops/console.html",
        {
            "rows": console_rows(status=status, sort=sort),
            "status": status,
            "sort": sort,
            "sort_choices": SORT_CHOICES,
            "health_ok": ok,
            "checks": checks,
            "heartbeat": caches["routing"].get("worker-heartbeat"),
            "events": OpsEvent.objects.select_related("kecamatan")[:20],
            "statuses": Kecamatan.Status.choices,
            "warning_percent": WARNING_PERCENT,
        },
    )


@ops_required
def kecamatan_detail(request, slug: str):
    """One kecamatan: its figures now and by month, recorded errors, undelivered messages (read
    in its schema), its audit trail and the status form."""
    kecamatan = get_object_or_404(Kecamatan, slug=slug)
    messages_shown, messages_total = undelivered_messages(kecamatan)
    audit = Paginator(OpsEvent.objects.filter(kecamatan=kecamatan), AUDIT_PAGE_SIZE)
    audit_page = audit.get_page(request.GET.get("halaman"))
    return render(
        request,
        "ops/kecamatan.html",
        {
            "row": console_row(kecamatan),
            "k": kecamatan,
            "months": kecamatan_months(kecamatan),
            "errors": recent_errors(kecamatan),
            "undelivered": messages_shown,
            "undelivered_total": messages_total,
            "audit": audit_page,
            "statuses": Kecamatan.Status.choices,
            "warning_percent": WARNING_PERCENT,
            "can_change_status": regency_can(request.user, RegencyCapability.CHANGE_KECAMATAN_STATUS),
            "can_retry": regency_can(request.user, RegencyCapability.RETRY_MESSAGES),
        },
    )


@ops_capability_required(RegencyCapability.CHANGE_KECAMATAN_STATUS)
@require_POST
def set_status(request, slug: str):
    """Activate, suspend or resume; the console asks a reason for every change (the audit trail
    says why; a suspension's reason is also the service's own rule)."""
    kecamatan = get_object_or_404(Kecamatan, slug=slug)
    status = request.POST.get("status", "")
    reason = request.POST.get("reason", "").strip()
    if status not in Kecamatan.Status.values:
        messages.error(request, _("Status tidak diubah: pilih status yang benar."))
    elif not reason:
        messages.error(
            request,
            _("Status tidak diubah: tulis alasan perubahan status (wajib, tercatat di riwayat tindakan)."),
        )
    elif status == kecamatan.status:
        unchanged = _("Status tidak diubah: Kecamatan %(name)s sudah berstatus itu.")
        messages.info(request, unchanged % {"name": kecamatan.name})
    else:
        try:
            kecamatan_set_status(
                kecamatan=kecamatan,
                status=status,
                reason=reason,
                actor=request.user.get_username(),
                ip_address=get_client_ip_address(request),
            )
        except GoLiveIncomplete as refusal:
            messages.error(
                request,
                _("Kecamatan %(name)s belum dapat diaktifkan. Butir daftar periksa yang belum selesai: %(items)s.")
                % {"name": kecamatan.name, "items": "; ".join(str(s.check.label) for s in refusal.missing)},
            )
            return redirect("ops:golive", slug=kecamatan.slug)
        messages.success(request, _("Status Kecamatan %(name)s diperbarui.") % {"name": kecamatan.name})
    return redirect("ops:kecamatan", slug=kecamatan.slug)


@ops_capability_required(RegencyCapability.RETRY_MESSAGES)
@require_POST
def retry_message(request, slug: str, message_id: int):
    """Send an undelivered message again now (notifications.services.outbox_retry, in the
    kecamatan's schema); audited with the message's id, never its content or recipient."""
    kecamatan = get_object_or_404(Kecamatan, slug=slug)
    message = undelivered_message_get(kecamatan, message_id)
    if message is None:
        messages.error(request, _("Pesan itu tidak ada atau sudah tidak gagal lagi; tidak ada yang dikirim ulang."))
        return redirect("ops:kecamatan", slug=kecamatan.slug)
    with in_schema(kecamatan.schema_name):
        outbox_retry(message=message)
    ops_audit(
        request,
        "retry_message",
        kecamatan=kecamatan,
        target=f"message:{message.pk}",
        details={"channel": message.channel, "template": message.template, "attempts": message.attempts},
    )
    messages.success(request, _("Pesan %(id)s diantrekan untuk dikirim ulang.") % {"id": message.pk})
    return redirect("ops:kecamatan", slug=kecamatan.slug)


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
