"""factory_boy factories: state a test needs but does not exercise, in one line.

Call them inside the kecamatan's schema (`with tenant_context(kecamatan):`): rows and stored
files belong to that kecamatan. They write the models directly (no service, no event, no
notification); a test that is about a step drives that step through HTTP or its service.
"""

from __future__ import annotations

import hashlib
import io
import uuid

import factory
from django.db import connection
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from sipentol.accounts.models import Role, StaffProfile
from sipentol.applications.models import Application, Document, Status, hash_secret
from sipentol.feedback.models import Complaint
from sipentol.letters.models import Letter
from sipentol.lib import storage
from sipentol.lib.workdays import add_working_days

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


# ------------------------------------------------------------------ applications
def _tracking_code(n: int) -> str:
    from sipentol.applications.services import CODE_ALPHABET, kecamatan_code_prefix

    suffix = ""
    for _ in range(4):
        n, digit = divmod(n, len(CODE_ALPHABET))
        suffix = CODE_ALPHABET[digit] + suffix
    prefix = kecamatan_code_prefix(getattr(connection.tenant, "name", "") or connection.schema_name)
    return f"{prefix}-{timezone.localdate():%y%m}-{suffix}"


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


class ApplicationFactory(DjangoModelFactory):
    """An application to a service of the current kecamatan (default: domisili), submitted, with a
    stored file for each required requirement. `status=` puts it in any status directly through
    the model (no transition, no event): the test is about what comes next."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    tracking_code = factory.Sequence(_tracking_code)
    secret_hash = factory.LazyFunction(lambda: hash_secret(uuid.uuid4().hex))
    idempotency_key = factory.LazyFunction(uuid.uuid4)
    service = factory.LazyFunction(lambda: _service("domisili"))
    status = Status.SUBMITTED
    applicant_name = "Siti Aminah"
    applicant_nik = NIK
    applicant_phone = "+6281234567890"
    desa_code = "35.16.16.2013"  # Desa Jetis
    submitted_at = factory.LazyFunction(timezone.now)
    due_date = factory.LazyAttribute(lambda o: add_working_days(timezone.localdate(), o.service.sla_working_days))

    @factory.post_generation
    def documents(application, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        for requirement in application.service.requirements.filter(required=True):
            DocumentFactory(
                application=application,
                requirement_code=requirement.code,
                requirement_name=requirement.name,
                content_type="application/pdf" if requirement.accepted_types == ["application/pdf"] else "image/jpeg",
            )


def _service(slug: str):
    from services_catalog.configured.models import KecamatanService

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
    classification = "470"
    status = Letter.Status.SIGNED
    number = factory.Sequence(lambda n: f"470/{n + 1:04d}/416-316.16/{timezone.localdate().year}")
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
