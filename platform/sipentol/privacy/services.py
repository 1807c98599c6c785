"""Writes on personal data (UU 27/2022): the citizen's requests, the copy of their data, and the
retention purge. Each write is one transaction with its audit row."""

from __future__ import annotations

import json
import logging
import re
import tempfile
import zipfile

from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection, transaction
from django.utils.translation import gettext as _

from sipentol.applications import services as application_services
from sipentol.applications.models import AccessCode, Application, Document, Event, Status
from sipentol.feedback.models import SurveyResponse
from sipentol.letters.models import Letter, LetterEvent, SigningBatchItem
from sipentol.lib import appcache, storage
from sipentol.lib.nik import mask_nik
from sipentol.notifications.models import OutboxMessage

from . import policy
from .models import PrivacyRequest
from .retention.models import PurgeRecord

log = logging.getLogger(__name__)

# A copy of the data may be downloaded this long after the one-time code was given, once.
EXPORT_READY_SECONDS = 30 * 60
EXPORT_READY = "privacy-export-ready"
# One-time codes asked for a copy: at most this many per application and hour.
EXPORT_CODES = "privacy-export-codes"
EXPORT_CODES_PER_HOUR = 3
# Letters that are the archive: kept, with their stored PDF and verification record.
ARCHIVED_LETTERS = (Letter.Status.SIGNED, Letter.Status.REVOKED, Letter.Status.REPLACED)
SIXTEEN_DIGITS = re.compile(r"^\d{16}$")


class RequestRefused(ValueError):
    """A step on a privacy request that its status or input does not allow (message for staff)."""


# ------------------------------------------------------------------ requests
def privacy_request_create(*, application: Application, kind: str, details: str) -> PrivacyRequest:
    """The citizen asks the office to correct or delete their data; the admin sees it as new."""
    if kind not in PrivacyRequest.Kind.values or not details.strip():
        raise RequestRefused(_("Pilih jenis permintaan dan tulis data mana yang dimaksud."))
    return PrivacyRequest.objects.create(application=application, kind=kind, details=details.strip()[:1000])


# Which status may follow which.
_NEXT = {
    PrivacyRequest.Status.NEW: {
        PrivacyRequest.Status.IN_PROGRESS,
        PrivacyRequest.Status.DONE,
        PrivacyRequest.Status.REFUSED,
    },
    PrivacyRequest.Status.IN_PROGRESS: {PrivacyRequest.Status.DONE, PrivacyRequest.Status.REFUSED},
    PrivacyRequest.Status.DONE: set(),
    PrivacyRequest.Status.REFUSED: set(),
}


def privacy_request_set_status(*, request: PrivacyRequest, actor, status: str, response: str = "") -> PrivacyRequest:
    """Staff move a request on (new -> in progress -> done, or refused with a reason), with an
    audit line on the application's staff timeline."""
    response = response.strip()[:1000]
    with transaction.atomic():
        request = PrivacyRequest.objects.select_for_update().select_related("application").get(pk=request.pk)
        if status not in _NEXT.get(request.status, set()):
            raise RequestRefused(
                _("Permintaan berstatus “%(status)s” tidak dapat diubah lagi ke status itu.")
                % {"status": request.get_status_display()}
            )
        if status == PrivacyRequest.Status.REFUSED and not response:
            raise RequestRefused(_("Tulis alasan penolakan: pemohon akan membacanya di halaman lacak."))
        previous = request.status
        request.status = status
        request.response = response or request.response
        request.handled_by = actor
        request.save(update_fields=["status", "response", "handled_by", "updated_at"])
        application_services.application_record_access(
            application=request.application,
            actor=actor,
            kind=Event.Kind.NOTE,
            reason=_("Permintaan data pribadi %(ref)s (%(kind)s): %(status)s")
            % {"ref": request.reference, "kind": request.get_kind_display(), "status": request.get_status_display()},
            data={"privacy_request": request.pk, "from": previous, "to": status},
        )
    return request


