"""Helpers: an application of a Jetis citizen brought to `issued`, and SKM responses in bulk."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.applications.models import Application, Status
from tests.applications.conftest import apply_payload, domisili  # noqa: F401 - fixture re-export

ALL = (
    "u1_persyaratan",
    "u2_prosedur",
    "u3_waktu",
    "u4_biaya",
    "u5_produk",
    "u6_kompetensi",
    "u7_perilaku",
    "u8_pengaduan",
    "u9_sarana",
)


def submit(kecamatan, client, service) -> tuple[Application, str]:
    """The citizen applies through HTTP; returns the application and its receipt URL."""
    key = str(uuid.uuid4())
    response = client.post(f"/layanan/{service.slug}/ajukan/", apply_payload(service, key))
    assert response.status_code == 302, response.content[:500]
    with tenant_context(kecamatan):
        application = Application.objects.get(idempotency_key=key)
    connection.set_schema_to_public()
    return application, response["Location"]


def issue(kecamatan, application: Application) -> None:
    """Stand-in for review, letter and signature (tested in tests/applications/test_letter_flow.py)."""
    with tenant_context(kecamatan):
        Application.objects.filter(pk=application.pk).update(status=Status.ISSUED)
    connection.set_schema_to_public()


def answers(score_or_scores) -> dict:
    scores = score_or_scores if isinstance(score_or_scores, (list, tuple)) else [score_or_scores] * 9
    return {field: str(score) for field, score in zip(ALL, scores, strict=True)}


def add_responses(kecamatan, service, score_sets: list, *, suggestion: str = "") -> None:
    """Rated applications with the given answers, written straight to the tables (for the index)."""
    from sipentol.feedback.models import SurveyResponse

    with tenant_context(kecamatan):
        for i, scores in enumerate(score_sets):
            application = Application.objects.create(
                tracking_code=f"TST-{uuid.uuid4().hex[:8].upper()}",
                secret_hash="x" * 64,
                idempotency_key=uuid.uuid4(),
                service=service,
                status=Status.RATED,
            )
            values = scores if isinstance(scores, (list, tuple)) else [scores] * 9
            SurveyResponse.objects.create(
                application=application,
                service=service,
                suggestion=suggestion if i == 0 else "",
                **dict(zip(ALL, values, strict=True)),
            )
    connection.set_schema_to_public()


@pytest.fixture
def jetis_issued(jetis, jetis_client, domisili):  # noqa: F811
    application, receipt_url = submit(jetis, jetis_client, domisili)
    issue(jetis, application)
    return application, receipt_url
