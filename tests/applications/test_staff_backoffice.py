"""The back office through HTTP: queue, review, files, verdicts, completion loop, printing, rights."""

import io
import uuid

from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.applications.models import Application, Event
from sipentol.lib import storage
from tests.accounts.staff import staff_client

from .conftest import NIK_MAN, apply_payload, photo


def _apply(client, service, **kwargs) -> Application:
    key = str(uuid.uuid4())
    response = client.post(f"/layanan/{service.slug}/ajukan/", apply_payload(service, key, **kwargs))
    assert response.status_code == 302, response.content[:2000]
    from tenants.models import Kecamatan

    with tenant_context(Kecamatan.objects.get(slug=client.defaults["HTTP_HOST"].split(".")[0])):
        application = Application.objects.get(idempotency_key=key)
    connection.set_schema_to_public()
    return application


def test_it_lists_the_queue_overdue_first_with_masked_nik(jetis, jetis_client, domisili):
    on_time = _apply(jetis_client, domisili)
    late = _apply(jetis_client, domisili)
    with tenant_context(jetis):
        Application.objects.filter(pk=late.pk).update(due_date="2026-01-05")
    staff = staff_client(jetis, "verif.queue")

    page = staff.get("/kantor/").content.decode()

    assert page.index(late.tracking_code) < page.index(on_time.tracking_code)
    assert "Terlambat" in page
    assert "3516********0001" in page and NIK_MAN not in page
    found = staff.get("/kantor/", {"q": NIK_MAN}).content.decode()
    assert late.tracking_code in found
    assert on_time.tracking_code in staff.get("/kantor/", {"q": on_time.tracking_code.lower()}).content.decode()
    assert late.tracking_code not in staff.get("/kantor/", {"q": "Nama Lain Sekali"}).content.decode()


