"""Back office (`/kantor/`) and the office kiosk (`/kiosk/`). Thin: every write is a service.

Every back-office page needs a kecamatan staff member with a verified second factor
(`staff_required`); every application is looked up through `selectors.application_get_for_staff`,
which applies the reader's rights (an operator desa sees only their desa and what they submitted).
"""

from __future__ import annotations

import itertools

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from services_catalog.configured.models import KecamatanService
from services_catalog.configured.selectors import service_get, service_list
from sipentol.accounts.decorators import staff_required, staff_role
from sipentol.accounts.models import Role
from sipentol.lib import storage
from sipentol.lib.errors import error_text

from . import selectors, services, views
from .models import Application, Document, Event, Status

REVIEWERS = (Role.VERIFIER, Role.ADMIN, Role.CAMAT, Role.SEKCAM)


# ------------------------------------------------------------------ queue
@staff_required
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
            "role": staff_role(request.user),
        },
    )


# ------------------------------------------------------------------ one application
@staff_required
@never_cache
@require_GET
def detail(request, pk: int):
    application = selectors.application_get_for_staff(request.user, pk)
    if staff_role(request.user) in REVIEWERS:
        application = services.application_start_review(application=application, actor=request.user)
    services.application_record_access(application=application, actor=request.user, kind=Event.Kind.DETAIL_VIEWED)
    documents = list(application.documents.filter(superseded=False).order_by("requirement_code"))
    staff = get_user_model().objects.filter(staff__isnull=False, is_active=True).exclude(staff__role=Role.DESA_OPERATOR)
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
            "can_review": staff_role(request.user) in REVIEWERS,
            "in_review": application.status == Status.IN_REVIEW,
            "has_redo": any(d.verdict == Document.Verdict.REDO for d in documents),
            "staff_users": staff.order_by("first_name", "username"),
            "kinds": dict(Event.Kind.choices),
            "statuses": dict(Status.choices),
            "letter": services.current_letter(application),
            "can_revoke": staff_role(request.user) in (Role.CAMAT, Role.ADMIN),
        },
    )


def _form_data(application: Application) -> list[tuple[str, str]]:
    labels = {spec["name"]: spec.get("label", spec["name"]) for spec in application.service.form_fields}
    return [(labels.get(name, name), value) for name, value in application.data.items()]


def _document(request, pk: int, doc_pk: int) -> tuple[Application, Document]:
    application = selectors.application_get_for_staff(request.user, pk)
    document = application.documents.filter(pk=doc_pk).first()
    if document is None:
        raise Http404
    return application, document


@staff_required
@require_GET
def document_file(request, pk: int, doc_pk: int):
    """Stream one uploaded file inline, through this authorised view; every open is audited."""
    application, document = _document(request, pk, doc_pk)
    try:
        chunks = storage.iter_chunks(document.key)
        first = next(chunks, b"")  # open the object now, inside this kecamatan's schema
    except storage.ObjectMissing as exc:
        raise Http404 from exc
    services.application_record_access(
        application=application,
        actor=request.user,
        kind=Event.Kind.FILE_VIEWED,
        data={"document": document.pk, "requirement": document.requirement_code},
    )
    response = StreamingHttpResponse(itertools.chain([first], chunks), content_type=document.content_type)
    extension = {"application/pdf": "pdf", "image/png": "png"}.get(document.content_type, "jpg")
    response["Content-Disposition"] = f'inline; filename="{document.requirement_code}-{document.pk}.{extension}"'
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _back(application: Application):
    return redirect("staff:detail", pk=application.pk)


def run_step(request, action, success: str) -> bool:
    """Run one service for a staff POST and flash its outcome; a refusal becomes the message."""
    try:
        action()
    except (ValueError, ValidationError) as exc:  # TransitionError is a ValueError too
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success)
    return True


@staff_required(roles=REVIEWERS)
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


@staff_required(roles=REVIEWERS)
@require_POST
def request_completion(request, pk: int):
    application = selectors.application_get_for_staff(request.user, pk)
    items = [
        services.RequirementNote(d.requirement_code, d.verdict_reason)
        for d in application.documents.filter(superseded=False, verdict=Document.Verdict.REDO)
    ]
    run_step(
        request,
        lambda: services.application_request_completion(
            application=application, actor=request.user, items=items, message=request.POST.get("message", "")[:1000]
        ),
        _("Permintaan melengkapi berkas dikirim ke pemohon."),
    )
    return _back(application)


@staff_required(roles=REVIEWERS)
@require_POST
def verify(request, pk: int):
    application = selectors.application_get_for_staff(request.user, pk)
    run_step(
        request,
        lambda: services.application_verify(application=application, actor=request.user),
        _("Permohonan diverifikasi: berkas lengkap dan benar."),
    )
    return _back(application)


@staff_required(roles=REVIEWERS)
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


@staff_required
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


@staff_required(roles=REVIEWERS)
@require_POST
def assign(request, pk: int):
    application = selectors.application_get_for_staff(request.user, pk)
    User = get_user_model()
    assignee = None
    if raw := request.POST.get("assignee", ""):
        assignee = (
            User.objects.filter(pk=raw if raw.isdigit() else -1, staff__isnull=False, is_active=True)
            .exclude(staff__role=Role.DESA_OPERATOR)
            .first()
        )
        if assignee is None:
            messages.error(request, _("Petugas tidak ditemukan. Pilih petugas dari daftar."))
            return _back(application)
    run_step(
        request,
        lambda: services.application_assign(application=application, actor=request.user, assignee=assignee),
        _("Penugasan disimpan."),
    )
    return _back(application)


@staff_required
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


# ------------------------------------------------------------------ assisted mode
@staff_required
@require_GET
def assisted_services(request):
    return render(
        request,
        "applications/staff/assisted_services.html",
        {"services": service_list()},
    )


@staff_required
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
