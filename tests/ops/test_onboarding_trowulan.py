"""Onboarding Trowulan from Jetis's template end to end over HTTP (issue "Roll out to the regency",
point 7): Jetis publishes, Diskominfo provisions, the invited admin makes their account, completes
the go-live checklist with a trial letter, Diskominfo activates, and a citizen receives a signed
letter; Trowulan's configuration equals the template's and Jetis's later edits stay in Jetis.

The provisioning task runs in this process (`provisioning_run.apply`, the same body a worker runs,
inside the test's transaction); the worker, SMTP and WhatsApp path is tests/ops/test_onboarding_worker.py.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context

from services_catalog.blueprints import configuration_current
from services_catalog.configured.models import KecamatanService
from services_catalog.models import RegencyTemplateVersion
from sipentol.accounts.models import RegencyRole, Role
from sipentol.applications.models import Application, Status
from sipentol.docengine import crypto
from sipentol.docengine import pki as engine_pki
from sipentol.letters import pki
from sipentol.notifications.models import OutboxMessage
from sipentol.ops.models import ProvisioningRun
from sipentol.ops.tasks import provisioning_run
from tenants.models import Desa, Kecamatan
from tests.accounts.staff import public_sign_in, staff_client
from tests.applications.conftest import form_values, uploads_for
from tests.applications.signing import run_signing_tasks
from tests.factories import RegencyUserFactory, jpeg_bytes
from tests.services_catalog.test_staff_pages import _standard_payload

pytestmark = pytest.mark.slow

TROWULAN = "trowulan.localhost"
ADMIN_PASSWORD = "Trowulan-Majapahit-2026!"
STAFF_PASSWORD = "Candi-Bajang-Ratu-2026!"


def _in(kecamatan, read):
    with tenant_context(kecamatan):
        value = read()
    connection.set_schema_to_public()
    return value


def _code(kecamatan, username: str) -> str:
    """The code the person's authenticator shows: django-otp accepts a code once and one 30 s step
    of skew, so after a code was used this is the next step's; when both are spent, wait for the
    app to show a new one, as the person would."""
    while True:
        device = _in(kecamatan, lambda: TOTPDevice.objects.get(user__username=username))
        now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
        ahead = max(0, (device.last_t if device.last_t is not None else now - 1) + 1 - now)
        if ahead <= 1:
            totp = TOTP(device.bin_key, device.step, device.t0 - ahead * device.step, device.digits, device.drift)
            return f"{totp.token():0{device.digits}d}"
        time.sleep(device.step - time.time() % device.step + 0.1)


def _staff_created(admin: Client, **fields) -> tuple[str, str]:
    """The admin adds a staff member on /kantor/petugas/tambah/; returns what the page hands over
    once: the temporary password and the enrolment code."""
    data = {"username": "", "full_name": "", "role": Role.VERIFIER, "position": "", "nip": "", "desa_code": ""}
    page = admin.post("/kantor/petugas/tambah/", {**data, **fields})
    assert page.status_code == 200, page.content.decode()[:2000]
    text = page.content.decode()
    password = re.search(r'id="temporary-password">([^<]+)</code>', text).group(1)
    code = re.search(r'id="enrolment-code">([^<]+)</code>', text).group(1)
    return password, code


def _first_sign_in(kecamatan, username: str, temporary: str, enrolment_code: str) -> Client:
    """A new staff member's first sign-in: temporary password, a new one, the enrolment code, TOTP."""
    client = Client(HTTP_HOST=f"{kecamatan.slug}.localhost")
    assert client.post("/kantor/masuk/", {"username": username, "password": temporary}).status_code == 302
    changed = client.post(
        "/kantor/ganti-kata-sandi/", {"new_password1": STAFF_PASSWORD, "new_password2": STAFF_PASSWORD}
    )
    assert changed.status_code == 302
    assert client.post("/kantor/masuk/otp/", {"enrolment_code": enrolment_code}).status_code == 302
    assert "otpauth://totp/" in client.get("/kantor/masuk/otp/").content.decode()
    enrolled = client.post("/kantor/masuk/otp/", {"token": _code(kecamatan, username), "next": "/kantor/"})
    assert enrolled.status_code == 302
    assert 'id="backup-codes"' in client.get(enrolled["Location"]).content.decode()
    return client


