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
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sipentol.applications import services as application_services
from sipentol.applications.models import Application, Status
from sipentol.applications.selectors import application_by_tracking_code
from sipentol.lib.nik import mask_nik
from sipentol.lib.phone import normalize_phone
from sipentol.notifications.services import outbox_emit

from .models import Complaint, ComplaintEvent, SurveyResponse
from .skm import UNSUR_FIELDS

# 16 digits, possibly grouped with spaces, dots or dashes as people type a NIK or KK number.
_ID_NUMBER = re.compile(r"(?<!\d)(?:\d[\s.\-]?){15}\d(?!\d)")
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CITIZEN = "pengadu"


class SurveyNotOpen(ValueError):
    """The application is not (yet) issued: nothing to rate."""


def mask_id_numbers(text: str) -> str:
    """Mask every 16-digit number (NIK, KK) someone typed into free text: 3516********0001."""
    return _ID_NUMBER.sub(lambda m: mask_nik(m.group(0)), text)


# ------------------------------------------------------------------ SKM
def skm_submit(
    *, application: Application, answers: dict[str, int], suggestion: str = ""
) -> tuple[SurveyResponse, bool]:
    """Store the citizen's SKM answers and mark the application rated. Idempotent per application.

    Returns (response, created). A second submission (a double tap, a second visit) returns
    the first response and changes nothing. Raises SurveyNotOpen before the letter is issued,
    and for a trial application (made while the kecamatan was onboarding).
    """
    missing = [f for f in UNSUR_FIELDS if answers.get(f) not in (1, 2, 3, 4)]
    if missing:
        raise ValueError(f"SKM answers missing or out of range: {missing}")
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
                **{f: answers[f] for f in UNSUR_FIELDS},
            )
            application_services.application_mark_rated(application=locked)
    except IntegrityError:  # a concurrent submission won the one-to-one row
        return SurveyResponse.objects.get(application_id=application.pk), False
    return response, True


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


def complaint_create(
    *, category: str, text: str, name: str = "", contact: str = "", tracking_code: str = ""
) -> Complaint:
    """Store a complaint. A tracking code of an existing application puts an internal line on that
    application's staff timeline; an unknown code is kept as typed (no oracle for the public)."""
    text = mask_id_numbers(text.strip())
    if not text:
        raise ValidationError(_("Isi pengaduan masih kosong. Tuliskan apa yang terjadi."))
    phone, email = split_contact(contact)
    code = tracking_code.strip().upper()[:20]
    with transaction.atomic():
        application = application_by_tracking_code(code) if code else None
        complaint = Complaint.objects.create(
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
    return complaint


def complaint_respond(*, complaint: Complaint, actor, response: str, status: str) -> Complaint:
    """Staff answer a complaint and set its status; the complainant gets the answer by WhatsApp/e-mail
    when they left a contact. Answering again with the same text sends nothing new."""
    response = mask_id_numbers(response.strip())
    if not response:
        raise ValidationError(_("Tanggapan masih kosong. Tulis jawaban untuk pengadu."))
    if status not in (Complaint.Status.IN_PROGRESS, Complaint.Status.DONE):
        raise ValidationError(_("Pilih status: ditindaklanjuti atau selesai."))
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        previous = complaint.status
        complaint.response = response[:5000]
        complaint.status = status
        complaint.responded_by = actor
        complaint.responded_at = timezone.now()
        complaint.save()
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
