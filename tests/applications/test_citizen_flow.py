"""The citizen's side through HTTP: apply from a phone, receipt, tracking, completion."""

import re
import uuid

from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context
from PIL import Image

from sipentol.applications import services
from sipentol.applications.models import Application, Event
from sipentol.lib import storage

from .conftest import NIK_MAN, TRACKING_RE, apply_payload, photo


def _apply(client, service, **kwargs):
    key = str(uuid.uuid4())
    response = client.post(f"/layanan/{service.slug}/ajukan/", apply_payload(service, key, **kwargs))
    return key, response


def test_it_shows_the_application_form_with_every_field_and_requirement(jetis_client, domisili):
    page = jetis_client.get(f"/layanan/{domisili.slug}/ajukan/").content.decode()

    for spec in domisili.form_fields:
        assert spec["label"] in page
    for req in domisili.requirements.all():
        assert req.name in page
    assert 'name="idempotency_key"' in page


def test_it_accepts_an_application_and_answers_with_a_readable_tracking_code(jetis, jetis_client, domisili):
    key, response = _apply(jetis_client, domisili)

    assert response.status_code == 302
    receipt = jetis_client.get(response["Location"])
    page = receipt.content.decode()
    code = TRACKING_RE.search(page).group(0)
    assert code.startswith("JTS-")
    assert "Permohonan terkirim" in page
    assert "3516********0001" in page and NIK_MAN not in page
    with tenant_context(jetis):
        application = Application.objects.get(idempotency_key=key)
        assert application.status == "submitted"
        assert application.applicant_phone == "+6281234567890"
        assert application.due_date is not None
        assert application.documents.count() == domisili.requirements.filter(required=True).count()
        # the secret link and the receipt go out through the outbox
        from sipentol.notifications.models import OutboxMessage

        channels = set(OutboxMessage.objects.filter(template="application_submitted").values_list("channel", flat=True))
        assert channels == {"email", "whatsapp"}


def test_it_makes_one_application_from_a_double_submit(jetis, jetis_client, domisili):
    key = str(uuid.uuid4())
    first = jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", apply_payload(domisili, key))
    second = jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", apply_payload(domisili, key))

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    with tenant_context(jetis):
        assert Application.objects.filter(idempotency_key=key).count() == 1


def test_it_rejects_an_invalid_nik_with_a_clear_message_and_stores_nothing(jetis, jetis_client, domisili):
    with tenant_context(jetis):
        before = Application.objects.count()

    _, response = _apply(jetis_client, domisili, nik="35161612038500")

    assert response.status_code == 400
    assert "16 angka" in response.content.decode()
    with tenant_context(jetis):
        assert Application.objects.count() == before


def test_it_rejects_a_birth_date_that_disagrees_with_the_nik(jetis_client, domisili):
    _, response = _apply(jetis_client, domisili, birth="1986-03-12")

    assert response.status_code == 400
    assert "tanggal lahir" in response.content.decode().lower()


