"""Applications made like a citizen makes them (HTTP), then moved on by staff services."""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role, StaffProfile
from sipentol.applications import services
from sipentol.applications.models import Application
from tests.applications.conftest import apply_payload


def domisili_of(kecamatan):
    from services_catalog.configured.models import KecamatanService

    with tenant_context(kecamatan):
        return KecamatanService.objects.prefetch_related("requirements").get(catalog_code="domisili")


def submit(kecamatan, client, *, action: str = "submit") -> Application:
    service = domisili_of(kecamatan)
    key = str(uuid.uuid4())
    desa = kecamatan.desa_set.order_by("code").first().code
    response = client.post(f"/layanan/{service.slug}/ajukan/", apply_payload(service, key, action=action, desa=desa))
    assert response.status_code == 302, response.content[:500]
    with tenant_context(kecamatan):
        application = Application.objects.select_related("service").get(idempotency_key=key)
    connection.set_schema_to_public()  # the request left the connection on the kecamatan's schema
    return application


def staff(kecamatan, username: str, role: str = Role.VERIFIER):
    with tenant_context(kecamatan):
        user = get_user_model().objects.create_user(username, first_name=username.title())
        StaffProfile.objects.create(user=user, role=role)
    return user


def verify(kecamatan, application: Application) -> Application:
    verifier = staff(kecamatan, f"v-{uuid.uuid4().hex[:6]}")
    with tenant_context(kecamatan):
        services.application_start_review(application=application, actor=verifier)
        for document in application.documents.filter(superseded=False):
            services.document_set_verdict(document=document, actor=verifier, verdict="accepted")
        services.application_verify(application=application, actor=verifier)
        application.refresh_from_db()
    connection.set_schema_to_public()
    return application


def issue(kecamatan, application: Application) -> Application:
    """verified -> letter drafted -> awaiting signature -> signed by the Camat (real PAdES) -> issued."""
    from sipentol.letters import pki

    application = verify(kecamatan, application)
    camat = staff(kecamatan, f"camat-{uuid.uuid4().hex[:6]}", Role.CAMAT)
    with tenant_context(kecamatan):
        pki.dev_signer_issue(ca=pki.dev_ca_ensure(kecamatan.name), user=camat)
        services.application_letter_draft(application=application, actor=camat)
        letter = services.application_letter_submit(application=application, actor=camat)
        services.application_letter_sign(letter=letter, signer_user=camat, second_factor_ok=True)
        application.refresh_from_db()
    connection.set_schema_to_public()
    return application


def publish_fact(kecamatan, *, application_id: int, **fields):
    """A fact written the way the application writes it (the regency's sink, which also moves the
    daily roll-up the boards read), for tests that need figures without a whole application."""
    import dataclasses

    from sipentol.lib.facts import ApplicationFactRow
    from sipentol.regency.models import ApplicationFact
    from sipentol.regency.services import sink

    defaults = {field.name: None for field in dataclasses.fields(ApplicationFactRow) if field.name != "application_id"}
    defaults |= {"channel": "online", "desa_code": "", "clock_running": False, "tracking_code": ""}
    defaults |= {"completion_requested": False, "assigned_to": ""}
    row = ApplicationFactRow(application_id=application_id, **(defaults | fields))
    sink.upsert(kecamatan_id=kecamatan.pk, rows=[row])
    return ApplicationFact.objects.get(kecamatan=kecamatan, application_id=application_id)


def remove_facts(facts) -> None:
    """Delete committed test facts and take them out of the roll-up (a test's clean-up)."""
    from django.db import transaction

    from sipentol.regency import rollup
    from sipentol.regency.models import ApplicationFact

    with transaction.atomic():
        for fact in ApplicationFact.objects.select_for_update().filter(pk__in=[f.pk for f in facts]):
            delta = rollup.Delta()
            delta.add(fact, -1)
            rollup.apply(kecamatan_id=fact.kecamatan_id, delta=delta)
            fact.delete()


def schemaless_kecamatan(prefix: str, name: str, count: int) -> list:
    """`count` active kecamatan rows without a schema: enough for the boards, which read the public
    tables only. Named "<name> 00", "<name> 01", ...; the caller removes them if it committed them."""
    from tenants.models import Kecamatan

    return Kecamatan.objects.bulk_create(
        [
            Kecamatan(
                schema_name=f"{prefix}_{i:04d}",
                code=f"{prefix[:3].upper()}{i:04d}",
                name=f"{name} {i:02d}",
                slug=f"{prefix}-{i:04d}",
                status=Kecamatan.Status.ACTIVE,
            )
            for i in range(count)
        ]
    )
