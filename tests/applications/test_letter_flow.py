"""From a verified application to the signed letter in the citizen's hands, through HTTP."""

import re
import subprocess
import tempfile
import uuid

from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.applications import services
from sipentol.applications.models import Application
from tests.accounts.staff import staff_client

from .conftest import apply_payload
from .signing import run_signing_tasks


def next_token(kecamatan, username: str) -> str:
    """The TOTP code of the next 30 s step: the login already used the current one."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with tenant_context(kecamatan):
        d = TOTPDevice.objects.get(user__username=username)
        return f"{totp(d.bin_key, d.step, d.t0 - d.step, d.digits, d.drift):0{d.digits}d}"


def _wait_out_throttle(kecamatan, username: str) -> None:
    """django-otp slows down guessing after a wrong code; stand in for the seconds a person waits."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with tenant_context(kecamatan):
        TOTPDevice.objects.get(user__username=username).throttle_reset()


def _verified_application(jetis, citizen, service, verifier_name="verif"):
    key = str(uuid.uuid4())
    response = citizen.post(f"/layanan/{service.slug}/ajukan/", apply_payload(service, key))
    assert response.status_code == 302
    verifier = staff_client(jetis, verifier_name, Role.VERIFIER)
    with tenant_context(jetis):
        application = Application.objects.get(idempotency_key=key)
    assert verifier.post(f"/kantor/permohonan/{application.pk}/periksa/").status_code == 302
    with tenant_context(jetis):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username=verifier_name)
        for document in application.documents.filter(superseded=False):
            services.document_set_verdict(document=document, actor=user, verdict="accepted")
    connection.set_schema_to_public()
    assert verifier.post(f"/kantor/permohonan/{application.pk}/verifikasi/").status_code == 302
    return application, verifier, response["Location"]


def _camat(jetis):
    from sipentol.letters import pki

    client = staff_client(jetis, "camat-uji", Role.CAMAT)
    with tenant_context(jetis):
        from django.contrib.auth import get_user_model

        ca = pki.dev_ca_ensure(jetis.name)
        pki.dev_signer_issue(ca=ca, user=get_user_model().objects.get(username="camat-uji"))
    connection.set_schema_to_public()
    return client


def test_it_takes_a_verified_application_to_a_signed_letter_the_citizen_downloads(jetis, jetis_client, domisili):
    # given a verified application and a Camat with a signing certificate
    application, verifier, receipt_url = _verified_application(jetis, jetis_client, domisili)
    camat = _camat(jetis)

    # when the verifier drafts and sends the letter, and the Camat signs with a second factor
    assert verifier.post(f"/kantor/permohonan/{application.pk}/surat/buat/").status_code == 302
    assert verifier.post(f"/kantor/permohonan/{application.pk}/surat/kirim/").status_code == 302
    queue = camat.get("/kantor/tanda-tangan/").content.decode()
    letter_uuid = re.search(r'name="letters" value="([0-9a-f-]{36})"', queue).group(1)
    refused = camat.post("/kantor/tanda-tangan/", {"letters": [letter_uuid], "otp": "000000"}, follow=True)
    assert "Kode verifikasi salah" in refused.content.decode()
    _wait_out_throttle(jetis, "camat-uji")
    started = camat.post(
        "/kantor/tanda-tangan/", {"letters": [letter_uuid], "otp": next_token(jetis, "camat-uji")}, follow=True
    )
    assert "1 surat sedang ditandatangani" in started.content.decode(), re.findall(
        r"class=\"msg[^\"]*\">([^<]*)", started.content.decode()
    )
    assert run_signing_tasks(jetis) == ["signed"]
    assert "1 dari 1 surat ditandatangani" in camat.get("/kantor/tanda-tangan/").content.decode()

    # then the citizen downloads a PAdES-signed PDF, and the QR page says it is valid
    with tenant_context(jetis):
        application.refresh_from_db()
        assert application.status == "issued"
        from sipentol.notifications.models import OutboxMessage

        assert OutboxMessage.objects.filter(template="letter_issued").exists()
    page = jetis_client.get(receipt_url).content.decode()
    assert "Unduh surat" in page
    pdf = jetis_client.get(receipt_url + "surat.pdf")
    assert pdf.status_code == 200
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF") and b"ETSI.CAdES.detached" in body
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(body)
        fh.flush()
        text = subprocess.run(["pdftotext", fh.name, "-"], capture_output=True, text=True, check=True).stdout
    assert "SURAT KETERANGAN DOMISILI" in text.upper()
    assert "Siti Aminah" in text
    verify = jetis_client.get(f"/verifikasi/{letter_uuid}/").content.decode()
    assert "3516********0001" in verify