def test_it_rejects_a_renamed_html_file_and_changes_nothing(jetis, jetis_client, domisili):
    from django.core.files.uploadedfile import SimpleUploadedFile

    payload = apply_payload(domisili, str(uuid.uuid4()))
    payload["doc_ktp"] = SimpleUploadedFile("ktp.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    with tenant_context(jetis):
        before = Application.objects.count()

    response = jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", payload)

    assert response.status_code == 400
    assert "KTP" in response.content.decode()
    with tenant_context(jetis):
        assert Application.objects.count() == before


def test_it_stores_a_phone_photo_without_its_gps_location(jetis, jetis_client, domisili):
    payload = apply_payload(domisili, str(uuid.uuid4()))
    payload["doc_ktp"] = photo("IMG_20261127.jpg", gps=True)

    response = jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", payload)

    assert response.status_code == 302
    with tenant_context(jetis):
        document = Application.objects.latest("created_at").documents.get(requirement_code="ktp")
        import io

        stored = Image.open(io.BytesIO(storage.get(document.key)))
        assert 0x8825 not in stored.getexif()
        assert document.original_name == "IMG_20261127.jpg"
        assert document.key.startswith("jetis/")


def test_it_saves_a_draft_and_resumes_it_from_its_link(jetis, jetis_client, domisili):
    key = str(uuid.uuid4())
    payload = apply_payload(domisili, key, action="draft")
    for name in [k for k in payload if k.startswith("doc_") and k != "doc_ktp"]:
        payload.pop(name)

    saved = jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", payload)

    assert saved.status_code == 302
    resumed = jetis_client.get(saved["Location"])
    assert "Melanjutkan draf" in resumed.content.decode()
    with tenant_context(jetis):
        draft = Application.objects.get(idempotency_key=key)
        assert draft.status == "draft" and draft.documents.count() == 1
    # completing the draft later: ktp is already there, the other files are added now
    final = apply_payload(domisili, key)
    final.pop("doc_ktp")
    done = jetis_client.post(saved["Location"], final)
    assert done.status_code == 302
    with tenant_context(jetis):
        draft.refresh_from_db()
        assert draft.status == "submitted"


def test_it_shows_status_but_no_personal_data_for_the_tracking_code_alone(jetis, jetis_client, domisili):
    _apply(jetis_client, domisili)
    with tenant_context(jetis):
        code = Application.objects.latest("created_at").tracking_code

    from django.test import Client

    stranger = Client(HTTP_HOST="jetis.localhost")
    page = stranger.get("/lacak/", {"kode": code.lower()}).content.decode()

    assert code in page and "Diterima, menunggu pemeriksaan" in page
    assert "Siti Aminah" not in page and "3516" not in page


def test_it_opens_details_with_a_one_time_code(jetis, jetis_client, domisili):
    from django.test import Client

    from sipentol.applications.models import AccessCode
    from sipentol.notifications.models import OutboxMessage

    _apply(jetis_client, domisili)
    with tenant_context(jetis):
        application = Application.objects.latest("created_at")
    stranger = Client(HTTP_HOST="jetis.localhost")
    assert stranger.get(f"/permohonan/{application.public_id}/").status_code == 404

    stranger.post(f"/lacak/{application.tracking_code}/kirim-kode/")
    with tenant_context(jetis):
        body = OutboxMessage.objects.filter(template="otp_code").latest("pk").body
        code = re.search(r"\b(\d{6})\b", body).group(1)
        assert AccessCode.objects.filter(application=application).count() == 1

    assert stranger.post(f"/lacak/{application.tracking_code}/masukkan-kode/", {"code": "000000"}).status_code == 302
    assert stranger.get(f"/permohonan/{application.public_id}/").status_code == 404
    stranger.post(f"/lacak/{application.tracking_code}/masukkan-kode/", {"code": code})
    assert "Siti Aminah" in stranger.get(f"/permohonan/{application.public_id}/").content.decode()


def test_it_hides_an_application_from_another_citizen_and_another_kecamatan(
    jetis, jetis_client, mojosari_client, domisili
):
    from django.test import Client

    _, response = _apply(jetis_client, domisili)
    url = response["Location"]

    assert Client(HTTP_HOST="jetis.localhost").get(url).status_code == 404  # another citizen
    assert mojosari_client.get(url).status_code == 404  # another kecamatan
    with tenant_context(jetis):
        application = Application.objects.latest("created_at")
    assert mojosari_client.get("/lacak/", {"kode": application.tracking_code}).status_code == 404


def test_it_runs_the_completion_loop_and_pauses_the_clock(jetis, jetis_client, domisili):
    from django.contrib.auth import get_user_model

    _, response = _apply(jetis_client, domisili)
    with tenant_context(jetis):
        application = Application.objects.latest("created_at")
        verifier = get_user_model().objects.create_user("verif-test")
        services.application_start_review(application=application, actor=verifier)
        services.application_request_completion(
            application=application,
            actor=verifier,
            items=[services.RequirementNote("ktp", "Foto KTP buram, NIK tidak terbaca.")],
        )
    connection.set_schema_to_public()

    page = jetis_client.get(f"/permohonan/{application.public_id}/lengkapi/").content.decode()
    assert "Foto KTP buram, NIK tidak terbaca." in page
    assert 'name="doc_kk"' not in page  # only what was asked

    done = jetis_client.post(f"/permohonan/{application.public_id}/lengkapi/", {"doc_ktp": photo("ktp-baru.jpg")})

    assert done.status_code == 302
    with tenant_context(jetis):
        application.refresh_from_db()
        assert application.status == "resubmitted"
        assert application.documents.filter(requirement_code="ktp", superseded=True).count() == 1
        services.application_start_review(application=application, actor=verifier)
        for document in application.documents.filter(superseded=False):
            services.document_set_verdict(document=document, actor=verifier, verdict="accepted")
        services.application_verify(application=application, actor=verifier)
        application.refresh_from_db()
        assert application.status == "verified"
        steps = list(application.events.filter(kind=Event.Kind.TRANSITION).values_list("to_status", flat=True))
        assert steps == ["draft", "submitted", "in_review", "needs_completion", "resubmitted", "in_review", "verified"]


def test_it_renders_the_tanda_terima_as_a_pdf(jetis_client, domisili):
    _, response = _apply(jetis_client, domisili)
    receipt_url = response["Location"]

    pdf = jetis_client.get(receipt_url + "tanda-terima.pdf")

    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_it_sends_at_most_three_one_time_codes_an_hour_for_one_application_and_says_so(jetis, jetis_client, domisili):
    from sipentol.applications.models import AccessCode

    _apply(jetis_client, domisili)
    with tenant_context(jetis):
        application = Application.objects.latest("created_at")
    stranger = Client(HTTP_HOST="jetis.localhost")

    for _attempt in range(3):
        stranger.post(f"/lacak/{application.tracking_code}/kirim-kode/")
    fourth = stranger.post(f"/lacak/{application.tracking_code}/kirim-kode/", follow=True)

    assert "Kode sudah diminta beberapa kali dalam satu jam terakhir" in fourth.content.decode()
    with tenant_context(jetis):
        assert AccessCode.objects.filter(application=application).count() == 3


def test_it_keeps_the_newest_grant_of_a_session_that_received_more_than_twenty(jetis, rf):
    from django.contrib.sessions.backends.db import SessionStore

    from sipentol.applications import selectors
    from tests.factories import ApplicationFactory

    request = rf.get("/")
    request.session = SessionStore()
    with tenant_context(jetis):
        applications = [ApplicationFactory() for _ in range(selectors.GRANTS_KEPT + 5)]
        for application in applications:
            selectors.citizen_grant(request, application)

        # every one of the last 20 received is still open to this session, the oldest 5 are not
        assert [selectors.citizen_has_access(request, a) for a in applications] == [False] * 5 + [True] * 20