# ------------------------------------------------------------------ export
def export_code_send(*, application: Application) -> bool | None:
    """Send a one-time code (the tracking page's own mechanism) for a copy of the data.
    None: too many codes asked this hour; False: no phone or e-mail on file."""
    if not appcache.hit(application.public_id, EXPORT_CODES, limit=EXPORT_CODES_PER_HOUR, seconds=3600):
        return None
    return application_services.access_code_send(application=application)


def export_code_check(*, application: Application, code: str) -> bool:
    """The one-time code is right: the copy may be downloaded through the secret link for a while."""
    if not application_services.access_code_check(application=application, code=code):
        return False
    cache.set(appcache.key(application.public_id, EXPORT_READY), 1, EXPORT_READY_SECONDS)
    return True


def export_ready(application: Application) -> bool:
    return bool(cache.get(appcache.key(application.public_id, EXPORT_READY)))


def _masked(value):
    if isinstance(value, str) and SIXTEEN_DIGITS.match(value):
        return mask_nik(value)
    return value


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _summary(application: Application, documents: list[Document], letter) -> dict:
    return {
        "kode_lacak": application.tracking_code,
        "layanan": application.service.name,
        "status": str(application.get_status_display()),
        "dibuat": application.created_at.isoformat(),
        "dikirim": _iso(application.submitted_at),
        "selesai": _iso(application.closed_at),
        "pemohon": {
            "nama": application.applicant_name,
            "nik": application.masked_nik,
            "telepon": application.applicant_phone,
            "email": application.applicant_email,
            "kode_desa": application.desa_code,
        },
        "isian": {name: _masked(value) for name, value in application.data.items()},
        "saluran": application.channel,
        "pernyataan_persetujuan": application.consent_statement,
        "berkas": [
            {"persyaratan": d.requirement_name, "jenis": d.content_type, "ukuran": d.size, "sha256": d.sha256}
            for d in documents
        ],
        "surat": {"nomor": letter.number, "ditandatangani": _iso(letter.signed_at)} if letter else None,
    }


def _processing_record(application: Application) -> list[dict]:
    """Every event of the application: status changes, and who opened or printed the data."""
    return [
        {
            "waktu": e.at.isoformat(),
            "jenis": str(e.get_kind_display()),
            "oleh": e.actor_label,
            "dari": e.from_status,
            "menjadi": e.to_status,
            # internal notes are the office's own deliberation; their text stays out
            "keterangan": "" if e.internal and e.kind == Event.Kind.NOTE else e.reason,
        }
        for e in application.events.order_by("at", "pk")
    ]


def _extension(document: Document) -> str:
    return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(document.content_type, "bin")


def export_build(*, application: Application):
    """The citizen's data as a ZIP (a file object at position 0), and the export's audit event.

    Holds: ringkasan.json (the application's rows, NIK masked), riwayat.json (the processing
    record), permintaan.json (privacy requests), the current files from object storage, and
    the signed letter if issued. Built in the request: a few files of at most a few MB each.
    """
    documents = list(application.documents.current().openable().order_by("requirement_code"))
    letter = application_services.current_letter(application)
    if (
        letter is None
        or letter.status != Letter.Status.SIGNED
        or application.status not in (Status.ISSUED, Status.RATED)
    ):
        letter = None
    requests = [
        {
            "nomor": r.reference,
            "jenis": str(r.get_kind_display()),
            "status": str(r.get_status_display()),
            "uraian": r.details,
            "tanggapan": r.response,
            "dibuat": r.created_at.isoformat(),
        }
        for r in application.privacy_requests.all()
    ]
    application_services.application_record_access(
        application=application,
        actor=None,
        kind=Event.Kind.ACCESS,
        reason=_("Salinan data pribadi diunduh pemohon."),
        data={"export": True, "files": len(documents), "letter": letter is not None},
    )
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - returned open
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

        def add_json(name: str, value) -> None:
            archive.writestr(name, json.dumps(value, ensure_ascii=False, indent=2))

        add_json("ringkasan.json", _summary(application, documents, letter))
        add_json("riwayat.json", _processing_record(application))
        add_json("permintaan.json", requests)
        for n, document in enumerate(documents, start=1):
            name = f"berkas/{n:02d}-{document.requirement_code}.{_extension(document)}"
            with archive.open(name, "w") as target:
                for chunk in storage.iter_chunks(document.key):
                    target.write(chunk)
        if letter is not None:
            with archive.open(f"surat/surat-{application.tracking_code}.pdf", "w") as target:
                for chunk in storage.iter_chunks(letter.signed_pdf_key):
                    target.write(chunk)
    cache.delete(appcache.key(application.public_id, EXPORT_READY))  # one download per code
    out.seek(0)
    return out


