"""The regency board's filters, overdue drill-down and downloads (Excel read back with openpyxl),
and who may open what: a regency account never reaches a kecamatan's applications."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.applications.models import Status
from sipentol.lib import sla
from sipentol.regency import exports
from sipentol.regency.models import ExportJob
from tests.accounts.staff import public_sign_in
from tests.factories import ApplicationFactory

from .test_dashboard import fact, leader, row_cells


@pytest.fixture
def signed_in(public_client):
    return public_sign_in(public_client, leader())


def _facts(jetis, mojosari):
    """Jetis: one issued on time (SKM 28), one overdue two working days assigned to `budi`, one
    paused; Mojosari: one overdue of another service, one issued late."""
    now, today = timezone.now(), timezone.localdate()
    month_start = timezone.make_aware(dt.datetime.combine(today.replace(day=1), dt.time.min))
    fact(
        jetis,
        1,
        submitted=now,
        status="issued",
        closed_at=now,
        issued_at=now,
        working_days_taken=2,
        on_time=True,
        skm_total=28,
        rated_at=now,
        tracking_code="JTS-1",
    )
    fact(
        jetis,
        2,
        # Earlier, but within this month whatever the day: the board's default period is the month so far.
        submitted=max(now - dt.timedelta(days=20), month_start),
        status="in_review",
        due_date=today - dt.timedelta(days=7),
        tracking_code="JTS-2",
        assigned_to="budi",
        completion_requested=True,
    )
    fact(
        jetis,
        3,
        submitted=now,
        status="needs_completion",
        due_date=today - dt.timedelta(days=7),
        tracking_code="JTS-3",
        completion_requested=True,
    )
    fact(
        mojosari,
        4,
        submitted=now,
        status="submitted",
        due_date=today - dt.timedelta(days=1),
        tracking_code="MJS-4",
        service_code="sktm",
        service_name="Surat Keterangan Tidak Mampu",
    )
    fact(
        mojosari,
        5,
        submitted=now,
        status="issued",
        closed_at=now,
        issued_at=now,
        working_days_taken=6,
        on_time=False,
        tracking_code="MJS-5",
    )


def test_it_filters_the_board_by_kecamatan_and_service_kept_in_the_url(jetis, mojosari, signed_in):
    _facts(jetis, mojosari)

    only_jetis = signed_in.get(f"/dashboard/?kecamatan={jetis.pk}").content.decode()
    only_sktm = signed_in.get("/dashboard/?layanan=sktm").content.decode()

    assert row_cells(only_jetis, "Jetis")[:4] == ["3", "1", "2", "1"]
    assert '<th scope="row">Mojosari</th>' not in only_jetis
    # every download and drill-down link carries the filters
    assert "/dashboard/unduh/kecamatan.xlsx?dari=" in only_jetis and f"kecamatan={jetis.pk}" in only_jetis
    assert row_cells(only_sktm, "Mojosari")[:4] == ["1", "0", "1", "1"]
    assert row_cells(only_sktm, "Jetis")[:4] == ["0", "0", "0", "0"]
    assert '<option value="sktm" selected>' in only_sktm


def test_it_names_bad_filters_and_shows_the_default_board(jetis, mojosari, signed_in):
    _facts(jetis, mojosari)

    page = signed_in.get("/dashboard/?dari=2026-13-01&kecamatan=999999&layanan=<x>").content.decode()

    assert "Tanggal harus berbentuk TTTT-BB-HH; ditampilkan bulan ini." in page
    assert "Kecamatan yang dipilih tidak dikenal; ditampilkan semua kecamatan." in page
    assert "Kode layanan tidak dikenal; ditampilkan semua layanan." in page
    assert row_cells(page, "Jetis")[:2] == ["3", "1"] and row_cells(page, "Mojosari")[:2] == ["2", "1"]
    backwards = signed_in.get("/dashboard/?dari=2026-05-02&sampai=2026-05-01").content.decode()
    assert "Tanggal akhir sebelum tanggal awal; ditampilkan bulan ini." in backwards


def test_each_overdue_figure_links_to_exactly_the_applications_the_sla_rule_calls_overdue(jetis, mojosari, signed_in):
    _facts(jetis, mojosari)
    page = signed_in.get("/dashboard/").content.decode()

    link = re.search(rf'<a href="(/dashboard/terlambat/\?[^"]*kecamatan={jetis.pk}[^"]*)">1</a>', page)
    drill = signed_in.get(link.group(1).replace("&amp;", "&")).content.decode()

    # JTS-2 runs late; JTS-3's clock is paused (the citizen is completing it): not overdue
    assert row_cells(drill, "JTS-2")[:3] == [
        "Jetis",
        "Surat Keterangan Domisili",
        (timezone.localdate() - dt.timedelta(days=7)).strftime("%d-%m-%Y"),
    ]
    late = sla.days_left(due=timezone.localdate() - dt.timedelta(days=7), running=True, today=timezone.localdate())
    assert row_cells(drill, "JTS-2")[3:] == [str(-late), "budi"]
    assert "JTS-3" not in drill and "MJS-4" not in drill
    # the regency board links no code to a kecamatan's application (a regency account cannot open it)
    assert "/kantor/" not in drill
    everything = signed_in.get("/dashboard/terlambat/").content.decode()
    assert set(re.findall(r'<th scope="row">([A-Z]{3}-\d)</th>', everything)) == {"JTS-2", "MJS-4"}


def _sheet_rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_excel_download_holds_the_figures_the_board_shows_as_real_cells(jetis, mojosari, signed_in):
    _facts(jetis, mojosari)
    page = signed_in.get("/dashboard/").content.decode()
    query = re.search(r'/dashboard/unduh/kecamatan\.xlsx(\?[^"]*)"', page).group(1).replace("&amp;", "&")

    response = signed_in.get(f"/dashboard/unduh/kecamatan.xlsx{query}")

    assert response["Content-Type"] == exports.exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="kecamatan-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = _sheet_rows(sheet)
    assert rows[0][0] == "Per kecamatan"
    first = timezone.localdate().replace(day=1)
    assert ["periode", f"{first.isoformat()} s.d. {timezone.localdate().isoformat()}"] == rows[1][:2]
    assert rows[3][:2] == ["layanan", "semua"]
    header = rows.index(next(r for r in rows if r[0] == "Kecamatan"))
    assert rows[header][1:5] == ["Diajukan", "Terbit", "Dalam proses", "Lewat batas waktu"]
    assert sheet.freeze_panes == f"A{header + 2}"
    by_name = {r[0]: r for r in rows[header + 1 :]}
    # the same figures as the page, as numbers
    assert by_name["Jetis"][1:10] == [3, 1, 2, 1, 100.0, 2.0, 2.0, 66.7, 77.7]
    assert by_name["Jetis"][10] == "B"
    assert [c for c in by_name["Mojosari"][1:5]] == [2, 1, 1, 1]
    shown = row_cells(page, "Jetis")
    assert shown[:4] == [str(v) for v in by_name["Jetis"][1:5]]
    assert by_name["Seluruh kabupaten"][1:5] == [5, 2, 3, 2]


def test_the_overdue_list_downloads_with_a_real_date_cell_and_as_csv(jetis, mojosari, signed_in):
    _facts(jetis, mojosari)

    workbook = openpyxl.load_workbook(io.BytesIO(signed_in.get("/dashboard/unduh/terlambat.xlsx").content))
    text = signed_in.get("/dashboard/unduh/terlambat.csv").content.decode("utf-8-sig")

    rows = _sheet_rows(workbook.active)
    jts = next(r for r in rows if r[0] == "JTS-2")
    assert isinstance(jts[3], dt.datetime) and jts[3].date() == timezone.localdate() - dt.timedelta(days=7)
    assert isinstance(jts[4], int) and jts[5] == "budi"
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["Kode permohonan", "Kecamatan", "Layanan", "Batas waktu", "Terlambat (hari kerja)", "Petugas"]
    assert sorted(line[0] for line in lines[1:]) == ["JTS-2", "MJS-4"]
    assert signed_in.get("/dashboard/unduh/tidak-ada.xlsx").status_code == 404
    assert signed_in.get("/dashboard/unduh/terlambat.pdf").status_code == 404


def test_the_trend_chart_comes_with_its_table(jetis, mojosari, signed_in):
    _facts(jetis, mojosari)

    page = signed_in.get("/dashboard/").content.decode()

    trend = page[page.index('id="tren"') :]
    assert '<svg class="chart"' in trend and 'role="img"' in trend
    assert re.search(r'<table class="dashboard" id="table-tren">', trend)
    assert "http" not in trend.split("</svg>")[0].replace("http://www.w3.org", "")  # no CDN, no outside asset


def test_a_large_table_goes_to_a_background_job_shown_only_to_whom_asked(
    jetis, mojosari, signed_in, monkeypatch, django_capture_on_commit_callbacks
):
    _facts(jetis, mojosari)
    monkeypatch.setattr("sipentol.regency.boardviews.EXPORT_SYNC_ROWS", 1)

    response = signed_in.get("/dashboard/unduh/terlambat.xlsx")

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dashboard/ekspor/{job.pk}/"
    page = signed_in.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page and "<progress" in page
    # the task's body (the worker runs it in production: tests/regency/test_board_worker.py)
    exports.export_job_execute(job_id=str(job.pk))
    done = signed_in.get(response["Location"]).content.decode()
    assert "Unduh berkas" in done and "refresh" not in done
    download = signed_in.get(f"/dashboard/ekspor/{job.pk}/unduh/")
    rows = _sheet_rows(openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active)
    assert sorted(r[0] for r in rows if r[0] in ("JTS-2", "MJS-4")) == ["JTS-2", "MJS-4"]
    # another leader gets nothing
    from django.test import Client

    other = public_sign_in(Client(HTTP_HOST="localhost"), leader("pimpinan-lain"))
    assert other.get(f"/dashboard/ekspor/{job.pk}/").status_code == 404
    assert other.get(f"/dashboard/ekspor/{job.pk}/unduh/").status_code == 404


def test_a_regency_account_cannot_open_a_kecamatans_application(jetis, jetis_client, signed_in):
    with tenant_context(jetis):
        application = ApplicationFactory(status=Status.IN_REVIEW)
    # the leader's session cookie, replayed on the kecamatan's host
    jetis_client.cookies = signed_in.cookies

    response = jetis_client.get(f"/kantor/permohonan/{application.pk}/")

    assert response.status_code == 302 and response["Location"].startswith("/kantor/masuk/")
