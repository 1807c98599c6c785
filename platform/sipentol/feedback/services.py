"""Writes of the feedback app: SKM answers, complaints and their responses.

Each write is one transaction with its event row (the application's Event for the survey and
for a complaint naming a tracking code, ComplaintEvent for a complaint's status); the
notification to a complainant leaves through the outbox, after commit.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sipentol.applications import services as application_services
from sipentol.applications.models import Application, Status
from sipentol.applications.selectors import application_by_tracking_code
from sipentol.lib import facts
from sipentol.lib.nik import mask_nik
from sipentol.lib.phone import normalize_phone
from sipentol.notifications.services import outbox_emit
from tenants.crossing import EVERY, for_each_kecamatan

from .models import Complaint, ComplaintEvent, SkmFollowUp, SkmFollowUpEvent, SurveyResponse
from .selectors import lookup_hash
from .skm import UNSUR_FIELDS

PROFILE_FIELDS = ("sex", "age_band", "education", "occupation")

# 16 digits, possibly grouped with spaces, dots or dashes as people type a NIK or KK number.
_ID_NUMBER = re.compile(r"(?<!\d)(?:\d[\s.\-]?){15}\d(?!\d)")
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CITIZEN = "pengadu"
CITIZEN_SURVEY = "responden SKM"


class SurveyNotOpen(ValueError):
    """The application is not (yet) issued: nothing to rate."""


def mask_id_numbers(text: str) -> str:
    """Mask every 16-digit number (NIK, KK) someone typed into free text: 3516********0001."""
    return _ID_NUMBER.sub(lambda m: mask_nik(m.group(0)), text)


# ------------------------------------------------------------------ SKM
def skm_submit(
    *,
    application: Application,
    answers: dict[str, int],
    suggestion: str = "",
    profile: dict[str, str] | None = None,
) -> tuple[SurveyResponse, bool]:
    """Store the citizen's SKM answers and mark the application rated. Idempotent per application.

    Returns (response, created). A second submission (a double tap, a second visit) returns
    the first response and changes nothing. Raises SurveyNotOpen before the letter is issued,
    and for a trial application (made while the kecamatan was onboarding). An answer of 1 or 2
    on any unsur opens the response's one follow-up (`SkmFollowUp`) in the same transaction.
    `profile` holds the optional respondent profile (sex, age_band, education, occupation).
    """
    missing = [f for f in UNSUR_FIELDS if answers.get(f) not in (1, 2, 3, 4)]
    if missing:
        raise ValueError(f"SKM answers missing or out of range: {missing}")
    profile = {k: (v or "") for k, v in (profile or {}).items() if k in PROFILE_FIELDS}
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            existing = SurveyResponse.objects.filter(application=locked).first()
            if existing is not None:
                return existing, False
            if locked.status != Status.ISSUED:
                raise SurveyNotOpen(_("Survei dapat diisi setelah surat Anda terbit."))
            if locked.is_trial:  # a trial run is nobody's service: it never enters the SKM figures
                raise SurveyNotOpen(_("Permohonan uji coba tidak disurvei."))
            response = SurveyResponse.objects.create(
                application=locked,
                service_id=locked.service_id,
                suggestion=mask_id_numbers(suggestion.strip())[:2000],
                **profile,
                **{f: answers[f] for f in UNSUR_FIELDS},
            )
            response.full_clean(exclude=["application", "service"])  # the profile's choices
            if low := response.low_unsur:
                follow_up = SkmFollowUp.objects.create(response=response, low_unsur=",".join(low))
                SkmFollowUpEvent.objects.create(
                    follow_up=follow_up, actor_label=CITIZEN_SURVEY, to_status=follow_up.status
                )
            application_services.application_mark_rated(application=locked)
    except IntegrityError:  # a concurrent submission won the one-to-one row
        return SurveyResponse.objects.get(application_id=application.pk), False
    return response, True


def skm_follow_up_update(*, follow_up: SkmFollowUp, actor, status: str, note: str) -> SkmFollowUp:
    """Staff record what they did about a low SKM answer: status (open / in progress / done) and
    a note, with an audit row (who, when, from, to). A note is required to change anything."""
    note = mask_id_numbers(note.strip())
    if not note:
        raise ValidationError(_("Catatan masih kosong. Tulis apa yang sudah atau akan dilakukan."))
    if status not in SkmFollowUp.Status.values:
        raise ValidationError(_("Pilih status: terbuka, sedang ditangani atau selesai."))
    with transaction.atomic():
        follow_up = SkmFollowUp.objects.select_for_update().get(pk=follow_up.pk)
        previous = follow_up.status
        follow_up.status = status
        follow_up.note = note[:5000]
        follow_up.updated_by = actor
        follow_up.save()
        SkmFollowUpEvent.objects.create(
            follow_up=follow_up,
            actor=actor,
            actor_label=actor.get_full_name() or actor.get_username(),
            from_status=previous,
            to_status=status,
            note=follow_up.note,
        )
    return follow_up


# ------------------------------------------------------------------ complaints
def split_contact(value: str) -> tuple[str, str]:
    """(phone, email) from the one contact field; raises ValidationError in Bahasa Indonesia."""
    value = (value or "").strip()
    if not value:
        return "", ""
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValidationError(
                _("Alamat e-mail tidak valid. Periksa penulisannya, contoh: nama@contoh.id, atau kosongkan.")
            ) from exc
        return "", value
    return normalize_phone(value), ""  # its errors already say what to type


def _new_reference() -> str:
    return "ADU-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


def _new_lookup_code() -> str:
    # 10 characters of a 31-letter alphabet (~50 bits): with the lookup page's rate limit,
    # guessing one is out of reach; only its hash is stored.
    return "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(10))


def complaint_fact_publish(complaint: Complaint) -> None:
    """The regency board's row of this complaint (stage, received), in the caller's transaction."""
    facts.publish_complaints(
        kecamatan_id=connection.tenant.pk,
        rows=[
            facts.ComplaintFactRow(
                complaint_id=complaint.pk,
                category=complaint.category,
                stage=complaint.stage,
                received_on=complaint.received_on,
            )
        ],
    )


def complaint_facts_rebuild(*, kecamatan_list=None) -> dict[str, int]:
    """Publish every complaint's fact again (backfill of complaints made before the facts existed,
    or repair). Idempotent (upsert by complaint); crosses tenants through `for_each_kecamatan`
    (every status), one transaction per kecamatan. Returns {schema_name: complaints}."""

    def rebuild(kecamatan) -> int:
        with transaction.atomic():
            rows = [
                facts.ComplaintFactRow(complaint_id=c.pk, category=c.category, stage=c.stage, received_on=c.received_on)
                for c in Complaint.objects.order_by("pk")
            ]
            facts.publish_complaints(kecamatan_id=kecamatan.pk, rows=rows)
        return len(rows)

    return for_each_kecamatan(rebuild, statuses=EVERY, kecamatan_list=kecamatan_list, isolate=False)


def complaint_create(
    *,
    category: str,
    text: str,
    name: str = "",
    contact: str = "",
    tracking_code: str = "",
    identity: str = Complaint.Identity.OPEN,
) -> Complaint:
    """Store a complaint. A tracking code of an existing application puts an internal line on that
    application's staff timeline; an unknown code is kept as typed (no oracle for the public).

    `identity`: open (name and contact shown to staff), confidential (stored, used only to send
    the responses, never shown to staff) or anonymous (name and contact are not kept at all).
    The returned complaint carries `lookup_code`, the secret shown once to the complainant for
    the lookup page (only its hash is stored). The regency's complaint fact is written too.
    """
    if identity not in Complaint.Identity.values:
        raise ValidationError(_("Pilih cara identitas Anda disimpan."))
    text = mask_id_numbers(text.strip())
    if not text:
        raise ValidationError(_("Isi pengaduan masih kosong. Tuliskan apa yang terjadi."))
    if identity == Complaint.Identity.ANONYMOUS:
        name = contact = ""  # not collected, whatever the form carried
    phone, email = split_contact(contact)
    code = tracking_code.strip().upper()[:20]
    lookup_code = _new_lookup_code()
    with transaction.atomic():
        application = application_by_tracking_code(code) if code else None
        complaint = Complaint.objects.create(
            identity=identity,
            lookup_hash=lookup_hash(lookup_code),
            received_on=timezone.localdate(),
            reference=_new_reference(),
            category=category,
            text=text[:5000],
            name=mask_id_numbers(name.strip())[:150],
            contact_phone=phone,
            contact_email=email,
            tracking_code=code,
            application=application,
        )
        ComplaintEvent.objects.create(complaint=complaint, actor_label=CITIZEN, to_status=complaint.status)
        if application is not None:
            application_services.application_record_complaint(
                application=application,
                reference=complaint.reference,
                category=str(complaint.get_category_display()),
                text=complaint.text,
            )
        complaint_fact_publish(complaint)
    complaint.lookup_code = lookup_code
    return complaint


# Each status a response may set, in the order of the clock; the times of the steps it completes.
_ORDER = [Complaint.Status.NEW, Complaint.Status.VERIFIED, Complaint.Status.IN_PROGRESS, Complaint.Status.DONE]
_STEP_TIME = {
    Complaint.Status.VERIFIED: "verified_at",
    Complaint.Status.IN_PROGRESS: "followed_up_at",
    Complaint.Status.DONE: "resolved_at",
}


def complaint_respond(*, complaint: Complaint, actor, response: str, status: str) -> Complaint:
    """Staff answer a complaint and set its status (verified/forwarded, followed up, resolved: the
    SP4N-LAPOR! steps; never back to an earlier one). Reaching a status records the time of its
    step and of any step it skipped. The complainant gets each answer by WhatsApp/e-mail when
    they left a contact (open or confidential); answering again with the same text sends nothing
    new. The regency's complaint fact follows the new stage in the same transaction."""
    response = mask_id_numbers(response.strip())
    if not response:
        raise ValidationError(_("Tanggapan masih kosong. Tulis jawaban untuk pengadu."))
    if status not in _STEP_TIME:
        raise ValidationError(_("Pilih status: diverifikasi/diteruskan, ditindaklanjuti atau selesai."))
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        previous = complaint.status
        if _ORDER.index(status) < _ORDER.index(previous):
            raise ValidationError(
                _("Status tidak dapat mundur dari %(now)s ke %(to)s.")
                % {"now": complaint.get_status_display(), "to": Complaint.Status(status).label}
            )
        now = timezone.now()
        for step in _ORDER[1 : _ORDER.index(status) + 1]:
            if getattr(complaint, _STEP_TIME[step]) is None:
                setattr(complaint, _STEP_TIME[step], now)
        complaint.response = response[:5000]
        complaint.status = status
        complaint.responded_by = actor
        complaint.responded_at = now
        complaint.save()
        complaint_fact_publish(complaint)
        ComplaintEvent.objects.create(
            complaint=complaint,
            actor=actor,
            actor_label=actor.get_full_name() or actor.get_username(),
            from_status=previous,
            to_status=status,
            response=complaint.response,
        )
        if complaint.has_contact:
            digest = hashlib.sha256(f"{status}\n{complaint.response}".encode()).hexdigest()[:16]
            outbox_emit(
                event="complaint.responded",
                template="complaint_responded",
                context={
                    "name": complaint.name,
                    "reference": complaint.reference,
                    "status_label": str(complaint.get_status_display()),
                    "response": complaint.response,
                },
                email=complaint.contact_email or None,
                phone=complaint.contact_phone or None,
                dedupe_key=f"complaint:{complaint.pk}:{digest}",
            )
    return complaint
