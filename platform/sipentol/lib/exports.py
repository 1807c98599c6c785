"""The one writer of dashboard exports: Excel (openpyxl) and CSV, for every table of every board.

Both leadership boards (lib/dashboards.py) and the monthly recap workbook write through here, so
an exported sheet always looks the same: the filters first (what the figures are of), then one
header row, then the rows, numbers and dates as real cells (a leader sums and sorts them in
Excel without retyping), the panes frozen under the header. CSV carries the header and the rows
only (a CSV has no place for a title), in UTF-8 with a BOM so that Excel opens it with the
right accents.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence

from django.utils import timezone

from .dashboards import Cell, Table

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str, taken: set[str] | None = None) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub(" ", text).strip()[:31] or "Sheet"
    title, n = base, 2
    while taken is not None and title.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    if taken is not None:
        taken.add(title)
    return title


def _excel_value(value: Cell):
    # Excel has no time zones: an aware datetime is written as the platform's local time.
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _write_sheet(sheet, table: Table, filters: Sequence[tuple[str, str]]) -> None:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    sheet.append([table.title])
    sheet.cell(row=1, column=1).font = bold
    for name, value in filters:
        sheet.append([name, value])
    sheet.append([])
    # Counted, not read from max_row: openpyxl does not count the empty row.
    header_row = 1 + len(filters) + 2
    sheet.append(list(table.columns))
    for column in range(1, len(table.columns) + 1):
        sheet.cell(row=header_row, column=column).font = bold
    for number, row in enumerate(table.rows, start=header_row + 1):
        sheet.append([_excel_value(value) for value in row])
        # sheet.cell(), not sheet[number]: the latter scans every cell for the sheet's width, which
        # made a 1,000-row export quadratic.
        for column, value in enumerate(row, start=1):
            if isinstance(value, dt.datetime):
                sheet.cell(row=number, column=column).number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, dt.date):
                sheet.cell(row=number, column=column).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for index, column in enumerate(table.columns, start=1):
        width = max([len(str(column))] + [len(str(row[index - 1])) for row in table.rows[:200] if len(row) >= index])
        sheet.column_dimensions[sheet.cell(row=header_row, column=index).column_letter].width = min(40, width + 2)


def xlsx_bytes(
    tables: Iterable[Table],
    filters: Sequence[tuple[str, str]],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """A workbook of one sheet per table, each with the filters above its header row.

    `progress(done, total)` is called after each sheet (the recap task reports it to the page)."""
    from openpyxl import Workbook

    tables = list(tables)
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for done, table in enumerate(tables, start=1):
        _write_sheet(workbook.create_sheet(sheet_title(table.title, taken)), table, filters)
        if progress is not None:
            progress(done, len(tables))
    if not tables:
        workbook.create_sheet("-")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if value.tzinfo else value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_bytes(table: Table) -> bytes:
    """The header row and the rows; dates ISO 8601, decimal point (what spreadsheet imports read)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def filename(stem: str, extension: str) -> str:
    """A download name made of letters, digits and dashes only (safe in Content-Disposition)."""
    return re.sub(r"[^A-Za-z0-9-]+", "-", stem).strip("-")[:80] + "." + extension
