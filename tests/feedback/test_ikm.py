"""The SKM index per PermenPAN-RB 14/2017, on the staff page and the public page."""

import re
import uuid
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from services_catalog.configured.models import KecamatanService
from sipentol.accounts.models import Role
from sipentol.applications.models import Application, Event, Status
from sipentol.feedback.models import SurveyResponse
from sipentol.feedback.selectors import skm_summary
from tests.accounts.staff import staff_client

from .conftest import add_responses


def _regulation_ikm(score_sets) -> Fraction:
    """The regulation's formula, written out independently with exact fractions."""
    n = len(score_sets)
    nrrs = [Fraction(sum(s[i] for s in score_sets), n) for i in range(9)]
    return sum(nrr * Fraction("0.111") for nrr in nrrs) * 25


@pytest.mark.parametrize(
    ("score_sets", "ikm", "mutu"),
    [
        ([[3] * 9], "74.93", "C"),  # 3 x 0.111 x 9 x 25 = 74.925, rounded half up
        ([[4] * 9], "99.90", "A"),  # the weight is 0.111, not 1/9
        ([[4] * 9, [3] * 9], "87.41", "B"),  # NRR 3.5 -> 87.4125
        ([[2] * 9, [3] * 9, [3] * 9, [2] * 9], "62.44", "D"),  # NRR 2.5 -> 62.4375
        (
            [[4, 3, 3, 4, 3, 3, 4, 3, 2], [3, 3, 2, 4, 3, 4, 4, 2, 3], [4, 4, 3, 4, 4, 3, 3, 3, 3]],
            None,
            None,
        ),
    ],
)
def test_it_computes_the_ikm_with_the_regulations_formula(jetis, domisili, score_sets, ikm, mutu):
    add_responses(jetis, domisili, score_sets)
    with tenant_context(jetis):
        summary = skm_summary()
    expected = _regulation_ikm(score_sets)
    assert summary.respondents == len(score_sets)
    assert summary.ikm == Decimal(round(float(expected) + 1e-9, 2)).quantize(Decimal("0.01"))
    if ikm is not None:
        assert summary.ikm == Decimal(ikm) and summary.mutu == mutu
    assert summary.unsur[0].nrr == Decimal(sum(s[0] for s in score_sets)) / len(score_sets)


def test_it_shows_the_ikm_to_the_camat_and_refuses_a_verifier(jetis, mojosari, domisili):
    add_responses(jetis, domisili, [[3] * 9, [3] * 9], suggestion="Antrean di loket terlalu lama")
    camat = staff_client(jetis, "camat-skm", Role.CAMAT)

    page = camat.get("/kantor/skm/").content.decode()

    assert "74,93" in page and "C (Kurang Baik)" in page
    assert domisili.name in page and "Antrean di loket terlalu lama" in page
    assert "Waktu penyelesaian" in page and "3,00" in page
    assert "Siti Aminah" not in page  # no applicant data, only the service
    assert staff_client(jetis, "verif-skm", Role.VERIFIER).get("/kantor/skm/").status_code == 403
    other = staff_client(mojosari, "camat-mjs", Role.CAMAT).get("/kantor/skm/").content.decode()
    assert "Belum ada survei" in other and "74,93" not in other


def test_it_filters_the_staff_page_by_period(jetis, domisili):
    add_responses(jetis, domisili, [[4] * 9])
    with tenant_context(jetis):
        SurveyResponse.objects.update(created_at=timezone.now() - timedelta(days=40))
    add_responses(jetis, domisili, [[2] * 9])
    camat = staff_client(jetis, "sekcam-skm", Role.SEKCAM)
    today = timezone.localdate()

    recent = camat.get("/kantor/skm/", {"dari": (today - timedelta(days=7)).isoformat(), "sampai": today.isoformat()})

    assert "49,95" in recent.content.decode() and "D (Tidak Baik)" in recent.content.decode()


def test_it_publishes_the_ikm_of_the_last_twelve_months(jetis, jetis_client, mojosari_client, domisili):
    add_responses(jetis, domisili, [[1] * 9])
    with tenant_context(jetis):
        SurveyResponse.objects.update(created_at=timezone.now() - timedelta(days=400))  # too old to count
    add_responses(jetis, domisili, [[4] * 9, [3] * 9], suggestion="rahasia: jangan tampil")

    page = jetis_client.get("/survei/hasil/").content.decode()

    assert "87,41" in page and "B (Baik)" in page
    assert "rahasia" not in page
    assert "Belum ada survei" in mojosari_client.get("/survei/hasil/").content.decode()


