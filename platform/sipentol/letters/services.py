"""Writes for letters: numbering, drafting, signing (single and batch), revocation, templates.

Every state change is one transaction that also writes a LetterEvent row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sipentol.accounts.permissions import Capability, can
from sipentol.lib import storage

from . import render
from .catalog import DEFAULT_LETTERS
from .models import (
    Letter,
    LetterEvent,
    LetterSequence,
    LetterSettings,
    LetterTemplate,
    SignerCredential,
    SigningDelegation,
)

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates_default"
_NIK_RE = re.compile(r"^\d{16}$")


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
    from tenants.selectors import kecamatan_url

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


def _render(letter: Letter, template: LetterTemplate, *, signature: dict | None, on: dt.date) -> bytes:
    return render.render_letter_pdf(
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
    with transaction.atomic():
        LetterSequence.objects.bulk_create([LetterSequence(year=year)], ignore_conflicts=True)
        sequence = LetterSequence.objects.select_for_update().get(year=year)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
    return f"{classification}/{sequence.last_number:04d}/{unit_code}/{year}", sequence.last_number


# ---------------------------------------------------------------------------- drafting
def letter_draft(
    *,
    application_id: int | None,
    service_slug: str,
    classification: str,
    holder_name: str,
    holder_nik: str,
    subject_data: dict,
    actor,
) -> Letter:
    """Create a draft letter and store its preview PDF (no number, no signature yet)."""
    if not _NIK_RE.match(holder_nik or ""):
        raise ValidationError(_("NIK harus 16 angka. Periksa kembali NIK pemohon."))
    template = _template_for(service_slug)
    with transaction.atomic():
        letter = Letter.objects.create(
            application_id=application_id,
            service_slug=service_slug,
            title=template.title,
            classification=classification or template.classification,
            holder_name=holder_name.strip(),
            holder_nik=holder_nik,
            subject_data=render.plain_value(subject_data),
            created_by=actor if getattr(actor, "pk", None) else None,
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


def letter_sign(*, letter: Letter, signer_user, second_factor_ok: bool, passphrase: str | None = None) -> Letter:
    """Number (if needed), render and PAdES-sign one letter; store the signed PDF.

    Idempotent: a letter already signed is returned as it is (same number, same file). Runs in
    one transaction holding the letter's row and the year's sequence row, so a failure gives the
    number back (no gaps). The passphrase (BSrE) is passed on and never stored.
    """
    if not second_factor_ok:
        raise SigningRefused(_("Konfirmasi dulu dengan kode verifikasi (faktor kedua), lalu tanda tangani lagi."))
    from . import signing

    today = timezone.localdate()
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status == Letter.Status.SIGNED:
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
        pdf = _render(letter, template, signature=signature, on=today)
        signed = signing.adapter_for(credential).sign(
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
    return letter


def letters_sign_batch(
    *, letters: list[Letter], signer_user, second_factor_ok: bool, passphrase: str | None = None
) -> list[Letter]:
    """Sign several letters after one second-factor confirmation, each in its own transaction.

    If one fails the error is raised; letters signed before it stay signed, and running the
    batch again only signs the rest (letter_sign is idempotent).
    """
    if not second_factor_ok:
        raise SigningRefused(_("Konfirmasi dulu dengan kode verifikasi (faktor kedua), lalu tanda tangani lagi."))
    return [
        letter_sign(letter=letter, signer_user=signer_user, second_factor_ok=True, passphrase=passphrase)
        for letter in letters
    ]


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


def letter_mark_replaced(*, letter: Letter, replacement: Letter, actor) -> Letter:
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != Letter.Status.SIGNED or replacement.status != Letter.Status.SIGNED:
            raise ValidationError(_("Surat lama dan surat pengganti harus sudah ditandatangani."))
        letter.status = Letter.Status.REPLACED
        letter.replaced_by = replacement
        letter.save(update_fields=["status", "replaced_by", "updated_at"])
        _event(letter, actor=actor, action="replaced", from_status=Letter.Status.SIGNED, note=replacement.number or "")
    return letter


# ---------------------------------------------------------------------------- templates
def letter_templates_init() -> int:
    """Create this kecamatan's missing letter templates from templates_default/, and refresh the
    ones no admin has edited (updated_by empty) when the defaults change. Idempotent; returns
    how many were created or refreshed."""
    css = (TEMPLATES_DIR / "letter.css").read_text()
    changed = 0
    for slug, (title, classification) in DEFAULT_LETTERS.items():
        html = (TEMPLATES_DIR / f"{slug}.html").read_text()
        template, was_created = LetterTemplate.objects.get_or_create(
            service_slug=slug,
            defaults={"title": title, "classification": classification, "html": html, "css": css},
        )
        if not was_created and template.updated_by_id is None and (template.html, template.css) != (html, css):
            template.html, template.css = html, css
            template.save(update_fields=["html", "css", "updated_at"])
            was_created = True
        changed += was_created
    return changed


def letter_template_update(
    *, template: LetterTemplate, html: str, css: str, actor, classification: str = ""
) -> LetterTemplate:
    """Save an admin's edit; a template using forbidden tags is refused (render.TemplateRejected)."""
    render.compile_body(html)
    template.html = html
    template.css = css
    if classification:
        template.classification = classification
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
