"""Antivirus on the citizen's files, through HTTP, against real clamd processes: the suite's, and
one a test stops and starts again (fail closed: kept, hidden, rescanned by the beat job)."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from sipentol.applications import tasks
from sipentol.applications.models import Application, Document, Event
from sipentol.lib import storage
from sipentol.notifications.models import OutboxMessage
from sipentol_devtools.embedded import EICAR
from tests.accounts.staff import staff_client
from tests.lib.test_upload_safety import pdf_carrying_eicar_in_a_stream

from .conftest import apply_payload, photo
from .test_staff_backoffice import _apply


def _pdf_requirement(service) -> str:
    return next(r.code for r in service.requirements.all() if r.required and "application/pdf" in r.accepted_types)


def test_it_refuses_a_photo_with_a_virus_on_the_form_and_stores_nothing(jetis, jetis_client, domisili):
    key = str(uuid.uuid4())
    payload = {**apply_payload(domisili, key), "doc_ktp": SimpleUploadedFile("ktp.jpg", EICAR, "image/jpeg")}

    response = jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", payload)

    assert response.status_code == 400
    assert "terdeteksi mengandung virus/malware" in response.content.decode()
    assert "dan tidak disimpan" in response.content.decode()
    with tenant_context(jetis):
        assert not Application.objects.filter(idempotency_key=key).exists()


def test_it_hides_a_file_kept_while_clamd_was_down_until_the_rescan_job_passes_it(
    jetis, jetis_client, domisili, stoppable_clamd
):
    # given: clamd is down when the citizen applies
    stoppable_clamd.stop()
    application = _apply(jetis_client, domisili)
    with tenant_context(jetis):
        ktp = application.documents.get(requirement_code="ktp", superseded=False)
    assert ktp.scan_status == Document.ScanStatus.PENDING
    staff = staff_client(jetis, "verif.scan")
    file_url = f"/kantor/permohonan/{application.pk}/berkas/{ktp.pk}/"

    # then: the citizen is told, and nobody can open, print or judge the file
    receipt = jetis_client.get(f"/permohonan/{application.public_id}/").content.decode()
    assert "Sedang diperiksa antivirus" in receipt
    detail = staff.get(f"/kantor/permohonan/{application.pk}/").content.decode()
    assert "Sedang diperiksa antivirus" in detail and file_url not in detail
    assert staff.get(file_url).status_code == 404
    staff.post(f"/kantor/permohonan/{application.pk}/periksa/")
    assert staff.post(f"{file_url}nilai/", {"verdict": "accepted"}).status_code == 404
    printed = staff.get(f"/kantor/permohonan/{application.pk}/cetak.pdf")
    with tenant_context(jetis):
        assert ktp.pk not in application.events.get(kind=Event.Kind.FILES_PRINTED).data["documents"]
        assert application.documents.get(pk=ktp.pk).verdict == Document.Verdict.PENDING
    assert printed.status_code == 200

    # when: the job runs while clamd is still down, nothing changes
    tasks.rescan_pending_documents()
    with tenant_context(jetis):
        assert application.documents.get(pk=ktp.pk).scan_status == Document.ScanStatus.PENDING

    # when: clamd is back and the job runs
    stoppable_clamd.start()
    tasks.rescan_pending_documents()

    # then: the file is clean and staff can open it
    with tenant_context(jetis):
        assert application.documents.get(pk=ktp.pk).scan_status == Document.ScanStatus.CLEAN
        assert not application.documents.scan_pending().exists()
        expected = storage.get(ktp.key)
    response = staff.get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == expected


def test_it_deletes_an_infected_file_the_rescan_finds_and_tells_citizen_and_staff(
    jetis, jetis_client, domisili, stoppable_clamd, django_capture_on_commit_callbacks
):
    # given: a PDF carrying EICAR uploaded while clamd is down
    stoppable_clamd.stop()
    code = _pdf_requirement(domisili)
    key = str(uuid.uuid4())
    payload = {
        **apply_payload(domisili, key),
        f"doc_{code}": SimpleUploadedFile("pengantar.pdf", pdf_carrying_eicar_in_a_stream(), "application/pdf"),
    }
    assert jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", payload).status_code == 302
    with tenant_context(jetis):
        application = Application.objects.get(idempotency_key=key)
        document = application.documents.get(requirement_code=code, superseded=False)
        assert document.scan_status == Document.ScanStatus.PENDING and storage.exists(document.key)

    # when
    stoppable_clamd.start()
    with django_capture_on_commit_callbacks(execute=True):  # the object is deleted after commit
        tasks.rescan_pending_documents()

    # then
    with tenant_context(jetis):
        document.refresh_from_db()
        assert document.scan_status == Document.ScanStatus.INFECTED
        assert document.verdict == Document.Verdict.REDO
        assert not storage.exists(document.key)
        event = application.events.get(kind=Event.Kind.SCAN, data__document=document.pk)
        assert event.data["result"] == "infected" and not event.internal
        told = OutboxMessage.objects.filter(
            template="document_infected", dedupe_key=f"{application.pk}:infected:{document.pk}"
        )
        assert told.exists()
        assert "terdeteksi mengandung virus/malware" in told.first().body
    staff = staff_client(jetis, "verif.infected")
    detail = staff.get(f"/kantor/permohonan/{application.pk}/").content.decode()
    assert "Terdeteksi mengandung virus/malware dan sudah dihapus" in detail
    receipt = jetis_client.get(f"/permohonan/{application.public_id}/").content.decode()
    assert "Terdeteksi mengandung virus dan sudah dihapus" in receipt


def test_it_hides_another_kecamatans_pending_file_from_the_rescan_of_this_one(jetis, mojosari, jetis_client, domisili):
    # a file in Jetis's schema is scanned inside Jetis: Mojosari's staff still get a 404
    application = _apply(jetis_client, domisili)
    with tenant_context(jetis):
        ktp = application.documents.get(requirement_code="ktp", superseded=False)
    other = staff_client(mojosari, "verif.mojosari")
    assert other.get(f"/kantor/permohonan/{application.pk}/berkas/{ktp.pk}/").status_code == 404


def test_it_still_accepts_an_ordinary_photo_as_clean(jetis, jetis_client, domisili):
    key = str(uuid.uuid4())
    payload = {**apply_payload(domisili, key), "doc_ktp": photo("ktp.jpg")}

    assert jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", payload).status_code == 302
    with tenant_context(jetis):
        application = Application.objects.get(idempotency_key=key)
        assert set(application.documents.values_list("scan_status", flat=True)) == {"clean"}
