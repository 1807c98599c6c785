"""The Camat's dashboard in the back office (/kantor/dasbor/): the kecamatan's own figures
(the regency's sections, read from the facts of `connection.tenant`) and whatever other apps
register for the "camat" board (staff workload, letters waiting for signature, complaints due).
Camat, Sekcam and admin (Capability.VIEW_KECAMATAN_DASHBOARD)."""

from __future__ import annotations

from django.db import connection
from django.views.decorators.http import require_GET, require_http_methods

from sipentol.accounts.decorators import staff_required
from sipentol.accounts.permissions import Capability

from . import boardviews

BOARD = "camat"
_required = staff_required(capability=Capability.VIEW_KECAMATAN_DASHBOARD)


@_required
@require_GET
def dashboard(request):
    return boardviews.board_page(request, BOARD, "regency/board.html")


@_required
@require_GET
def overdue(request):
    return boardviews.overdue_page(request, BOARD, "regency/board_overdue.html")


@_required
@require_GET
def export(request, key: str, fmt: str):
    return boardviews.table_download(request, BOARD, key, fmt)


@_required
@require_http_methods(["GET", "POST"])
def recap(request):
    return boardviews.recap(request, BOARD, "regency/board_recap.html", kecamatan=connection.tenant)


@_required
@require_GET
def job(request, pk):
    return boardviews.job_page(request, BOARD, "regency/board_job.html", pk)


@_required
@require_GET
def job_download(request, pk):
    return boardviews.job_download(request, BOARD, pk)
