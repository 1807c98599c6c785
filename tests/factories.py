"""factory_boy factories: state a test needs but does not exercise, in one line.

Call them inside the kecamatan's schema (`with tenant_context(kecamatan):`): rows and stored
files belong to that kecamatan. They write the models directly (no service, no event, no
notification); a test that is about a step drives that step through HTTP or its service.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from functools import cache

import factory
from django.db import connection
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from services_catalog.configured.models import KecamatanService
from sipentol.accounts.models import RegencyProfile, RegencyRole, Role, StaffProfile
from sipentol.applications.forms import ApplicationForm
from sipentol.applications.models import Application, Document, Event, Status, hash_secret
from sipentol.applications.services import CODE_ALPHABET, kecamatan_code_prefix
from sipentol.feedback.models import Complaint
from sipentol.letters.models import Letter
from sipentol.lib import sla, storage
from sipentol.privacy.models import PrivacyRequest
from tenants.models import Desa
from tests.applications.conftest import form_values, pdf_file

from .accounts.staff import PASSWORD

NIK = "3516161203850001"  # Kab. Mojokerto, Kec. Jetis, born 12-03-1985


def jpeg_bytes(size=(640, 480)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (180, 200, 220)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def pdf_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buf, "PDF")
    return buf.getvalue()


def _stored(content: bytes, content_type: str) -> str:
    return storage.put(io.BytesIO(content), content_type=content_type, length=len(content))


# ------------------------------------------------------------------ staff
class StaffProfileFactory(DjangoModelFactory):
    class Meta:
        model = StaffProfile

    role = Role.VERIFIER
    position = factory.LazyAttribute(lambda o: str(Role(o.role).label))


class TOTPDeviceFactory(DjangoModelFactory):
    class Meta:
        model = "otp_totp.TOTPDevice"

    name = "authenticator"
    confirmed = True


class StaffFactory(DjangoModelFactory):
    """A kecamatan staff member of `role`, password `PASSWORD`, already enrolled in TOTP (a
    confirmed device): sign them in with `tests.accounts.staff.sign_in`."""

    class Meta:
        model = "auth.User"
        skip_postgeneration_save = True

    class Params:
        role = Role.VERIFIER
        desa_code = ""

    username = factory.Sequence(lambda n: f"petugas{n}")
    first_name = factory.LazyAttribute(lambda o: o.username.title())
    password = factory.django.Password(PASSWORD)
    staff = factory.RelatedFactory(
        StaffProfileFactory,
        factory_related_name="user",
        role=factory.SelfAttribute("..role"),
        desa_code=factory.SelfAttribute("..desa_code"),
    )
    totp = factory.RelatedFactory(TOTPDeviceFactory, factory_related_name="user")


class RegencyProfileFactory(DjangoModelFactory):
    class Meta:
        model = RegencyProfile

    role = RegencyRole.OPERATOR


class RegencyUserFactory(DjangoModelFactory):
    """A Diskominfo or regency account (create it in the public schema) of `role`, password
    `PASSWORD`, with a confirmed TOTP device: sign in with `tests.accounts.staff.sign_in`-like
    steps on /ops/masuk/ or /dashboard/masuk/."""

    class Meta:
        model = "auth.User"
        skip_postgeneration_save = True

    class Params:
        role = RegencyRole.OPERATOR
        totp_enrolled = True

    username = factory.Sequence(lambda n: f"diskominfo{n}")
    first_name = factory.LazyAttribute(lambda o: o.username.title())
    password = factory.django.Password(PASSWORD)
    regency = factory.RelatedFactory(
        RegencyProfileFactory, factory_related_name="user", role=factory.SelfAttribute("..role")
    )
    totp = factory.Maybe(
        "totp_enrolled", yes_declaration=factory.RelatedFactory(TOTPDeviceFactory, factory_related_name="user")
    )


# ------------------------------------------------------------------ applications
class DocumentFactory(DjangoModelFactory):
    """An uploaded file of an application, really stored (a small JPEG, or a PDF)."""

    class Meta:
        model = Document

    class Params:
        content = factory.LazyAttribute(lambda o: pdf_bytes() if o.content_type == "application/pdf" else jpeg_bytes())

    requirement_code = "ktp"
    requirement_name = "KTP-el pemohon"
    content_type = "image/jpeg"
    key = factory.LazyAttribute(lambda o: _stored(o.content, o.content_type))
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    original_name = factory.LazyAttribute(lambda o: f"{o.requirement_code}.{o.content_type.rsplit('/', 1)[-1]}")
    scan_status = Document.ScanStatus.CLEAN  # a file the antivirus passed (pending/infected: see test_upload_scanning)


# Statuses reached only after staff accepted every document.
_REVIEWED = {Status.VERIFIED, Status.LETTER_DRAFTED, Status.AWAITING_SIGNATURE, Status.ISSUED, Status.RATED}


def _tracking_code(n: int) -> str:
    """JTS-2612-2223 style, unique per sequence number."""
    digits = ""
    for _ in range(4):
        n, rest = divmod(n, len(CODE_ALPHABET))
        digits = CODE_ALPHABET[rest] + digits
    prefix = kecamatan_code_prefix(getattr(connection.tenant, "name", "") or connection.schema_name)
    return f"{prefix}-{timezone.localdate():%y%m}-{digits}"


def _answers(service: KecamatanService) -> tuple[dict, dict]:
    """(applicant columns, data) for the service's form, cleaned by the real application form."""
    desa = Desa.objects.filter(kecamatan=connection.tenant).order_by("code").values_list("code", flat=True).first()
    values = {**form_values(service, desa=desa), "idempotency_key": str(uuid.uuid4())}
    has_files = {r.code for r in service.requirements.all()}
    form = ApplicationForm(values, service=service, kecamatan=connection.tenant, has_files=has_files)
    if not form.is_valid():
        raise ValueError(f"form_values() no longer fits the {service.slug} form: {form.errors.as_json()}")
    return form.split()


