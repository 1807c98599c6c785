"""The pages both leadership boards share: the board, the overdue list, a table's download, the
monthly recap and the export jobs. Thin: the regency host's views (views.py) and the Camat's
back-office views (staff_views.py) check who may see them and call these with their board.
A board renders whatever sections are registered for it (lib/dashboards.py)."""

from __future__ import annotations

from django.contrib import messages
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sipentol.lib import dashboards, exports
from sipentol.lib.web import stored_file_response
from tenants.models import Kecamatan

from . import selectors, services
from .boards import filters_query, first_day, last_day, parse_filters
from .exports import EXPORT_SYNC_ROWS, export_job_for
from .models import ExportJob
from .sections import OverdueSection, url

FORMATS = ("xlsx", "csv")


def board_filters(request, board: str) -> tuple[dashboards.Filters, list[str]]:
    kecamatan_id = connection.tenant.pk if board == "camat" else None
    return parse_filters(request.GET, kecamatan_id=kecamatan_id)


def _describe(filters: dashboards.Filters) -> list[tuple[str, str]]:
    """The filters written on a sheet, with the kecamatan's name beside its id."""
    rows = filters.describe()
    if filters.kecamatan_id:
        name = Kecamatan.objects.filter(pk=filters.kecamatan_id).values_list("name", flat=True).first()
        rows.append(("nama kecamatan", name or ""))
    return rows


def _context(request, board: str, filters, errors) -> dict:
    return {
        "board": board,
        "filters": filters,
        "first_day": first_day(filters),
        "last_day": last_day(filters),
        "errors": errors,
        "query": filters_query(filters, board=board),
        "board_url": url(board, ""),
        "export_url": url(board, "export", "KEY", "FMT").replace("KEY.FMT", ""),
        "recap_url": url(board, "recap"),
        "services": sorted(selectors.service_names(filters).items(), key=lambda item: item[1]),
        "kecamatan_options": _kecamatan_options(filters) if board == "regency" else "",
    }


def _kecamatan_options(filters: dashboards.Filters) -> str:
    """The kecamatan filter's options, escaped and joined in one pass (a template loop, or
    format_html per option, over 1,000 kecamatan costs the page tens of milliseconds)."""
    options = [
        f'<option value="{pk}"{" selected" if pk == filters.kecamatan_id else ""}>{escape(name)}</option>'
        for pk, name in Kecamatan.objects.order_by("name", "pk").values_list("pk", "name")
    ]
    return mark_safe("".join(options))  # noqa: S308 (ids are integers, names escaped)


def board_page(request, board: str, template: str):
    filters, errors = board_filters(request, board)
    shown = []
    for section in dashboards.sections(board):
        # The Section protocol: render() returns HTML it has already escaped.
        html = mark_safe(section.render(request, filters))  # noqa: S308
        # A section whose tables are costly (the overdue list) names its downloads without computing them.
        downloads = getattr(section, "downloads", None)
        if downloads is not None:
            tables = downloads()
        else:
            tables = [(table.key, table.title) for table in section.tables(request, filters)]
        shown.append({"key": section.key, "title": section.title, "html": html, "tables": tables})
    return render(request, template, _context(request, board, filters, errors) | {"sections": shown})


def _overdue_section(board: str) -> OverdueSection:
    for section in dashboards.sections(board):
        if isinstance(section, OverdueSection):
            return section
    raise Http404


def overdue_page(request, board: str, template: str):
    filters, errors = board_filters(request, board)
    section = _overdue_section(board)
    return render(
        request,
        template,
        _context(request, board, filters, errors) | {"html": section.render_full(request, filters), "section": section},
    )


def table_download(request, board: str, key: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    filters, _errors = board_filters(request, board)
    table = dashboards.table(board, key, request, filters)
    if table is None:
        raise Http404
    stem = f"{key}-{first_day(filters).isoformat()}-{last_day(filters).isoformat()}"
    if len(table.rows) > EXPORT_SYNC_ROWS:
        job = services.export_job_start(
            user=request.user,
            board=board,
            kind=ExportJob.Kind.TABLE,
            params={"key": key, "query": request.GET.dict(), "stem": stem},
            title=table.title,
            extension=fmt,
        )
        return redirect(url(board, "job", job.pk))
    if fmt == "xlsx":
        data, content_type = exports.xlsx_bytes([table], _describe(filters)), exports.XLSX_CONTENT_TYPE
    else:
        data, content_type = exports.csv_bytes(table), exports.CSV_CONTENT_TYPE
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(stem, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def recap(request, board: str, template: str, *, kecamatan: Kecamatan | None):
    """GET: the form (month; kecamatan on the regency board). POST: queue the workbook."""
    periods = selectors.Period.parse(None).choices()
    if request.method == "POST":
        month = request.POST.get("bulan", "")
        chosen = kecamatan
        if chosen is None:
            value = request.POST.get("kecamatan", "")
            chosen = Kecamatan.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if chosen is None or month not in {p.key for p in periods}:
            messages.error(request, _("Pilih kecamatan dan bulan dari daftar, lalu buat rekap lagi."))
        else:
            job = services.export_job_start(
                user=request.user,
                board=board,
                kind=ExportJob.Kind.RECAP,
                params={"kecamatan_id": chosen.pk, "kecamatan_name": chosen.name, "bulan": month},
                title=_("Rekap %(kecamatan)s %(month)s") % {"kecamatan": chosen.name, "month": month},
            )
            return redirect(url(board, "job", job.pk))
    context = {
        "board": board,
        "board_url": url(board, ""),
        "periods": periods,
        "kecamatan": kecamatan,
        "kecamatan_list": Kecamatan.objects.order_by("name").only("pk", "name") if kecamatan is None else [],
    }
    return render(request, template, context)


def job_page(request, board: str, template: str, pk):
    job = export_job_for(user=request.user, pk=pk)
    if job is None:
        raise Http404
    return render(
        request,
        template,
        {"board": board, "board_url": url(board, ""), "job": job, "download_url": url(board, "job-download", job.pk)},
    )


def job_download(request, board: str, pk):
    job = export_job_for(user=request.user, pk=pk)
    if job is None or job.status != ExportJob.Status.DONE:
        raise Http404
    if job.kind == ExportJob.Kind.RECAP:
        stem = f"rekap-{job.params['kecamatan_name']}-{job.params['bulan']}"
    else:
        stem = job.params.get("stem", job.params.get("key", "ekspor"))
    content_type = exports.XLSX_CONTENT_TYPE if job.extension == "xlsx" else exports.CSV_CONTENT_TYPE
    response = stored_file_response(
        job.object_key, content_type=content_type, filename=exports.filename(stem, job.extension)
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace("inline", "attachment", 1)
    return response
