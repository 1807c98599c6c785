"""Writes on applications. One state change = one service = one transaction + one event row.

Side effects (notifications) leave through the outbox (`outbox_emit`) inside the same
transaction, and are delivered after commit.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from services_catalog.configured.models import KecamatanService
from sipentol.docengine.signing import SigningError
from sipentol.letters import selectors as letter_selectors
from sipentol.letters import services as letter_services
from sipentol.lib import antivirus, sla, storage
from sipentol.lib.errors import error_text
from sipentol.lib.uploads import StoredUpload
from sipentol.notifications.services import outbox_emit
from tenants.crossing import in_schema
from tenants.models import Desa
from tenants.selectors import kecamatan_url
from tenants.services import ops_event_record

from . import alerts, handoffs, lifecycle
from .facts import application_fact_publish
from .intake import Channel, closed_message, intake_decide
from .models import AccessCode, Application, Document, Event, Status, hash_secret, notification_key_prefix
from .uploads import uploads_discard

log = logging.getLogger(__name__)
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone
TRACKING_CODE_ATTEMPTS = 8  # a repeat is ~1 in 923,000 per kecamatan and month: 8 repeats in a row do not happen
CITIZEN = "pemohon"
SYSTEM = "sistem"


class TransitionError(ValueError):
    """The application is not in a state that allows this step."""


class IntakeClosed(TransitionError):
    """The kecamatan takes no submission by this way in now (applications/intake.py)."""


def _intake_or_refuse(*, channel: str, actor=None, application: Application | None = None):
    intake = intake_decide(channel=channel, actor=actor, application=application)
    if not intake.open:
        raise IntakeClosed(closed_message(connection.tenant, intake.status))
    return intake


@dataclass(frozen=True)
class RequirementNote:
    requirement_code: str
    reason: str


def kecamatan_code_prefix(name: str) -> str:
    """JTS for Jetis, MJS for Mojosari: the first letter and the next consonants."""
    letters = [c for c in name.upper() if c.isalpha()]
    consonants = [c for c in letters[1:] if c not in "AEIOU"]
    return "".join([letters[0], *consonants])[:3].ljust(3, "X")


def _new_tracking_code() -> str:
    tenant = connection.tenant
    prefix = kecamatan_code_prefix(getattr(tenant, "name", "") or tenant.schema_name)
    stamp = timezone.localdate().strftime("%y%m")
    suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
    return f"{prefix}-{stamp}-{suffix}"


def _violated_columns(exc: IntegrityError, model) -> tuple[str, ...]:
    """The columns of the unique constraint `exc` reports (by its name, as PostgreSQL gives it)."""
    name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    if not name:
        return ()
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return tuple(constraints.get(name, {}).get("columns") or ())


def _insert_with_fresh_code(application: Application) -> None:
    """INSERT a new application, drawing its tracking code again while the drawn one is taken.

    Each try runs in its own savepoint, so a repeated code leaves the caller's transaction usable.
    Any other unique violation (the idempotency key of a double submit) goes up unchanged.
    """
    for attempt in range(TRACKING_CODE_ATTEMPTS):
        application.tracking_code = _new_tracking_code()
        try:
            with transaction.atomic():
                application.save(force_insert=True)
            return
        except IntegrityError as exc:
            if _violated_columns(exc, Application) != ("tracking_code",) or attempt == TRACKING_CODE_ATTEMPTS - 1:
                raise
            log.warning("tracking code %s already taken; drawing another", application.tracking_code)


def _long_date(value) -> str:
    """ "12 Desember 2026": how a date reads in a message (the language active for the request)."""
    from django.utils.formats import date_format

    return date_format(value, "j F Y")


def _actor_label(actor) -> str:
    if actor is None:
        return CITIZEN
    return actor.get_full_name() or actor.get_username()


def _event(
    application: Application,
    kind: str,
    *,
    actor=None,
    actor_label: str | None = None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: dict | None = None,
    internal: bool = False,
) -> Event:
    return Event.objects.create(
        application=application,
        kind=kind,
        actor=actor,
        actor_label=actor_label or _actor_label(actor),
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data or {},
        internal=internal,
    )


def _transition(
    application: Application,
    to: str,
    *,
    actor=None,
    actor_label: str | None = None,
    reason: str = "",
    data: dict | None = None,
) -> Application:
    if not application.can_become(to):
        raise TransitionError(
            _('Permohonan berstatus "%(status)s" tidak dapat diubah menjadi "%(to)s".')
            % {"status": application.get_status_display(), "to": Status(to).label}
        )
    previous = application.status
    application.status = to
    if to in lifecycle.CLOSING:
        application.closed_at = timezone.now()
    application.save()
    _event(
        application,
        Event.Kind.TRANSITION,
        actor=actor,
        actor_label=actor_label,
        from_status=previous,
        to_status=to,
        reason=reason,
        data=data,
    )
    application_fact_publish(application)  # same transaction: the regency fact commits with the status
    return application


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def citizen_link(application: Application, secret: str) -> str:
    return kecamatan_url(connection.tenant, f"/permohonan/{application.public_id}/?t={secret}")


def _notify(application: Application, *, template: str, dedupe: str, context: dict | None = None) -> None:
    outbox_emit(
        event=f"application.{template}",
        template=template,
        context={
            "tracking_code": application.tracking_code,
            "service_name": application.service.name,
            "kecamatan_name": connection.tenant.name,
            "applicant_name": application.applicant_name,
            **(context or {}),
        },
        email=application.applicant_email or None,
        phone=application.applicant_phone or None,
        dedupe_key=f"{notification_key_prefix(application)}{dedupe}",
    )


# ------------------------------------------------------------------ citizen side
def application_save(
    *,
    service: KecamatanService,
    idempotency_key: uuid.UUID,
    applicant: dict,
    data: dict,
    uploads: dict[str, tuple[str, StoredUpload]],
    submit: bool,
    assisted_by=None,
    consent_statement: str = "",
    channel: str = "online",
    application: Application | None = None,
    pengantar_online: bool = False,
) -> tuple[Application, str | None, bool]:
    """Create or update a draft, optionally submitting it. Idempotent on `idempotency_key`.

    Returns (application, secret, created). `secret` is the secret-link token, known only
    when the application is created here (only its hash is stored). A repeated request with
    the same key (a double tap, a retried POST) returns the existing application and changes
    nothing, and the files it uploaded again are deleted.

    Refused with IntakeClosed when the kecamatan takes no submission by `channel` now; made
    while it is onboarding (staff's assisted mode only), the application is a trial.

    `pengantar_online`: instead of a photo of the paper covering letter, the citizen asks their
    desa for it online; submitting then puts the application in `awaiting_desa` (handoffs.py).
    """
    intake = _intake_or_refuse(
        channel=Channel.ASSISTED if assisted_by is not None else channel, actor=assisted_by, application=application
    )
    try:
        with transaction.atomic():
            created = application is None
            secret = None
            if created:
                secret = secrets.token_urlsafe(24)
                application = Application(
                    secret_hash=hash_secret(secret),
                    idempotency_key=idempotency_key,
                    service=service,
                    assisted_by=assisted_by,
                    consent_statement=consent_statement,
                    channel=channel,
                    is_trial=intake.trial,
                )
            else:
                application = _locked(application)
                if application.status != Status.DRAFT:
                    raise TransitionError(_("Permohonan ini sudah dikirim dan tidak dapat diubah lagi."))
            for field, value in applicant.items():
                setattr(application, field, value)
            application.data = {**application.data, **data}
            if created:
                _insert_with_fresh_code(application)
            else:
                application.save()
            if created:
                _event(
                    application,
                    Event.Kind.TRANSITION,
                    actor=assisted_by,
                    to_status=Status.DRAFT,
                    data={"channel": channel},
                )
            for code, (name, stored) in uploads.items():
                _document_add(application, code=code, name=name, stored=stored, actor=assisted_by)
            if submit and pengantar_online:
                _pengantar_request(application, actor=assisted_by, secret=secret)
            elif submit:
                _submit(application, actor=assisted_by, secret=secret)
    except IntegrityError as exc:
        if _violated_columns(exc, Application) != ("idempotency_key",):
            raise
        # Same idempotency key already stored: the first request won. Drop this one's files.
        uploads_discard(uploads)
        existing = Application.objects.get(idempotency_key=idempotency_key)
        return existing, None, False
    return application, secret, created


def _document_add(application: Application, *, code: str, name: str, stored: StoredUpload, actor=None) -> Document:
    application.documents.current().filter(requirement_code=code).update(superseded=True)
    document = Document.objects.create(
        application=application,
        requirement_code=code,
        requirement_name=name,
        key=stored.key,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        original_name=stored.original_name[:200],
        scan_status=stored.scan_status,
        scanned_at=timezone.now() if stored.scan_status == Document.ScanStatus.CLEAN else None,
    )
    _event(application, Event.Kind.UPLOAD, actor=actor, data={"requirement": code, "document": document.pk})
    return document


def _pengantar_request(application: Application, *, actor=None, secret: str | None) -> None:
    """draft -> awaiting_desa: every other requirement is there, the desa is asked for the pengantar.

    The kecamatan's SLA does not start (no submitted_at, no due date): it starts when the signed
    pengantar is attached (`application_pengantar_attach`)."""
    if not handoffs.service_takes_online_pengantar(application.service):
        raise TransitionError(
            _("Layanan ini tidak dapat meminta surat pengantar desa secara online. Unggah foto surat pengantarnya.")
        )
    if not application.desa_code:
        raise TransitionError(
            _("Pilih desa/kelurahan tempat tinggal Anda, agar permintaan pengantar sampai ke desa yang benar.")
        )
    missing = missing_requirements(application, online_pengantar=True)
    if missing:
        raise TransitionError(
            _("Berkas wajib belum diunggah: %(names)s. Unggah berkasnya lalu kirim lagi.")
            % {"names": ", ".join(missing)}
        )
    _transition(application, Status.AWAITING_DESA, actor=actor, data={"desa": application.desa_code})
    handoffs.request_opened(application)
    context = {"link": citizen_link(application, secret) if secret else _status_link(application)}
    _notify(application, template="pengantar_requested", dedupe="pengantar_requested", context=context)


def application_pengantar_attach(
    *, application: Application, stored: StoredUpload, signature: dict, actor_label: str
) -> Document:
    """The desa's signed pengantar answers the requirement: awaiting_desa -> submitted, one transaction.

    The file is stored as the pengantar requirement's document, accepted by its signature
    (`signature`: signer, desa, validation result, for the verifier's page); the kecamatan's SLA
    starts now, and the citizen gets the usual "received" message. Raises TransitionError when
    the application no longer waits for its desa (cancelled by the citizen meanwhile).
    """
    with transaction.atomic():
        application = _locked(application)
        if application.status != Status.AWAITING_DESA:
            raise TransitionError(_("Permohonan ini tidak sedang menunggu surat pengantar desa."))
        requirement = application.service.requirements.filter(code=handoffs.PENGANTAR_REQUIREMENT).first()
        document = _document_add(
            application,
            code=handoffs.PENGANTAR_REQUIREMENT,
            name=requirement.name if requirement else handoffs.PENGANTAR_REQUIREMENT,
            stored=stored,
        )
        document.verdict = Document.Verdict.ACCEPTED
        document.verdict_reason = _("Sah menurut tanda tangan elektronik desa.")
        document.verdict_at = timezone.now()
        document.signature = signature
        document.save(update_fields=["verdict", "verdict_reason", "verdict_at", "signature"])
        _submit(application, actor_label=actor_label, secret=None)
    return document


def application_pengantar_refused(*, application: Application, reason: str, actor_label: str) -> Application:
    """The desa refuses the pengantar: awaiting_desa -> draft, the reason told to the citizen, who
    may ask again or upload a photo of a paper letter. Nothing of the draft is lost."""
    if not reason.strip():
        raise ValueError(_("Tulis alasan penolakan; alasan ini dikirim kepada pemohon."))
    with transaction.atomic():
        application = _locked(application)
        if application.status != Status.AWAITING_DESA:
            raise TransitionError(_("Permohonan ini tidak sedang menunggu surat pengantar desa."))
        _transition(application, Status.DRAFT, actor_label=actor_label, reason=reason.strip())
        _notify(
            application,
            template="pengantar_refused",
            dedupe=f"pengantar_refused:{application.events.count()}",
            context={"reason": reason.strip()},
        )
    return application


def _submit(application: Application, *, actor=None, actor_label: str | None = None, secret: str | None) -> None:
    missing = missing_requirements(application)
    if missing:
        raise TransitionError(
            _("Berkas wajib belum diunggah: %(names)s. Unggah berkasnya lalu kirim lagi.")
            % {"names": ", ".join(missing)}
        )
    now = timezone.now()
    application.submitted_at = now
    application.due_date = sla.due_date(
        submitted_on=timezone.localdate(now), working_days=application.service.sla_working_days
    )
    _transition(application, Status.SUBMITTED, actor=actor, actor_label=actor_label)
    context = {"due_date": _long_date(application.due_date)}
    if secret:
        context["link"] = citizen_link(application, secret)
    _notify(application, template="application_submitted", dedupe="submitted", context=context)
    alerts.alert_submitted(application)


def missing_requirements(application: Application, *, online_pengantar: bool = False) -> list[str]:
    """Names of required files not uploaded yet (the pengantar left out when the desa is asked online)."""
    have = set(
        application.documents.current()
        .exclude(scan_status=Document.ScanStatus.INFECTED)
        .values_list("requirement_code", flat=True)
    )
    if online_pengantar:
        have.add(handoffs.PENGANTAR_REQUIREMENT)
    return [r.name for r in application.service.requirements.all() if r.required and r.code not in have]


def application_submit_draft(*, application: Application) -> Application:
    _intake_or_refuse(channel=application.channel, application=application)
    with transaction.atomic():
        application = _locked(application)
        _submit(application, secret=None)
    return application


def application_complete(
    *, application: Application, uploads: dict[str, tuple[str, StoredUpload]], data: dict | None = None
) -> Application:
    """The citizen redoes the items staff asked for; the SLA clock resumes and review restarts.

    Refused with IntakeClosed while the kecamatan is not active (a trial application excepted
    while it is onboarding)."""
    _intake_or_refuse(channel=Channel.COMPLETION, application=application)
    with transaction.atomic():
        application = _locked(application)
        if application.status != Status.NEEDS_COMPLETION:
            raise TransitionError(_("Permohonan ini tidak sedang menunggu kelengkapan."))
        asked = set(redo_requirement_codes(application))
        missing = [code for code in asked if code not in uploads]
        if missing:
            raise TransitionError(_("Unggah ulang semua berkas yang diminta petugas, lalu kirim lagi."))
        for code, (name, stored) in uploads.items():
            if code in asked:
                _document_add(application, code=code, name=name, stored=stored)
        if data:
            application.data = {**application.data, **data}
        # The clock was paused from the request until now: the due date moves by that many working days.
        application.due_date, paused = sla.resume(
            due=application.due_date,
            paused_on=timezone.localdate(application.completion_requested_at),
            resumed_on=timezone.localdate(),
        )
        application.completion_requested_at = None
        application.completion_deadline = None
        application.completion_reminded_at = None
        _transition(application, Status.RESUBMITTED, data={"paused_working_days": paused})
        alerts.alert_completed(application, round_=application.events.count())
    return application


def application_cancel(*, application: Application, reason: str = "") -> Application:
    with transaction.atomic():
        application = _locked(application)
        _transition(application, Status.CANCELLED, reason=reason)
    return application


def redo_requirement_codes(application: Application) -> list[str]:
    return list(application.documents.to_redo().values_list("requirement_code", flat=True))


# ------------------------------------------------------------------ staff side
def application_start_review(*, application: Application, actor) -> Application:
    """A verifier opens a submitted or resubmitted application: it is now under review."""
    with transaction.atomic():
        application = _locked(application)
        if application.status in (Status.SUBMITTED, Status.RESUBMITTED):
            if application.assigned_to_id is None:
                application.assigned_to = actor
            _transition(application, Status.IN_REVIEW, actor=actor)
    return application


def document_set_verdict(*, document: Document, actor, verdict: str, reason: str = "") -> Document:
    if verdict not in Document.Verdict.values or verdict == Document.Verdict.PENDING:
        raise ValueError(_("Pilih: diterima atau perlu diunggah ulang."))
    if verdict == Document.Verdict.REDO and not reason.strip():
        raise ValueError(
            _("Tulis alasan mengapa berkas perlu diunggah ulang, agar pemohon tahu apa yang harus diperbaiki.")
        )
    with transaction.atomic():
        application = _locked(document.application)
        if application.status != Status.IN_REVIEW:
            raise TransitionError(_("Berkas hanya dapat dinilai saat permohonan sedang diperiksa."))
        if not document.is_openable:
            raise TransitionError(
                _(
                    "Berkas ini belum lolos pemeriksaan antivirus dan belum dapat dinilai. "
                    "Coba lagi dalam beberapa menit."
                )
            )
        document.verdict = verdict
        document.verdict_reason = reason.strip()
        document.verdict_by = actor
        document.verdict_at = timezone.now()
        document.save()
        _event(
            application,
            Event.Kind.VERDICT,
            actor=actor,
            reason=reason.strip(),
            data={"requirement": document.requirement_code, "verdict": verdict},
            internal=False,
        )
    return document


def application_request_completion(
    *, application: Application, actor, items: list[RequirementNote], message: str = ""
) -> Application:
    """Ask the citizen to redo some requirements; the SLA clock pauses until they do."""
    if not items:
        raise ValueError(_("Pilih minimal satu berkas yang perlu diunggah ulang beserta alasannya."))
    with transaction.atomic():
        application = _locked(application)
        if application.status != Status.IN_REVIEW:
            raise TransitionError(_("Hanya permohonan yang sedang diperiksa yang dapat diminta dilengkapi."))
        for item in items:
            if not item.reason.strip():
                raise ValueError(_("Setiap berkas yang diminta ulang perlu alasan."))
            document = application.documents.current().filter(requirement_code=item.requirement_code).first()
            if document is None:
                raise ValueError(
                    _("Persyaratan %(code)s tidak ada pada permohonan ini.") % {"code": item.requirement_code}
                )
            document.verdict = Document.Verdict.REDO
            document.verdict_reason = item.reason.strip()
            document.verdict_by = actor
            document.verdict_at = timezone.now()
            document.save()
        application.completion_requested_at = timezone.now()
        application.completion_deadline = timezone.localdate() + timedelta(days=settings.APPLICATION_COMPLETION_DAYS)
        _transition(
            application,
            Status.NEEDS_COMPLETION,
            actor=actor,
            reason=message,
            data={"items": [{"requirement": i.requirement_code, "reason": i.reason} for i in items]},
        )
        _notify(
            application,
            template="application_needs_completion",
            dedupe=f"completion:{application.events.count()}",
            context={
                "items": [
                    {"name": _requirement_name(application, i.requirement_code), "reason": i.reason} for i in items
                ],
                "deadline": _long_date(application.completion_deadline),
                "link": _status_link(application),
            },
        )
    return application


def _requirement_name(application: Application, code: str) -> str:
    doc = application.documents.filter(requirement_code=code).first()
    return doc.requirement_name if doc else code


def _status_link(application: Application) -> str:
    return kecamatan_url(connection.tenant, f"/lacak/?kode={application.tracking_code}")


def application_verify(*, application: Application, actor) -> Application:
    with transaction.atomic():
        application = _locked(application)
        if application.status != Status.IN_REVIEW:
            raise TransitionError(_("Hanya permohonan yang sedang diperiksa yang dapat diverifikasi."))
        pending = application.documents.current().exclude(verdict=Document.Verdict.ACCEPTED)
        if pending.exists():
            raise TransitionError(_('Semua berkas harus dinilai "diterima" sebelum permohonan diverifikasi.'))
        _transition(application, Status.VERIFIED, actor=actor)
        _notify(
            application, template="application_verified", dedupe="verified", context={"link": _status_link(application)}
        )
    return application


def application_reject(*, application: Application, actor, reason: str) -> Application:
    if not reason.strip():
        raise ValueError(_("Tulis alasan penolakan; alasan ini dikirim kepada pemohon."))
    with transaction.atomic():
        application = _locked(application)
        _transition(application, Status.REJECTED, actor=actor, reason=reason.strip())
        _notify(
            application,
            template="application_rejected",
            dedupe="rejected",
            context={"reason": reason.strip(), "link": _status_link(application)},
        )
    return application


def application_assign(*, application: Application, actor, assignee) -> Application:
    with transaction.atomic():
        application = _locked(application)
        application.assigned_to = assignee
        application.save(update_fields=["assigned_to", "updated_at"])
        application_fact_publish(application)  # the dashboards' overdue list names the assignee
        _event(
            application,
            Event.Kind.ASSIGNED,
            actor=actor,
            internal=True,
            data={"assignee": assignee.get_username() if assignee else None},
        )
    return application


def application_add_note(*, application: Application, actor, text: str) -> Event:
    if not text.strip():
        raise ValueError(_("Catatan kosong tidak disimpan."))
    return _event(application, Event.Kind.NOTE, actor=actor, reason=text.strip()[:4000], internal=True)


def application_record_access(
    *, application: Application, actor, kind: str, data: dict | None = None, reason: str = ""
) -> Event:
    """Audit: a staff member opened the citizen's data or one of their files (actor None: the
    citizen, e.g. downloading a copy of their data), or handled a request about their data."""
    return _event(application, kind, actor=actor, data=data, reason=reason, internal=True)


# ------------------------------------------------------------------ expiry
def applications_expire_and_remind(*, today=None) -> dict:
    """Beat job, per kecamatan: remind before the completion deadline, expire after it. Idempotent."""
    today = today or timezone.localdate()
    reminded = expired = 0
    waiting = Application.objects.filter(status=Status.NEEDS_COMPLETION, completion_deadline__isnull=False)
    for application in waiting.filter(completion_deadline__lt=today):
        with transaction.atomic():
            locked = _locked(application)
            if locked.status == Status.NEEDS_COMPLETION:
                _transition(
                    locked, Status.EXPIRED, actor_label=SYSTEM, reason=_("Tidak dilengkapi sampai batas waktu.")
                )
                _notify(
                    locked,
                    template="application_expired",
                    dedupe="expired",
                    context={"deadline": _long_date(locked.completion_deadline), "link": _status_link(locked)},
                )
                expired += 1
    remind_from = today + timedelta(days=settings.APPLICATION_COMPLETION_REMINDER_DAYS)
    for application in waiting.filter(
        completion_deadline__gte=today, completion_deadline__lte=remind_from, completion_reminded_at__isnull=True
    ):
        with transaction.atomic():
            locked = _locked(application)
            locked.completion_reminded_at = timezone.now()
            locked.save(update_fields=["completion_reminded_at", "updated_at"])
            _notify(
                locked,
                template="application_completion_reminder",
                dedupe=f"reminder:{locked.completion_deadline.isoformat()}",
                context={"deadline": _long_date(locked.completion_deadline), "link": _status_link(locked)},
            )
            reminded += 1
    return {"reminded": reminded, "expired": expired}


# ------------------------------------------------------------------ one-time codes
ACCESS_CODE_MINUTES = 10
ACCESS_CODE_ATTEMPTS = 5
# One-time codes sent for one application per hour, whatever asked for them (the tracking page,
# the personal-data export): a stranger who knows a tracking code can neither flood the
# citizen's phone nor draw codes without end to guess one.
ACCESS_CODE_SENDS_PER_HOUR = 3


def access_code_send(*, application: Application) -> bool | None:
    """Send a 6-digit code to the citizen's phone and e-mail. False: neither is known; None:
    ACCESS_CODE_SENDS_PER_HOUR codes were sent in the last hour already (nothing sent)."""
    if not (application.applicant_phone or application.applicant_email):
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()  # one count at a time
        recent = AccessCode.objects.filter(application=application, created_at__gte=timezone.now() - timedelta(hours=1))
        if recent.count() >= ACCESS_CODE_SENDS_PER_HOUR:
            return None
        sent = AccessCode.objects.create(
            application=application,
            code_hash=hash_secret(code),
            expires_at=timezone.now() + timedelta(minutes=ACCESS_CODE_MINUTES),
        )
        _notify(
            application,
            template="otp_code",
            dedupe=f"otp:{sent.pk}",
            context={"code": code, "minutes": ACCESS_CODE_MINUTES},
        )
    return True


def access_code_check(*, application: Application, code: str) -> bool:
    with transaction.atomic():
        candidate = (
            AccessCode.objects.select_for_update()
            .filter(application=application, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if candidate is None or candidate.attempts >= ACCESS_CODE_ATTEMPTS:
            return False
        if candidate.code_hash != hash_secret(code.strip()):
            candidate.attempts += 1
            candidate.save(update_fields=["attempts"])
            return False
        candidate.used_at = timezone.now()
        candidate.save(update_fields=["used_at"])
        _event(application, Event.Kind.ACCESS, actor_label=CITIZEN, internal=True, data={"by": "one-time code"})
    return True


# ------------------------------------------------------------------ letters
# The keys letter_subject_data adds to the form's data: with the service's form field names,
# everything a letter template may use as `data.X` (tests/letters/test_template_fields.py).
LETTER_EXTRA_KEYS = ("nama", "nik", "desa", "desa_jenis", "kode_lacak", "layanan")


def letter_subject_data(application: Application) -> dict:
    """The values a letter template may use: the form's data plus the applicant's, by field name."""
    desa = Desa.objects.filter(code=application.desa_code).first()
    with override("id"):  # "Desa"/"Kelurahan" in the letter, whatever language the staff UI uses
        desa_jenis = str(desa.get_kind_display()) if desa else ""
    return {
        **application.data,
        "nama": application.applicant_name,
        "nik": application.applicant_nik,
        "desa": desa.name if desa else "",
        "desa_jenis": desa_jenis,
        "kode_lacak": application.tracking_code,
        "layanan": application.service.name,
    }


def current_letter(application: Application):
    return letter_selectors.letter_current(application_id=application.pk)


def application_letter_draft(*, application: Application, actor):
    """From a verified application, draft its letter (preview PDF, no number yet)."""
    with transaction.atomic():
        application = _locked(application)
        if application.status != Status.VERIFIED:
            raise TransitionError(_("Surat hanya dapat dibuat dari permohonan yang sudah diverifikasi."))
        letter = letter_services.letter_draft(
            application_id=application.pk,
            service_slug=application.service.slug,
            holder_name=application.applicant_name,
            holder_nik=application.applicant_nik,
            subject_data=letter_subject_data(application),
            actor=actor,
            trial=application.is_trial,
        )
        _transition(application, Status.LETTER_DRAFTED, actor=actor, data={"letter": str(letter.uuid)})
    return letter


def application_letter_submit(*, application: Application, actor):
    """Send the drafted letter to the Camat's signing queue."""
    with transaction.atomic():
        application = _locked(application)
        letter = current_letter(application)
        if application.status != Status.LETTER_DRAFTED or letter is None:
            raise TransitionError(_("Belum ada draf surat untuk dikirim ke Camat."))
        letter = letter_services.letter_submit_for_signature(letter=letter, actor=actor)
        _transition(application, Status.AWAITING_SIGNATURE, actor=actor)
    return letter


def application_letter_sign(
    *, letter, signer_user, second_factor_ok: bool, passphrase: str | None = None, batch_item=None
):
    """Sign the letter AND issue its application: one transaction, both or neither.

    The application's row is locked first, then the letter's (the same order everywhere, so two
    signers cannot deadlock). Idempotent: a letter already signed is not signed again and an
    application already issued is not issued again (no second event, fact or message), so a
    retried or duplicated batch task changes nothing. Raises SigningRefused / ValidationError /
    SigningError with a message for the signer; nothing is kept then.
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().filter(pk=letter.application_id).first()
            if letter.application_id
            else None
        )
        letter = letter_services.letter_sign(
            letter=letter,
            signer_user=signer_user,
            second_factor_ok=second_factor_ok,
            passphrase=passphrase,
            batch_item=batch_item,
        )
        if application is not None:
            _issue(application, letter=letter, actor=signer_user)
    return letter


def _issue(application: Application, *, letter, actor=None, actor_label: str | None = None, reason: str = "") -> bool:
    """awaiting_signature -> issued for a signed letter, with the citizen's download message; once."""
    if application.status != Status.AWAITING_SIGNATURE:
        return False
    _transition(
        application,
        Status.ISSUED,
        actor=actor,
        actor_label=actor_label,
        reason=reason,
        data={"letter": str(letter.uuid), "number": letter.number},
    )
    _notify(
        application,
        template="letter_issued",
        dedupe=f"issued:{letter.uuid}",
        context={"letter_number": letter.number, "link": _status_link(application)},
    )
    return True


def application_signing_batch_start(*, letters: list, signer_user, second_factor_ok: bool):
    """Sign several letters after ONE second-factor check: a batch, one Celery task per letter.

    Returns at once; the signing queue shows the batch's progress. Tasks are queued after
    commit; if the broker is down then, the beat sweep (`signing_batches_sweep`) queues them.
    """
    with transaction.atomic():
        batch = letter_services.signing_batch_create(
            letters=letters, signer_user=signer_user, second_factor_ok=second_factor_ok
        )
        item_ids = list(batch.items.values_list("pk", flat=True))
        schema = connection.schema_name
        transaction.on_commit(lambda: _enqueue_batch_items(schema, item_ids))
    return batch


def _enqueue_batch_items(schema_name: str, item_ids: list[int]) -> int:
    """Queue one task per item (after commit). A dead broker is not an error: the sweep catches up."""
    from .tasks import sign_batch_item

    queued: list[int] = []
    with in_schema(schema_name):
        for item_id in item_ids:
            try:
                sign_batch_item.delay(item_id)
            except Exception:  # noqa: BLE001 - kombu raises many types when the broker is unreachable
                log.warning(
                    "broker unavailable; signing batch items %s in %s wait for the sweep", item_ids, schema_name
                )
                break
            queued.append(item_id)
        letter_services.signing_batch_items_mark_queued(queued)
    return len(queued)


def signing_batches_sweep(*, older_than_seconds: int | None = None) -> int:
    """Beat job, per kecamatan: queue again the batch items whose task was lost (worker killed,
    broker restarted): pending longer than SIGNING_BATCH_STALE_SECONDS after queuing. Idempotent:
    a duplicate of a task still running finds its item signed and does nothing."""
    if older_than_seconds is None:
        older_than_seconds = settings.SIGNING_BATCH_STALE_SECONDS
    stale = letter_selectors.signing_batch_items_stale(older_than_seconds=older_than_seconds)
    return _enqueue_batch_items(connection.schema_name, stale) if stale else 0


def application_sign_batch_item(*, item_id: int) -> str:
    """Work of one batch task: sign the item's letter and issue its application. Idempotent.

    An item already signed or failed is left alone; a refusal is recorded on the item for the
    signer to read; an unexpected error (a dead TSA, storage down) propagates so that the task
    is retried, the item staying pending.
    """
    item = letter_selectors.signing_batch_item(item_id)
    if item is None or item.state != item.State.PENDING:
        return item.state if item else "missing"
    if not letter_services.signing_batch_valid(item.batch):
        letter_services.signing_batch_item_fail(
            item=item, error=_("Konfirmasi kode verifikasi sudah kedaluwarsa. Tandatangani surat ini lagi.")
        )
        return "failed"
    try:
        application_letter_sign(
            letter=item.letter, signer_user=item.batch.signer, second_factor_ok=True, batch_item=item
        )
    except (PermissionDenied, ValidationError, SigningError) as exc:  # SigningRefused is a PermissionDenied
        letter_services.signing_batch_item_fail(item=item, error=error_text(exc))
        return "failed"
    return "signed"


def applications_reconcile_signed() -> int:
    """Beat job, per kecamatan: issue every application whose letter is signed but which still
    awaits signature (left so by a crash before signing and issuing became one step, or by
    repair work). Idempotent; returns how many were completed."""
    completed = 0
    waiting = Application.objects.filter(status=Status.AWAITING_SIGNATURE).values_list("pk", flat=True)
    for letter in letter_selectors.signed_letters_of(list(waiting)):
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=letter.application_id)
            completed += _issue(
                application,
                letter=letter,
                actor_label=SYSTEM,
                reason=_("Surat sudah ditandatangani; status permohonan diselesaikan oleh sistem."),
            )
    return completed


