"""Writes of the desa's covering letter: open a request, draft, sign (and hand over), refuse,
push from a desa system, escalate a late answer; the desa's template and API tokens.

Each state change is one transaction writing a PengantarEvent; the hand-over into the
application is applications' own service (`application_pengantar_attach` / `_refused`), called
inside that same transaction, so the pengantar is signed and the application submitted, or
neither. Everything is scoped to the actor's desa (`permissions.staff_desa_code`).
"""

from __future__ import annotations

import hashlib
import io
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from sipentol.accounts.permissions import Capability, can, roles_with, staff_desa_code
from sipentol.applications import services as application_services
from sipentol.applications.lifecycle import Status as ApplicationStatus
from sipentol.desa_facts.services import pengantar_fact_publish
from sipentol.docengine import render
from sipentol.docengine.signing import SigningError, pdf_signature_check
from sipentol.letters import selectors as letter_selectors
from sipentol.letters.models import SignerCredential
from sipentol.letters.signers import adapter_for
from sipentol.lib import antivirus, sequences, storage
from sipentol.lib.uploads import StoredUpload
from sipentol.notifications.services import outbox_emit
from tenants.models import Desa
from tenants.selectors import kecamatan_url

from . import deadlines
from .models import (
    DesaApiEvent,
    DesaApiToken,
    DesaProfile,
    PengantarEvent,
    PengantarRequest,
    PengantarSequence,
    token_hash,
)
from .pdf import pengantar_pdf

log = logging.getLogger(__name__)
SYSTEM = "sistem"
MAX_PUSH_BYTES = 10 * 1024 * 1024


class PengantarRefused(PermissionDenied):
    """The step is not allowed now; str(exc) says why and what to do."""


class PushRejected(ValidationError):
    """A pushed pengantar is refused; `code` names why (unsigned, tampered, foreign_desa, ...)."""


# ---------------------------------------------------------------------------- helpers
def _label(actor) -> str:
    return actor.get_full_name() or actor.get_username() if actor else SYSTEM


def _event(request: PengantarRequest, action: str, *, actor=None, actor_label: str = "", note: str = "", data=None):
    return PengantarEvent.objects.create(
        request=request,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label or _label(actor),
        note=note[:500],
        data=data or {},
    )


def desa_of(code: str) -> Desa | None:
    return Desa.objects.filter(code=code, kecamatan_id=connection.tenant.pk).first()


def desa_profile(code: str) -> DesaProfile:
    """The desa's template (made with the defaults on first use; a kelurahan's signer is its Lurah)."""
    profile = DesaProfile.objects.filter(desa_code=code).first()
    if profile is None:
        desa = desa_of(code)
        head = "Lurah" if desa is not None and desa.kind == Desa.Kind.KELURAHAN else "Kepala Desa"
        profile, _created = DesaProfile.objects.get_or_create(desa_code=code, defaults={"head_title": head})
    return profile


def _desa_context(profile: DesaProfile) -> dict:
    desa = desa_of(profile.desa_code)
    with override("id"):
        kind = str(desa.get_kind_display()) if desa else ""
    name = desa.name if desa else profile.desa_code
    return {
        "code": profile.desa_code,
        "name": name,
        "kind": kind,
        "head_title": profile.head_title,
        "address": profile.address or f"{kind} {name}, Kecamatan {connection.tenant.name}",
        "phone": profile.phone,
        "kecamatan": connection.tenant.name,
    }


def _letter_data(request: PengantarRequest) -> dict:
    return {
        "nama": request.applicant_name,
        "nik": request.applicant_nik,
        "alamat": request.address,
        "layanan": request.service_name,
        "keperluan": request.purpose,
        "keterangan": request.note,
        "kode_lacak": request.tracking_code,
    }


def pengantar_verify_url(request: PengantarRequest) -> str:
    return kecamatan_url(connection.tenant, f"/verifikasi/pengantar/{request.uuid}/")


def _store_pdf(pdf: bytes) -> str:
    return storage.put(io.BytesIO(pdf), content_type="application/pdf", length=len(pdf))


def _check_scope(request: PengantarRequest, actor, capability: Capability) -> None:
    if not can(actor, capability) or staff_desa_code(actor) != request.desa_code:
        raise PengantarRefused(_("Permintaan ini bukan untuk desa Anda, atau peran Anda tidak dapat melakukannya."))


