"""A copy of the citizen's data: tracking code, then the one-time code, then the ZIP through the
secret link; a wrong code or another kecamatan's tracking code gets nothing."""

from __future__ import annotations

import io
import json
import zipfile

from django.core.cache import cache
from django.test import Client
from django_tenants.utils import tenant_context

from sipentol.applications.models import AccessCode, Event, Status
from sipentol.lib import appcache, storage
from sipentol.notifications.models import OutboxMessage
from tests.factories import ApplicationFactory, LetterFactory, PrivacyRequestFactory

from .conftest import last_code, secret_hash, through_secret_link

STAFF_NOTE = "Catatan internal: cek ulang alamat dengan kepala desa."


def _issued(jetis):
    with tenant_context(jetis):
        application = ApplicationFactory(status=Status.ISSUED, secret_hash=secret_hash())
        letter = LetterFactory(application=application)
        PrivacyRequestFactory(application=application)
        Event.objects.create(
            application=application, kind=Event.Kind.NOTE, actor_label="petugas", reason=STAFF_NOTE, internal=True
        )
        files = {d.requirement_code: storage.get(d.key) for d in application.documents.all()}
        letter_pdf = storage.get(letter.signed_pdf_key)
    return application, files, letter_pdf


def test_it_delivers_a_zip_of_rows_files_letter_and_processing_record_after_the_one_time_code(jetis):
    # given: the citizen opened their secret link
    application, files, letter_pdf = _issued(jetis)
    citizen = through_secret_link(jetis, application)

    # when: tracking code, then the one-time code sent to their phone/e-mail
    sent = citizen.post("/privasi/ekspor/", {"kode": application.tracking_code})
    assert sent.status_code == 302
    checked = citizen.post(sent["Location"], {"code": last_code(jetis)})
    download = citizen.get(checked["Location"])

    # then
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = set(archive.namelist())
    assert {
        "ringkasan.json",
        "riwayat.json",
        "permintaan.json",
        f"surat/surat-{application.tracking_code}.pdf",
    } <= names
    stored = {
        name.split("-", 1)[1].rsplit(".", 1)[0]: archive.read(name) for name in names if name.startswith("berkas/")
    }
    assert stored == files
    assert archive.read(f"surat/surat-{application.tracking_code}.pdf") == letter_pdf
    summary = json.loads(archive.read("ringkasan.json"))
    assert summary["kode_lacak"] == application.tracking_code
    assert summary["pemohon"]["nama"] == application.applicant_name
    assert summary["pemohon"]["nik"] == application.masked_nik
    assert application.applicant_nik not in archive.read("ringkasan.json").decode()
    record = json.loads(archive.read("riwayat.json"))
    assert any(row["menjadi"] == Status.ISSUED for row in record)
    assert STAFF_NOTE not in archive.read("riwayat.json").decode()
    assert json.loads(archive.read("permintaan.json"))[0]["jenis"] == "Perbaikan data"
    with tenant_context(jetis):
        assert application.events.filter(kind=Event.Kind.ACCESS, data__export=True).count() == 1


def test_it_gives_one_download_per_one_time_code(jetis):
    application, _files, _pdf = _issued(jetis)
    citizen = through_secret_link(jetis, application)
    citizen.post("/privasi/ekspor/", {"kode": application.tracking_code})
    first = citizen.get(
        citizen.post(f"/privasi/ekspor/{application.tracking_code}/", {"code": last_code(jetis)})["Location"]
    )
    b"".join(first.streaming_content)

    again = citizen.get(f"/privasi/permohonan/{application.public_id}/salinan.zip")

    assert again.status_code == 302
    assert again["Location"] == f"/privasi/ekspor/?kode={application.tracking_code}"


def test_it_refuses_a_wrong_one_time_code_with_an_indonesian_message_and_no_zip(jetis):
    application, _files, _pdf = _issued(jetis)
    citizen = through_secret_link(jetis, application)
    citizen.post("/privasi/ekspor/", {"kode": application.tracking_code})
    right = last_code(jetis)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    refused = citizen.post(f"/privasi/ekspor/{application.tracking_code}/", {"code": wrong})
    download = citizen.get(f"/privasi/permohonan/{application.public_id}/salinan.zip")

    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("text/html")
    assert "Kode salah atau kedaluwarsa, jadi salinan data tidak dibuat." in refused.content.decode()
    assert download.status_code == 302
    assert download["Content-Type"] != "application/zip"
    with tenant_context(jetis):
        assert not application.events.filter(data__export=True).exists()


def test_it_sends_the_copy_only_through_the_secret_link(jetis):
    # given: the right code, typed in a browser that never opened the secret link
    application, _files, _pdf = _issued(jetis)
    stranger = Client(HTTP_HOST="jetis.localhost")
    stranger.post("/privasi/ekspor/", {"kode": application.tracking_code})

    answered = stranger.post(f"/privasi/ekspor/{application.tracking_code}/", {"code": last_code(jetis)})

    # then: no file there; the page sends them to their secret link, where the download waits
    assert answered.status_code == 200
    assert "tautan rahasia" in answered.content.decode()
    assert stranger.get(f"/privasi/permohonan/{application.public_id}/salinan.zip").status_code == 404
    owner = through_secret_link(jetis, application)
    page = owner.get(f"/permohonan/{application.public_id}/").content.decode()
    assert f"/privasi/permohonan/{application.public_id}/salinan.zip" in page
    assert owner.get(f"/privasi/permohonan/{application.public_id}/salinan.zip")["Content-Type"] == "application/zip"


def test_it_keeps_the_copy_waiting_30_minutes_after_the_code(jetis):
    application, _files, _pdf = _issued(jetis)
    stranger = Client(HTTP_HOST="jetis.localhost")
    stranger.post("/privasi/ekspor/", {"kode": application.tracking_code})
    stranger.post(f"/privasi/ekspor/{application.tracking_code}/", {"code": last_code(jetis)})

    with tenant_context(jetis):
        ready = [k for k in appcache.keys(application.public_id) if k.endswith(":privacy-export-ready")]
        seconds = cache._cache.get_client(write=False).ttl(ready[0])

    assert 29 * 60 < seconds <= 30 * 60


def test_it_sends_at_most_3_one_time_codes_for_a_copy_per_hour(jetis, jetis_client):
    application, _files, _pdf = _issued(jetis)

    for _ in range(4):
        jetis_client.post("/privasi/ekspor/", {"kode": application.tracking_code})

    with tenant_context(jetis):
        assert AccessCode.objects.filter(application=application).count() == 3


def test_it_does_not_export_with_another_kecamatans_tracking_code(jetis, mojosari, mojosari_client):
    application, _files, _pdf = _issued(jetis)
    with tenant_context(jetis):
        messages_before = OutboxMessage.objects.count()

    asked = mojosari_client.post("/privasi/ekspor/", {"kode": application.tracking_code})
    code_page = mojosari_client.post(f"/privasi/ekspor/{application.tracking_code}/", {"code": "123456"})
    download = mojosari_client.get(f"/privasi/permohonan/{application.public_id}/salinan.zip")

    assert asked.status_code == 404
    assert "Kode lacak tidak ditemukan di kecamatan ini" in asked.content.decode()
    assert code_page.status_code == 404
    assert download.status_code == 404
    with tenant_context(jetis):
        assert OutboxMessage.objects.count() == messages_before
