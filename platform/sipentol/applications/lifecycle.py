"""The application's lifecycle: its statuses and the one transition table (ARCHITECTURE §5).

draft -> [awaiting_desa ->] submitted -> in_review -> (needs_completion <-> resubmitted) -> verified ->
letter_drafted -> awaiting_signature -> issued -> rated; or rejected / cancelled / expired.

Every other module asks this one: which status may follow which, which statuses are open,
in which the SLA clock runs, which count as issued or decided. The SLA arithmetic itself (due
date, pause, days left, overdue, on time) is `sipentol.lib.sla`, fed with `clock_running()`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf (belum dikirim)")
    AWAITING_DESA = "awaiting_desa", _("Menunggu surat pengantar desa")
    SUBMITTED = "submitted", _("Diterima, menunggu pemeriksaan")
    IN_REVIEW = "in_review", _("Sedang diperiksa petugas")
    NEEDS_COMPLETION = "needs_completion", _("Perlu dilengkapi pemohon")
    RESUBMITTED = "resubmitted", _("Sudah dilengkapi, menunggu pemeriksaan ulang")
    VERIFIED = "verified", _("Berkas lengkap dan benar")
    LETTER_DRAFTED = "letter_drafted", _("Surat sedang disiapkan")
    AWAITING_SIGNATURE = "awaiting_signature", _("Menunggu tanda tangan Camat")
    ISSUED = "issued", _("Selesai, surat dapat diunduh")
    RATED = "rated", _("Selesai dan sudah dinilai")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan pemohon")
    EXPIRED = "expired", _("Kedaluwarsa (tidak dilengkapi)")


# Which status may follow which. Every transition is checked against this table.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.AWAITING_DESA, Status.CANCELLED}),
    # The citizen asked their desa for the covering letter online (sipentol.desa): the signed
    # pengantar puts it in the kecamatan's queue; a refusal gives the draft back to the citizen
    # (who may ask again or upload a photo of a paper letter).
    Status.AWAITING_DESA: frozenset({Status.SUBMITTED, Status.DRAFT, Status.CANCELLED}),
    Status.SUBMITTED: frozenset({Status.IN_REVIEW, Status.CANCELLED, Status.REJECTED}),
    Status.IN_REVIEW: frozenset({Status.NEEDS_COMPLETION, Status.VERIFIED, Status.REJECTED, Status.CANCELLED}),
    Status.NEEDS_COMPLETION: frozenset({Status.RESUBMITTED, Status.EXPIRED, Status.CANCELLED}),
    Status.RESUBMITTED: frozenset({Status.IN_REVIEW, Status.CANCELLED, Status.REJECTED}),
    Status.VERIFIED: frozenset({Status.LETTER_DRAFTED, Status.REJECTED}),
    Status.LETTER_DRAFTED: frozenset({Status.AWAITING_SIGNATURE, Status.VERIFIED}),
    Status.AWAITING_SIGNATURE: frozenset({Status.ISSUED, Status.LETTER_DRAFTED}),
    Status.ISSUED: frozenset({Status.RATED}),
    Status.RATED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.EXPIRED: frozenset(),
}

# The desa is preparing the covering letter: the kecamatan's clock has not started (its SLA
# starts when the signed pengantar arrives), and the application is not in the office's queue.
AWAITING_DESA: frozenset[str] = frozenset({Status.AWAITING_DESA})
# The office is working on it and the SLA clock runs.
CLOCK_RUNNING: frozenset[str] = frozenset(
    {
        Status.SUBMITTED,
        Status.IN_REVIEW,
        Status.RESUBMITTED,
        Status.VERIFIED,
        Status.LETTER_DRAFTED,
        Status.AWAITING_SIGNATURE,
    }
)
# The clock is paused: the citizen has to complete (the due date moves by the days paused).
CLOCK_PAUSED: frozenset[str] = frozenset({Status.NEEDS_COMPLETION})
# Submitted and not yet closed: the staff's work queue.
OPEN: frozenset[str] = CLOCK_RUNNING | CLOCK_PAUSED
# Ended with a letter.
ISSUED: frozenset[str] = frozenset({Status.ISSUED, Status.RATED})
# Ended by a decision of the office (counts for SLA compliance); cancelled and expired do not.
DECIDED: frozenset[str] = ISSUED | {Status.REJECTED}
# Ended, whatever the outcome: the application is closed (closed_at is set on entering).
CLOSING: frozenset[str] = frozenset({Status.ISSUED, Status.REJECTED, Status.CANCELLED, Status.EXPIRED})


def can_become(current: str, to: str) -> bool:
    return to in TRANSITIONS.get(current, frozenset())


def clock_running(status: str) -> bool:
    return status in CLOCK_RUNNING
