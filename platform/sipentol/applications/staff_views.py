"""applications' back-office pages (`/kantor/`, assembled by sipentol.backoffice) and the office
kiosk (`/kiosk/`). Thin: every write is a service; no GET changes anything.

Every back-office page needs a kecamatan staff member with a verified second factor and the
capability it names (`staff_required(capability=...)`, sipentol.accounts.permissions); every
application is looked up through `selectors.application_get_for_staff`, which applies the
reader's rights (an operator desa sees only their desa and what they submitted). The letter steps
of an application (draft, send to the Camat, sign, pickup) live here: letters never imports
applications.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from services_catalog.configured.models import KecamatanService
from services_catalog.configured.selectors import service_get, service_list
from sipentol.accounts.decorators import staff_required
from sipentol.accounts.permissions import Capability, can, roles_with
from sipentol.accounts.services import authenticator_code_ok
from sipentol.docengine.signing import SigningError
from sipentol.letters import selectors as letter_selectors
from sipentol.letters import services as letter_services
from sipentol.lib.errors import error_text
from sipentol.lib.web import run_step, stored_file_response

from . import selectors, services, views
from .intake import Channel, intake_decide
from .models import Application, Document, Event, Status


# ------------------------------------------------------------------ queue
@staff_required(capability=Capability.VIEW_APPLICATIONS)
@require_GET
def queue(request):
    status = request.GET.get("status", "")
    if status and status not in Status.values:
        status = ""
    mine = request.GET.get("mine") == "1"
    query = request.GET.get("q", "")[:100]
    qs = selectors.staff_queue(request.user, status=status, query=query, mine=mine)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for a in page.object_list:
        days = a.sla_days_left(today)
        rows.append((a, days, -days if days is not None and days < 0 else 0))
    return render(
        request,
        "applications/staff/queue.html",
        {
            "rows": rows,
            "page": page,
            "status": status,
            "mine": mine,
            "q": query,
            "statuses": [(v, label) for v, label in Status.choices if v != Status.DRAFT],
        },
    )


# ------------------------------------------------------------------ one application
@staff_required(capability=Capability.VIEW_APPLICATIONS)
@never_cache
@require_GET
def detail(request, pk: int):
    """The application as staff see it. Reading changes nothing (taking it into review is the POST
    `start_review`); the access itself is audited (UU 27/2022: who opened a citizen's data)."""
    application = selectors.application_get_for_staff(request.user, pk)
    services.application_record_access(application=application, actor=request.user, kind=Event.Kind.DETAIL_VIEWED)
    documents = list(application.documents.current().order_by("requirement_code"))
    can_review = can(request.user, Capability.REVIEW_APPLICATION)
    return render(
        request,
        "applications/staff/detail.html",
        {
            "application": application,
            "documents": documents,
            "old_documents": application.documents.filter(superseded=True),
            "form_data": _form_data(application),
            "timeline": application.events.select_related("actor").all(),
            "days_left": application.sla_days_left(),
            "can_review": can_review,
            "can_start_review": can_review and application.status in (Status.SUBMITTED, Status.RESUBMITTED),
            "in_review": application.status == Status.IN_REVIEW,
            "has_redo": any(d.verdict == Document.Verdict.REDO for d in documents),
            "staff_users": _assignable_staff().order_by("first_name", "username") if can_review else [],
            "kinds": dict(Event.Kind.choices),
            "statuses": dict(Status.choices),
            "letter": services.current_letter(application),
            "can_revoke": can(request.user, Capability.REVOKE_LETTER),
            "can_add_note": can(request.user, Capability.ADD_NOTE),
            "can_print": can(request.user, Capability.PRINT_FILES),
        },
    )


def _assignable_staff():
    return get_user_model().objects.filter(staff__role__in=roles_with(Capability.BE_ASSIGNED), is_active=True)


def _form_data(application: Application) -> list[tuple[str, str]]:
    labels = {spec["name"]: spec.get("label", spec["name"]) for spec in application.service.form_fields}
    return [(labels.get(name, name), value) for name, value in application.data.items()]


def _document(request, pk: int, doc_pk: int) -> tuple[Application, Document]:
    application = selectors.application_get_for_staff(request.user, pk)
    # a file the antivirus has not passed (pending or infected) is not there for anybody
    document = application.documents.openable().filter(pk=doc_pk).first()
    if document is None:
        raise Http404
    return application, document


@staff_required(capability=Capability.VIEW_APPLICATIONS)
@require_GET
def document_file(request, pk: int, doc_pk: int):
    """Stream one uploaded file inline, through this authorised view; every open is audited."""
    application, document = _document(request, pk, doc_pk)
    extension = {"application/pdf": "pdf", "image/png": "png"}.get(document.content_type, "jpg")
    response = stored_file_response(
        document.key,
        content_type=document.content_type,
        filename=f"{document.requirement_code}-{document.pk}.{extension}",
    )
    response["Content-Length"] = str(document.size)
    services.application_record_access(
        application=application,
        actor=request.user,
        kind=Event.Kind.FILE_VIEWED,
        data={"document": document.pk, "requirement": document.requirement_code},
    )
    return response


def _back(application: Application):
    return redirect("staff:detail", pk=application.pk)


def _step(request, pk: int, step, success: str):
    """One application service for a staff POST, shown on the application page like its other steps."""
    application = selectors.application_get_for_staff(request.user, pk)
    run_step(request, lambda: step(application=application, actor=request.user), success)
    return _back(application)


@staff_required(capability=Capability.REVIEW_APPLICATION)
@require_POST
def start_review(request, pk: int):
    """Take a submitted or resubmitted application into review (assigned to the reviewer if nobody is)."""
    return _step(
        request,
        pk,
        services.application_start_review,
        _("Pemeriksaan dimulai. Nilai setiap berkas, lalu ambil keputusan."),
    )


@staff_required(capability=Capability.REVIEW_APPLICATION)
@require_POST
def document_verdict(request, pk: int, doc_pk: int):
    application, document = _document(request, pk, doc_pk)
    run_step(
        request,
        lambda: services.document_set_verdict(
            document=document,
            actor=request.user,
            verdict=request.POST.get("verdict", ""),
            reason=request.POST.get("reason", "")[:500],
        ),
        _("Penilaian %(name)s disimpan.") % {"name": document.requirement_name},
    )
    return _back(application)


@staff_required(capability=Capability.REVIEW_APPLICATION)
@require_POST
def request_completion(request, pk: int):
    application = selectors.application_get_for_staff(request.user, pk)
    items = [services.RequirementNote(d.requirement_code, d.verdict_reason) for d in application.documents.to_redo()]
    run_step(
        request,
        lambda: services.application_request_completion(
            application=application, actor=request.user, items=items, message=request.POST.get("message", "")[:1000]
        ),
        _("Permintaan melengkapi berkas dikirim ke pemohon."),
    )
    return _back(application)


@staff_required(capability=Capability.REVIEW_APPLICATION)
@require_POST
def verify(request, pk: int):
    return _step(request, pk, services.application_verify, _("Permohonan diverifikasi: berkas lengkap dan benar."))


@staff_required(capability=Capability.REVIEW_APPLICATION)
@require_POST
def reject(request, pk: int):
    application = selectors.application_get_for_staff(request.user, pk)
    run_step(
        request,
        lambda: services.application_reject(
            application=application, actor=request.user, reason=request.POST.get("reason", "")[:1000]
        ),
        _("Permohonan ditolak; pemohon diberi tahu alasannya."),
    )
    return _back(application)


@staff_required(capability=Capability.ADD_NOTE)
@require_POST
def note(request, pk: int):
    application = selectors.application_get_for_staff(request.user, pk)
    run_step(
        request,
        lambda: services.application_add_note(
            application=application, actor=request.user, text=request.POST.get("text", "")
        ),
        _("Catatan internal disimpan."),
    )
    return _back(application)


@staff_required(capability=Capability.REVIEW_APPLICATION)
@require_POST
def assign(request, pk: int):
    application = selectors.application_get_for_staff(request.user, pk)
    assignee = None
    if raw := request.POST.get("assignee", ""):
        assignee = _assignable_staff().filter(pk=raw if raw.isdigit() else -1).first()
        if assignee is None:
            messages.error(request, _("Petugas tidak ditemukan. Pilih petugas dari daftar."))
            return _back(application)
    run_step(
        request,
        lambda: services.application_assign(application=application, actor=request.user, assignee=assignee),
        _("Penugasan disimpan."),
    )
    return _back(application)


@staff_required(capability=Capability.PRINT_FILES)
@require_GET
def print_all(request, pk: int):
    """Every current uploaded file of the application as one PDF with a cover page."""
    from .printing import application_files_pdf

    application = selectors.application_get_for_staff(request.user, pk)
    pdf = application_files_pdf(application=application, actor=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="berkas-{application.tracking_code}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ the application's letter
@staff_required(capability=Capability.REVIEW_APPLICATION)
@require_POST
def letter_draft(request, pk: int):
    return _step(
        request,
        pk,
        services.application_letter_draft,
        _("Draf surat dibuat. Periksa pratinjaunya, lalu kirim ke Camat."),
    )


@staff_required(capability=Capability.REVIEW_APPLICATION)
@require_POST
def letter_submit(request, pk: int):
    return _step(request, pk, services.application_letter_submit, _("Surat masuk antrean tanda tangan Camat."))


@staff_required(capability=Capability.REVIEW_APPLICATION)
@require_POST
def letter_pickup(request, pk: int):
    return _step(request, pk, services.application_record_pickup, _("Pengambilan surat di kantor dicatat."))


@staff_required(capability=Capability.VIEW_APPLICATIONS)
@never_cache
@require_GET
def application_letter_pdf(request, pk: int):
    """The current letter of an application the reader may see: signed file once signed, else the draft."""
    application = selectors.application_get_for_staff(request.user, pk)  # 404 outside the reader's rights
    letter = services.current_letter(application)
    key = letter and (letter.signed_pdf_key or letter.pdf_key)
    if not key:
        raise Http404
    return stored_file_response(key, content_type="application/pdf", filename=f"surat-{letter.uuid}.pdf")


@staff_required(capability=Capability.SIGN_LETTERS)
@sensitive_post_parameters("passphrase")
@sensitive_variables("passphrase")
@never_cache
@require_http_methods(["GET", "POST"])
def signing_queue(request):
    """The Camat's (or a delegate's) queue: sign one letter or a batch after one TOTP code.

    With a local certificate the signing runs as one Celery task per letter (tasks.sign_batch_item,
    which also issues the application); this page shows each batch's progress and refreshes itself
    until it is done. A BSrE signer types their BSrE passphrase, which is never stored nor queued:
    their letters are signed here, in the request, and BSrE's refusal is shown as it is.
    """
    waiting = letter_selectors.letters_awaiting_signature().exclude(pk__in=letter_selectors.letters_in_pending_batch())
    credential = letter_selectors.signer_credential_active(user=request.user)
    bsre = credential is not None and credential.kind == credential.Kind.BSRE
    try:
        capacity = letter_services.signing_capacity(request.user, on=timezone.localdate())
    except letter_services.SigningRefused as exc:
        capacity, refusal = None, str(exc)
    else:
        refusal = ""
    if not refusal and credential is None:
        refusal = _("Anda belum memiliki sertifikat tanda tangan elektronik. Hubungi admin kecamatan.")
    if request.method == "POST":
        chosen = list(waiting.filter(uuid__in=request.POST.getlist("letters")))
        passphrase = request.POST.get("passphrase", "")
        if not chosen:
            messages.error(request, _("Pilih minimal satu surat yang akan ditandatangani."))
        elif not authenticator_code_ok(user=request.user, token=request.POST.get("otp", "")):
            messages.error(
                request, _("Kode verifikasi salah atau sudah dipakai. Masukkan kode baru dari aplikasi autentikator.")
            )
        elif bsre:
            signed = 0
            for letter in chosen:
                try:
                    services.application_letter_sign(
                        letter=letter, signer_user=request.user, second_factor_ok=True, passphrase=passphrase
                    )
                except (letter_services.SigningRefused, ValidationError, PermissionDenied, SigningError) as exc:
                    messages.error(request, error_text(exc))
                    break  # the same passphrase or account would be refused for the next letter too
                signed += 1
            if signed:
                messages.success(
                    request, _("%(n)d surat ditandatangani melalui BSrE dan dikirim ke pemohon.") % {"n": signed}
                )
        else:
            try:
                services.application_signing_batch_start(
                    letters=chosen, signer_user=request.user, second_factor_ok=True
                )
            except (letter_services.SigningRefused, ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(
                    request,
                    _("%(n)d surat sedang ditandatangani; surat dikirim ke pemohon begitu selesai.")
                    % {"n": len(chosen)},
                )
        return redirect("staff:signing")
    batches = letter_selectors.signing_batches_recent(request.user)
    return render(
        request,
        "applications/staff/signing.html",
        {
            "letters": waiting,
            "capacity": capacity,
            "refusal": refusal,
            "bsre": bsre,
            "batches": batches,
            "in_progress": any(b.signed + b.failed < b.total for b in batches),
        },
    )


# ------------------------------------------------------------------ assisted mode
@staff_required(capability=Capability.APPLY_ON_BEHALF)
@require_GET
def assisted_services(request):
    return render(
        request,
        "applications/staff/assisted_services.html",
        {"services": service_list()},
    )


@staff_required(capability=Capability.APPLY_ON_BEHALF)
def assisted_apply(request, slug: str):
    """Apply on behalf of a citizen; the citizen's consent is required and recorded."""
    assisted = {
        "consent": bool(request.POST.get("consent")),
        "statement": request.POST.get("consent_note", "")[:300],
        "channel": "assisted",
    }
    if assisted["consent"] and not assisted["statement"].strip():
        assisted["statement"] = _("Pemohon menyetujui pengajuan melalui petugas.")
    response = views.apply(request, slug, assisted=assisted)
    if response.status_code == 302 and request.method == "POST":
        application = Application.objects.filter(idempotency_key=request.POST.get("idempotency_key")).first()
        if application is not None:
            messages.success(
                request,
                _("Permohonan %(code)s diajukan atas nama %(name)s. Tautan rahasia dikirim ke HP/e-mail pemohon.")
                % {"code": application.tracking_code, "name": application.applicant_name},
            )
            request.session.pop(f"secret:{application.public_id}", None)  # the secret is the citizen's
            return redirect("staff:detail", pk=application.pk)
    return response


# ------------------------------------------------------------------ kiosk
KIOSK_IDLE_SECONDS = 180


def _kiosk_headers(response):
    response["Cache-Control"] = "no-store, max-age=0"
    return response


@require_GET
def kiosk_start(request):
    intake = intake_decide(channel=Channel.KIOSK)
    if not intake.open:
        return _kiosk_headers(views.closed_page(request, intake, kiosk=True))
    return _kiosk_headers(
        render(
            request,
            "applications/staff/kiosk_start.html",
            {
                "kiosk": True,
                "kiosk_idle": KIOSK_IDLE_SECONDS,
                "services": service_list(),
            },
        )
    )


def kiosk_apply(request, slug: str):
    try:
        service_get(slug=slug)
    except KecamatanService.DoesNotExist as exc:
        raise Http404 from exc
    response = views.apply(request, slug, kiosk=True)
    if response.status_code == 302 and request.method == "POST":
        application = Application.objects.filter(idempotency_key=request.POST.get("idempotency_key")).first()
        request.session.flush()  # nothing of this citizen stays in the browser
        if application is not None:
            request.session["kiosk_receipt"] = application.tracking_code
        return _kiosk_headers(redirect("kiosk:receipt"))
    return _kiosk_headers(response)


@require_GET
def kiosk_receipt(request):
    code = request.session.pop("kiosk_receipt", None)
    if code is None:
        return redirect("kiosk:start")
    application = selectors.application_by_tracking_code(code)
    return _kiosk_headers(
        render(
            request,
            "applications/staff/kiosk_receipt.html",
            {"kiosk": True, "kiosk_idle": 60, "code": code, "application": application},
        )
    )


def kiosk_done(request):
    """Inactivity or the citizen is done: forget everything and start again."""
    request.session.flush()
    return _kiosk_headers(redirect("kiosk:start"))