def _locked_open(request: PengantarRequest) -> PengantarRequest:
    request = PengantarRequest.objects.select_for_update().select_related("application").get(pk=request.pk)
    if not request.is_open or request.application.status != ApplicationStatus.AWAITING_DESA:
        raise ValidationError(
            _("Permintaan ini sudah selesai atau dibatalkan pemohon; tidak ada yang perlu dikerjakan.")
        )
    return request


def _fact(request: PengantarRequest) -> None:
    """The regency's copy (public schema, no personal data), in the caller's transaction.
    Trial applications (onboarding) are not demand: no fact."""
    if not request.application.is_trial:
        pengantar_fact_publish(kecamatan_id=connection.tenant.pk, request=request)


def _answered(request: PengantarRequest) -> None:
    now = timezone.now()
    request.responded_at = now
    request.working_days_taken = deadlines.working_days_taken(
        requested_on=timezone.localdate(request.requested_at), answered_on=timezone.localdate(now)
    )


# ---------------------------------------------------------------------------- opening (handoff hook)
def pengantar_request_open(*, application) -> PengantarRequest:
    """Registered in applications/handoffs.py: called inside the transaction that moves the
    application to awaiting_desa. Copies only what the desa needs to write the letter."""
    profile = desa_profile(application.desa_code)
    today = timezone.localdate()
    purpose = str(application.data.get("keperluan", ""))[:300]
    request = PengantarRequest.objects.create(
        application=application,
        desa_code=application.desa_code,
        tracking_code=application.tracking_code,
        service_name=application.service.name[:200],
        applicant_name=application.applicant_name,
        applicant_nik=application.applicant_nik,
        address=str(application.data.get("alamat", ""))[:300],
        purpose=purpose,
        due_date=deadlines.due_date(requested_on=today, working_days=profile.deadline_working_days),
    )
    _event(
        request, "requested", actor=application.assisted_by, actor_label="" if application.assisted_by else "pemohon"
    )
    _fact(request)
    return request


# ---------------------------------------------------------------------------- the desa's steps
def pengantar_draft(*, request: PengantarRequest, actor, note: str = "") -> PengantarRequest:
    """The operator desa checked the request: a preview PDF from the desa's template, no number yet."""
    _check_scope(request, actor, Capability.DRAFT_PENGANTAR)
    with transaction.atomic():
        request = _locked_open(request)
        request.note = note.strip()[:500]
        profile = desa_profile(request.desa_code)
        pdf = pengantar_pdf(
            desa=_desa_context(profile),
            body_html=profile.body_html,
            data=_letter_data(request),
            number="",
            on=timezone.localdate(),
            signature=None,
            verify_url=None,
        )
        request.pdf_key = _store_pdf(pdf)
        request.status = PengantarRequest.Status.DRAFTED
        request.drafted_by = actor
        request.drafted_at = timezone.now()
        request.save()
        _event(request, "drafted", actor=actor, note=request.note)
        _fact(request)
    return request


def _signer_credential(actor) -> SignerCredential:
    credential = SignerCredential.objects.filter(user=actor, is_active=True).order_by("-created_at", "-pk").first()
    if credential is None and settings.DESA_DEV_SIGNER:
        # Development only (`make run`, tests): a certificate for this desa from the kecamatan's dev CA.
        credential = import_string(settings.DESA_DEV_SIGNER)(user=actor, desa=desa_of(staff_desa_code(actor)))
    if credential is None:
        raise PengantarRefused(
            _("Anda belum memiliki sertifikat tanda tangan elektronik. Minta admin kecamatan memasangnya.")
        )
    return credential