@cache
def _pdf() -> bytes:
    return pdf_file().read()


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application of the current kecamatan, by default SUBMITTED.

    `ApplicationFactory(service=...)` for another service than domisili, `status=...` for another
    status. The form's answers pass the real ApplicationForm; each required requirement has a
    stored PDF, accepted from VERIFIED on, pending before; one event records the status reached.
    """

    class Meta:
        model = Application
        skip_postgeneration_save = True

    class Params:
        answers = factory.LazyAttribute(lambda o: _answers(o.service))

    service = factory.LazyFunction(lambda: KecamatanService.objects.get(slug="domisili"))
    status = Status.SUBMITTED
    tracking_code = factory.Sequence(_tracking_code)
    secret_hash = factory.LazyFunction(lambda: hash_secret(uuid.uuid4().hex))
    idempotency_key = factory.LazyFunction(uuid.uuid4)
    applicant_name = factory.LazyAttribute(lambda o: o.answers[0].get("applicant_name", ""))
    applicant_nik = factory.LazyAttribute(lambda o: o.answers[0].get("applicant_nik", ""))
    applicant_phone = factory.LazyAttribute(lambda o: o.answers[0].get("applicant_phone", ""))
    applicant_email = factory.LazyAttribute(lambda o: o.answers[0].get("applicant_email", ""))
    desa_code = factory.LazyAttribute(lambda o: o.answers[0].get("desa_code", ""))
    data = factory.LazyAttribute(lambda o: o.answers[1])
    submitted_at = factory.LazyAttribute(lambda o: None if o.status == Status.DRAFT else timezone.now())
    due_date = factory.LazyAttribute(
        lambda o: (
            sla.due_date(submitted_on=timezone.localdate(o.submitted_at), working_days=o.service.sla_working_days)
            if o.submitted_at
            else None
        )
    )

    @factory.post_generation
    def documents(obj: Application, create: bool, extracted, **kwargs) -> None:
        """One stored PDF per required requirement (`documents=False` for none)."""
        if not create or extracted is False:
            return
        body = _pdf()
        reviewed = obj.status in _REVIEWED
        for requirement in obj.service.requirements.filter(required=True):
            Document.objects.create(
                application=obj,
                requirement_code=requirement.code,
                requirement_name=requirement.name,
                key=storage.put(io.BytesIO(body), content_type="application/pdf", length=len(body)),
                content_type="application/pdf",
                size=len(body),
                sha256=hashlib.sha256(body).hexdigest(),
                original_name=f"{requirement.code}.pdf",
                verdict=Document.Verdict.ACCEPTED if reviewed else Document.Verdict.PENDING,
                verdict_at=timezone.now() if reviewed else None,
                scan_status=Document.ScanStatus.CLEAN,
            )

    @factory.post_generation
    def history(obj: Application, create: bool, extracted, **kwargs) -> None:
        if create:
            Event.objects.create(
                application=obj,
                kind=Event.Kind.TRANSITION,
                actor_label="sistem",
                to_status=obj.status,
                data={"factory": True},
                internal=True,
            )


def _service(slug: str) -> KecamatanService:
    return KecamatanService.objects.get(slug=slug)


# ------------------------------------------------------------------ letters, complaints
class LetterFactory(DjangoModelFactory):
    """A letter (default: signed) of `application` if given, with a stored PDF standing in for the
    rendered and signed one (nothing is rendered or signed here)."""

    class Meta:
        model = Letter

    class Params:
        application = None

    application_id = factory.LazyAttribute(lambda o: o.application.pk if o.application else None)
    service_slug = factory.LazyAttribute(lambda o: o.application.service.slug if o.application else "domisili")
    title = "Surat Keterangan Domisili"
    # The service's own code, as the letter engine numbers it (the catalog is its one source).
    classification = factory.LazyAttribute(lambda o: _service(o.service_slug).letter_classification)
    status = Letter.Status.SIGNED
    number = factory.LazyAttributeSequence(
        lambda o, n: f"{o.classification}/{n + 1:04d}/416-316.16/{timezone.localdate().year}"
    )
    holder_name = factory.LazyAttribute(lambda o: o.application.applicant_name if o.application else "Siti Aminah")
    holder_nik = factory.LazyAttribute(lambda o: o.application.applicant_nik if o.application else NIK)
    pdf_key = factory.LazyFunction(lambda: _stored(pdf_bytes(), "application/pdf"))
    signed_pdf_key = factory.LazyAttribute(
        lambda o: "" if o.status in (Letter.Status.DRAFT, Letter.Status.AWAITING_SIGNATURE) else o.pdf_key
    )


class ComplaintFactory(DjangoModelFactory):
    class Meta:
        model = Complaint

    reference = factory.Sequence(lambda n: f"ADU-{n + 1:06d}")
    category = Complaint.Category.TIME
    text = "Surat saya belum selesai padahal sudah lewat batas waktu."
    name = "Budi"


class PrivacyRequestFactory(DjangoModelFactory):
    """A citizen's correction request on `application` (give one), as it reaches the admin."""

    class Meta:
        model = PrivacyRequest

    kind = PrivacyRequest.Kind.CORRECTION
    details = "Nama saya tertulis Siti Aminah, seharusnya Siti Aminah Rahayu."
