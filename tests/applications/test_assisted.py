"""Assisted mode (staff/operator desa apply for a citizen, with consent) and the office kiosk."""

import uuid

from django.test import Client
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.applications.models import Application
from tests.accounts.staff import staff_client

from .conftest import TRACKING_RE, apply_payload


def test_it_refuses_an_assisted_application_without_the_citizens_consent(jetis, domisili):
    operator = staff_client(jetis, "op.desa", Role.DESA_OPERATOR, desa_code="35.16.16.2013")
    key = str(uuid.uuid4())

    response = operator.post(f"/kantor/ajukan/{domisili.slug}/", apply_payload(domisili, key))

    assert response.status_code == 400
    assert "Centang pernyataan persetujuan pemohon" in response.content.decode()
    with tenant_context(jetis):
        assert not Application.objects.filter(idempotency_key=key).exists()


def test_it_records_who_applied_and_the_consent(jetis, domisili):
    operator = staff_client(jetis, "op.desa2", Role.DESA_OPERATOR, desa_code="35.16.16.2001")
    key = str(uuid.uuid4())
    payload = {**apply_payload(domisili, key), "consent": "1", "consent_note": "Hadir langsung di balai desa"}

    response = operator.post(f"/kantor/ajukan/{domisili.slug}/", payload)

    assert response.status_code == 302
    with tenant_context(jetis):
        application = Application.objects.get(idempotency_key=key)
        assert application.assisted_by.username == "op.desa2"
        assert application.consent_statement == "Hadir langsung di balai desa"
        assert application.channel == "assisted" and application.status == "submitted"
    # another desa's operator still sees what they submitted themselves
    page = operator.get(response["Location"]).content.decode()
    assert application.tracking_code in page and "Hadir langsung di balai desa" in page


def test_it_runs_the_kiosk_and_leaves_nothing_in_the_browser(jetis, domisili):
    kiosk = Client(HTTP_HOST="jetis.localhost")

    start = kiosk.get("/kiosk/")
    assert start.status_code == 200 and "no-store" in start["Cache-Control"]
    page = start.content.decode()
    assert 'class="kiosk"' in page and 'http-equiv="refresh"' in page and "url=/kiosk/selesai/" in page
    form = kiosk.get(f"/kiosk/layanan/{domisili.slug}/").content.decode()
    assert 'autocomplete="off"' in form and 'value="draft"' not in form

    key = str(uuid.uuid4())
    submitted = kiosk.post(f"/kiosk/layanan/{domisili.slug}/", apply_payload(domisili, key))
    assert submitted.status_code == 302 and submitted["Location"] == "/kiosk/tanda-terima/"
    receipt = kiosk.get("/kiosk/tanda-terima/").content.decode()

    with tenant_context(jetis):
        application = Application.objects.get(idempotency_key=key)
        assert application.channel == "kiosk" and application.assisted_by is None
    assert TRACKING_RE.search(receipt).group(0) == application.tracking_code
    assert "?t=" not in receipt and "Siti Aminah" not in receipt  # the secret link goes only to phone/e-mail
    assert kiosk.get(f"/permohonan/{application.public_id}/").status_code == 404  # session flushed
    assert kiosk.get("/kiosk/tanda-terima/").status_code == 302  # shown once

    kiosk.get(f"/kiosk/layanan/{domisili.slug}/")
    done = kiosk.get("/kiosk/selesai/")
    assert done.status_code == 302 and done["Location"] == "/kiosk/"
    assert not kiosk.session.items()
