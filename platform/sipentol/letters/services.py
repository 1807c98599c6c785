"""Writes for letters: numbering, drafting, signing (single and batch), revocation, templates.

Every state change is one transaction that also writes a LetterEvent row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from services_catalog.configured.models import KecamatanService
from services_catalog.configured.selectors import service_letter_classification
from sipentol.accounts.models import StaffEvent
from sipentol.accounts.permissions import Capability, can, holds_signing_certificate
from sipentol.accounts.services import staff_event_record
from sipentol.docengine import render
from sipentol.docengine.pki import NotACaCertificate, ca_certificate_parse, certificate_pem_info
from sipentol.docengine.signing import BsreUserStatus, SigningError, bsre_user_status
from sipentol.lib import sequences, storage
from sipentol.lib.signature_footer import bsre_footer_lines
from tenants.selectors import kecamatan_url
from tenants.services import ops_event_record

from . import pki
from .catalog import DEFAULT_LETTERS, default_template_source
from .models import (
    Letter,
    LetterEvent,
    LetterSequence,
    LetterSettings,
    LetterTemplate,
    SignerCredential,
    SigningBatch,
    SigningBatchItem,
    SigningDelegation,
    TrustAnchor,
)
from .selectors import letter_template_is_stale_default, letter_templates_from_regency_template
from .signers import adapter_for

_NIK_RE = re.compile(r"^\d{16}$")
TRIAL_NUMBER_PREFIX = "UJI-COBA"


class SigningRefused(PermissionDenied):
    """The user may not sign now; str(exc) says why and what to do, in Bahasa Indonesia."""


# ---------------------------------------------------------------------------- helpers
def _kecamatan():
    return connection.tenant


def letter_settings() -> LetterSettings:
    settings_row = LetterSettings.objects.first()
    return settings_row or LetterSettings.objects.create()


def unit_code_default(kemendagri_code: str) -> str:
    """'35.16.16' -> '416-316.16', the regency's pattern for a kecamatan's unit code."""
    parts = kemendagri_code.split(".")
    if len(parts) != 3:
        return kemendagri_code
    return f"416-3{parts[1]}.{parts[2]}"


def letter_unit_code() -> str:
    return letter_settings().unit_code or unit_code_default(_kecamatan().code)


def _kecamatan_context() -> dict:
    kecamatan = _kecamatan()
    return {
        "name": kecamatan.name,
        "address": kecamatan.address or f"Kecamatan {kecamatan.name}, Kabupaten Mojokerto",
        "phone": kecamatan.phone,
        "email": kecamatan.email,
        "city": letter_settings().city,
    }


def letter_verify_url(letter: Letter) -> str:
    return kecamatan_url(_kecamatan(), f"/verifikasi/{letter.uuid}/")


def _event(letter: Letter, *, actor, action: str, from_status: str = "", note: str = "") -> None:
    LetterEvent.objects.create(
        letter=letter,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=from_status,
        to_status=letter.status,
        note=note[:300],
    )


def letter_classification_for(service_slug: str) -> str:
    """The code a letter of the service is numbered with: the service's, as its configuration page shows it."""
    try:
        return service_letter_classification(slug=service_slug)
    except KecamatanService.DoesNotExist:
        raise ValidationError(
            _("Layanan “%(slug)s” tidak ada di kecamatan ini, jadi surat tidak dapat diberi nomor.")
            % {"slug": service_slug}
        ) from None


def _template_for(service_slug: str) -> LetterTemplate:
    template = LetterTemplate.objects.filter(service_slug=service_slug).first()
    if template is None and service_slug in DEFAULT_LETTERS:
        letter_templates_init()
        template = LetterTemplate.objects.filter(service_slug=service_slug).first()
    if template is None:
        raise ValidationError(_("Templat surat untuk layanan ini belum ada. Minta admin kecamatan membuatnya."))
    return template


def _store_pdf(pdf: bytes) -> str:
    return storage.put(io.BytesIO(pdf), content_type="application/pdf", length=len(pdf))


