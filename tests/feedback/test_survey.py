"""The SKM survey a citizen fills after the letter is issued, over HTTP."""

from django.test import Client
from django_tenants.utils import tenant_context

from sipentol.applications.models import Application, Event
from sipentol.feedback.models import SurveyResponse

from .conftest import answers, submit


def _survey_url(application) -> str:
    return f"/permohonan/{application.public_id}/survei/"


def test_it_takes_the_survey_after_the_letter_is_issued_and_marks_the_application_rated(
    jetis, jetis_client, jetis_issued
):
    application, receipt_url = jetis_issued
    # given the receipt page of an issued application offers the survey
    receipt = jetis_client.get(receipt_url).content.decode()
    assert "Isi survei kepuasan" in receipt and _survey_url(application) in receipt

    # when the citizen opens it, they see 9 fieldsets with the regulation's wording
    page = jetis_client.get(_survey_url(application)).content.decode()
    assert page.count("<fieldset") == 9 and page.count("<legend>") == 9
    for wording in ("Tidak cepat", "Kurang cepat", "Sangat cepat", "Gratis", "Dikelola dengan baik", "Sangat kompeten"):
        assert wording in page
    assert "<script" not in page and "style=" not in page

    # and answers, with a suggestion that carries a NIK by mistake
    response = jetis_client.post(
        _survey_url(application), {**answers(4), "suggestion": "Bagus. NIK saya 3516161203850001 ya"}
    )

    # then the application is rated with an event, and the NIK is not kept
    assert response.status_code == 302 and response["Location"] == receipt_url
    with tenant_context(jetis):
        application.refresh_from_db()
        assert application.status == "rated"
        assert Event.objects.filter(application=application, to_status="rated", from_status="issued").exists()
        stored = SurveyResponse.objects.get(application=application)
        assert stored.u3_waktu == 4 and stored.service_id == application.service_id
        assert "3516161203850001" not in stored.suggestion and "3516********0001" in stored.suggestion
    receipt = jetis_client.get(receipt_url).content.decode()
    assert "Terima kasih, penilaian Anda sudah kami terima" in receipt
    assert "Isi survei kepuasan" not in receipt
    assert "Selesai dan sudah dinilai" in receipt


def test_it_changes_nothing_on_a_second_submission(jetis, jetis_client, jetis_issued):
    application, _ = jetis_issued
    assert jetis_client.post(_survey_url(application), answers(4)).status_code == 302

    again = jetis_client.post(_survey_url(application), answers(1))

    assert "sudah mengisi survei" in again.content.decode()
    with tenant_context(jetis):
        assert SurveyResponse.objects.filter(application=application).count() == 1
        assert SurveyResponse.objects.get(application=application).u1_persyaratan == 4
        assert Event.objects.filter(application=application, to_status="rated").count() == 1


def test_it_refuses_the_survey_to_another_citizen_and_another_kecamatan(jetis, jetis_issued, mojosari_client):
    application, _ = jetis_issued
    stranger = Client(HTTP_HOST="jetis.localhost")

    assert stranger.get(_survey_url(application)).status_code == 404
    assert stranger.post(_survey_url(application), answers(1)).status_code == 404
    assert mojosari_client.get(_survey_url(application)).status_code == 404
    assert mojosari_client.post(_survey_url(application), answers(1)).status_code == 404
    with tenant_context(jetis):
        assert not SurveyResponse.objects.filter(application=application).exists()
        assert Application.objects.get(pk=application.pk).status == "issued"


def test_it_says_the_survey_opens_once_the_letter_is_issued(jetis, jetis_client, domisili):
    application, receipt_url = submit(jetis, jetis_client, domisili)
    assert "Isi survei kepuasan" not in jetis_client.get(receipt_url).content.decode()

    page = jetis_client.get(_survey_url(application))
    posted = jetis_client.post(_survey_url(application), answers(4))

    assert page.status_code == 200
    assert "Survei dapat diisi setelah surat Anda terbit" in page.content.decode()
    assert "Survei dapat diisi setelah surat Anda terbit" in posted.content.decode()
    with tenant_context(jetis):
        assert not SurveyResponse.objects.exists()
        assert Application.objects.get(pk=application.pk).status == "submitted"


def test_it_asks_again_when_a_question_is_unanswered(jetis, jetis_client, jetis_issued):
    application, _ = jetis_issued
    incomplete = answers(3)
    del incomplete["u3_waktu"]

    response = jetis_client.post(_survey_url(application), incomplete)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Pilih salah satu jawaban untuk pertanyaan ini." in page
    assert 'value="3" id="id_u1_persyaratan_2" checked' in page  # the other answers are kept
    with tenant_context(jetis):
        assert Application.objects.get(pk=application.pk).status == "issued"