def pengantar_sign(*, request: PengantarRequest, actor, second_factor_ok: bool) -> PengantarRequest:
    """The Kepala Desa / Lurah approves: number (gap-free per desa and year), render, PAdES-sign
    with their certificate, check the signature, and hand it over to the application, whose
    kecamatan SLA starts now. One transaction: a failure anywhere keeps nothing, the number included."""
    if not second_factor_ok:
        raise PengantarRefused(_("Konfirmasi dulu dengan kode verifikasi (faktor kedua), lalu tanda tangani lagi."))
    _check_scope(request, actor, Capability.SIGN_PENGANTAR)
    credential = _signer_credential(actor)
    today = timezone.localdate()
    with transaction.atomic():
        request = _locked_open(request)
        if request.status != PengantarRequest.Status.DRAFTED:
            raise ValidationError(_("Operator desa belum menyiapkan draf pengantar ini."))
        profile = desa_profile(request.desa_code)
        desa = _desa_context(profile)
        sequence = sequences.next_number(PengantarSequence, desa_code=request.desa_code, year=today.year)
        unit = profile.unit_code or request.desa_code
        request.number, request.sequence, request.year = f"470/{sequence:04d}/{unit}/{today.year}", sequence, today.year
        signature = {"name": _label(actor)}
        pdf = pengantar_pdf(
            desa=desa,
            body_html=profile.body_html,
            data=_letter_data(request),
            number=request.number,
            on=today,
            signature=signature,
            verify_url=pengantar_verify_url(request),
        )
        try:
            signed = adapter_for(credential).sign(
                pdf,
                passphrase=None,
                reason=_("Surat pengantar %(number)s") % {"number": request.number},
                location=f"{desa['kind']} {desa['name']}",
            )
        except SigningError as exc:
            raise PengantarRefused(str(exc)) from exc
        check = _check_signed(signed, desa_code=request.desa_code)
        request.signer_name = signature["name"]
        request.signer_title = f"{profile.head_title} {desa['name']}"
        _hand_over(request, pdf=signed, check=check, via=PengantarRequest.Via.PLATFORM, actor=actor)
    return request


def _check_signed(pdf: bytes, *, desa_code: str):
    """The signature is valid, trusted by this kecamatan, covers the whole file, and is the desa's."""
    check = pdf_signature_check(pdf, trust_pems=letter_selectors.trust_anchor_pems())
    if "unreadable" in check.problems or "unsigned" in check.problems:
        raise PushRejected(
            _("PDF ini tidak bertanda tangan elektronik. Kirim PDF yang sudah ditandatangani."), code="unsigned"
        )
    if not check.intact or not check.whole_file:
        raise PushRejected(
            _(
                "Tanda tangan PDF tidak cocok dengan isinya: berkas diubah setelah ditandatangani. "
                "Kirim berkas aslinya."
            ),
            code="tampered",
        )
    if not check.trusted:
        raise PushRejected(
            _("Sertifikat penanda tangan tidak diterbitkan oleh penerbit yang dipercaya kecamatan ini."),
            code="untrusted",
        )
    if desa_code not in check.signer_units:
        raise PushRejected(
            _("PDF ini ditandatangani untuk desa lain, bukan untuk desa pemohon. Kirim pengantar dari desa pemohon."),
            code="foreign_desa",
        )
    return check


def _hand_over(request: PengantarRequest, *, pdf: bytes, check, via: str, actor=None, actor_label: str = "") -> None:
    """Inside the caller's transaction: store the signed PDF, close the request, attach it to the application."""
    key = _store_pdf(pdf)
    request.signed_pdf_key = key
    request.signed_sha256 = hashlib.sha256(pdf).hexdigest()
    request.signed_at = timezone.now()
    request.status = PengantarRequest.Status.SIGNED
    request.via = via
    _answered(request)
    request.save()
    _event(request, "signed", actor=actor, actor_label=actor_label, note=request.number, data={"via": via})
    _fact(request)
    desa = desa_of(request.desa_code)
    application_services.application_pengantar_attach(
        application=request.application,
        stored=StoredUpload(
            key=key,
            content_type="application/pdf",
            size=len(pdf),
            sha256=request.signed_sha256,
            original_name=f"pengantar-{request.tracking_code}.pdf",
            width=None,
            height=None,
            pages=None,
            scan_status=antivirus.CLEAN,  # made here, or a signature this kecamatan trusts checked
        ),
        signature={
            "valid": True,
            "signer": check.signer,
            "desa_code": request.desa_code,
            "desa_name": str(desa) if desa else request.desa_code,
            "number": request.number,
            "checked_at": timezone.localtime().strftime("%d-%m-%Y %H:%M"),
            "via": str(PengantarRequest.Via(via).label),
            "pengantar": str(request.uuid),
        },
        actor_label=actor_label or _("%(title)s (tanda tangan elektronik)") % {"title": request.signer_title or SYSTEM},
    )
    request.application.refresh_from_db()  # submitted now, by applications' own service


