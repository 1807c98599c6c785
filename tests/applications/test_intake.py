"""Onboarding and suspended kecamatan take no new submission, by any way in (applications/intake.py)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.applications import services
from sipentol.applications.models import Application, Status, hash_secret
from tenants.models import Kecamatan
from tenants.services import kecamatan_set_status
from tests.accounts.staff import staff_client
from tests.conftest import JETIS_HOST
from tests.factories import ApplicationFactory

from .conftest import apply_payload

OPENS_ON = dt.date(2026, 8, 17)


def _onboarding(jetis) -> None:
    jetis.status = Kecamatan.Status.ONBOARDING
    jetis.phone, jetis.address, jetis.opens_on = "(0321) 361234", "Jl. Raya Jetis No. 1", OPENS_ON
    jetis.save()  # the signal forgets the cached route


def _suspended(jetis) -> None:
    Kecamatan.objects.filter(pk=jetis.pk).update(phone="(0321) 361234", address="Jl. Raya Jetis No. 1")
    jetis.refresh_from_db()
    kecamatan_set_status(kecamatan=jetis, status=Kecamatan.Status.SUSPENDED, actor="ops", reason="audit keamanan")


STATES = {"onboarding": _onboarding, "suspended": _suspended}


def _refusal_page(response) -> str:
    assert response.status_code == 503
    page = response.content.decode()
    assert "(0321) 361234" in page
    assert "Jl. Raya Jetis No. 1" in page
    return page


def _no_application(jetis, key: str) -> bool:
    with tenant_context(jetis):
        return not Application.objects.filter(idempotency_key=key).exists()


@pytest.mark.parametrize("state", STATES)
def test_it_refuses_the_citizen_form_with_the_opening_date_and_office_contacts(state, jetis, jetis_client, domisili):
    STATES[state](jetis)
    key = str(uuid.uuid4())

    form = jetis_client.get(f"/layanan/{domisili.slug}/ajukan/")
    submitted = jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", apply_payload(domisili, key))

    _refusal_page(form)
    page = _refusal_page(submitted)
    if state == "onboarding":
        assert "belum dibuka" in page
        assert "17 Agustus 2026" in page
    else:
        assert "dihentikan sementara" in page
    assert _no_application(jetis, key)


@pytest.mark.parametrize("state", STATES)
def test_it_refuses_the_api_submission_in_json_with_the_office_contacts(state, jetis, jetis_client, domisili):
    STATES[state](jetis)
    key = str(uuid.uuid4())

    response = jetis_client.post(
        f"/api/v1/layanan/{domisili.slug}/permohonan/",
        apply_payload(domisili, key),
        HTTP_IDEMPOTENCY_KEY=key,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 503
    body = response.json()
    assert body["kecamatan_status"] == state
    assert body["office"]["phone"] == "(0321) 361234"
    assert "Jetis" in body["detail"] and "office" in body["detail"]  # English, per Accept-Language
    if state == "onboarding":
        assert body["opens_on"] == "2026-08-17"
    assert _no_application(jetis, key)


def test_it_answers_the_api_refusal_in_indonesian_without_accept_language(jetis, jetis_client, domisili):
    _onboarding(jetis)
    key = str(uuid.uuid4())

    response = jetis_client.post(
        f"/api/v1/layanan/{domisili.slug}/permohonan/", apply_payload(domisili, key), HTTP_IDEMPOTENCY_KEY=key
    )

    assert response.status_code == 503
    assert "belum dibuka" in response.json()["detail"]


@pytest.mark.parametrize("state", STATES)
def test_it_refuses_the_kiosk(state, jetis, jetis_client, domisili):
    STATES[state](jetis)
    key = str(uuid.uuid4())

    start = jetis_client.get("/kiosk/")
    submitted = jetis_client.post(f"/kiosk/layanan/{domisili.slug}/", apply_payload(domisili, key))

    _refusal_page(start)
    _refusal_page(submitted)
    assert _no_application(jetis, key)


@pytest.mark.parametrize("state", STATES)
def test_it_refuses_the_completion_of_an_application_submitted_before(state, jetis, jetis_client):
    secret = "rahasia-" + uuid.uuid4().hex
    with tenant_context(jetis):
        application = ApplicationFactory(status=Status.NEEDS_COMPLETION, secret_hash=hash_secret(secret))
    assert jetis_client.get(f"/permohonan/{application.public_id}/?t={secret}").status_code == 302
    STATES[state](jetis)

    response = jetis_client.get(f"/permohonan/{application.public_id}/lengkapi/")

    _refusal_page(response)
    with tenant_context(jetis):
        application.refresh_from_db()
        assert application.status == Status.NEEDS_COMPLETION


def test_it_refuses_the_completion_in_the_service_too(jetis):
    with tenant_context(jetis):
        application = ApplicationFactory(status=Status.NEEDS_COMPLETION)
    _onboarding(jetis)

    with tenant_context(jetis), pytest.raises(services.IntakeClosed):
        services.application_complete(application=application, uploads={})


def test_it_refuses_assisted_mode_of_a_suspended_kecamatan_to_staff_signed_in_before(jetis, domisili):
    verifier = staff_client(jetis, "petugas-sebelum", Role.VERIFIER)
    _suspended(jetis)
    key = str(uuid.uuid4())

    response = verifier.post(f"/kantor/ajukan/{domisili.slug}/", {**apply_payload(domisili, key), "consent": "on"})

    _refusal_page(response)
    assert _no_application(jetis, key)


def test_it_makes_a_trial_application_from_assisted_mode_while_onboarding(jetis, domisili):
    _onboarding(jetis)
    verifier = staff_client(jetis, "petugas-uji", Role.VERIFIER)
    key = str(uuid.uuid4())

    response = verifier.post(f"/kantor/ajukan/{domisili.slug}/", {**apply_payload(domisili, key), "consent": "on"})

    assert response.status_code == 302
    with tenant_context(jetis):
        application = Application.objects.get(idempotency_key=key)
        assert application.is_trial
        assert application.status == Status.SUBMITTED


def test_it_takes_the_citizen_form_of_an_active_kecamatan_as_a_real_application(jetis, jetis_client, domisili):
    key = str(uuid.uuid4())

    response = jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", apply_payload(domisili, key))

    assert response.status_code == 302
    with tenant_context(jetis):
        assert Application.objects.get(idempotency_key=key).is_trial is False


def test_it_answers_the_suspended_host_api_in_json(jetis):
    _suspended(jetis)

    response = Client(HTTP_HOST=JETIS_HOST).get("/api/v1/layanan/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert response.json()["office"]["address"] == "Jl. Raya Jetis No. 1"
    assert "suspended" in response.json()["detail"]


def test_it_refuses_a_citizen_submission_in_the_service_too(jetis, domisili):
    _onboarding(jetis)

    with tenant_context(jetis), pytest.raises(services.IntakeClosed):
        services.application_save(
            service=domisili, idempotency_key=uuid.uuid4(), applicant={}, data={}, uploads={}, submit=True
        )


def test_it_lets_a_trial_application_be_completed_while_onboarding(jetis):
    from sipentol.applications.intake import Channel, intake_decide

    with tenant_context(jetis):
        trial = ApplicationFactory(status=Status.NEEDS_COMPLETION, is_trial=True)
        real = ApplicationFactory(status=Status.NEEDS_COMPLETION)
    _onboarding(jetis)

    with tenant_context(jetis):
        assert intake_decide(channel=Channel.COMPLETION, application=trial).open
        assert not intake_decide(channel=Channel.COMPLETION, application=real).open