def letterhead_logo() -> tuple[bytes, str] | None:
    """This kecamatan's uploaded letterhead logo (bytes, content type), or None (the fixed logo)."""
    row = letter_settings()
    if not row.logo_key:
        return None
    return storage.get(row.logo_key), row.logo_content_type


def _render(
    letter: Letter, template: LetterTemplate, *, signature: dict | None, on: dt.date, bsre: bool = False
) -> bytes:
    """The letter's PDF; signed through BSrE, it carries the BSrE footer (lib/signature_footer)."""
    return render.render_letter_pdf(
        footer_lines=bsre_footer_lines() if bsre else None,
        logo=letterhead_logo(),
        trial=letter.is_trial,
        body_html=template.html,
        css=template.css,
        title=letter.title,
        kecamatan=_kecamatan_context(),
        number=letter.number,
        date=on,
        holder={"name": letter.holder_name, "nik": letter.holder_nik},
        data=letter.subject_data,
        signature=signature,
        verify_url=letter_verify_url(letter),
    )


# ---------------------------------------------------------------------------- numbering
def letter_number_next(*, classification: str, unit_code: str, year: int) -> tuple[str, int]:
    """The next number of `year`: '[klasifikasi]/[urut]/[kode unit]/[tahun]' and its sequence.

    Locks the year's row (SELECT ... FOR UPDATE) until the caller's transaction ends: call it
    inside the transaction that stores the number, so that a rollback gives the number back
    and no gap or duplicate can appear.
    """
    number = sequences.next_number(LetterSequence, year=year)
    return f"{classification}/{number:04d}/{unit_code}/{year}", number


# ---------------------------------------------------------------------------- drafting
def letter_draft(
    *,
    application_id: int | None,
    service_slug: str,
    holder_name: str,
    holder_nik: str,
    subject_data: dict,
    actor,
    trial: bool = False,
) -> Letter:
    """Create a draft letter and store its preview PDF (no number, no signature yet).

    `trial`: the letter of a trial application (marked "UJI COBA", numbered apart at signing).

    The classification code is the service's (letter_classification_for), read again when the
    letter is numbered at signing.
    """
    if not _NIK_RE.match(holder_nik or ""):
        raise ValidationError(_("NIK harus 16 angka. Periksa kembali NIK pemohon."))
    template = _template_for(service_slug)
    classification = letter_classification_for(service_slug)
    with transaction.atomic():
        letter = Letter.objects.create(
            application_id=application_id,
            service_slug=service_slug,
            title=template.title,
            classification=classification,
            holder_name=holder_name.strip(),
            holder_nik=holder_nik,
            subject_data=render.plain_value(subject_data),
            created_by=actor if getattr(actor, "pk", None) else None,
            is_trial=trial,
        )
        letter.pdf_key = _store_pdf(_render(letter, template, signature=None, on=timezone.localdate()))
        letter.save(update_fields=["pdf_key"])
        _event(letter, actor=actor, action="drafted")
    return letter


def letter_submit_for_signature(*, letter: Letter, actor) -> Letter:
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status == Letter.Status.AWAITING_SIGNATURE:
            return letter
        if letter.status != Letter.Status.DRAFT:
            raise ValidationError(_("Hanya draf surat yang dapat dikirim ke antrean tanda tangan."))
        letter.status = Letter.Status.AWAITING_SIGNATURE
        letter.save(update_fields=["status", "updated_at"])
        _event(letter, actor=actor, action="submitted", from_status=Letter.Status.DRAFT)
    return letter


# ---------------------------------------------------------------------------- signing
def signing_capacity(user, *, on: dt.date) -> str:
    """'camat', or 'an'/'plh' for a delegate inside an active delegation; else SigningRefused."""
    if can(user, Capability.SIGN_AS_CAMAT):
        return Letter.Capacity.CAMAT
    delegation = (
        SigningDelegation.objects.filter(delegate=user, starts_on__lte=on, ends_on__gte=on)
        .order_by("-starts_on")
        .first()
    )
    if delegation is None or not can(user, Capability.SIGN_BY_DELEGATION):
        raise SigningRefused(
            _(
                "Anda tidak berwenang menandatangani surat hari ini: hanya Camat, atau pejabat yang "
                "ditunjuk selama Camat berhalangan. Minta admin mencatat pelimpahan wewenang."
            )
        )
    return delegation.capacity


