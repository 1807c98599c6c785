"""The whole hand-over through HTTP: the citizen asks the desa online, the operator desa drafts,
the Kepala Desa signs with a TOTP code, the pengantar validates (pdfsig, pyHanko), the
application enters the kecamatan's queue with its SLA starting then, and the kecamatan issues
its letter. Also: a refusal, and the paper letter's photo still accepted."""

from __future__ import annotations

import re
import subprocess

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.applications import services as application_services
from sipentol.applications.models import Application, Document
from sipentol.desa.models import PengantarRequest
from tests.accounts.staff import staff_client
from tests.applications.conftest import apply_payload
from tests.applications.signing import run_signing_tasks

from .conftest import DESA, ask_desa_online, kepala, next_token, operator


def _request_of(kecamatan, application) -> PengantarRequest:
    with tenant_context(kecamatan):
        item = PengantarRequest.objects.select_related("application").get(application_id=application.pk)
    connection.set_schema_to_public()
    return item


def _reload(kecamatan, application) -> Application:
    with tenant_context(kecamatan):
        fresh = Application.objects.get(pk=application.pk)
    connection.set_schema_to_public()
    return fresh


def test_it_hands_the_signed_pengantar_over_and_the_kecamatan_issues_its_letter(
    jetis, jetis_client, domisili, tmp_path
):
    # given a citizen who asks their desa online instead of uploading a photo
    application, receipt_url = ask_desa_online(jetis_client, jetis, domisili)
    application = _reload(jetis, application)
    assert application.status == "awaiting_desa"
    assert application.submitted_at is None and application.due_date is None  # the kecamatan's clock has not started
    page = jetis_client.get(receipt_url).content.decode()
    assert "Menunggu surat pengantar desa" in page and "Batas waktu desa menjawab" in page
    with tenant_context(jetis):
        from sipentol.notifications.models import OutboxMessage

        assert OutboxMessage.objects.filter(template="pengantar_requested").exists()  # the citizen is told
    connection.set_schema_to_public()
    verifier = staff_client(jetis, "verif-desa", Role.VERIFIER)
    assert application.tracking_code not in verifier.get("/kantor/").content.decode()

    # when the operator desa drafts it from their queue
    op = operator(jetis)
    queue = op.get("/kantor/desa/pengantar/").content.decode()
    assert application.tracking_code in queue
    item = _request_of(jetis, application)
    assert item.desa_code == DESA and item.applicant_nik == application.applicant_nik
    assert op.post(f"/kantor/desa/pengantar/{item.pk}/draf/", {"note": "Warga RT 002"}).status_code == 302
    assert _request_of(jetis, application).status == "drafted"

    # and the Kepala Desa signs it: a wrong code is refused, a fresh one signs
    kades = kepala(jetis)
    refused = kades.post(f"/kantor/desa/pengantar/{item.pk}/tandatangani/", {"otp": "000000"}, follow=True)
    assert "Kode verifikasi salah" in refused.content.decode()
    _throttle_reset(jetis, "kades")
    signed = kades.post(
        f"/kantor/desa/pengantar/{item.pk}/tandatangani/", {"otp": next_token(jetis, "kades")}, follow=True
    )
    assert "Pengantar ditandatangani" in signed.content.decode(), signed.content.decode()[-3000:]

    # then the pengantar is a valid PAdES signature of that desa, numbered in the desa's own sequence
    item = _request_of(jetis, application)
    assert item.status == "signed" and re.fullmatch(rf"470/0001/{re.escape(DESA)}/\d{{4}}", item.number)
    with tenant_context(jetis):
        from sipentol.docengine.signing import pdf_signature_check
        from sipentol.letters.selectors import trust_anchor_pems
        from sipentol.lib import storage

        pdf = storage.get(item.signed_pdf_key)
        check = pdf_signature_check(pdf, trust_pems=trust_anchor_pems())
    connection.set_schema_to_public()
    assert check.valid and check.trusted and check.whole_file and DESA in check.signer_units
    path = tmp_path / "pengantar.pdf"
    path.write_bytes(pdf)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    assert "Signature is Valid" in report.stdout + report.stderr
    assert "ETSI.CAdES.detached" in report.stdout + report.stderr
    assert "Surat pengantar ini sah" in jetis_client.get(f"/verifikasi/pengantar/{item.uuid}/").content.decode()

    # and the application is in the kecamatan's queue, its SLA counted from today, the pengantar verified by signature
    application = _reload(jetis, application)
    assert application.status == "submitted"
    assert timezone.localdate(application.submitted_at) == timezone.localdate() and application.due_date is not None
    with tenant_context(jetis):
        document = Document.objects.get(application=application, requirement_code="pengantar-desa", superseded=False)
        assert (
            document.verdict == "accepted" and document.signature["valid"] and document.signature["desa_code"] == DESA
        )
    connection.set_schema_to_public()
    assert application.tracking_code in verifier.get("/kantor/").content.decode()

    # and the verifier sees the signer and the desa instead of a photo, then the kecamatan issues its letter
    assert verifier.post(f"/kantor/permohonan/{application.pk}/periksa/").status_code == 302
    detail = verifier.get(f"/kantor/permohonan/{application.pk}/").content.decode()
    assert "Diverifikasi dengan tanda tangan elektronik" in detail and "Tanda tangan sah" in detail
    assert "Kades" in detail  # the signer's name (staff_client's first name)
    with tenant_context(jetis):
        user = get_user_model().objects.get(username="verif-desa")
        for other in Document.objects.filter(application=application, superseded=False).exclude(verdict="accepted"):
            application_services.document_set_verdict(document=other, actor=user, verdict="accepted")
    connection.set_schema_to_public()
    assert verifier.post(f"/kantor/permohonan/{application.pk}/verifikasi/").status_code == 302
    assert verifier.post(f"/kantor/permohonan/{application.pk}/surat/buat/").status_code == 302
    assert verifier.post(f"/kantor/permohonan/{application.pk}/surat/kirim/").status_code == 302
    camat = _camat(jetis)
    letter_uuid = re.search(
        r'name="letters" value="([0-9a-f-]{36})"', camat.get("/kantor/tanda-tangan/").content.decode()
    )
    camat.post("/kantor/tanda-tangan/", {"letters": [letter_uuid.group(1)], "otp": next_token(jetis, "camat-desa")})
    assert run_signing_tasks(jetis) == ["signed"]
    assert _reload(jetis, application).status == "issued"