def pengantar_refuse(*, request: PengantarRequest, actor, reason: str) -> PengantarRequest:
    """The desa will not give the pengantar: the citizen reads the reason; the draft is theirs again."""
    if not (can(actor, Capability.DRAFT_PENGANTAR) or can(actor, Capability.SIGN_PENGANTAR)):
        raise PengantarRefused(_("Peran Anda tidak dapat menolak permintaan pengantar."))
    if staff_desa_code(actor) != request.desa_code:
        raise PengantarRefused(_("Permintaan ini bukan untuk desa Anda."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Tulis alasan penolakan; alasan ini dikirim kepada pemohon."))
    with transaction.atomic():
        request = _locked_open(request)
        request.status = PengantarRequest.Status.REFUSED
        request.refused_reason = reason[:500]
        _answered(request)
        request.save()
        _event(request, "refused", actor=actor, note=reason)
        _fact(request)
        desa = desa_of(request.desa_code)
        application_services.application_pengantar_refused(
            application=request.application,
            reason=_("%(desa)s: %(reason)s") % {"desa": str(desa) if desa else request.desa_code, "reason": reason},
            actor_label=_label(actor),
        )
    return request


def desa_profile_update(*, actor, desa_code: str, **fields) -> DesaProfile:
    """Save the desa's template; a body using forbidden template tags is refused (render.TemplateRejected)."""
    if not can(actor, Capability.EDIT_DESA_TEMPLATE) or staff_desa_code(actor) != desa_code:
        raise PengantarRefused(_("Hanya operator atau Kepala Desa desa ini yang dapat mengubah templatnya."))
    if "body_html" in fields:
        render.compile_body(fields["body_html"])
    with transaction.atomic():
        profile = desa_profile(desa_code)
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.updated_by = actor
        profile.save()
    return profile


# ---------------------------------------------------------------------------- desa systems (API)
def desa_api_token_issue(*, actor, desa_code: str, name: str) -> tuple[DesaApiToken, str]:
    """A new token for a desa's information system; returns (row, token). Only its hash is kept."""
    if not can(actor, Capability.MANAGE_DESA_LINKS):
        raise PengantarRefused(_("Hanya admin kecamatan yang dapat menerbitkan token API desa."))
    if desa_of(desa_code) is None:
        raise ValidationError(_("Desa itu bukan bagian kecamatan ini. Pilih dari daftar."))
    name = (name or "").strip()[:100] or "OpenSID"
    raw = f"sdesa_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = DesaApiToken.objects.create(
            desa_code=desa_code, name=name, prefix=raw[:12], token_hash=token_hash(raw), created_by=actor
        )
        DesaApiEvent.objects.create(token=token, desa_code=desa_code, action="token_issued", outcome="ok", actor=actor)
    return token, raw


def desa_api_token_revoke(*, actor, token: DesaApiToken) -> DesaApiToken:
    if not can(actor, Capability.MANAGE_DESA_LINKS):
        raise PengantarRefused(_("Hanya admin kecamatan yang dapat mencabut token API desa."))
    with transaction.atomic():
        token = DesaApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = actor
            token.save(update_fields=["revoked_at", "revoked_by"])
            DesaApiEvent.objects.create(
                token=token, desa_code=token.desa_code, action="token_revoked", outcome="ok", actor=actor
            )
    return token


def desa_api_token_check(raw: str) -> DesaApiToken | None:
    """The live token this raw value is, or None (unknown or revoked)."""
    if not raw:
        return None
    token = DesaApiToken.objects.filter(token_hash=token_hash(raw), revoked_at__isnull=True).first()
    if token is not None:
        DesaApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def desa_api_event(*, token: DesaApiToken | None, action: str, outcome: str, reference: str = "", ip=None) -> None:
    DesaApiEvent.objects.create(
        token=token,
        desa_code=token.desa_code if token else "",
        action=action,
        outcome=outcome[:30],
        reference=reference[:40],
        ip_address=ip,
    )


def pengantar_push(*, token: DesaApiToken, reference: str, pdf: bytes, number: str = "", signer_title: str = ""):
    """A desa system delivers the signed pengantar of an application (by tracking code) of its own desa.

    Refused (PushRejected, nothing changes) when the application is not this desa's or no longer
    waits for its pengantar, or when the PDF is unsigned, altered after signing, signed by a
    certificate this kecamatan does not trust, or signed for another desa. Accepted: the
    application enters the kecamatan's queue, exactly as when signed inside the platform."""
    if len(pdf) > MAX_PUSH_BYTES:
        raise PushRejected(_("Berkas terlalu besar. Kirim PDF pengantar di bawah 10 MB."), code="too_large")
    if not pdf.startswith(b"%PDF-"):
        raise PushRejected(_("Berkas ini bukan PDF."), code="not_pdf")
    with transaction.atomic():
        request = (
            PengantarRequest.objects.select_for_update()
            .select_related("application")
            .filter(tracking_code=reference.strip().upper(), desa_code=token.desa_code)
            .order_by("-requested_at")
            .first()
        )
        if request is None or not request.is_open or request.application.status != ApplicationStatus.AWAITING_DESA:
            raise PushRejected(
                _("Tidak ada permohonan dengan kode lacak itu yang menunggu pengantar dari desa ini."), code="not_found"
            )
        check = _check_signed(pdf, desa_code=token.desa_code)
        if number.strip():
            request.number = number.strip()[:80]
        request.signer_name = check.signer[:150]
        request.signer_title = signer_title.strip()[:120]
        _hand_over(
            request,
            pdf=pdf,
            check=check,
            via=PengantarRequest.Via.API,
            actor_label=_("%(system)s (API desa)") % {"system": token.name},
        )
    return request


# ---------------------------------------------------------------------------- deadlines
def _staff_emails(*, capability: Capability, desa_code: str | None) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, staff__role__in=roles_with(capability), email__gt="")
        .order_by("pk")
    )
    if desa_code is not None:
        users = users.filter(staff__desa_code=desa_code)
    return list(users.values_list("email", flat=True))


