"""The go-live checklist, trial applications and their purge, the kecamatan's letterhead logo."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from services_catalog.configured.models import KecamatanService
from services_catalog.configured.services import kecamatan_service_update
from sipentol.accounts.models import Role
from sipentol.applications import services
from sipentol.applications.models import Application, Status
from sipentol.letters import pki
from sipentol.letters.models import Letter, LetterSequence, LetterSettings
from sipentol.letters.services import letter_template_preview, letterhead_logo_upload
from sipentol.lib import storage
from sipentol.regency.models import ApplicationFact
from tenants.golive import GoLiveIncomplete, checklist
from tenants.models import Kecamatan, OpsEvent
from tenants.services import kecamatan_set_status
from tests.accounts.staff import PASSWORD, public_sign_in, staff_client
from tests.factories import ApplicationFactory, StaffFactory, jpeg_bytes

from .conftest import apply_payload
from .signing import run_signing_tasks
from .test_letter_flow import next_token


@pytest.fixture
def trowulan(db):
    return Kecamatan.objects.get(slug="trowulan")


def _complete_everything_but_the_trial(kecamatan) -> None:
    Kecamatan.objects.filter(pk=kecamatan.pk).update(
        address="Jl. Raya Trowulan 1", phone="(0321) 495000", whatsapp="0812 3456 7890", office_hours="Senin-Jumat"
    )
    kecamatan.refresh_from_db()
    with tenant_context(kecamatan):
        camat = StaffFactory(username="camat-trowulan", role=Role.CAMAT, staff__nip="197001011990031001")
        StaffFactory(username="sekcam-trowulan", role=Role.SEKCAM, staff__nip="197502022000031002")
        admin = StaffFactory(username="admin-trowulan", role=Role.ADMIN)
        service = KecamatanService.objects.get(catalog_code="domisili")
        kecamatan_service_update(service=service, actor=admin.username, changes={"sla_working_days": 3})
        letterhead_logo_upload(fileobj=io.BytesIO(jpeg_bytes((300, 300))), original_name="logo.jpg", actor=admin)
        pki.dev_signer_issue(ca=pki.dev_ca_ensure(kecamatan.name), user=camat)
    connection.set_schema_to_public()


def test_it_lists_every_item_undone_for_a_new_kecamatan_and_refuses_to_activate_it(trowulan):
    states = checklist(trowulan)

    assert [s.check.name for s in states] == [
        "profile",
        "officials",
        "services",
        "letterhead",
        "staff",
        "camat_certificate",
        "trial",
    ]
    assert not any(s.done for s in states)
    with pytest.raises(GoLiveIncomplete) as refusal:
        kecamatan_set_status(kecamatan=trowulan, status=Kecamatan.Status.ACTIVE, actor="ops")
    assert len(refusal.value.missing) == 7
    trowulan.refresh_from_db()
    assert trowulan.status == Kecamatan.Status.ONBOARDING


def test_it_activates_a_kecamatan_only_once_its_trial_reached_a_signed_letter(trowulan):
    _complete_everything_but_the_trial(trowulan)
    assert [s.check.name for s in checklist(trowulan) if not s.done] == ["trial"]
    with pytest.raises(GoLiveIncomplete):
        kecamatan_set_status(kecamatan=trowulan, status=Kecamatan.Status.ACTIVE, actor="ops")

    with tenant_context(trowulan):
        ApplicationFactory(status=Status.ISSUED, is_trial=True)
    connection.set_schema_to_public()
    kecamatan_set_status(kecamatan=trowulan, status=Kecamatan.Status.ACTIVE, actor="ops")

    trowulan.refresh_from_db()
    assert trowulan.status == Kecamatan.Status.ACTIVE


def test_it_shows_the_checklist_and_the_refusal_on_the_ops_console(trowulan):
    operator = get_user_model().objects.create_user("ops-golive", password=PASSWORD, is_staff=True)
    client = public_sign_in(Client(HTTP_HOST="localhost"), operator, prefix="/ops/")

    page = client.get("/ops/kecamatan/trowulan/siap-layanan/").content.decode()
    refused = client.post("/ops/kecamatan/trowulan/status/", {"status": "active"}, follow=True).content.decode()

    assert 'data-check="trial"' in page
    assert "http://trowulan.localhost" in page and "/kantor/profil-kantor/" in page
    assert "belum dapat diaktifkan" in refused
    assert Kecamatan.objects.get(pk=trowulan.pk).status == Kecamatan.Status.ONBOARDING


def test_it_shows_the_opening_date_set_on_the_ops_console_on_the_refusal_page(trowulan, domisili):
    operator = get_user_model().objects.create_user("ops-tanggal", password=PASSWORD, is_staff=True)
    client = public_sign_in(Client(HTTP_HOST="localhost"), operator, prefix="/ops/")

    client.post("/ops/kecamatan/trowulan/tanggal-buka/", {"opens_on": "2026-09-01"})

    page = Client(HTTP_HOST="trowulan.localhost").get("/kiosk/")
    assert page.status_code == 503
    assert "1 September 2026" in page.content.decode()
    assert OpsEvent.objects.filter(kecamatan=trowulan, action="opening", reason="2026-09-01").exists()


def test_it_shows_the_checklist_to_the_admin_with_links_to_fix_each_item(jetis):
    admin = staff_client(jetis, "admin-cek", Role.ADMIN)

    page = admin.get("/kantor/siap-layanan/").content.decode()

    assert 'data-check="letterhead"' in page
    assert 'href="/kantor/kop-surat/"' in page


def test_it_renders_the_letter_with_this_kecamatans_uploaded_logo(jetis):
    admin = staff_client(jetis, "admin-logo", Role.ADMIN)
    assert admin.post("/kantor/kop-surat/", {"logo": _upload()}).status_code == 302

    with tenant_context(jetis):
        stored = storage.get(LetterSettings.objects.get().logo_key)
        pdf = letter_template_preview("<p>isi</p>", "", {"title": "Uji"})

    assert stored[:3] == b"\xff\xd8\xff"
    assert stored in pdf  # the JPEG is embedded as it is stored (DCTDecode)


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("logo.jpg", jpeg_bytes((240, 240)), content_type="image/jpeg")


def test_it_takes_a_trial_through_to_a_signed_letter_numbered_apart_and_counted_nowhere(jetis, domisili):
    # given an onboarding kecamatan whose staff sign in
    jetis.status = Kecamatan.Status.ONBOARDING
    jetis.save()
    verifier = staff_client(jetis, "verif-uji", Role.VERIFIER)
    camat = staff_client(jetis, "camat-uji", Role.CAMAT)
    with tenant_context(jetis):
        pki.dev_signer_issue(ca=pki.dev_ca_ensure(jetis.name), user=get_user_model().objects.get(username="camat-uji"))
        sequences = list(LetterSequence.objects.values_list("year", "last_number"))
    connection.set_schema_to_public()

    # when staff apply in assisted mode, verify, draft, send, and the Camat signs
    key = str(uuid.uuid4())
    assert (
        verifier.post(f"/kantor/ajukan/{domisili.slug}/", {**apply_payload(domisili, key), "consent": "on"}).status_code
        == 302
    )
    with tenant_context(jetis):
        application = Application.objects.get(idempotency_key=key)
    assert verifier.post(f"/kantor/permohonan/{application.pk}/periksa/").status_code == 302
    with tenant_context(jetis):
        user = get_user_model().objects.get(username="verif-uji")
        for document in application.documents.filter(superseded=False):
            services.document_set_verdict(document=document, actor=user, verdict="accepted")
    connection.set_schema_to_public()
    for step in ("verifikasi", "surat/buat", "surat/kirim"):
        assert verifier.post(f"/kantor/permohonan/{application.pk}/{step}/").status_code == 302
    queue = camat.get("/kantor/tanda-tangan/").content.decode()
    letter_uuid = re.search(r'name="letters" value="([0-9a-f-]{36})"', queue).group(1)
    camat.post("/kantor/tanda-tangan/", {"letters": [letter_uuid], "otp": next_token(jetis, "camat-uji")})
    assert run_signing_tasks(jetis) == ["signed"]

    # then the trial is issued with a "UJI COBA" letter outside the year's numbers, and no fact
    with tenant_context(jetis):
        application.refresh_from_db()
        letter = Letter.objects.get(uuid=letter_uuid)
        assert application.is_trial and application.status == Status.ISSUED
        assert letter.is_trial and letter.number.startswith("UJI-COBA/") and letter.sequence is None
        assert list(LetterSequence.objects.values_list("year", "last_number")) == sequences
        signed = storage.get(letter.signed_pdf_key)
    assert not ApplicationFact.objects.filter(kecamatan_id=jetis.pk, application_id=application.pk).exists()
    assert [s.done for s in checklist(jetis) if s.check.name == "trial"] == [True]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(signed)
        fh.flush()
        text = subprocess.run(["pdftotext", fh.name, "-"], capture_output=True, text=True, check=True).stdout
    assert "UJI COBA" in text


def test_it_purges_trial_applications_with_their_files_and_audits_it(jetis, django_capture_on_commit_callbacks):
    with tenant_context(jetis):
        trial = ApplicationFactory(status=Status.SUBMITTED, is_trial=True)
        real = ApplicationFactory(status=Status.SUBMITTED)
        keys = list(trial.documents.values_list("key", flat=True))
    connection.set_schema_to_public()
    admin = staff_client(jetis, "admin-hapus", Role.ADMIN)
    verifier = staff_client(jetis, "verif-hapus", Role.VERIFIER)

    assert verifier.post("/kantor/siap-layanan/hapus-uji-coba/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post("/kantor/siap-layanan/hapus-uji-coba/").status_code == 302

    with tenant_context(jetis):
        assert not Application.objects.filter(pk=trial.pk).exists()
        assert Application.objects.filter(pk=real.pk).exists()
        for key in keys:
            with pytest.raises(storage.ObjectMissing):
                storage.get(key)
    assert OpsEvent.objects.filter(kecamatan=jetis, action="trial_purge", actor="admin-hapus@jetis").exists()


def test_it_lets_a_kecamatan_that_was_live_before_resume_without_the_checklist(jetis):
    kecamatan_set_status(kecamatan=jetis, status=Kecamatan.Status.SUSPENDED, actor="ops", reason="insiden")

    kecamatan_set_status(kecamatan=jetis, status=Kecamatan.Status.ACTIVE, actor="ops")

    jetis.refresh_from_db()
    assert jetis.status == Kecamatan.Status.ACTIVE
    assert not all(s.done for s in checklist(jetis))


def test_it_takes_no_skm_survey_for_a_trial_application(jetis):
    from sipentol.feedback.services import SurveyNotOpen, skm_submit
    from sipentol.feedback.skm import UNSUR_FIELDS

    with tenant_context(jetis):
        trial = ApplicationFactory(status=Status.ISSUED, is_trial=True)
        with pytest.raises(SurveyNotOpen):
            skm_submit(application=trial, answers=dict.fromkeys(UNSUR_FIELDS, 4))
