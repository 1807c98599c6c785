"""Public statistics at /statistik/ on each kecamatan's host and on the regency host, from facts only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sipentol.regency.selectors import PUBLIC_FIELDS, Period, public_statistics

from .test_dashboard import fact, row_cells

DESA_CODE = "3516070123"


@pytest.fixture
def seeded(jetis, mojosari):
    """Jetis: 5 domisili this month (3 issued in 2, 4, 9 working days, on time, on time, late; 1 rejected
    on time; 1 open), SKM totals 36 and 27. Mojosari: 1 open SKTM."""
    period = Period.parse(None)
    at = period.start + dt.timedelta(hours=1)
    done = {"closed_at": at, "desa_code": DESA_CODE}
    fact(
        jetis,
        1,
        submitted=at,
        status="issued",
        issued_at=at,
        working_days_taken=2,
        on_time=True,
        **done,
        skm_total=36,
        rated_at=at,
    )
    fact(
        jetis,
        2,
        submitted=at,
        status="issued",
        issued_at=at,
        working_days_taken=4,
        on_time=True,
        **done,
        skm_total=27,
        rated_at=at,
    )
    fact(jetis, 3, submitted=at, status="issued", issued_at=at, working_days_taken=9, on_time=False, **done)
    fact(jetis, 4, submitted=at, status="rejected", working_days_taken=1, on_time=True, **done)
    fact(jetis, 5, submitted=at, status="submitted", desa_code=DESA_CODE)
    fact(
        mojosari, 6, submitted=at, status="submitted", service_code="sktm", service_name="Surat Keterangan Tidak Mampu"
    )
    return period


JETIS_DOMISILI = {
    "service_code": "domisili",
    "service_name": "Surat Keterangan Domisili",
    "submitted": 5,
    "issued": 3,
    "median_days": 4.0,
    "decided": 4,
    "on_time": 3,
    "compliance": 75,
    # average total 31.5 x 0.111 x 25 = 87.4125 -> 87.41, grade B (lib/ikm.py)
    "skm": 87.41,
    "skm_grade": "B",
    "skm_respondents": 2,
}


def test_it_computes_a_kecamatans_median_compliance_ikm_and_grade_per_service_and_in_total(seeded, jetis):
    figures = public_statistics(seeded, kecamatan=jetis)

    assert figures["services"] == [JETIS_DOMISILI]
    assert figures["totals"] == {key: JETIS_DOMISILI[key] for key in PUBLIC_FIELDS}


def test_it_computes_the_regency_figures_over_every_kecamatan(seeded):
    figures = public_statistics(seeded)

    assert [row["service_code"] for row in figures["services"]] == ["domisili", "sktm"]
    assert figures["totals"]["submitted"] == 6
    assert figures["totals"]["issued"] == 3


def test_it_holds_only_counts_median_percentages_and_ikm_no_identifier_or_desa(seeded, jetis):
    figures = public_statistics(seeded, kecamatan=jetis)

    allowed = set(PUBLIC_FIELDS) | {"service_code", "service_name"}
    assert all(set(row) <= allowed for row in [*figures["services"], figures["totals"]])
    assert set(PUBLIC_FIELDS).isdisjoint({"application_id", "desa_code", "kecamatan_id", "channel", "status"})


def test_the_kecamatan_page_shows_only_that_kecamatans_figures(seeded, jetis_client, mojosari_client):
    jetis_page = jetis_client.get("/statistik/").content.decode()
    mojosari_page = mojosari_client.get("/statistik/").content.decode()

    assert row_cells(jetis_page, "Surat Keterangan Domisili") == ["5", "3", "4", "75% (3 dari 4)", "87,41 (B)", "2"]
    assert "Surat Keterangan Tidak Mampu" not in jetis_page
    assert row_cells(mojosari_page, "Surat Keterangan Tidak Mampu") == ["1", "0", "–", "–", "–", "0"]
    assert "Surat Keterangan Domisili" not in mojosari_page
    assert DESA_CODE not in jetis_page
    assert "<caption>" in jetis_page


def test_the_regency_page_shows_every_kecamatans_figures_and_the_totals(seeded, public_client):
    page = public_client.get("/statistik/").content.decode()

    assert row_cells(page, "Surat Keterangan Domisili")[:3] == ["5", "3", "4"]
    assert row_cells(page, "Surat Keterangan Tidak Mampu")[:2] == ["1", "0"]
    assert row_cells(page, "Semua layanan")[:2] == ["6", "3"]


def test_a_second_request_within_the_cache_period_reads_no_fact_nor_its_roll_up(seeded, jetis_client, public_client):
    for client in (jetis_client, public_client):
        assert client.get("/statistik/").status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/statistik/")

        assert response.status_code == 200
        tables = (
            "regency_applicationfact",
            "regency_dailyfigures",
            "regency_dailyleadtimes",
            "regency_openapplications",
        )
        assert not [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in tables)]


def test_the_regency_and_a_kecamatans_cached_figures_stay_apart(seeded, jetis, public_client, jetis_client):
    public_client.get("/statistik/")  # the regency's figures cached first
    public_statistics(seeded, kecamatan=jetis)  # then jetis's, computed on the public schema

    page = jetis_client.get("/statistik/").content.decode()

    assert row_cells(page, "Semua layanan")[0] == "5"
    assert row_cells(public_client.get("/statistik/").content.decode(), "Semua layanan")[0] == "6"


def test_both_home_pages_link_the_statistics_page(jetis, jetis_client, public_client):
    assert 'href="/statistik/"' in jetis_client.get("/").content.decode()
    assert 'href="/statistik/"' in public_client.get("/").content.decode()


def test_a_letter_issued_last_month_counts_for_the_ikm_but_not_for_this_months_figures(jetis):
    period = Period.parse(None)
    last_month = period.previous.start + dt.timedelta(hours=1)
    fact(
        jetis,
        1,
        submitted=last_month,
        status="rated",
        closed_at=last_month,
        issued_at=last_month,
        working_days_taken=3,
        on_time=True,
        skm_total=36,
        rated_at=last_month,
    )

    totals = public_statistics(period, kecamatan=jetis)["totals"]

    assert (totals["submitted"], totals["issued"], totals["median_days"], totals["compliance"]) == (0, 0, None, None)
    assert (totals["skm"], totals["skm_grade"], totals["skm_respondents"]) == (99.9, "A", 1)
