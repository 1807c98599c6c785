"""The desa systems' endpoint (POST /api/v1/desa/pengantar/): a signed pengantar of the right desa
is attached and the application moves on; a revoked token, another desa's token, an unsigned PDF
and a one-byte-tampered PDF are refused with a clear error and change nothing."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.applications.models import Application
from sipentol.desa.models import DesaApiEvent, DesaApiToken, PengantarRequest
from tests.accounts.staff import make_staff, staff_client
from tests.conftest import JETIS_HOST
from tests.desa.conftest import DESA, ask_desa_online, domisili, other_desa  # noqa: F401 (fixture)

URL = "/api/v1/desa/pengantar/"


def _signed_pdf(kecamatan, desa_code: str, username: str) -> bytes:
    """A pengantar signed by a Kepala Desa whose certificate names `desa_code` (the dev CA's)."""
    from sipentol.desa.pdf import pengantar_pdf
    from sipentol.letters.signers import adapter_for
    from sipentol_devtools.provisioning import desa_signer_issue
    from tenants.models import Desa

    user = make_staff(kecamatan, username, Role.KEPALA_DESA, desa_code)
    with tenant_context(kecamatan):
        credential = desa_signer_issue(user=user, desa=Desa.objects.get(code=desa_code))
        pdf = pengantar_pdf(
            desa={"name": "Jetis", "kind": "Desa", "head_title": "Kepala Desa", "kecamatan": "Jetis"},
            body_html="<p>{{ data.nama }}</p>",
            data={"nama": "Siti Aminah"},
            number="470/0007/OPENSID/2026",
            on=__import__("datetime").date(2026, 11, 30),
            signature={"name": "Kepala Desa"},
            verify_url=None,
        )
        signed = adapter_for(credential).sign(pdf, passphrase=None, reason="Pengantar", location="Desa")
    connection.set_schema_to_public()
    return signed


def _token(admin, desa_code: str) -> tuple[str, int]:
    page = admin.post("/kantor/token-api-desa/", {"desa_code": desa_code, "name": "OpenSID"}).content.decode()
    raw = re.search(r'id="issued-token">([^<]+)<', page).group(1)
    return raw, 0


def _push(token: str, reference: str, pdf: bytes):
    return Client(HTTP_HOST=JETIS_HOST).post(
        URL,
        {"reference": reference, "file": SimpleUploadedFile("pengantar.pdf", pdf, "application/pdf")},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _state(kecamatan, application) -> tuple:
    with tenant_context(kecamatan):
        fresh = Application.objects.get(pk=application.pk)
        item = PengantarRequest.objects.get(application_id=application.pk)
        state = (fresh.status, fresh.submitted_at, item.status, item.signed_pdf_key, fresh.documents.count())
    connection.set_schema_to_public()
    return state


@pytest.fixture
def waiting(jetis, jetis_client, domisili):  # noqa: F811
    application, _url = ask_desa_online(jetis_client, jetis, domisili)
    admin = staff_client(jetis, "admin-token", Role.ADMIN)
    return application, admin


def test_it_attaches_a_pushed_pengantar_of_the_right_desa_and_the_application_moves_on(jetis, waiting):
    application, admin = waiting
    token, _ = _token(admin, DESA)
    pdf = _signed_pdf(jetis, DESA, "kades-opensid")

    response = _push(token, application.tracking_code, pdf)

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted"
    status, submitted_at, item_status, key, _documents = _state(jetis, application)
    assert status == "submitted" and submitted_at is not None and item_status == "signed" and key
    with tenant_context(jetis):
        token_row = DesaApiToken.objects.get(desa_code=DESA)
        assert token_row.token_hash != token and token not in token_row.token_hash  # only the hash is stored
        assert DesaApiEvent.objects.filter(action="push", outcome="accepted", token=token_row).exists()
    connection.set_schema_to_public()


def _signed_by_an_unknown_ca(desa_code: str) -> bytes:
    """Signed for the right desa, by a certificate from a CA no kecamatan trusts."""
    import datetime as dt

    from sipentol.desa.pdf import pengantar_pdf
    from sipentol.docengine import pki
    from sipentol.docengine.signing import Pkcs12Signer

    ca_pem, ca_key = pki.ca_create("CA Tidak Dikenal", organization="Entah")
    p12, password = pki.signer_certificate_issue(
        ca_certificate_pem=ca_pem,
        ca_key_pem=ca_key,
        common_name="Palsu",
        organization="Desa",
        organizational_unit=desa_code,
        serial="1",
    )
    signer = Pkcs12Signer(fingerprint=p12, load=lambda: (p12, password), cache_scope=("uji-tak-dikenal",))
    pdf = pengantar_pdf(
        desa={"name": "Jetis"},
        body_html="<p>x</p>",
        data={},
        number="1",
        on=dt.date.today(),
        signature={"name": "Palsu"},
        verify_url=None,
    )
    return signer.sign(pdf, passphrase=None, reason="x", location="x")


@pytest.mark.parametrize(
    "case",
    ["revoked_token", "other_desas_token", "unsigned", "one_byte_tampered", "foreign_desa", "untrusted", "not_pdf"],
)
def test_it_refuses_and_changes_nothing(case, jetis, waiting):
    # given an application waiting for its desa's pengantar
    application, admin = waiting
    token, _ = _token(admin, DESA)
    pdf = _signed_pdf(jetis, DESA, f"kades-{case}")
    before = _state(jetis, application)
    expected_status, expected_code = 400, None
    if case == "revoked_token":
        with tenant_context(jetis):
            pk = DesaApiToken.objects.get(desa_code=DESA).pk
        connection.set_schema_to_public()
        assert admin.post(f"/kantor/token-api-desa/{pk}/cabut/").status_code == 302
        expected_status = 401
    elif case == "other_desas_token":
        token, _ = _token(admin, other_desa(jetis))
        expected_code = "not_found"
    elif case == "unsigned":
        from sipentol.desa.pdf import pengantar_pdf

        pdf = pengantar_pdf(
            desa={"name": "Jetis"},
            body_html="<p>x</p>",
            data={},
            number="1",
            on=__import__("datetime").date.today(),
            signature=None,
            verify_url=None,
        )
        expected_code = "unsigned"
    elif case == "one_byte_tampered":
        at = pdf.index(b"/Type /Page") + 2
        pdf = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]
        expected_code = "tampered"
    elif case == "foreign_desa":
        pdf = _signed_pdf(jetis, other_desa(jetis), "kades-desa-lain")
        expected_code = "foreign_desa"
    elif case == "untrusted":
        pdf = _signed_by_an_unknown_ca(DESA)
        expected_code = "untrusted"
    elif case == "not_pdf":
        pdf = b"GIF89a bukan pdf"
        expected_code = "not_pdf"

    # when the desa system pushes
    response = _push(token, application.tracking_code, pdf)

    # then it is refused with a sentence saying why, and nothing changed
    assert response.status_code == expected_status, response.content
    assert response.json()["detail"]
    if expected_code:
        assert response.json()["code"] == expected_code
    assert _state(jetis, application) == before


@override_settings(DESA_API_PUSHES_PER_MINUTE=2)
def test_it_answers_429_past_the_tokens_rate(jetis, waiting):
    application, admin = waiting
    token, _ = _token(admin, DESA)

    answers = [_push(token, "XXX-0000-0000", b"%PDF-1.4 x").status_code for _ in range(3)]

    assert answers == [400, 400, 429]


def test_it_asks_for_a_token(jetis):
    response = Client(HTTP_HOST=JETIS_HOST).post(URL, {"reference": "JTS-0000-0000"})

    assert response.status_code == 401


def test_the_openapi_schema_documents_the_push_with_its_bearer_token(jetis):
    import json

    schema = json.loads(Client(HTTP_HOST=JETIS_HOST).get("/api/schema/", HTTP_ACCEPT="application/json").content)

    operation = schema["paths"]["/api/v1/desa/pengantar/"]["post"]
    assert operation["security"] == [{"desaToken": []}]
    assert schema["components"]["securitySchemes"]["desaToken"]["scheme"] == "bearer"
    assert {"201", "400", "401", "429"} <= set(operation["responses"])
