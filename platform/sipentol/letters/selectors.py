"""Reads for letters: the current letter of an application, signing batches, public lookup by
QR id, verification of an uploaded PDF, templates for the admin."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from services_catalog.blueprints import template_applied_section

from .catalog import DEFAULT_LETTERS, default_template_source
from .models import Letter, LetterTemplate, SignerCredential, SigningBatch, SigningBatchItem, TrustAnchor

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


def letter_current(*, application_id: int) -> Letter | None:
    """The application's letter in force or in the making (revoked and replaced ones are history)."""
    return (
        Letter.objects.filter(application_id=application_id)
        .exclude(status__in=[Letter.Status.REVOKED, Letter.Status.REPLACED])
        .order_by("-created_at")
        .first()
    )


def letters_awaiting_signature() -> QuerySet[Letter]:
    return Letter.objects.filter(status=Letter.Status.AWAITING_SIGNATURE).order_by("created_at")


def signed_letters_of(application_ids) -> QuerySet[Letter]:
    return Letter.objects.filter(status=Letter.Status.SIGNED, application_id__in=application_ids)


def signing_batch_item(item_id: int) -> SigningBatchItem | None:
    return SigningBatchItem.objects.select_related("batch__signer", "letter").filter(pk=item_id).first()


def signing_batch_items_stale(*, older_than_seconds: int) -> list[int]:
    """Pending items queued longer ago than that (their worker died or the broker lost them)."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return list(
        SigningBatchItem.objects.filter(state=SigningBatchItem.State.PENDING)
        .filter(Q(queued_at__lt=cutoff) | Q(queued_at=None))
        .values_list("pk", flat=True)
    )


def letters_in_pending_batch() -> QuerySet:
    """Ids of letters a batch is signing right now (not to be offered for signing again)."""
    return SigningBatchItem.objects.filter(state=SigningBatchItem.State.PENDING).values("letter_id")


def signing_batches_recent(user, *, limit: int = 5) -> list[SigningBatch]:
    """The user's latest batches with their progress (total, signed, failed) and the failed
    items with their reasons, newest first."""
    batches = list(
        SigningBatch.objects.filter(signer=user)
        .annotate(
            total=Count("items"),
            signed=Count("items", filter=Q(items__state=SigningBatchItem.State.SIGNED)),
            failed=Count("items", filter=Q(items__state=SigningBatchItem.State.FAILED)),
        )
        .order_by("-created_at")[:limit]
    )
    for batch in batches:
        batch.failures = list(batch.items.filter(state=SigningBatchItem.State.FAILED).select_related("letter"))
    return batches


def signer_credential_active(*, user) -> SignerCredential | None:
    """The signer's active credential, with its certificate's subject as `subject` (or None)."""
    credential = SignerCredential.objects.filter(user=user, is_active=True).order_by("-created_at").first()
    if credential is None:
        return None
    credential.subject = ""
    if credential.certificate_pem:
        from cryptography import x509

        try:
            credential.subject = x509.load_pem_x509_certificate(
                credential.certificate_pem.encode()
            ).subject.rfc4514_string()
        except ValueError:
            credential.subject = ""
    return credential


def letter_get_public(uuid) -> Letter | None:
    """A letter the public verification page may show (signed, revoked or replaced)."""
    return Letter.objects.filter(uuid=uuid, status__in=PUBLIC_STATUSES).select_related("replaced_by").first()


def trust_anchor_pems(kind: str = TrustAnchor.Kind.ROOT) -> list[str]:
    """The kecamatan's registered (not removed) root or intermediate certificates."""
    return list(
        TrustAnchor.objects.filter(kind=kind, removed_at__isnull=True).values_list("certificate_pem", flat=True)
    )


def trust_anchors_for_admin() -> QuerySet[TrustAnchor]:
    """Registered certificates for the signers page, the newest first (the key of a dev CA is never read)."""
    return (
        TrustAnchor.objects.filter(removed_at__isnull=True)
        .select_related("added_by")
        .defer("private_key_encrypted")
        .order_by("kind", "-created_at")
    )