def documents_rescan_pending(*, limit: int = 200) -> dict[str, int]:
    """Beat job, per kecamatan: scan files kept unscanned while clamd was unreachable.

    Clean: the file becomes visible to staff. Infected: the stored object is deleted (after
    commit), the file is marked infected and to be uploaded again, staff see it on the timeline
    and the citizen is told. clamd still unreachable: nothing changes, the next run tries again.
    Idempotent (a file is re-read under a row lock and skipped unless still pending); at most
    `limit` files per run so that one run stays short.
    """
    counts = {"clean": 0, "infected": 0}
    for pk in list(Document.objects.scan_pending().order_by("pk").values_list("pk", flat=True)[:limit]):
        document = Document.objects.get(pk=pk)
        try:
            result = antivirus.scan_stored(document.key)
        except antivirus.ScannerUnavailable as exc:
            log.warning("rescan stopped, clamd unavailable: %s", exc)
            break
        except storage.ObjectMissing:
            log.error("pending document %s has no stored object %s; left pending", pk, document.key)
            continue
        with transaction.atomic():
            document = Document.objects.select_for_update().get(pk=pk)
            if document.scan_status != Document.ScanStatus.PENDING:
                continue
            if result.infected:
                _document_mark_infected(document, signature=result.signature)
                counts["infected"] += 1
                continue
            document.scan_status = Document.ScanStatus.CLEAN
            document.scanned_at = timezone.now()
            document.save(update_fields=["scan_status", "scanned_at"])
            _event(
                document.application,
                Event.Kind.SCAN,
                actor_label=SYSTEM,
                data={"document": document.pk, "requirement": document.requirement_code, "result": "clean"},
                internal=True,
            )
            counts["clean"] += 1
    return counts