def pengantar_deadlines_escalate(*, today=None) -> dict[str, int]:
    """Beat job, per kecamatan: a request still unanswered past the desa's deadline is escalated,
    once per step (deadlines.py): first to the desa's operator and Kepala Desa, one working day
    later to the kecamatan's office. Idempotent (each step is stamped on the request)."""
    today = today or timezone.localdate()
    counts = {"operator": 0, "kecamatan": 0}
    waiting = PengantarRequest.objects.filter(
        status__in=[PengantarRequest.Status.REQUESTED, PengantarRequest.Status.DRAFTED],
        application__status=ApplicationStatus.AWAITING_DESA,
        due_date__lt=today,
    )
    for pk in list(waiting.values_list("pk", flat=True)):
        with transaction.atomic():
            request = PengantarRequest.objects.select_for_update().get(pk=pk)
            step = deadlines.escalation_step(due=request.due_date, today=today)
            desa = desa_of(request.desa_code)
            context = {
                "tracking_code": request.tracking_code,
                "service_name": request.service_name,
                "desa_name": str(desa) if desa else request.desa_code,
                "due_date": request.due_date.strftime("%d-%m-%Y"),
                "kecamatan_name": connection.tenant.name,
                "link": kecamatan_url(connection.tenant, f"/kantor/desa/pengantar/{request.pk}/"),
            }
            if step >= deadlines.OPERATOR and request.operator_escalated_at is None:
                request.operator_escalated_at = timezone.now()
                recipients = _staff_emails(capability=Capability.VIEW_PENGANTAR, desa_code=request.desa_code)
                _escalate(request, recipients, context, step="operator")
                counts["operator"] += 1
            if step >= deadlines.KECAMATAN and request.kecamatan_escalated_at is None:
                request.kecamatan_escalated_at = timezone.now()
                recipients = _staff_emails(capability=Capability.REVIEW_APPLICATION, desa_code=None)
                _escalate(request, recipients, context, step="kecamatan")
                counts["kecamatan"] += 1
            request.save(update_fields=["operator_escalated_at", "kecamatan_escalated_at"])
    return counts


def _escalate(request: PengantarRequest, recipients: list[str], context: dict, *, step: str) -> None:
    for email in recipients:
        outbox_emit(
            event=f"pengantar.overdue.{step}",
            template=f"pengantar_overdue_{step}",
            context=context,
            email=email,
            dedupe_key=f"pengantar:{request.pk}:overdue:{step}:{email}",
        )
    _event(request, f"escalated_{step}", actor_label=SYSTEM, data={"recipients": len(recipients)})
