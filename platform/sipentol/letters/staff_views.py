"""Back-office pages for letters: draft from an application, sign (one or a batch, with TOTP),
templates with a PDF preview, delegations while the Camat is away, revocation.

Mounted under /kantor/ (see applications/staff_urls.py); every page needs password + TOTP.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import devices_for_user

from services_catalog.configured.selectors import service_letter_classifications
from sipentol.accounts.decorators import staff_required
from sipentol.accounts.models import Role
from sipentol.applications import selectors as app_selectors
from sipentol.applications import services as app_services
from sipentol.applications.staff_views import run_step
from sipentol.docengine.render import TemplateRejected
from sipentol.lib import storage
from sipentol.lib.errors import error_text

from . import selectors as letter_selectors
from . import services
from .models import Letter, LetterTemplate, SigningBatchItem, SigningDelegation
from .services import SigningRefused

REVIEWERS = (Role.VERIFIER, Role.ADMIN, Role.CAMAT, Role.SEKCAM)
SIGNERS = (Role.CAMAT, Role.SEKCAM)
LEADERS = (Role.CAMAT, Role.ADMIN)


# ------------------------------------------------------------------ from the application page
def _application_step(request, pk: int, step, success: str):
    """One application service for a staff POST, shown on the application page like its other steps."""
    application = app_selectors.application_get_for_staff(request.user, pk)
    run_step(request, lambda: step(application=application, actor=request.user), success)
    return redirect("staff:detail", pk=pk)


@staff_required(roles=REVIEWERS)
@require_POST
def draft(request, pk: int):
    return _application_step(
        request,
        pk,
        app_services.application_letter_draft,
        _("Draf surat dibuat. Periksa pratinjaunya, lalu kirim ke Camat."),
    )


@staff_required(roles=REVIEWERS)
@require_POST
def submit(request, pk: int):
    return _application_step(
        request, pk, app_services.application_letter_submit, _("Surat masuk antrean tanda tangan Camat.")
    )


@staff_required(roles=REVIEWERS)
@require_POST
def pickup(request, pk: int):
    return _application_step(
        request, pk, app_services.application_record_pickup, _("Pengambilan surat di kantor dicatat.")
    )


@staff_required
@never_cache
@require_GET
def letter_pdf(request, letter_uuid):
    """The letter's PDF for staff: the signed file once signed, else the draft preview."""
    letter = get_object_or_404(Letter, uuid=letter_uuid)
    if letter.application_id:
        app_selectors.application_get_for_staff(request.user, letter.application_id)  # 404 outside the actor's rights
    key = letter.signed_pdf_key or letter.pdf_key
    if not key:
        raise Http404
    response = StreamingHttpResponse(storage.iter_chunks(key), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="surat-{letter.uuid}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ signing
def _second_factor_ok(user, token: str) -> bool:
    token = (token or "").strip()
    return bool(token) and any(device.verify_token(token) for device in devices_for_user(user, confirmed=True))


@staff_required(roles=SIGNERS)
@never_cache
def signing_queue(request):
    """The Camat's (or a delegate's) queue: sign one letter or a batch after one TOTP code.

    The signing itself runs as one Celery task per letter (applications.tasks.sign_batch_item);
    this page shows each batch's progress and refreshes itself until it is done.
    """
    in_batch = SigningBatchItem.objects.filter(state=SigningBatchItem.State.PENDING).values("letter_id")
    waiting = letter_selectors.letters_awaiting_signature().exclude(pk__in=in_batch)
    try:
        capacity = services.signing_capacity(request.user, on=timezone.localdate())
    except SigningRefused as exc:
        capacity, refusal = None, str(exc)
    else:
        refusal = ""
    if request.method == "POST":
        chosen = list(waiting.filter(uuid__in=request.POST.getlist("letters")))
        if not chosen:
            messages.error(request, _("Pilih minimal satu surat yang akan ditandatangani."))
        elif not _second_factor_ok(request.user, request.POST.get("otp", "")):
            messages.error(
                request, _("Kode verifikasi salah atau sudah dipakai. Masukkan kode baru dari aplikasi autentikator.")
            )
        else:
            try:
                app_services.application_signing_batch_start(
                    letters=chosen, signer_user=request.user, second_factor_ok=True
                )
            except (SigningRefused, ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(
                    request,
                    _("%(n)d surat sedang ditandatangani; surat dikirim ke pemohon begitu selesai.")
                    % {"n": len(chosen)},
                )
            return redirect("staff:signing")
    batches = list(letter_selectors.signing_batches_recent(request.user))
    for batch in batches:
        batch.failures = batch.items.filter(state=SigningBatchItem.State.FAILED).select_related("letter")
    return render(
        request,
        "letters/staff/signing.html",
        {
            "letters": waiting,
            "capacity": capacity,
            "refusal": refusal,
            "batches": batches,
            "in_progress": any(b.signed + b.failed < b.total for b in batches),
        },
    )


# ------------------------------------------------------------------ templates
@staff_required(roles=LEADERS)
@require_GET
def template_list(request):
    services.letter_templates_init()
    codes = service_letter_classifications()
    rows = [(t, codes.get(t.service_slug, "")) for t in LetterTemplate.objects.order_by("title")]
    return render(request, "letters/staff/templates.html", {"rows": rows})


def _template_page(request, template: LetterTemplate, html: str, css: str, *, status: int = 200) -> HttpResponse:
    """The edit page; the classification is the service's, shown read-only with a link to where it is edited."""
    context = {
        "template": template,
        "html": html,
        "css": css,
        "classification": service_letter_classifications().get(template.service_slug, ""),
    }
    return render(request, "letters/staff/template_edit.html", context, status=status)


@staff_required(roles=LEADERS)
@never_cache
def template_edit(request, slug: str):
    if not LetterTemplate.objects.filter(service_slug=slug).exists():
        services.letter_templates_init()  # a link from the service page may come before the list page
    template = get_object_or_404(LetterTemplate, service_slug=slug)
    if request.method == "POST":
        html, css = request.POST.get("html", ""), request.POST.get("css", "")
        if request.POST.get("action") == "preview":
            try:
                pdf = services.letter_template_preview(html, css, sample_data=_sample_data(template))
            except (ValidationError, TemplateRejected) as exc:
                messages.error(request, error_text(exc))
                return _template_page(request, template, html, css, status=400)
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="pratinjau-{slug}.pdf"'
            return response
        try:
            services.letter_template_update(template=template, html=html, css=css, actor=request.user)
        except (ValidationError, TemplateRejected) as exc:
            messages.error(request, error_text(exc))
            return _template_page(request, template, html, css, status=400)
        messages.success(request, _("Templat surat disimpan."))
        return redirect("staff:letter-template", slug=slug)
    return _template_page(request, template, template.html, template.css)


SAMPLE_BY_TYPE = {
    "date": "2026-12-01",
    "number": "2",
    "nik": "3516160101900001",
    "kk": "3516160101090003",
    "phone": "+6281234567890",
    "email": "warga@example.id",
    "desa": "Jetis",
    "textarea": "Dusun Kedungsari RT 002 RW 001",
}


def _sample_data(template: LetterTemplate) -> dict:
    """Plausible values for every field of the service, so the preview shows a full letter."""
    from services_catalog.configured.models import KecamatanService

    service = KecamatanService.objects.filter(slug=template.service_slug).first()
    data = {
        "title": template.title,
        "holder_name": "Siti Aminah",
        "holder_nik": "3516160101900001",
        "nama": "Siti Aminah",
        "nik": "3516160101900001",
        "kode_lacak": "JTS-2612-7K3Q",
    }
    for spec in service.form_fields if service else []:
        data.setdefault(spec["name"], SAMPLE_BY_TYPE.get(spec.get("type", "text"), spec.get("label", "")))
    return data


# ------------------------------------------------------------------ delegations
@staff_required(roles=LEADERS)
@never_cache
def delegations(request):
    User = get_user_model()
    candidates = User.objects.filter(staff__role__in=[Role.SEKCAM, Role.ADMIN, Role.VERIFIER], is_active=True)
    if request.method == "POST":
        try:
            delegate = candidates.get(pk=request.POST.get("delegate"))
            starts = dt.date.fromisoformat(request.POST.get("starts_on", ""))
            ends = dt.date.fromisoformat(request.POST.get("ends_on", ""))
            services.signing_delegation_create(
                delegate=delegate,
                capacity=request.POST.get("capacity", ""),
                starts_on=starts,
                ends_on=ends,
                note=request.POST.get("note", ""),
                actor=request.user,
            )
        except (User.DoesNotExist, ValueError, ValidationError) as exc:
            text = (
                error_text(exc)
                if isinstance(exc, ValidationError)
                else _("Pilih pejabat, jenis pelimpahan, serta tanggal mulai dan selesai (format tanggal yang benar).")
            )
            messages.error(request, text)
        else:
            messages.success(request, _("Pelimpahan wewenang tanda tangan dicatat."))
        return redirect("staff:delegations")
    return render(
        request,
        "letters/staff/delegations.html",
        {
            "delegations": SigningDelegation.objects.select_related("delegate").order_by("-starts_on")[:50],
            "candidates": candidates.order_by("first_name"),
            "capacities": SigningDelegation.Capacity.choices,
            "today": timezone.localdate(),
        },
    )


@staff_required(roles=LEADERS)
@require_POST
def revoke(request, letter_uuid):
    letter = get_object_or_404(Letter, uuid=letter_uuid)
    try:
        services.letter_revoke(letter=letter, actor=request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Surat %(number)s dicabut.") % {"number": letter.number})
    if letter.application_id:
        return redirect("staff:detail", pk=letter.application_id)
    return redirect("staff:queue")