def _document_mark_infected(document: Document, *, signature: str) -> None:
    """Inside the caller's transaction: hide the file for good, ask for another, tell both sides."""
    application = document.application
    reason = _("Berkas terdeteksi mengandung virus/malware dan sudah dihapus. Unggah berkas lain yang bersih.")
    document.scan_status = Document.ScanStatus.INFECTED
    document.scanned_at = timezone.now()
    document.verdict = Document.Verdict.REDO
    document.verdict_reason = reason
    document.save(update_fields=["scan_status", "scanned_at", "verdict", "verdict_reason"])
    _event(
        application,
        Event.Kind.SCAN,
        actor_label=SYSTEM,
        reason=reason,
        data={
            "document": document.pk,
            "requirement": document.requirement_code,
            "result": "infected",
            "signature": signature,
        },
    )
    _notify(
        application,
        template="document_infected",
        dedupe=f"infected:{document.pk}",
        context={"requirement_name": document.requirement_name, "link": _status_link(application)},
    )
    key = document.key
    transaction.on_commit(lambda: storage.delete(key))


def application_record_pickup(*, application: Application, actor) -> Event:
    """The citizen took the printed letter at the office (recorded, not a status change)."""
    if application.status not in (Status.ISSUED, Status.RATED):
        raise TransitionError(_("Surat belum terbit, belum dapat diambil."))
    return _event(
        application, Event.Kind.NOTE, actor=actor, reason=_("Surat diambil di kantor kecamatan."), data={"pickup": True}
    )


