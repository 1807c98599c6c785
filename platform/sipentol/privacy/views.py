"""Citizen pages for their personal data: a copy of it (tracking code + one-time code, then the
secret link), correction and deletion requests, and the panel on the tracking pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sipentol.applications import selectors as application_selectors
from sipentol.applications.models import Application

from . import selectors, services
from .forms import CodeForm, PrivacyRequestForm, TrackingCodeForm


def citizen_panel(request, application: Application, *, granted: bool) -> str:
    """On the tracking and status pages: the requests' status; with access, their text and the links."""
    return render_to_string(
        "privacy/_panel.html",
        {
            "application": application,
            "privacy_requests": list(selectors.requests_of(application)),
            "granted": granted,
            "export_ready": granted
            and services.export_ready(application)
            and application_selectors.citizen_holds_secret_link(request, application),
        },
        request=request,
    )


def _render_start(request, form, *, status: int = 200):
    return render(request, "privacy/export_start.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def export_start(request):
    """Step 1: the tracking code; a one-time code goes to the phone/e-mail on file."""
    if request.method == "GET":
        return _render_start(request, TrackingCodeForm(initial={"kode": request.GET.get("kode", "")[:20]}))
    form = TrackingCodeForm(request.POST)
    if not form.is_valid():
        return _render_start(request, form, status=400)
    application = application_selectors.application_by_tracking_code(form.cleaned_data["kode"])
    if application is None:
        form.add_error(
            "kode",
            _("Kode lacak tidak ditemukan di kecamatan ini. Periksa penulisannya, atau buka laman kecamatan Anda."),
        )
        return _render_start(request, form, status=404)
    sent = services.export_code_send(application=application)
    if sent is None:
        messages.error(request, _("Kode sudah diminta beberapa kali dalam satu jam terakhir. Coba lagi nanti."))
    elif not sent:
        messages.error(request, _("Permohonan ini tidak mencantumkan nomor HP atau e-mail. Hubungi kantor kecamatan."))
        return _render_start(request, form, status=400)
    else:
        messages.success(request, _("Kode sekali pakai sudah dikirim ke nomor HP/e-mail yang terdaftar."))
    return redirect("privacy:export-code", code=application.tracking_code)


@require_http_methods(["GET", "POST"])
def export_code(request, code: str):
    """Step 2: the one-time code. Right: the copy waits behind the secret link for 30 minutes."""
    application = application_selectors.application_by_tracking_code(code)
    if application is None:
        raise Http404
    context = {"application": application, "minutes": services.EXPORT_READY_SECONDS // 60}
    if request.method == "GET":
        return render(request, "privacy/export_code.html", {**context, "form": CodeForm()})
    form = CodeForm(request.POST)
    if not form.is_valid() or not services.export_code_check(application=application, code=form.cleaned_data["code"]):
        error = _("Kode salah atau kedaluwarsa, jadi salinan data tidak dibuat. Periksa kodenya atau minta kode baru.")
        context = {**context, "form": CodeForm(), "error": error}
        return render(request, "privacy/export_code.html", context, status=400)
    if application_selectors.citizen_holds_secret_link(request, application):
        return redirect("privacy:export-download", public_id=application.public_id)
    return render(request, "privacy/export_open_link.html", context)


def export_download(request, public_id):
    """Step 3: the ZIP, only to a session that came through the secret link after the code."""
    application = Application.objects.select_related("service").filter(public_id=public_id).first()
    if application is None or not application_selectors.citizen_holds_secret_link(request, application):
        raise Http404
    if not services.export_ready(application):
        messages.error(request, _("Minta kode sekali pakai dulu untuk mengunduh salinan data Anda."))
        return redirect(f"/privasi/ekspor/?kode={application.tracking_code}")
    response = FileResponse(
        services.export_build(application=application),
        as_attachment=True,
        filename=f"data-{application.tracking_code}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def request_create(request, public_id):
    """A correction or deletion request, for the citizen who holds the link or passed a code."""
    application = application_selectors.application_get_for_citizen(request, public_id)
    form = PrivacyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.privacy_request_create(application=application, **form.cleaned_data)
        except services.RequestRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Permintaan %(ref)s terkirim ke admin kecamatan. Statusnya tampil di halaman lacak permohonan ini.")
                % {"ref": made.reference},
            )
            return redirect("applications:receipt", public_id=application.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/request_form.html", {"application": application, "form": form}, status=status)