def _verify_and_send(verifier: Client, kecamatan, application_pk: int) -> None:
    """Review, accept every document, verify, draft the letter and send it to the Camat."""
    assert verifier.post(f"/kantor/permohonan/{application_pk}/periksa/").status_code == 302
    documents = _in(
        kecamatan,
        lambda: list(Application.objects.get(pk=application_pk).documents.current().values_list("pk", flat=True)),
    )
    for doc_pk in documents:
        nilai = f"/kantor/permohonan/{application_pk}/berkas/{doc_pk}/nilai/"
        assert verifier.post(nilai, {"verdict": "accepted"}).status_code == 302
    for step in ("verifikasi", "surat/buat", "surat/kirim"):
        assert verifier.post(f"/kantor/permohonan/{application_pk}/{step}/").status_code == 302


def _camat_signs(camat: Client, kecamatan) -> None:
    queue = camat.get("/kantor/tanda-tangan/").content.decode()
    letter_uuid = re.search(r'name="letters" value="([0-9a-f-]{36})"', queue).group(1)
    started = camat.post(
        "/kantor/tanda-tangan/", {"letters": [letter_uuid], "otp": _code(kecamatan, "camat.trowulan")}, follow=True
    )
    assert "1 surat sedang ditandatangani" in started.content.decode()
    # The batch's per-letter task, run here: nothing commits inside the test's transaction.
    assert run_signing_tasks(kecamatan) == ["signed"]


def _application(service, kecamatan, key: str) -> dict:
    """The domisili form filled in by a resident of one of this kecamatan's desa, with its uploads."""
    desa = Desa.objects.filter(kecamatan=kecamatan).values_list("code", flat=True).first()
    return {**form_values(service, desa=desa), **uploads_for(service), "idempotency_key": key, "action": "submit"}


def _sla(kecamatan, slug: str) -> int:
    return _in(kecamatan, lambda: KecamatanService.objects.get(slug=slug).sla_working_days)


