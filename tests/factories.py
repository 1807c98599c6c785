"""factory_boy factories for state a test does not exercise.

Use them inside `tenant_context(kecamatan)`: rows go to that kecamatan's schema and files to
its storage prefix, as they would in a request on its host. Behaviour a test does exercise
goes through HTTP or the services instead.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from functools import cache

import factory
from django.db import connection
from django.utils import timezone

from services_catalog.configured.models import KecamatanService
from sipentol.applications.forms import ApplicationForm
from sipentol.applications.models import Application, Document, Event, Status, hash_secret
from sipentol.applications.services import CODE_ALPHABET, kecamatan_code_prefix
from sipentol.lib import sla, storage
from tenants.models import Desa
from tests.applications.conftest import form_values, pdf_file

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
    """An application of the current kecamatan, by default VERIFIED (ready for its letter).

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
    status = Status.VERIFIED
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