# ------------------------------------------------------------------ retention purge
def application_purge(*, application: Application) -> dict[str, int]:
    """Delete one application for good: its rows (documents, events, one-time codes, messages,
    SKM answer, privacy requests, unsigned letters), its stored objects and its cache entries.

    A signed letter is the archive and stays (row, PDF, verification page). Objects are deleted
    before the rows commit: if storage fails the transaction rolls back and the next run tries
    again (deleting an object already gone succeeds), so no row is lost while its file lives on.
    Returns counts per type, for the anonymous purge record.
    """
    counts: dict[str, int] = {}
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        keys = list(Document.objects.filter(application=application).values_list("key", flat=True))
        letters = Letter.objects.filter(application_id=application.pk).exclude(status__in=ARCHIVED_LETTERS)
        keys += [k for k in letters.values_list("pdf_key", flat=True) if k]
        for key in keys:
            storage.delete(key)
        counts["objects"] = len(keys)
        SigningBatchItem.objects.filter(letter__in=letters).delete()
        LetterEvent.objects.filter(letter__in=letters).delete()
        counts["letters"] = letters.delete()[0]
        prefix = application_services.notification_key_prefix(application)
        counts["messages"] = OutboxMessage.objects.filter(dedupe_key__startswith=prefix).delete()[0]
        counts["survey_responses"] = SurveyResponse.objects.filter(application=application).delete()[0]
        counts["privacy_requests"] = PrivacyRequest.objects.filter(application=application).delete()[0]
        counts["access_codes"] = AccessCode.objects.filter(application=application).delete()[0]
        counts["events"] = Event.objects.filter(application=application).delete()[0]
        counts["documents"] = Document.objects.filter(application=application).delete()[0]
        public_id = application.public_id
        application.delete()
        counts["applications"] = 1
    counts["cache_keys"] = appcache.forget(public_id)
    return counts


def applications_purge_due(*, now=None) -> dict[str, int]:
    """Beat job, per kecamatan: purge every application past its retention period
    (`policy.due_q`), then write ONE anonymous purge record (counts per type) if anything went.
    Also drops expired sessions (they may hold a secret link). Idempotent: a second run finds
    nothing due. One application's failure (storage down) leaves it for the next run."""
    totals: dict[str, int] = {}
    for pk in list(Application.objects.filter(policy.due_q(now=now)).values_list("pk", flat=True)):
        application = Application.objects.filter(pk=pk).first()
        if application is None:
            continue
        record_type = policy.record_type_of(application)
        try:
            counts = application_purge(application=application)
        except storage.StorageUnavailable:
            log.warning("purge of application %s stopped: storage unavailable", pk)
            break
        totals[record_type] = totals.get(record_type, 0) + 1
        for name, n in counts.items():
            totals[name] = totals.get(name, 0) + n
    SessionStore.clear_expired()
    if totals:
        PurgeRecord.objects.create(kecamatan_id=connection.tenant.pk, counts=totals)
    return totals