def _content_hash(letter: Letter, template: LetterTemplate, signature: dict, on: dt.date) -> str:
    payload = {
        "html": template.html,
        "css": template.css,
        "data": letter.subject_data,
        "holder": [letter.holder_name, letter.holder_nik],
        "number": letter.number,
        "signature": signature,
        "date": on.isoformat(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def letter_sign(
    *,
    letter: Letter,
    signer_user,
    second_factor_ok: bool,
    passphrase: str | None = None,
    batch_item: SigningBatchItem | None = None,
) -> Letter:
    """Number (if needed), render and PAdES-sign one letter; store the signed PDF.

    Idempotent: a letter already signed is returned as it is (same number, same file). Runs in
    one transaction holding the letter's row and the year's sequence row, so a failure gives the
    number back (no gaps); called inside a caller's transaction (the application's sign-and-issue
    step), it commits with that. With `batch_item`, the item is marked signed in the same
    transaction. The passphrase (BSrE) is passed on and never stored.
    """
    if not second_factor_ok:
        raise SigningRefused(_("Konfirmasi dulu dengan kode verifikasi (faktor kedua), lalu tanda tangani lagi."))
    today = timezone.localdate()
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status == Letter.Status.SIGNED:
            _batch_item_finish(batch_item, SigningBatchItem.State.SIGNED)
            return letter
        if letter.status != Letter.Status.AWAITING_SIGNATURE:
            raise ValidationError(
                _("Surat %(title)s tidak menunggu tanda tangan (status: %(status)s).")
                % {"title": letter.title, "status": letter.get_status_display()}
            )
        capacity = signing_capacity(signer_user, on=today)
        credential = (
            SignerCredential.objects.filter(user=signer_user, is_active=True).order_by("-created_at", "-pk").first()
        )
        if credential is None:
            raise SigningRefused(_("Anda belum memiliki sertifikat tanda tangan elektronik. Hubungi admin kecamatan."))
        template = _template_for(letter.service_slug)
        if not letter.number:
            # The service's code now, as its configuration page shows it, even if changed since the draft.
            letter.classification = letter_classification_for(letter.service_slug)
            if letter.is_trial:
                # Outside the year's sequence: a trial never takes (or leaves a gap in) a real number.
                letter.number = f"{TRIAL_NUMBER_PREFIX}/{letter.pk:04d}/{letter_unit_code()}/{today.year}"
            else:
                letter.number, letter.sequence = letter_number_next(
                    classification=letter.classification, unit_code=letter_unit_code(), year=today.year
                )
            letter.year = today.year
        profile = getattr(signer_user, "staff", None)
        signature = {
            "capacity": capacity,
            "name": signer_user.get_full_name() or signer_user.get_username(),
            "nip": getattr(profile, "nip", ""),
            "position": getattr(profile, "position", "") or _("Sekretaris Kecamatan"),
        }
        letter.content_sha256 = _content_hash(letter, template, signature, today)
        pdf = _render(
            letter, template, signature=signature, on=today, bsre=credential.kind == SignerCredential.Kind.BSRE
        )
        signed = adapter_for(credential).sign(
            pdf,
            passphrase=passphrase,
            reason=_("Surat %(number)s") % {"number": letter.number},
            location=_("Kecamatan %(name)s") % {"name": _kecamatan().name},
        )
        letter.signed_pdf_key = _store_pdf(signed)
        letter.signed_sha256 = hashlib.sha256(signed).hexdigest()
        letter.signed_at = timezone.now()
        letter.signer_name = signature["name"]
        letter.signer_nip = signature["nip"]
        letter.signer_position = signature["position"] if capacity == Letter.Capacity.AN else ""
        letter.signer_capacity = capacity
        letter.status = Letter.Status.SIGNED
        letter.save()
        _event(
            letter, actor=signer_user, action="signed", from_status=Letter.Status.AWAITING_SIGNATURE, note=letter.number
        )
        _batch_item_finish(batch_item, SigningBatchItem.State.SIGNED)
    return letter


# ---------------------------------------------------------------------------- batches
# How long one second-factor confirmation authorises the signing of its batch: long enough for
# a worker restart and the sweep, short enough that an old confirmation cannot sign new work.
BATCH_VALID_HOURS = 12


def signing_batch_create(*, letters: list[Letter], signer_user, second_factor_ok: bool) -> SigningBatch:
    """Record a batch of letters to sign after ONE second-factor check; the work is queued by the caller.

    Refused without the second factor or when the user may not sign today (SigningRefused);
    letters no longer awaiting signature are left out.
    """
    if not second_factor_ok:
        raise SigningRefused(_("Konfirmasi dulu dengan kode verifikasi (faktor kedua), lalu tanda tangani lagi."))
    signing_capacity(signer_user, on=timezone.localdate())
    waiting = [letter for letter in letters if letter.status == Letter.Status.AWAITING_SIGNATURE]
    if not waiting:
        raise ValidationError(_("Pilih minimal satu surat yang menunggu tanda tangan."))
    with transaction.atomic():
        batch = SigningBatch.objects.create(signer=signer_user)
        SigningBatchItem.objects.bulk_create([SigningBatchItem(batch=batch, letter=letter) for letter in waiting])
    return batch


def signing_batch_valid(batch: SigningBatch) -> bool:
    return batch.created_at >= timezone.now() - dt.timedelta(hours=BATCH_VALID_HOURS)


def signing_batch_items_mark_queued(item_ids: list[int]) -> None:
    SigningBatchItem.objects.filter(pk__in=item_ids).update(queued_at=timezone.now())


def signing_batch_item_fail(*, item: SigningBatchItem, error: str) -> None:
    """The item cannot be signed (refused, or the confirmation expired): say why, once."""
    with transaction.atomic():
        locked = SigningBatchItem.objects.select_for_update().get(pk=item.pk)
        if locked.state == SigningBatchItem.State.PENDING:
            _batch_item_finish(locked, SigningBatchItem.State.FAILED, error=error)


def _batch_item_finish(item: SigningBatchItem | None, state: str, *, error: str = "") -> None:
    if item is None:
        return
    SigningBatchItem.objects.filter(pk=item.pk, state=SigningBatchItem.State.PENDING).update(
        state=state, error=error[:300], finished_at=timezone.now()
    )


# ---------------------------------------------------------------------------- after signing
def letter_revoke(*, letter: Letter, actor, reason: str) -> Letter:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Tuliskan alasan pencabutan surat."))
    if not can(actor, Capability.REVOKE_LETTER):
        raise PermissionDenied(_("Hanya Camat atau admin kecamatan yang dapat mencabut surat."))
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != Letter.Status.SIGNED:
            raise ValidationError(_("Hanya surat yang sudah ditandatangani dan masih berlaku yang dapat dicabut."))
        letter.status = Letter.Status.REVOKED
        letter.revoked_reason = reason[:300]
        letter.save(update_fields=["status", "revoked_reason", "updated_at"])
        _event(letter, actor=actor, action="revoked", from_status=Letter.Status.SIGNED, note=reason)
    return letter


# ---------------------------------------------------------------------------- templates
def letter_templates_init() -> int:
    """Create this kecamatan's missing letter templates from templates_default/, and refresh the
    ones no admin has edited (updated_by empty) when the defaults change. Idempotent; returns
    how many were created or refreshed."""
    changed = 0
    given = letter_templates_from_regency_template()  # kept: the model kecamatan's wording
    for slug, title in DEFAULT_LETTERS.items():
        html, css = default_template_source(slug)
        template, was_created = LetterTemplate.objects.get_or_create(
            service_slug=slug,
            defaults={"title": title, "html": html, "css": css},
        )
        if not was_created and letter_template_is_stale_default(template, given):
            template.html, template.css = html, css
            template.save(update_fields=["html", "css", "updated_at"])
            was_created = True
        changed += was_created
    return changed


def letter_template_update(*, template: LetterTemplate, html: str, css: str, actor) -> LetterTemplate:
    """Save an admin's edit of the body; a template using forbidden tags is refused (render.TemplateRejected).

    The classification code is not the template's: it is edited on the service's configuration page.
    """
    render.compile_body(html)
    template.html = html
    template.css = css
    template.updated_by = actor
    template.save()
    return template


def letter_template_preview(html: str, css: str, sample_data: dict) -> bytes:
    """A PDF of the template filled with sample data, for the admin's live preview."""
    return render.render_letter_pdf(
        body_html=html,
        css=css,
        title=str(sample_data.get("title", _("Pratinjau Surat"))),
        kecamatan=_kecamatan_context(),
        number=None,
        date=timezone.localdate(),
        holder={
            "name": sample_data.get("holder_name", "Siti Aminah"),
            "nik": sample_data.get("holder_nik", "3516160101900001"),
        },
        data=sample_data,
        signature=None,
        verify_url=None,
        logo=letterhead_logo(),
    )


# ---------------------------------------------------------------------------- delegations
def signing_delegation_create(
    *, delegate, capacity: str, starts_on: dt.date, ends_on: dt.date, note: str = "", actor
) -> SigningDelegation:
    """Record who signs for the Camat while away (a.n. / Plh.), for a date range. Camat or admin only."""
    if not can(actor, Capability.MANAGE_DELEGATIONS):
        raise PermissionDenied(_("Hanya Camat atau admin kecamatan yang dapat mencatat pelimpahan wewenang."))
    if capacity not in SigningDelegation.Capacity.values:
        raise ValidationError(_("Pilih sebutan: a.n. Camat atau Plh. Camat."))
    if ends_on < starts_on:
        raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    if can(delegate, Capability.SIGN_AS_CAMAT):
        raise ValidationError(_("Camat tidak perlu pelimpahan; pilih pejabat lain."))
    if not can(delegate, Capability.SIGN_BY_DELEGATION):
        raise ValidationError(_("Pejabat ini tidak dapat menerima pelimpahan tanda tangan. Pilih dari daftar."))
    return SigningDelegation.objects.create(
        delegate=delegate,
        capacity=capacity,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip()[:200],
        created_by=actor,
    )


# ---------------------------------------------------------------------------- signer certificates
MAX_P12_BYTES = 200 * 1024


def signer_certificate_upload(*, actor, user, p12: bytes, password: str) -> SignerCredential:
    """Import a signer's PKCS#12 (stored encrypted, password too); it replaces their active
    credential. Only for a role the permission table lets sign; recorded in the staff member's
    history (accounts' StaffEvent), never with the password."""
    if not holds_signing_certificate(user):
        raise ValidationError(str(SIGNER_ROLE_REFUSAL))
    if not p12:
        raise ValidationError(_("Pilih berkas sertifikat .p12 atau .pfx."))
    if len(p12) > MAX_P12_BYTES:
        raise ValidationError(
            _("Berkas terlalu besar untuk sebuah sertifikat. Unggah berkas .p12/.pfx (di bawah 200 KB).")
        )
    with transaction.atomic():
        try:
            credential = pki.signer_credential_import_p12(
                user=user, p12=p12, password=password.encode() if password else None
            )
        except (ValueError, TypeError):
            # cryptography says the same for a wrong password and a damaged file.
            raise ValidationError(
                _(
                    "Sertifikat tidak dapat dibuka: kata sandinya salah atau berkasnya bukan PKCS#12 (.p12/.pfx). "
                    "Periksa kata sandi, atau minta berkas baru dari penerbit sertifikat."
                )
            ) from None
        staff_event_record(
            actor=actor,
            staff=user,
            action=StaffEvent.Action.CERTIFICATE_UPLOADED,
            details={"valid_to": credential.valid_to.isoformat() if credential.valid_to else ""},
        )
    return credential


# Who may hold a credential is the permission table's SIGN_LETTERS (signing as Camat or by delegation).
SIGNER_ROLE_REFUSAL = _l(
    "Sertifikat tanda tangan hanya untuk Camat, Sekretaris Camat atau Kepala Desa. Ubah perannya dulu."
)


def _audit(*, actor, action: str, target: str = "", details: dict | None = None) -> None:
    """One line of the audit trail (tenants' OpsEvent, the one audit shape), never with a NIK or secret."""
    ops_event_record(
        kecamatan=_kecamatan(),
        actor=f"{actor.get_username()}@{_kecamatan().slug}",
        action=action,
        target=target,
        details=details,
    )


def signer_bsre_enrol(*, actor, user, nik: str, user_id: str) -> SignerCredential:
    """Enrol a signer with BSrE (their NIK and BSrE user id); it replaces their active credential.
    Any role that may sign (as Camat or by delegation) can hold one. Audited without the NIK."""
    if not can(user, Capability.SIGN_LETTERS):
        raise ValidationError(str(SIGNER_ROLE_REFUSAL))
    nik, user_id = (nik or "").strip(), (user_id or "").strip()
    if not _NIK_RE.match(nik):
        raise ValidationError(_("NIK penanda tangan harus 16 angka, sama dengan NIK yang terdaftar di BSrE."))
    if not user_id or len(user_id) > 120:
        raise ValidationError(_("Isi ID pengguna BSrE penanda tangan (akun yang didaftarkan di BSrE)."))
    with transaction.atomic():
        credential = pki.signer_credential_bsre(user=user, nik=nik, user_id=user_id)
        staff_event_record(
            actor=actor, staff=user, action=StaffEvent.Action.CERTIFICATE_UPLOADED, details={"kind": "bsre"}
        )
        _audit(actor=actor, action="bsre_signer_enrolled", target=user.get_username())
    return credential


def signer_bsre_check(*, actor, credential: SignerCredential) -> BsreUserStatus:
    """The enrolment page's "test" button: ask BSrE about this signer and keep its answer (and the
    certificate's validity when BSrE gives the certificate). A BSrE that cannot be used (not
    configured, unreachable, the regency's account refused) is an answer too, shown as it is."""
    try:
        status = bsre_user_status(nik=credential.bsre_nik, user_id=credential.bsre_user_id)
    except SigningError as exc:
        status = BsreUserStatus(ok=False, message=str(exc))
    with transaction.atomic():
        credential.bsre_checked_at = timezone.now()
        credential.bsre_check_ok = status.ok
        credential.bsre_check_message = status.message[:300]
        fields = ["bsre_checked_at", "bsre_check_ok", "bsre_check_message"]
        if status.certificate_pem:
            try:
                info = certificate_pem_info(status.certificate_pem)
            except ValueError:
                pass  # BSrE's answer stands; only the validity stays unknown
            else:
                credential.certificate_pem, credential.valid_from, credential.valid_to = (
                    info.certificate_pem,
                    info.valid_from,
                    info.valid_to,
                )
                fields += ["certificate_pem", "valid_from", "valid_to"]
        credential.save(update_fields=fields)
        _audit(
            actor=actor,
            action="bsre_signer_checked",
            target=credential.user.get_username(),
            details={"ok": status.ok},
        )
    return status


MAX_CA_CERTIFICATE_BYTES = 64 * 1024


def trust_anchor_register(*, actor, data: bytes, name: str = "") -> TrustAnchor:
    """Register a root or intermediate CA certificate (PEM or DER) used to validate this
    kecamatan's signed letters; a self-signed certificate is a root, any other an intermediate.
    Refuses garbage, a signer's certificate and a certificate already registered. Audited."""
    if not data:
        raise ValidationError(_("Pilih berkas sertifikat CA (.crt, .cer atau .pem)."))
    if len(data) > MAX_CA_CERTIFICATE_BYTES:
        raise ValidationError(_("Berkas terlalu besar untuk sebuah sertifikat (di atas 64 KB)."))
    try:
        parsed = ca_certificate_parse(data)
    except NotACaCertificate as exc:
        raise ValidationError(str(exc)) from None
    kind = TrustAnchor.Kind.ROOT if parsed.self_signed else TrustAnchor.Kind.INTERMEDIATE
    with transaction.atomic():
        if TrustAnchor.objects.filter(fingerprint_sha256=parsed.fingerprint_sha256, removed_at__isnull=True).exists():
            raise ValidationError(_("Sertifikat ini sudah terdaftar."))
        anchor = TrustAnchor.objects.create(
            name=(name or "").strip()[:150] or parsed.subject[:150],
            kind=kind,
            certificate_pem=parsed.certificate_pem,
            fingerprint_sha256=parsed.fingerprint_sha256,
            valid_to=parsed.valid_to,
            added_by=actor,
        )
        _audit(actor=actor, action=f"trust_{kind}_registered", target=parsed.fingerprint_sha256[:64])
    return anchor


def trust_anchor_remove(*, actor, anchor: TrustAnchor) -> TrustAnchor:
    """Stop trusting a registered certificate; its row stays as the record of who added and removed it."""
    with transaction.atomic():
        anchor.removed_at, anchor.removed_by = timezone.now(), actor
        anchor.save(update_fields=["removed_at", "removed_by"])
        _audit(actor=actor, action=f"trust_{anchor.kind}_removed", target=anchor.fingerprint_sha256 or anchor.name)
    return anchor


# ---------------------------------------------------------------------------- letterhead
LOGO_TYPES = ["image/png", "image/jpeg"]
LOGO_MAX_MB = 2


def letterhead_logo_upload(*, fileobj, original_name: str, actor) -> LetterSettings:
    """Store the kecamatan's letterhead logo (checked, scanned and re-encoded by lib/uploads) and
    use it on every letter rendered from now on. The previous logo object is deleted after commit."""
    from sipentol.lib.uploads import store_upload

    stored = store_upload(
        fileobj,
        original_name=original_name,
        label=_("Logo kop surat"),
        accepted_types=LOGO_TYPES,
        max_image_mb=LOGO_MAX_MB,
    )
    if stored.scan_status != "clean":
        storage.delete(stored.key)
        raise ValidationError(
            _(
                "Pemeriksa antivirus sedang tidak dapat dihubungi, jadi logo belum disimpan. "
                "Unggah lagi dalam satu menit."
            )
        )
    with transaction.atomic():
        row = LetterSettings.objects.select_for_update().filter(pk=letter_settings().pk).get()
        previous = row.logo_key
        row.logo_key, row.logo_content_type, row.logo_sha256 = stored.key, stored.content_type, stored.sha256
        row.save(update_fields=["logo_key", "logo_content_type", "logo_sha256", "updated_at"])
        if previous:
            transaction.on_commit(lambda: storage.delete(previous))
        ops_event_record(
            kecamatan=_kecamatan(),
            actor=f"{actor.get_username()}@{_kecamatan().slug}",
            action="letterhead_logo",
            reason=stored.sha256,
        )
    return row


# ---------------------------------------------------------------------------- trial data
def letters_delete_for_applications(application_ids: list[int]) -> list[str]:
    """Delete the letters of these (trial) applications with their events and batch items, in the
    caller's transaction; returns the storage keys of their PDFs, to delete after commit."""
    letters = Letter.objects.filter(application_id__in=application_ids)
    keys = [k for pair in letters.values_list("pdf_key", "signed_pdf_key") for k in pair if k]
    SigningBatchItem.objects.filter(letter__in=letters).delete()
    LetterEvent.objects.filter(letter__in=letters).delete()
    Letter.objects.filter(replaced_by__in=letters).update(replaced_by=None)
    letters.delete()
    return keys
