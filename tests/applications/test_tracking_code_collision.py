"""A new tracking code that repeats an existing one is drawn again; the citizen's form is never lost."""

import secrets
import uuid

import pytest
from django_tenants.utils import tenant_context

from sipentol.applications.models import Application
from sipentol.applications.services import CODE_ALPHABET

from .conftest import TRACKING_RE, apply_payload


@pytest.fixture
def colliding_codes(monkeypatch):
    """The tracking-code draws run "2222", "2222", "3333", ...: the second application draws the first's code."""
    planned = iter("2222" + "2222" + "3333" + "4444" * 10)
    real_choice = secrets.choice

    def choice(seq):
        return next(planned) if seq == CODE_ALPHABET else real_choice(seq)

    monkeypatch.setattr(secrets, "choice", choice)


def _code_on_receipt(client, response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return TRACKING_RE.search(client.get(response["Location"]).content.decode()).group(0)


def test_it_gives_the_form_a_fresh_code_when_the_drawn_code_is_taken(jetis, jetis_client, domisili, colliding_codes):
    url = f"/layanan/{domisili.slug}/ajukan/"
    first = _code_on_receipt(jetis_client, jetis_client.post(url, apply_payload(domisili, str(uuid.uuid4()))))
    key = str(uuid.uuid4())
    second = _code_on_receipt(jetis_client, jetis_client.post(url, apply_payload(domisili, key)))

    assert first.endswith("-2222") and second.endswith("-3333")
    with tenant_context(jetis):
        assert Application.objects.get(idempotency_key=key).tracking_code == second


def test_it_gives_the_api_a_fresh_code_when_the_drawn_code_is_taken(jetis_client, domisili, colliding_codes):
    url = f"/api/v1/layanan/{domisili.slug}/permohonan/"

    def submit(key):
        payload = apply_payload(domisili, key)
        payload.pop("action")
        return jetis_client.post(url, payload, HTTP_IDEMPOTENCY_KEY=key)

    first = submit(str(uuid.uuid4()))
    second = submit(str(uuid.uuid4()))

    assert first.status_code == 201 and second.status_code == 201, second.content
    assert first.json()["tracking_code"] != second.json()["tracking_code"]
    assert second.json()["secret_link"]


def test_it_still_answers_a_double_submit_with_the_same_application(jetis, jetis_client, domisili, colliding_codes):
    url = f"/api/v1/layanan/{domisili.slug}/permohonan/"
    key = str(uuid.uuid4())
    payload = apply_payload(domisili, key)
    payload.pop("action")
    first = jetis_client.post(url, payload, HTTP_IDEMPOTENCY_KEY=key)
    again = jetis_client.post(url, apply_payload(domisili, key), HTTP_IDEMPOTENCY_KEY=key)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["public_id"] == first.json()["public_id"]
    with tenant_context(jetis):
        assert Application.objects.filter(idempotency_key=key).count() == 1