def _figure(page: str, figure: str) -> str:
    match = re.search(rf'id="skm-{figure}">([^<]*)<', page)
    assert match, figure
    return match.group(1).strip()


def _issue_events(kecamatan, applications, *, days_ago: int = 0) -> None:
    """Transition events to `issued` for the given applications, `days_ago` days back."""
    with tenant_context(kecamatan):
        events = [
            Event.objects.create(
                application=a,
                kind=Event.Kind.TRANSITION,
                actor_label="sistem",
                from_status="x",
                to_status=Status.ISSUED,
            )
            for a in applications
        ]
        Event.objects.filter(pk__in=[e.pk for e in events]).update(at=timezone.now() - timedelta(days=days_ago))
    connection.set_schema_to_public()


def _applications(kecamatan, service, count: int, *, is_trial: bool = False) -> list[Application]:
    with tenant_context(kecamatan):
        made = [
            Application.objects.create(
                tracking_code=f"TST-{uuid.uuid4().hex[:8].upper()}",
                secret_hash="x" * 64,
                idempotency_key=uuid.uuid4(),
                service=service,
                status=Status.ISSUED,
                is_trial=is_trial,
            )
            for _ in range(count)
        ]
    connection.set_schema_to_public()
    return made


def test_the_staff_page_shows_respondents_sample_and_both_weightings_for_the_period_and_service(jetis, domisili):
    add_responses(jetis, domisili, [[3] * 9, [3] * 9])
    with tenant_context(jetis):
        rated = list(Application.objects.filter(status=Status.RATED))
        other_service = KecamatanService.objects.exclude(pk=domisili.pk).first()
    connection.set_schema_to_public()
    _issue_events(jetis, rated + _applications(jetis, domisili, 1))  # population 3 in the period
    _issue_events(jetis, _applications(jetis, domisili, 4), days_ago=40)  # before the period
    _issue_events(jetis, _applications(jetis, domisili, 4, is_trial=True))  # trial runs
    _issue_events(jetis, _applications(jetis, other_service, 5))  # another service
    camat = staff_client(jetis, "camat-sampel", Role.CAMAT)
    today = timezone.localdate()
    period = {"dari": (today - timedelta(days=7)).isoformat(), "sampai": today.isoformat()}

    page = camat.get("/kantor/skm/", {**period, "layanan": domisili.pk}).content.decode()

    assert _figure(page, "respondents") == "2"
    assert _figure(page, "population") == "3"
    assert _figure(page, "sample-required") == "3"
    assert _figure(page, "sample-reached") == "Belum"
    assert _figure(page, "ikm") == "74,93" and _figure(page, "mutu") == "C (Kurang Baik)"
    assert _figure(page, "ikm-exact") == "75,00"

    every_service = camat.get("/kantor/skm/", period).content.decode()

    assert _figure(every_service, "population") == "8"
    assert _figure(every_service, "sample-required") == "8"  # Krejcie-Morgan: 7.84 -> 8


def test_the_staff_page_says_the_sample_is_reached_when_respondents_meet_it(jetis, domisili):
    add_responses(jetis, domisili, [[4] * 9, [3] * 9])
    with tenant_context(jetis):
        rated = list(Application.objects.filter(status=Status.RATED))
    connection.set_schema_to_public()
    _issue_events(jetis, rated)

    page = staff_client(jetis, "camat-cukup", Role.CAMAT).get("/kantor/skm/").content.decode()

    assert _figure(page, "respondents") == "2" and _figure(page, "population") == "2"
    assert _figure(page, "sample-required") == "2" and _figure(page, "sample-reached") == "Ya"
    assert _figure(page, "ikm") == "87,41" and _figure(page, "mutu") == "B (Baik)"
    assert _figure(page, "ikm-exact") == "87,50"


def test_the_staff_page_shows_the_population_and_sample_without_respondents(jetis, mojosari, domisili):
    _issue_events(jetis, _applications(jetis, domisili, 10))

    page = staff_client(jetis, "camat-kosong", Role.CAMAT).get("/kantor/skm/").content.decode()

    assert _figure(page, "respondents") == "0" and _figure(page, "population") == "10"
    assert _figure(page, "sample-required") == "10" and _figure(page, "sample-reached") == "Belum"
    assert "Belum ada survei" in page
    empty = staff_client(mojosari, "camat-mjs-kosong", Role.CAMAT).get("/kantor/skm/").content.decode()
    assert _figure(empty, "population") == "0" and _figure(empty, "sample-required") == "0"
    assert _figure(empty, "sample-reached") == "Belum"  # no respondent never reaches a sample
