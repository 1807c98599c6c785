"""Citizen pages: apply, receipt, track, complete. Work without JavaScript on a phone."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from services_catalog.configured.models import KecamatanService
from services_catalog.configured.selectors import service_get
from sipentol.lib import storage
from sipentol.lib.error_pages import RETRY_AFTER_SECONDS
from sipentol.lib.pagecache import public_page

from . import selectors, services
from .forms import AccessCodeForm, ApplicationForm, CompletionForm, TrackForm
from .intake import Channel, Intake, closed_message, intake_decide
from .models import Application, Status
from .panels import render_panels
from .uploads import requirement_files_store, uploads_kept_only_if_saved


@require_http_methods(["GET", "POST"])
def apply(
    request, slug: str, application: Application | None = None, assisted: dict | None = None, kiosk: bool = False
):
    try:
        service = application.service if application else service_get(slug=slug)
    except KecamatanService.DoesNotExist as exc:
        raise Http404 from exc
    channel = Channel.KIOSK if kiosk else (Channel.ASSISTED if assisted is not None else Channel.ONLINE)
    intake = intake_decide(channel=channel, actor=request.user if assisted is not None else None)
    if not intake.open:
        return closed_page(request, intake, kiosk=kiosk)
    has_files = (
        set(application.documents.current().values_list("requirement_code", flat=True)) if application else set()
    )
    draft = request.method == "POST" and request.POST.get("action") == "draft"
    if request.method == "GET":
        initial = {"idempotency_key": application.idempotency_key if application else uuid.uuid4()}
        if application:
            initial.update(_initial_from(application))
        form = ApplicationForm(initial=initial, service=service, kecamatan=request.tenant, has_files=has_files)
        return _render_apply(request, form, service, application, assisted, kiosk=kiosk)

    form = ApplicationForm(
        request.POST, request.FILES, service=service, kecamatan=request.tenant, draft=draft, has_files=has_files
    )
    if assisted is not None and not assisted.get("consent"):
        form.add_error(None, _("Centang pernyataan persetujuan pemohon sebelum mengajukan atas namanya."))
    if not form.is_valid():
        return _render_apply(request, form, service, application, assisted, status=400, kiosk=kiosk)
    try:
        uploads = requirement_files_store(form, form.requirements, request.FILES)
    except storage.StorageUnavailable:
        # Nothing was saved: give the form back with what was typed, and say the files must be chosen again.
        form.add_error(
            None,
            _(
                "Penyimpanan berkas sedang terganggu, jadi permohonan belum terkirim. Isian Anda masih ada di "
                "bawah; pilih lagi berkas-berkasnya lalu kirim ulang dalam satu menit."
            ),
        )
        response = _render_apply(request, form, service, application, assisted, status=503, kiosk=kiosk)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if uploads is None:
        return _render_apply(request, form, service, application, assisted, status=400, kiosk=kiosk)
    applicant, data = form.split()
    try:
        with uploads_kept_only_if_saved(uploads):
            saved, secret, created = services.application_save(
                service=service,
                idempotency_key=form.cleaned_data["idempotency_key"],
                applicant=applicant,
                data=data,
                uploads=uploads,
                submit=not draft,
                application=application,
                assisted_by=request.user if assisted is not None else None,
                consent_statement=(assisted or {}).get("statement", ""),
                channel="kiosk" if kiosk else (assisted or {}).get("channel", "online"),
                pengantar_online=form.online_pengantar_chosen,
            )
    except services.IntakeClosed:
        return closed_page(request, intake_decide(channel=channel, actor=request.user), kiosk=kiosk)
    except services.TransitionError as exc:
        form.add_error(None, str(exc))
        return _render_apply(request, form, service, application, assisted, status=400, kiosk=kiosk)
    if kiosk:  # the office laptop keeps nothing: the secret link goes only to the phone/e-mail
        return redirect("applications:receipt", public_id=saved.public_id)
    if secret:
        request.session[f"secret:{saved.public_id}"] = secret  # shown once on the receipt page
    selectors.citizen_grant(request, saved)
    if assisted is not None:
        return redirect("applications:receipt", public_id=saved.public_id)
    if draft:
        messages.success(request, _("Draf tersimpan. Simpan tautan halaman ini untuk melanjutkan nanti."))
    return redirect("applications:receipt", public_id=saved.public_id)


def closed_page(request, intake: Intake, *, kiosk: bool = False):
    """The kecamatan takes no submission by this way in now: when it opens, how to reach the office."""
    kecamatan = request.tenant
    return render(
        request,
        "applications/closed.html",
        {"kecamatan": kecamatan, "message": closed_message(kecamatan, intake.status), "kiosk": kiosk},
        status=503,
    )


def _initial_from(application: Application) -> dict:
    initial = dict(application.data)
    initial.update(
        {
            "nama": application.applicant_name,
            "nik": application.applicant_nik,
            "telepon": application.applicant_phone,
            "email": application.applicant_email,
            "desa": application.desa_code,
        }
    )
    return {k: v for k, v in initial.items() if v}


def _render_apply(request, form, service, application, assisted, status: int = 200, kiosk: bool = False):
    return render(
        request,
        "applications/apply.html",
        {
            "form": form,
            "service": service,
            "application": application,
            "assisted": assisted,
            "kiosk": kiosk,
            # a draft given back (e.g. the desa refused its pengantar) says why
            "panels": render_panels(request, application, granted=True) if application else "",
        },
        status=status,
    )


def receipt(request, public_id):
    """Status page for the citizen who holds the secret link (or a one-time code)."""
    if token := request.GET.get("t"):
        candidate = Application.objects.filter(public_id=public_id).first()
        if candidate is None or not candidate.check_secret(token):
            raise Http404
        selectors.citizen_grant(request, candidate)
        request.session[f"secret:{candidate.public_id}"] = token
        return redirect("applications:receipt", public_id=public_id)  # keep the token out of history/referrers
    application = selectors.application_get_for_citizen(request, public_id)
    if application.status == Status.DRAFT:
        return apply(request, application.service.slug, application=application)
    secret = request.session.get(f"secret:{application.public_id}")
    link = services.citizen_link(application, secret) if secret else None
    return render(
        request,
        "applications/receipt.html",
        {
            "application": application,
            "timeline": selectors.citizen_timeline(application),
            "documents": application.documents.current(),
            "secret_link": link,
            "redo": application.documents.to_redo(),
            "panels": render_panels(request, application, granted=True),
        },
    )


def receipt_pdf(request, public_id):
    from .receipt import render_receipt_pdf

    application = selectors.application_get_for_citizen(request, public_id)
    if application.status == Status.DRAFT:
        raise Http404
    pdf = render_receipt_pdf(application, kecamatan=request.tenant)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tanda-terima-{application.tracking_code}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def complete(request, public_id):
    application = selectors.application_get_for_citizen(request, public_id)
    if application.status != Status.NEEDS_COMPLETION:
        messages.info(request, _("Permohonan ini tidak sedang menunggu kelengkapan."))
        return redirect("applications:receipt", public_id=public_id)
    intake = intake_decide(channel=Channel.COMPLETION, application=application)
    if not intake.open:
        return closed_page(request, intake)
    documents = list(application.documents.to_redo())
    requirements = {r.code: r for r in application.service.requirements.all()}
    if request.method == "GET":
        form = CompletionForm(documents=documents)
        return render(request, "applications/complete.html", {"application": application, "form": form})
    form = CompletionForm(request.POST, request.FILES, documents=documents)
    if not form.is_valid():
        return render(request, "applications/complete.html", {"application": application, "form": form}, status=400)
    reqs = [requirements[d.requirement_code] for d in documents if d.requirement_code in requirements]
    uploads = requirement_files_store(form, reqs, request.FILES)
    if uploads is None:
        return render(request, "applications/complete.html", {"application": application, "form": form}, status=400)
    try:
        with uploads_kept_only_if_saved(uploads):
            services.application_complete(application=application, uploads=uploads)
    except services.TransitionError as exc:
        form.add_error(None, str(exc))
        return render(request, "applications/complete.html", {"application": application, "form": form}, status=400)
    messages.success(request, _("Terima kasih, berkas perbaikan sudah kami terima dan akan diperiksa ulang."))
    return redirect("applications:receipt", public_id=public_id)


@require_POST
def cancel(request, public_id):
    application = selectors.application_get_for_citizen(request, public_id)
    try:
        services.application_cancel(application=application, reason=request.POST.get("reason", "")[:500])
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Permohonan dibatalkan."))
    return redirect("applications:receipt", public_id=public_id)


@public_page(without_query_only=True)
def track(request):
    """Status by tracking code alone: no personal data. Details need the link or a one-time code."""
    form = TrackForm(request.GET or None)
    application = None
    if form.is_bound and form.is_valid():
        application = selectors.application_by_tracking_code(form.cleaned_data["kode"])
        if application is None:
            form.add_error("kode", _("Kode lacak tidak ditemukan. Periksa lagi penulisannya, contoh: JTS-2611-7K3Q."))
    granted = application is not None and selectors.citizen_has_access(request, application)
    return render(
        request,
        "applications/track.html",
        {
            "form": form,
            "application": application,
            "timeline": selectors.citizen_timeline(application) if application else [],
            "code_form": AccessCodeForm(),
            "granted": granted,
            "panels": render_panels(request, application, granted=granted) if application else "",
        },
        status=404 if form.is_bound and application is None else 200,
    )


@require_POST
def access_code_send(request, code: str):
    application = selectors.application_by_tracking_code(code)
    if application is None:
        raise Http404
    sent = services.access_code_send(application=application)
    if sent is None:
        messages.error(request, _("Kode sudah diminta beberapa kali dalam satu jam terakhir. Coba lagi nanti."))
    elif sent:
        messages.success(request, _("Kode sekali pakai sudah dikirim ke nomor HP/e-mail yang terdaftar."))
    else:
        messages.error(request, _("Permohonan ini tidak mencantumkan nomor HP atau e-mail. Hubungi kantor kecamatan."))
    return redirect(f"{reverse('applications:track')}?kode={application.tracking_code}")


@require_POST
def access_code_check(request, code: str):
    application = selectors.application_by_tracking_code(code)
    if application is None:
        raise Http404
    form = AccessCodeForm(request.POST)
    if form.is_valid() and services.access_code_check(application=application, code=form.cleaned_data["code"]):
        selectors.citizen_grant(request, application)
        return redirect("applications:receipt", public_id=application.public_id)
    messages.error(request, _("Kode salah atau sudah kedaluwarsa. Minta kode baru bila perlu."))
    return redirect(f"{reverse('applications:track')}?kode={application.tracking_code}")


def letter_download(request, public_id):
    """The signed letter, for the citizen who holds the link or passed the one-time code."""
    from django.http import StreamingHttpResponse

    from sipentol.letters.models import Letter

    application = selectors.application_get_for_citizen(request, public_id)
    letter = services.current_letter(application)
    if (
        letter is None
        or letter.status != Letter.Status.SIGNED
        or application.status not in (Status.ISSUED, Status.RATED)
    ):
        raise Http404
    response = StreamingHttpResponse(storage.iter_chunks(letter.signed_pdf_key), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="surat-{application.tracking_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
