"""SKM follow-ups: a response with an answer of 1 or 2 opens exactly one, staff work it with an
audit trail, and the Camat's board lists it while open. Also the optional respondent profile."""

import datetime as dt

from django.test import RequestFactory
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.feedback import selectors
from sipentol.feedback.dashboard_sections import skm_follow_ups_open
from sipentol.feedback.models import SkmFollowUp, SkmFollowUpEvent, SurveyResponse
from sipentol.lib.dashboards import Filters, sections
from tests.accounts.staff import staff_client

from .conftest import add_responses, answers


def _filters() -> Filters:
    now = timezone.now()
    return Filters(start=now - dt.timedelta(days=30), end=now + dt.timedelta(days=1), today=timezone.localdate())


def test_a_low_answer_opens_exactly_one_follow_up_and_a_second_submission_opens_none(jetis, jetis_client, jetis_issued):
    application, _ = jetis_issued
    url = f"/permohonan/{application.public_id}/survei/"
    scores = [3, 2, 3, 3, 1, 3, 3, 3, 3]  # U2 "kurang mudah", U5 "tidak sesuai"

    first = jetis_client.post(url, answers(scores))
    again = jetis_client.post(url, answers([1] * 9))

    assert first.status_code == 302
    assert "Penilaian hanya dapat diisi satu kali" in again.content.decode()
    with tenant_context(jetis):
        follow_up = SkmFollowUp.objects.get()
        assert follow_up.response.application_id == application.pk
        assert follow_up.low_unsur == "U2,U5" and follow_up.status == "open"
        assert SkmFollowUpEvent.objects.filter(follow_up=follow_up).count() == 1
        assert SurveyResponse.objects.count() == 1


def test_answers_of_3_and_4_open_no_follow_up(jetis, jetis_client, jetis_issued):
    application, _ = jetis_issued
    jetis_client.post(f"/permohonan/{application.public_id}/survei/", answers([3, 4, 3, 4, 3, 4, 3, 4, 3]))
    with tenant_context(jetis):
        assert SurveyResponse.objects.count() == 1 and not SkmFollowUp.objects.exists()


def test_staff_work_a_follow_up_with_an_audit_row_and_the_camats_board_lists_it_until_done(
    jetis, jetis_client, jetis_issued
):
    application, _ = jetis_issued
    jetis_client.post(f"/permohonan/{application.public_id}/survei/", answers([2] * 9))
    with tenant_context(jetis):
        follow_up = SkmFollowUp.objects.get()
        # the board section (registered on the Camat's board) shows it while open
        assert skm_follow_ups_open in sections("camat")
        [table] = skm_follow_ups_open.tables(RequestFactory().get("/"), _filters())
        assert [row[2:] for row in table.rows] == [("U1,U2,U3,U4,U5,U6,U7,U8,U9", "Terbuka")]
        assert application.service.name in skm_follow_ups_open.render(RequestFactory().get("/"), _filters())
    camat = staff_client(jetis, "camat-skm", Role.CAMAT)
    verifier = staff_client(jetis, "verif-skm", Role.VERIFIER)
    url = f"/kantor/skm/tindak-lanjut/{follow_up.pk}/"

    assert camat.get("/kantor/skm/tindak-lanjut/").status_code == 200
    assert verifier.post(url, {"status": "done", "note": "x"}).status_code == 403
    empty = camat.post(url, {"status": "in_progress", "note": "  "}, follow=True)
    assert "Catatan masih kosong" in empty.content.decode()
    camat.post(url, {"status": "in_progress", "note": "Petugas loket ditegur."})
    camat.post(url, {"status": "done", "note": "Antrean kini dengan nomor."})

    with tenant_context(jetis):
        follow_up.refresh_from_db()
        assert follow_up.status == "done" and follow_up.updated_by.username == "camat-skm"
        trail = list(SkmFollowUpEvent.objects.filter(follow_up=follow_up).values_list("from_status", "to_status"))
        assert trail == [("", "open"), ("open", "in_progress"), ("in_progress", "done")]
        [table] = skm_follow_ups_open.tables(RequestFactory().get("/"), _filters())
        assert table.rows == []


def test_the_profile_is_stored_when_given_and_summarised_with_small_groups_suppressed(
    jetis, jetis_client, jetis_issued, domisili
):
    application, _ = jetis_issued
    profile = {"sex": "P", "age_band": "30-39", "education": "sma", "occupation": "tani"}
    jetis_client.post(f"/permohonan/{application.public_id}/survei/", {**answers(4), **profile})
    add_responses(jetis, domisili, [3, 3, 3])  # three more, profile not given
    with tenant_context(jetis):
        stored = SurveyResponse.objects.get(application=application)
        assert (stored.sex, stored.age_band, stored.education, stored.occupation) == ("P", "30-39", "sma", "tani")
        groups = {g.title: {r.label: r.count for r in g.rows} for g in selectors.skm_profile()}
    # one woman among four: her group shows no number; the three who gave nothing are counted
    assert groups["jenis kelamin"] == {"Perempuan": None, "Tidak diisi": 3}
    camat = staff_client(jetis, "camat-prof", Role.CAMAT)
    page = camat.get("/kantor/skm/").content.decode()
    assert "Perempuan" in page and "&lt;3" in page


def test_a_profile_value_outside_the_choices_is_refused_and_nothing_is_stored(jetis, jetis_client, jetis_issued):
    application, _ = jetis_issued
    response = jetis_client.post(f"/permohonan/{application.public_id}/survei/", {**answers(4), "sex": "X"})
    assert response.status_code == 400
    with tenant_context(jetis):
        assert not SurveyResponse.objects.exists()
