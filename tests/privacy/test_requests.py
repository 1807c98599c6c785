"""Correction and deletion requests: from the citizen's page to the admin's list, and the status
back on the citizen's tracking page."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.applications.models import Event
from sipentol.privacy.models import PrivacyRequest
from tests.accounts.staff import staff_client
from tests.factories import ApplicationFactory

from .conftest import secret_hash, through_secret_link


def test_it_brings_a_correction_request_to_the_admins_page_and_its_status_to_the_tracking_page(jetis):
    # given: a citizen on their application's page (secret link)
    with tenant_context(jetis):
        application = ApplicationFactory(secret_hash=secret_hash())
    citizen = through_secret_link(jetis, application)

    # when: they ask for a correction
    sent = citizen.post(
        f"/privasi/permohonan/{application.public_id}/permintaan/",
        {"kind": "correction", "details": "Nama saya seharusnya Siti Aminah Rahayu."},
    )

    # then: the admin sees it
    assert sent.status_code == 302
    with tenant_context(jetis):
        request = PrivacyRequest.objects.get(application=application)
    admin = staff_client(jetis, "admin-pdp", Role.ADMIN)
    listing = admin.get("/kantor/privasi/").content.decode()
    assert request.reference in listing
    assert "Nama saya seharusnya Siti Aminah Rahayu." in listing

    # when: the admin refuses without a reason, then with one
    admin.post(f"/kantor/privasi/{request.pk}/status/", {"status": "refused", "response": ""})
    with tenant_context(jetis):
        assert PrivacyRequest.objects.get(pk=request.pk).status == PrivacyRequest.Status.NEW
    admin.post(
        f"/kantor/privasi/{request.pk}/status/",
        {"status": "refused", "response": "Nama sudah sesuai KTP-el yang diunggah."},
    )

    # then: the tracking page shows the status, the staff timeline who did it
    tracking = citizen.get(f"/lacak/?kode={application.tracking_code}").content.decode()
    assert request.reference in tracking
    assert "Ditolak" in tracking
    assert "Nama sudah sesuai KTP-el yang diunggah." in tracking
    with tenant_context(jetis):
        audit = Event.objects.get(application=application, data__privacy_request=request.pk)
        assert audit.actor.username == "admin-pdp"
        assert audit.data["to"] == "refused"


def test_it_shows_a_requests_status_but_not_its_text_or_answer_on_the_tracking_code_alone(jetis, jetis_client):
    with tenant_context(jetis):
        application = ApplicationFactory()
        request = PrivacyRequest.objects.create(
            application=application,
            kind=PrivacyRequest.Kind.DELETION,
            details="Hapus nomor HP saya.",
            status=PrivacyRequest.Status.REFUSED,
            response="Nomor HP diperlukan untuk mengirim kabar.",
        )

    page = jetis_client.get(f"/lacak/?kode={application.tracking_code}").content.decode()

    assert request.reference in page
    assert "Ditolak" in page
    assert "Nomor HP diperlukan" not in page


def test_it_refuses_a_request_from_a_browser_without_the_link_or_code(jetis, jetis_client):
    with tenant_context(jetis):
        application = ApplicationFactory()

    response = jetis_client.post(
        f"/privasi/permohonan/{application.public_id}/permintaan/", {"kind": "deletion", "details": "Hapus."}
    )

    assert response.status_code == 404
    with tenant_context(jetis):
        assert not PrivacyRequest.objects.exists()


def test_it_keeps_the_requests_page_from_a_verifier(jetis):
    verifier = staff_client(jetis, "verifikator-pdp", Role.VERIFIER)

    assert verifier.get("/kantor/privasi/").status_code == 403
