"""Reads for letters: the current letter of an application, signing batches, public lookup by
QR id, verification of an uploaded PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Letter, SigningBatch, SigningBatchItem, TrustAnchor

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


def signing_batches_recent(user, *, limit: int = 5) -> QuerySet[SigningBatch]:
    """The user's latest batches with their progress (total, signed, failed), newest first."""
    return (
        SigningBatch.objects.filter(signer=user)
        .annotate(
            total=Count("items"),
            signed=Count("items", filter=Q(items__state=SigningBatchItem.State.SIGNED)),
            failed=Count("items", filter=Q(items__state=SigningBatchItem.State.FAILED)),
        )
        .order_by("-created_at")[:limit]
    )


def letter_get_public(uuid) -> Letter | None:
    """A letter the public verification page may show (signed, revoked or replaced)."""
    return Letter.objects.filter(uuid=uuid, status__in=PUBLIC_STATUSES).select_related("replaced_by").first()


def trust_anchor_pems() -> list[str]:
    return list(TrustAnchor.objects.values_list("certificate_pem", flat=True))


def letter_verify_upload(*, letter: Letter, pdf_bytes: bytes) -> VerificationResult:
    """Is `pdf_bytes` exactly this issued letter, with a valid signature, and still in force?"""
    from sipentol.docengine.signing import pdf_signature_check

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
