"""Reads for letters: public lookup by QR id, verification of an uploaded PDF, templates for the admin."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .catalog import DEFAULT_LETTERS, default_template_source
from .models import Letter, LetterTemplate, TrustAnchor

PUBLIC_STATUSES = (Letter.Status.SIGNED, Letter.Status.REVOKED, Letter.Status.REPLACED)


@dataclass
class VerificationResult:
    exact_match: bool  # byte for byte the issued file
    signature_valid: bool  # intact, trusted by this kecamatan's CA, covering the whole file
    letter_valid: bool  # the letter itself is still in force (not revoked/replaced)
    message: str

    @property
    def ok(self) -> bool:
        return self.exact_match and self.signature_valid and self.letter_valid


def letter_get_public(uuid) -> Letter | None:
    """A letter the public verification page may show (signed, revoked or replaced)."""
    return Letter.objects.filter(uuid=uuid, status__in=PUBLIC_STATUSES).select_related("replaced_by").first()


def trust_anchor_pems() -> list[str]:
    return list(TrustAnchor.objects.values_list("certificate_pem", flat=True))


def letter_verify_upload(*, letter: Letter, pdf_bytes: bytes) -> VerificationResult:
    """Is `pdf_bytes` exactly this issued letter, with a valid signature, and still in force?"""
    from .signing import pdf_signature_check

    exact = bool(letter.signed_sha256) and hashlib.sha256(pdf_bytes).hexdigest() == letter.signed_sha256
    check = pdf_signature_check(pdf_bytes, trust_pems=trust_anchor_pems())
    in_force = letter.status == Letter.Status.SIGNED
    if exact and check.valid and in_force:
        message = _("Berkas ini sama persis dengan surat yang diterbitkan dan tanda tangan elektroniknya sah.")
    elif exact and check.valid:
        message = _("Berkas ini surat yang diterbitkan, tetapi surat tersebut sudah %(status)s.") % {
            "status": letter.get_status_display().lower()
        }
    elif check.valid:
        message = _(
            "Tanda tangan pada berkas ini sah, tetapi berkas ini BUKAN surat dengan nomor ini. "
            "Periksa QR code pada berkas tersebut."
        )
    else:
        message = _(
            "Berkas ini TIDAK sama dengan surat yang diterbitkan atau tanda tangannya tidak sah "
            "(berkas telah diubah). Minta salinan asli ke kantor kecamatan."
        )
    return VerificationResult(exact_match=exact, signature_valid=check.valid, letter_valid=in_force, message=message)


# ------------------------------------------------------------------ templates, as the admin edits them
def _default_template(slug: str) -> LetterTemplate:
    title, classification = DEFAULT_LETTERS[slug]
    html, css = default_template_source(slug)
    return LetterTemplate(service_slug=slug, title=title, classification=classification, html=html, css=css)


def letter_templates_for_admin() -> list[LetterTemplate]:
    """Every letter template of the kecamatan: the stored ones, and for a default letter not
    stored yet its default as an unsaved instance (stored by the admin's first save, or by the
    first letter drafted from it). A read: opening the templates page writes nothing."""
    templates = {t.service_slug: t for t in LetterTemplate.objects.all()}
    for slug in DEFAULT_LETTERS:
        templates.setdefault(slug, _default_template(slug))
    return sorted(templates.values(), key=lambda t: t.title)


def letter_template_for_admin(slug: str) -> LetterTemplate | None:
    """The stored template of a service, else its unsaved default, else None."""
    template = LetterTemplate.objects.filter(service_slug=slug).first()
    if template is None and slug in DEFAULT_LETTERS:
        template = _default_template(slug)
    return template


def letter_templates_outdated() -> int:
    """How many stored templates no admin has edited differ from today's defaults
    (`services.letter_templates_init` refreshes them, on the admin's request)."""
    return sum(
        1
        for t in LetterTemplate.objects.filter(updated_by__isnull=True, service_slug__in=list(DEFAULT_LETTERS))
        if (t.html, t.css) != default_template_source(t.service_slug)
    )
