"""Complaints (pengaduan): public form, staff response, notification, application timeline."""

from django.test import Client
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.feedback.models import Complaint, ComplaintEvent
from sipentol.notifications.models import OutboxMessage
from tests.accounts.staff import staff_client

from .conftest import submit


def _complain(client, **values):
    data = {
        "category": "time",
        "text": "Sudah seminggu belum ada kabar.",
        "name": "",
        "contact": "",
        "tracking_code": "",
    }
    return client.post("/pengaduan/", {**data, **values})


def test_it_stores_a_complaint_shows_it_on_the_timeline_and_sends_the_response(jetis, jetis_client, domisili):
    # given an application, and a complaint naming its tracking code with a NIK in the text
    application, _ = submit(jetis, jetis_client, domisili)
    citizen = Client(HTTP_HOST="jetis.localhost")
    response = _complain(
        citizen,
        text="Permohonan saya lama. NIK 3516 1612 0385 0001.",
        name="Budi",
        contact="0812-3456-7890",
        tracking_code=application.tracking_code.lower(),
    )
    assert response.status_code == 302
    sent = citizen.get(response["Location"]).content.decode()
    with tenant_context(jetis):
        complaint = Complaint.objects.get()
        assert complaint.status == "baru" and complaint.application_id == application.pk
        assert "3516 1612 0385 0001" not in complaint.text and "3516********0001" in complaint.text
        assert complaint.contact_phone == "+6281234567890"
    assert complaint.reference in sent

    # when the Camat opens the complaints and the application, and responds
    camat = staff_client(jetis, "camat-adu", Role.CAMAT)
    listing = camat.get("/kantor/pengaduan/").content.decode()
    assert complaint.reference in listing and "3516********0001" in listing
    detail = camat.get(f"/kantor/permohonan/{application.pk}/").content.decode()
    assert f"Pengaduan {complaint.reference}" in detail
    answered = camat.post(
        f"/kantor/pengaduan/{complaint.pk}/tanggapi/",
        {"response": "Mohon maaf, surat Anda selesai hari ini.", "status": "selesai"},
        follow=True,
    )

    # then it is closed, with an event, and the complainant gets the answer on WhatsApp
    assert "dikirim ke pengadu" in answered.content.decode()
    with tenant_context(jetis):
        complaint.refresh_from_db()
        assert complaint.status == "selesai" and complaint.responded_by.username == "camat-adu"
        assert list(ComplaintEvent.objects.filter(complaint=complaint).values_list("to_status", flat=True)) == [
            "baru",
            "selesai",
        ]
        message = OutboxMessage.objects.get(template="complaint_responded")
        assert message.recipient == "+6281234567890"
        assert "surat Anda selesai hari ini" in message.body and complaint.reference in message.body
        # saving the same answer again sends nothing new
    camat.post(
        f"/kantor/pengaduan/{complaint.pk}/tanggapi/",
        {"response": "Mohon maaf, surat Anda selesai hari ini.", "status": "selesai"},
    )
    with tenant_context(jetis):
        assert OutboxMessage.objects.filter(template="complaint_responded").count() == 1


def test_it_answers_an_anonymous_complaint_without_sending_anything(jetis, jetis_client):
    assert _complain(jetis_client, category="fee", text="Ada pungutan di loket.").status_code == 302
    camat = staff_client(jetis, "admin-adu", Role.ADMIN)
    with tenant_context(jetis):
        complaint = Complaint.objects.get()

    done = camat.post(
        f"/kantor/pengaduan/{complaint.pk}/tanggapi/",
        {"response": "Sedang kami periksa.", "status": "ditindaklanjuti"},
        follow=True,
    )

    assert "Pengadu tidak meninggalkan kontak" in done.content.decode()
    with tenant_context(jetis):
        assert Complaint.objects.get().status == "ditindaklanjuti"
        assert not OutboxMessage.objects.filter(template="complaint_responded").exists()


def test_it_rejects_an_empty_complaint_with_a_clear_message(jetis, jetis_client):
    response = _complain(jetis_client, text="   ")
    bad_contact = _complain(jetis_client, contact="bukan@email")

    assert response.status_code == 400
    assert "Isi pengaduan masih kosong. Tuliskan apa yang terjadi." in response.content.decode()
    assert bad_contact.status_code == 400 and "Alamat e-mail tidak valid" in bad_contact.content.decode()
    with tenant_context(jetis):
        assert not Complaint.objects.exists()


def test_it_limits_complaints_from_one_browser(jetis, jetis_client):
    for _ in range(3):
        assert _complain(jetis_client).status_code == 302

    fourth = _complain(jetis_client)

    assert fourth.status_code == 429 and "Terlalu banyak pengaduan" in fourth.content.decode()
    with tenant_context(jetis):
        assert Complaint.objects.count() == 3


def test_it_needs_the_csrf_token(jetis):
    strict = Client(HTTP_HOST="jetis.localhost", enforce_csrf_checks=True)
    assert _complain(strict).status_code == 403


def test_it_keeps_complaints_and_the_staff_page_inside_the_kecamatan(jetis, mojosari, jetis_client):
    _complain(jetis_client, text="Keluhan khusus Jetis")
    with tenant_context(jetis):
        pk = Complaint.objects.get().pk

    mojosari_camat = staff_client(mojosari, "camat-mjs-adu", Role.CAMAT)
    assert "Keluhan khusus Jetis" not in mojosari_camat.get("/kantor/pengaduan/").content.decode()
    assert (
        mojosari_camat.post(f"/kantor/pengaduan/{pk}/tanggapi/", {"response": "x", "status": "selesai"}).status_code
        == 404
    )
    verifier = staff_client(jetis, "verif-adu", Role.VERIFIER)
    assert verifier.get("/kantor/pengaduan/").status_code == 403
    with tenant_context(jetis):
        assert Complaint.objects.get().status == "baru"