def test_it_refuses_the_letter_to_another_citizen_and_another_kecamatan(jetis, jetis_client, mojosari_client, domisili):
    from django.test import Client

    application, verifier, receipt_url = _verified_application(jetis, jetis_client, domisili, "verif2")
    camat = _camat(jetis)
    verifier.post(f"/kantor/permohonan/{application.pk}/surat/buat/")
    verifier.post(f"/kantor/permohonan/{application.pk}/surat/kirim/")
    letter_uuid = re.search(r'value="([0-9a-f-]{36})"', camat.get("/kantor/tanda-tangan/").content.decode()).group(1)
    camat.post("/kantor/tanda-tangan/", {"letters": [letter_uuid], "otp": next_token(jetis, "camat-uji")})
    run_signing_tasks(jetis)

    assert jetis_client.get(receipt_url + "surat.pdf").status_code == 200
    assert Client(HTTP_HOST="jetis.localhost").get(receipt_url + "surat.pdf").status_code == 404
    assert mojosari_client.get(receipt_url + "surat.pdf").status_code == 404


def test_it_refuses_signing_by_a_sekcam_without_a_delegation(jetis, jetis_client, domisili):
    application, verifier, _url = _verified_application(jetis, jetis_client, domisili, "verif3")
    sekcam = staff_client(jetis, "sekcam-uji", Role.SEKCAM)
    verifier.post(f"/kantor/permohonan/{application.pk}/surat/buat/")
    verifier.post(f"/kantor/permohonan/{application.pk}/surat/kirim/")

    page = sekcam.get("/kantor/tanda-tangan/").content.decode()

    assert "tidak berwenang menandatangani" in page
    with tenant_context(jetis):
        application.refresh_from_db()
        assert application.status == "awaiting_signature"


def test_it_previews_an_edited_template_and_refuses_template_code(jetis):
    admin = staff_client(jetis, "admin-uji", Role.ADMIN)
    page = admin.get("/kantor/templat-surat/").content.decode()
    assert "Surat Keterangan Domisili" in page

    preview = admin.post(
        "/kantor/templat-surat/domisili/",
        {"action": "preview", "html": "<p>Menerangkan {{ holder.name }}</p>", "css": ""},
    )
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")

    refused = admin.post(
        "/kantor/templat-surat/domisili/", {"action": "save", "html": "{% load static %}<p>x</p>", "css": ""}
    )
    assert refused.status_code == 400


def test_it_lets_the_camat_revoke_an_issued_letter_and_the_qr_page_says_so(jetis, jetis_client, domisili):
    application, verifier, _url = _verified_application(jetis, jetis_client, domisili, "verif4")
    camat = _camat(jetis)
    verifier.post(f"/kantor/permohonan/{application.pk}/surat/buat/")
    verifier.post(f"/kantor/permohonan/{application.pk}/surat/kirim/")
    letter_uuid = re.search(r'value="([0-9a-f-]{36})"', camat.get("/kantor/tanda-tangan/").content.decode()).group(1)
    camat.post("/kantor/tanda-tangan/", {"letters": [letter_uuid], "otp": next_token(jetis, "camat-uji")})
    run_signing_tasks(jetis)
    assert "Cabut surat" in camat.get(f"/kantor/permohonan/{application.pk}/").content.decode()

    camat.post(f"/kantor/surat/{letter_uuid}/cabut/", {"reason": "Data alamat keliru"})

    page = jetis_client.get(f"/verifikasi/{letter_uuid}/").content.decode()
    assert "dicabut" in page.lower()
    assert "Data alamat keliru" in page


def test_it_refuses_a_backup_code_as_the_signing_confirmation_and_leaves_the_letter_waiting(
    jetis, jetis_client, domisili
):
    from sipentol.accounts.services import backup_codes_issue
    from sipentol.letters.models import Letter

    application, verifier, _receipt = _verified_application(jetis, jetis_client, domisili)
    camat = _camat(jetis)
    verifier.post(f"/kantor/permohonan/{application.pk}/surat/buat/")
    verifier.post(f"/kantor/permohonan/{application.pk}/surat/kirim/")
    letter_uuid = re.search(
        r'name="letters" value="([0-9a-f-]{36})"', camat.get("/kantor/tanda-tangan/").content.decode()
    )
    with tenant_context(jetis):
        from django.contrib.auth import get_user_model

        backup_code = backup_codes_issue(user=get_user_model().objects.get(username="camat-uji"))[0]
    connection.set_schema_to_public()

    refused = camat.post("/kantor/tanda-tangan/", {"letters": [letter_uuid.group(1)], "otp": backup_code}, follow=True)

    assert "Kode verifikasi salah" in refused.content.decode()
    with tenant_context(jetis):
        assert Letter.objects.get(uuid=letter_uuid.group(1)).signed_at is None
        application.refresh_from_db()
        assert application.status == "awaiting_signature"