# ------------------------------------------------------------------ feedback (SKM, complaints)
def application_mark_rated(*, application: Application) -> Application:
    """The citizen answered the SKM survey: issued -> rated. Idempotent (rated stays rated)."""
    with transaction.atomic():
        application = _locked(application)
        if application.status == Status.RATED:
            return application
        _transition(application, Status.RATED, actor_label=CITIZEN)
    return application


def application_record_complaint(*, application: Application, reference: str, category: str, text: str) -> Event:
    """A complaint naming this application's tracking code: an internal line on the staff timeline."""
    return _event(
        application,
        Event.Kind.NOTE,
        actor_label=_("pengaduan warga"),
        reason=_("Pengaduan %(reference)s (%(category)s): %(text)s")
        % {"reference": reference, "category": category, "text": text[:1000]},
        data={"complaint": reference},
        internal=True,
    )


# ------------------------------------------------------------------ trial runs (onboarding)
def trial_applications_purge(*, actor) -> int:
    """Delete every trial application of this kecamatan with its files, letters and events.

    One transaction; the stored objects (uploads, letter PDFs) are deleted after commit; audited
    as a kecamatan OpsEvent naming the actor and the tracking codes. Real applications are never
    touched. Returns how many were deleted.
    """
    with transaction.atomic():
        trials = Application.objects.select_for_update().filter(is_trial=True)
        rows = list(trials.values_list("pk", "tracking_code"))
        if not rows:
            return 0
        ids = [pk for pk, _code in rows]
        keys = list(Document.objects.filter(application_id__in=ids).values_list("key", flat=True))
        keys += letter_services.letters_delete_for_applications(ids)
        Event.objects.filter(application_id__in=ids).delete()
        Application.objects.filter(pk__in=ids).delete()  # documents and access codes cascade
        ops_event_record(
            kecamatan=connection.tenant,
            actor=f"{actor.get_username()}@{connection.tenant.slug}",
            action="trial_purge",
            reason=_("%(count)d permohonan uji coba dihapus: %(codes)s")
            % {"count": len(rows), "codes": ", ".join(code for _pk, code in rows)},
        )
        transaction.on_commit(lambda: _objects_delete(keys))
    return len(rows)


def _objects_delete(keys: list[str]) -> None:
    for key in keys:
        try:
            storage.delete(key)
        except storage.StorageUnavailable:
            log.error("trial purge: stored object %s not deleted (storage unavailable)", key)
