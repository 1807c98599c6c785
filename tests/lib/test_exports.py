"""lib/exports.py writes every board table the same way; read back with openpyxl and csv."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl

from sipentol.lib.dashboards import Table
from sipentol.lib.exports import csv_bytes, filename, sheet_title, xlsx_bytes

TABLE = Table(
    key="contoh",
    title="Per layanan: contoh/uji",
    columns=["Layanan", "Diajukan", "Kepatuhan SLA (%)", "Batas waktu"],
    rows=[["Domisili", 3, 66.7, dt.date(2026, 11, 2)], ["SKTM", 0, None, None]],
)


def test_it_writes_the_filters_a_bold_header_frozen_panes_and_real_number_and_date_cells():
    progress = []

    data = xlsx_bytes([TABLE], [("periode", "2026-11-01 s.d. 2026-11-30")], progress=lambda *a: progress.append(a))

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Per layanan  contoh uji"  # no character Excel forbids in a sheet name
    assert sheet["A1"].value == "Per layanan: contoh/uji"
    assert [sheet["A2"].value, sheet["B2"].value] == ["periode", "2026-11-01 s.d. 2026-11-30"]
    assert [c.value for c in sheet[4]] == list(TABLE.columns) and sheet["A4"].font.bold
    assert sheet.freeze_panes == "A5"
    assert sheet["B5"].value == 3 and sheet["C5"].value == 66.7
    assert sheet["D5"].value == dt.datetime(2026, 11, 2) and sheet["D5"].is_date
    assert sheet["C6"].value is None
    assert progress == [(1, 1)]


def test_it_writes_csv_with_a_header_iso_dates_and_a_bom_for_excel():
    data = csv_bytes(TABLE)

    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [list(TABLE.columns), ["Domisili", "3", "66.7", "2026-11-02"], ["SKTM", "0", "", ""]]


def test_it_keeps_sheet_names_unique_and_file_names_plain():
    taken: set[str] = set()

    names = [sheet_title("Surat Keterangan Domisili Untuk Usaha Mikro", taken) for _ in range(2)]

    assert names == ["Surat Keterangan Domisili Untuk", "Surat Keterangan Domisili U (2)"]
    assert filename("rekap Jetis/2026-11", "xlsx") == "rekap-Jetis-2026-11.xlsx"