# How long before a certificate's end the signers page warns the admin kecamatan.
EXPIRY_WARNING_DAYS = 30


@dataclass
class SignerRow:
    user: object
    credential: SignerCredential | None
    expires_soon: bool
    expired: bool


def signers_for_admin(user_ids) -> list[SignerRow]:
    """Each given signer with their active credential and whether its certificate ends within
    EXPIRY_WARNING_DAYS (or has ended): the signers page of the admin kecamatan. The caller
    chooses who may sign (accounts' permission table), letters only reads the credentials."""
    now = timezone.now()
    active = {
        c.user_id: c
        for c in SignerCredential.objects.filter(user_id__in=list(user_ids), is_active=True).order_by("created_at")
    }
    rows = []
    for user in get_user_model().objects.filter(pk__in=list(user_ids)).order_by("first_name", "username"):
        credential = active.get(user.pk)
        valid_to = credential.valid_to if credential else None
        rows.append(
            SignerRow(
                user=user,
                credential=credential,
                expired=bool(valid_to and valid_to <= now),
                expires_soon=bool(valid_to and now < valid_to <= now + dt.timedelta(days=EXPIRY_WARNING_DAYS)),
            )
        )
    return rows


def letter_verify_upload(*, letter: Letter, pdf_bytes: bytes) -> VerificationResult:
    """Is `pdf_bytes` exactly this issued letter, with a valid signature, and still in force?"""
    from sipentol.docengine.signing import pdf_signature_check

    exact = bool(letter.signed_sha256) and hashlib.sha256(pdf_bytes).hexdigest() == letter.signed_sha256
    check = pdf_signature_check(
        pdf_bytes, trust_pems=trust_anchor_pems(), intermediate_pems=trust_anchor_pems(TrustAnchor.Kind.INTERMEDIATE)
    )
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
    html, css = default_template_source(slug)
    return LetterTemplate(service_slug=slug, title=DEFAULT_LETTERS[slug], html=html, css=css)


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


def letter_templates_from_regency_template() -> dict[str, dict]:
    """{slug: {title, html, css}} the last regency template applied to this kecamatan gave it.

    A stored template still equal to that is the model kecamatan's wording, not a stale default:
    refreshing from the defaults leaves it alone.
    """
    return template_applied_section(schema_name=connection.schema_name, name="letters")


def letter_template_is_stale_default(template: LetterTemplate, given: dict[str, dict]) -> bool:
    """No admin edited it, it did not come from a regency template, and today's default differs."""
    if template.updated_by_id is not None or template.service_slug not in DEFAULT_LETTERS:
        return False
    from_template = given.get(template.service_slug)
    if from_template and (template.title, template.html, template.css) == (
        from_template.get("title"),
        from_template.get("html"),
        from_template.get("css"),
    ):
        return False
    return (template.html, template.css) != default_template_source(template.service_slug)


def letter_templates_outdated() -> int:
    """How many stored templates no admin has edited differ from today's defaults
    (`services.letter_templates_init` refreshes them, on the admin's request)."""
    given = letter_templates_from_regency_template()
    return sum(
        1 for t in LetterTemplate.objects.filter(updated_by__isnull=True) if letter_template_is_stale_default(t, given)
    )


def letters_waiting_since() -> list[tuple[Letter, object]]:
    """Letters awaiting signature, each with when it was submitted for signature (its latest
    move to awaiting_signature; its creation if no event says), longest waiting first (1 query)."""
    letters = letters_awaiting_signature().annotate(
        since=Max("events__at", filter=Q(events__to_status=Letter.Status.AWAITING_SIGNATURE))
    )
    pairs = [(letter, letter.since or letter.created_at) for letter in letters]
    return sorted(pairs, key=lambda pair: pair[1])