def test_it_tells_the_citizen_the_desa_refused_and_gives_the_draft_back(jetis, jetis_client, domisili):
    # given a request in the desa's queue
    application, receipt_url = ask_desa_online(jetis_client, jetis, domisili)
    item = _request_of(jetis, application)
    kades = kepala(jetis, "kades-tolak")

    # when the Kepala Desa refuses it with a reason, and without a reason
    empty = kades.post(f"/kantor/desa/pengantar/{item.pk}/tolak/", {"reason": " "}, follow=True)
    assert "Tulis alasan penolakan" in empty.content.decode()
    kades.post(f"/kantor/desa/pengantar/{item.pk}/tolak/", {"reason": "Bukan warga RT 002, KK belum pindah"})

    # then the draft is the citizen's again, with the reason, and the citizen was told
    assert _reload(jetis, application).status == "draft"
    page = jetis_client.get(receipt_url).content.decode()
    assert "Bukan warga RT 002, KK belum pindah" in page
    with tenant_context(jetis):
        from sipentol.notifications.models import OutboxMessage

        assert OutboxMessage.objects.filter(template="pengantar_refused").exists()
    connection.set_schema_to_public()


def test_it_still_takes_a_photo_of_a_paper_pengantar(jetis, jetis_client, domisili):
    import uuid

    # given the form, which offers the online pengantar
    form = jetis_client.get(f"/layanan/{domisili.slug}/ajukan/").content.decode()
    assert 'name="pengantar_online"' in form

    # when the citizen uploads a photo of the paper letter instead
    key = str(uuid.uuid4())
    assert jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", apply_payload(domisili, key)).status_code == 302

    # then the application goes straight to the kecamatan, with no request to the desa
    with tenant_context(jetis):
        application = Application.objects.get(idempotency_key=key)
        assert application.status == "submitted"
        assert not PengantarRequest.objects.filter(application=application).exists()
        assert application.documents.filter(requirement_code="pengantar-desa", signature={}).exists()
    connection.set_schema_to_public()


def test_it_refuses_a_form_with_neither_photo_nor_online_pengantar_and_keeps_nothing(jetis, jetis_client, domisili):
    import uuid

    key = str(uuid.uuid4())
    payload = apply_payload(domisili, key)
    payload.pop("doc_pengantar-desa")

    response = jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", payload)

    assert response.status_code == 400
    with tenant_context(jetis):
        assert not Application.objects.filter(idempotency_key=key).exists()
    connection.set_schema_to_public()


def _throttle_reset(kecamatan, username: str) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with tenant_context(kecamatan):
        TOTPDevice.objects.get(user__username=username).throttle_reset()
    connection.set_schema_to_public()


def _camat(kecamatan):
    from sipentol.letters import pki

    client = staff_client(kecamatan, "camat-desa", Role.CAMAT)
    with tenant_context(kecamatan):
        pki.dev_signer_issue(
            ca=pki.dev_ca_ensure(kecamatan.name), user=get_user_model().objects.get(username="camat-desa")
        )
    connection.set_schema_to_public()
    return client


def test_the_admin_installs_a_kepala_desas_certificate_like_a_camats(jetis):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sipentol.docengine import pki as engine_pki
    from sipentol.letters.models import SignerCredential
    from tests.accounts.staff import make_staff

    # given a Kepala Desa and a PKCS#12 for their desa
    kades = make_staff(jetis, "kades-p12", Role.KEPALA_DESA, DESA)
    ca_pem, ca_key = engine_pki.ca_create("CA Kabupaten", organization="Pemkab")
    p12, password = engine_pki.signer_certificate_issue(
        ca_certificate_pem=ca_pem,
        ca_key_pem=ca_key,
        common_name="Kades",
        organization="Pemerintah Desa Jetis",
        organizational_unit=DESA,
        serial="7",
    )
    admin = staff_client(jetis, "admin-p12", Role.ADMIN)

    # when the admin kecamatan uploads it on the staff member's certificate page
    response = admin.post(
        f"/kantor/petugas/{kades.pk}/sertifikat/",
        {"p12": SimpleUploadedFile("kades.p12", p12), "password": password.decode()},
    )

    # then it is the Kepala Desa's signing credential
    assert response.status_code == 302
    with tenant_context(jetis):
        assert SignerCredential.objects.filter(user_id=kades.pk, is_active=True).exists()
    connection.set_schema_to_public()