def test_it_onboards_trowulan_from_jetis_template_to_a_citizen_signed_letter_and_keeps_it_apart(jetis):
    trowulan = Kecamatan.objects.get(slug="trowulan")

    # given: Jetis's admin sets domisili's SLA to 9 working days and publishes the template
    jetis_admin = staff_client(jetis, "admin.jetis.e2e", Role.ADMIN)
    jetis_domisili = _in(jetis, lambda: KecamatanService.objects.get(slug="domisili"))
    edited = jetis_admin.post("/kantor/layanan/domisili/", _standard_payload(jetis_domisili, sla_working_days=9))
    assert edited.status_code == 302
    assert _sla(trowulan, "domisili") != 9  # so that equality below says the template was applied
    published = jetis_admin.post("/kantor/templat-kabupaten/", {"name": "Templat Jetis", "note": "rollout"})
    assert published.status_code == 302
    version = RegencyTemplateVersion.objects.get(template__source=jetis, template__name="Templat Jetis")

    # when: a Diskominfo operator starts provisioning Trowulan with that version
    connection.set_schema_to_public()  # a request leaves the connection in its host's schema
    ops = public_sign_in(Client(HTTP_HOST="localhost"), RegencyUserFactory(role=RegencyRole.OPERATOR), "/ops/")
    started = ops.post(
        "/ops/kecamatan/baru/",
        {
            "regency_code": "35.16.12",
            "admin_full_name": "Siti Rahayu",
            "admin_email": "admin.trowulan@example.go.id",
            "template_version_id": str(version.pk),
        },
    )
    assert started.status_code == 302, started.content.decode()[:2000]
    run = ProvisioningRun.objects.get(pk=int(started["Location"].rstrip("/").rsplit("/", 1)[1]))
    provisioning_run.apply(args=[run.pk])

    # then: the run is done, as its progress page reads it
    progress = ops.get(f"/ops/kecamatan/proses/{run.pk}/status/").json()
    assert (progress["status"], progress["percent"]) == ("done", 100), progress

    # the invitation e-mail is in Trowulan's outbox, with a link on Trowulan's host
    body = _in(trowulan, lambda: OutboxMessage.objects.get(template="account_invitation", channel="email").body)
    link = re.search(r"/kantor/undangan/[A-Za-z0-9_-]+/", body).group(0)

    # the admin follows it, sets a password, enrols TOTP and lands on /kantor/
    admin = Client(HTTP_HOST=TROWULAN)
    assert "Siti Rahayu" in admin.get(link).content.decode()
    made = admin.post(link, {"username": "siti.trowulan", "password1": ADMIN_PASSWORD, "password2": ADMIN_PASSWORD})
    assert made.status_code == 302
    assert "otpauth://totp/" in admin.get(made["Location"]).content.decode()
    enrolled = admin.post("/kantor/masuk/otp/", {"token": _code(trowulan, "siti.trowulan"), "next": "/kantor/"})
    assert 'id="backup-codes"' in admin.get(enrolled["Location"]).content.decode()
    assert admin.get("/kantor/").status_code == 200

    # Trowulan's configuration equals the version's snapshot
    assert _in(trowulan, lambda: configuration_current(kecamatan=trowulan)["sections"]) == version.snapshot["sections"]
    assert _sla(trowulan, "domisili") == 9

    # the admin completes the checklist on its pages: the office profile
    profile = {
        "address": "Jl. Raya Trowulan No. 1, Mojokerto",
        "phone": "0321-495000",
        "whatsapp": "081234567890",
        "email": "kantor@trowulan.example",
        "office_hours": "Senin-Jumat 07.30-15.30",
    }
    assert admin.post("/kantor/profil-kantor/", profile).status_code == 302
    # the letterhead logo
    logo = SimpleUploadedFile("logo.jpg", jpeg_bytes((240, 240)), content_type="image/jpeg")
    assert admin.post("/kantor/kop-surat/", {"logo": logo}).status_code == 302
    # a service reviewed on its page
    trowulan_domisili = _in(
        trowulan, lambda: KecamatanService.objects.prefetch_related("requirements").get(slug="domisili")
    )
    reviewed = _standard_payload(trowulan_domisili, summary="Surat keterangan domisili warga Trowulan.")
    assert admin.post("/kantor/layanan/domisili/", reviewed).status_code == 302
    # the Camat and Sekcam with their NIP, and a verifier
    camat_first = _staff_created(
        admin, username="camat.trowulan", full_name="Bambang Wijaya", role=Role.CAMAT, nip="197001011990031001"
    )
    sekcam_first = _staff_created(
        admin, username="sekcam.trowulan", full_name="Dewi Lestari", role=Role.SEKCAM, nip="197502022000031002"
    )
    verifier_first = _staff_created(admin, username="verif.trowulan", full_name="Ani Susanti", role=Role.VERIFIER)
    camat = _first_sign_in(trowulan, "camat.trowulan", *camat_first)
    _first_sign_in(trowulan, "sekcam.trowulan", *sekcam_first)
    verifier = _first_sign_in(trowulan, "verif.trowulan", *verifier_first)
    # the Camat's signing certificate, uploaded on the Camat's page; the PKCS#12 file comes from
    # the kecamatan's development CA (made by provisioning), since no page issues one
    camat_pk = _in(trowulan, lambda: TOTPDevice.objects.get(user__username="camat.trowulan").user_id)
    ca = _in(trowulan, lambda: pki.dev_ca_ensure(trowulan.name))
    p12, p12_password = engine_pki.signer_certificate_issue(
        ca_certificate_pem=ca.certificate_pem,
        ca_key_pem=crypto.decrypt(ca.private_key_encrypted),
        common_name="Bambang Wijaya",
        organization="Kecamatan Trowulan",
        serial="197001011990031001",
    )
    certificate = SimpleUploadedFile("camat.p12", p12, content_type="application/x-pkcs12")
    uploaded = admin.post(
        f"/kantor/petugas/{camat_pk}/sertifikat/",
        {"p12": certificate, "password": p12_password.decode()},
    )
    assert uploaded.status_code == 302, uploaded.content.decode()[:2000]

    # Diskominfo cannot activate yet: the trial letter is missing
    refused = ops.post("/ops/kecamatan/trowulan/status/", {"status": "active", "reason": "siap"}, follow=True)
    assert "belum dapat diaktifkan" in refused.content.decode()
    assert Kecamatan.objects.get(pk=trowulan.pk).status == Kecamatan.Status.ONBOARDING

    # a trial application in assisted mode, through to the Camat's signed letter
    trial_key = str(uuid.uuid4())
    assisted = verifier.post(
        "/kantor/ajukan/domisili/", {**_application(trowulan_domisili, trowulan, trial_key), "consent": "on"}
    )
    assert assisted.status_code == 302, re.findall(r"(?:error|alert)[^>]*>([^<]+)", assisted.content.decode())
    trial = _in(trowulan, lambda: Application.objects.get(idempotency_key=trial_key))
    _verify_and_send(verifier, trowulan, trial.pk)
    _camat_signs(camat, trowulan)
    checklist_page = admin.get("/kantor/siap-layanan/").content.decode()
    assert _in(trowulan, lambda: Application.objects.get(pk=trial.pk).status) == Status.ISSUED
    assert re.findall(r'class="(done|todo)" data-check="(\w+)"', checklist_page) == [
        ("done", item)
        for item in ("profile", "officials", "services", "letterhead", "staff", "camat_certificate", "trial")
    ]

    # Diskominfo activates Trowulan
    activated = ops.post("/ops/kecamatan/trowulan/status/", {"status": "active", "reason": "siap"})
    assert activated.status_code == 302
    assert Kecamatan.objects.get(pk=trowulan.pk).status == Kecamatan.Status.ACTIVE

    # a citizen applies on Trowulan's site; staff verify, the Camat signs with a TOTP code
    citizen = Client(HTTP_HOST=TROWULAN)
    key = str(uuid.uuid4())
    applied = citizen.post("/layanan/domisili/ajukan/", _application(trowulan_domisili, trowulan, key))
    assert applied.status_code == 302, applied.content.decode()[:2000]
    receipt_url = applied["Location"]
    application = _in(trowulan, lambda: Application.objects.get(idempotency_key=key))
    assert not application.is_trial
    _verify_and_send(verifier, trowulan, application.pk)
    _camat_signs(camat, trowulan)

    # the citizen downloads a signed PDF
    pdf = citizen.get(receipt_url + "surat.pdf")
    assert pdf.status_code == 200
    signed = b"".join(pdf.streaming_content)
    assert signed.startswith(b"%PDF") and b"ETSI.CAdES.detached" in signed
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(signed)
        fh.flush()
        text = subprocess.run(["pdftotext", fh.name, "-"], capture_output=True, text=True, check=True).stdout
    assert "SURAT KETERANGAN DOMISILI" in text.upper() and "UJI COBA" not in text

    # and a later edit in Jetis does not reach Trowulan
    jetis_domisili = _in(jetis, lambda: KecamatanService.objects.get(slug="domisili"))
    edited = jetis_admin.post("/kantor/layanan/domisili/", _standard_payload(jetis_domisili, sla_working_days=11))
    assert edited.status_code == 302
    assert (_sla(jetis, "domisili"), _sla(trowulan, "domisili")) == (11, 9)