def test_it_runs_the_review_journey_up_to_verified(jetis, jetis_client, domisili):
    application = _apply(jetis_client, domisili)
    staff = staff_client(jetis, "verif.journey")

    # opening the application is audited and changes nothing; the full NIK is shown here
    page = staff.get(f"/kantor/permohonan/{application.pk}/").content.decode()
    assert NIK_MAN in page and "Mulai periksa" in page and "Simpan penilaian" not in page
    with tenant_context(jetis):
        application.refresh_from_db()
        assert application.status == "submitted"
        assert application.events.filter(kind=Event.Kind.DETAIL_VIEWED).count() == 1

    # taking it into review is a POST; it is then assigned to the reviewer
    assert staff.get(f"/kantor/permohonan/{application.pk}/periksa/").status_code == 405
    started = staff.post(f"/kantor/permohonan/{application.pk}/periksa/", follow=True).content.decode()
    assert "Pemeriksaan dimulai" in started and "Simpan penilaian" in started
    with tenant_context(jetis):
        application.refresh_from_db()
        assert application.status == "in_review" and application.assigned_to.username == "verif.journey"
        documents = list(application.documents.filter(superseded=False))
        ktp = next(d for d in documents if d.requirement_code == "ktp")
        expected = storage.get(ktp.key)

    # viewing a file streams it inline through the authorised view and is audited
    response = staff.get(f"/kantor/permohonan/{application.pk}/berkas/{ktp.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == expected
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    with tenant_context(jetis):
        assert application.events.filter(kind=Event.Kind.FILE_VIEWED, data__document=ktp.pk).count() == 1

    # a redo without reason is refused with a message
    url = f"/kantor/permohonan/{application.pk}/berkas/{ktp.pk}/nilai/"
    refused = staff.post(url, {"verdict": "redo", "reason": ""}, follow=True)
    assert "Tulis alasan" in refused.content.decode()

    staff.post(url, {"verdict": "redo", "reason": "Foto KTP buram."})
    for document in documents:
        if document.pk != ktp.pk:
            staff.post(f"/kantor/permohonan/{application.pk}/berkas/{document.pk}/nilai/", {"verdict": "accepted"})
    assert staff.get(f"/kantor/permohonan/{application.pk}/minta-lengkapi/").status_code == 405  # POST only
    staff.post(f"/kantor/permohonan/{application.pk}/minta-lengkapi/", {"message": "Mohon foto ulang."})
    with tenant_context(jetis):
        application.refresh_from_db()
        assert application.status == "needs_completion"

    # the citizen (same browser that applied) completes what was asked
    form = jetis_client.get(f"/permohonan/{application.public_id}/lengkapi/").content.decode()
    assert "Foto KTP buram." in form
    done = jetis_client.post(f"/permohonan/{application.public_id}/lengkapi/", {"doc_ktp": photo("ktp2.jpg")})
    assert done.status_code == 302

    staff.post(f"/kantor/permohonan/{application.pk}/periksa/")  # back in review
    with tenant_context(jetis):
        new_ktp = application.documents.get(requirement_code="ktp", superseded=False)
    staff.post(f"/kantor/permohonan/{application.pk}/berkas/{new_ktp.pk}/nilai/", {"verdict": "accepted"})
    staff.post(f"/kantor/permohonan/{application.pk}/catatan/", {"text": "Dicek dengan buku register desa."})
    verified = staff.post(f"/kantor/permohonan/{application.pk}/verifikasi/", follow=True).content.decode()

    assert "Permohonan diverifikasi" in verified
    assert "Dicek dengan buku register desa." in verified  # the internal note is on the staff timeline
    with tenant_context(jetis):
        application.refresh_from_db()
        assert application.status == "verified"
        steps = list(application.events.filter(kind="transition").values_list("to_status", flat=True))
        assert steps == ["draft", "submitted", "in_review", "needs_completion", "resubmitted", "in_review", "verified"]
    # the internal note never reaches the citizen
    assert (
        "Dicek dengan buku register desa."
        not in jetis_client.get(f"/permohonan/{application.public_id}/").content.decode()
    )


def test_it_prints_every_file_as_one_pdf_with_a_cover(jetis, jetis_client, domisili):
    from pypdf import PdfReader

    application = _apply(jetis_client, domisili)
    staff = staff_client(jetis, "verif.print")
    with tenant_context(jetis):
        documents = list(application.documents.filter(superseded=False))
        expected_pages = 1 + sum(
            1 if d.is_image else len(PdfReader(io.BytesIO(storage.get(d.key))).pages) for d in documents
        )
        images = sum(1 for d in documents if d.is_image)
    assert images >= 1

    response = staff.get(f"/kantor/permohonan/{application.pk}/cetak.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == expected_pages
    cover = reader.pages[0].extract_text()
    assert application.tracking_code in cover and "3516********0001" in cover and NIK_MAN not in cover
    with tenant_context(jetis):
        assert application.events.filter(kind=Event.Kind.FILES_PRINTED).count() == 1


def test_it_hides_an_application_from_a_staff_member_of_another_kecamatan(jetis, mojosari, jetis_client, domisili):
    application = _apply(jetis_client, domisili)
    other = staff_client(mojosari, "verif.mojosari")

    assert other.get(f"/kantor/permohonan/{application.pk}/").status_code == 404
    assert other.get(f"/kantor/permohonan/{application.pk}/berkas/1/").status_code == 404
    assert application.tracking_code not in other.get("/kantor/").content.decode()
    with tenant_context(jetis):
        application.refresh_from_db()
        assert application.status == "submitted"


def test_it_limits_an_operator_desa_to_their_own_desa(jetis, jetis_client, domisili):
    application = _apply(jetis_client, domisili)  # desa 35.16.16.2013
    other_desa = staff_client(jetis, "op.lain", Role.DESA_OPERATOR, desa_code="35.16.16.2001")
    same_desa = staff_client(jetis, "op.sama", Role.DESA_OPERATOR, desa_code="35.16.16.2013")

    assert other_desa.get(f"/kantor/permohonan/{application.pk}/").status_code == 404
    assert application.tracking_code not in other_desa.get("/kantor/").content.decode()
    page = same_desa.get(f"/kantor/permohonan/{application.pk}/")
    assert page.status_code == 200 and "Mulai periksa" not in page.content.decode()
    # an operator desa reads but does not decide
    assert same_desa.post(f"/kantor/permohonan/{application.pk}/periksa/").status_code == 403
    assert same_desa.post(f"/kantor/permohonan/{application.pk}/verifikasi/").status_code == 403
    assert other_desa.post(f"/kantor/permohonan/{application.pk}/catatan/", {"text": "x"}).status_code == 404
    with tenant_context(jetis):
        application.refresh_from_db()
        assert application.status == "submitted"
