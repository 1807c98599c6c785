from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy

from sipentol.accounts.permissions import RegencyCapability, regency_can
from sipentol.accounts.signin import Site, second_factor_required
from tenants.selectors import kecamatan_directory

from . import boardviews, selectors


def home(request):
    """The regency site: every kecamatan's service office, active ones linked."""
    return render(request, "regency/home.html", {"directory": kecamatan_directory()})


def statistics(request):
    """Public statistics of the whole regency this month (public fact table, cached)."""
    period = selectors.Period.parse(None)
    return render(
        request,
        "regency/statistics.html",
        {"period": period, "statistics": selectors.public_statistics(period)},
    )


def can_read_dashboard(user) -> bool:
    """Regency leaders and Diskominfo accounts (accounts/permissions.REGENCY_PERMISSIONS)."""
    return regency_can(user, RegencyCapability.VIEW_DASHBOARD)


def _forbidden(request):
    return render(request, "regency/dashboard_forbidden.html", status=403)


# Password and second factor (accounts/signin.py); a signed-in account that is neither a leader
# nor Diskominfo gets the page saying whom to ask.
DASHBOARD = Site(
    name="dashboard",
    prefix="/dashboard/",
    heading=gettext_lazy("Masuk dasbor pimpinan Kabupaten Mojokerto"),
    may_enter=can_read_dashboard,
)
dashboard_required = second_factor_required(DASHBOARD, forbidden=_forbidden)


@dashboard_required
def dashboard(request):
    """Leadership's comparison of kecamatan: every section registered for the regency board
    (lib/dashboards.py), under the URL's filters; reads only the public fact table."""
    return boardviews.board_page(request, "regency", "regency/board.html")


@dashboard_required
def overdue(request):
    """The list behind every overdue figure: code, kecamatan, service, days late, assigned staff."""
    return boardviews.overdue_page(request, "regency", "regency/board_overdue.html")


@dashboard_required
def export(request, key: str, fmt: str):
    return boardviews.table_download(request, "regency", key, fmt)


@dashboard_required
def recap(request):
    return boardviews.recap(request, "regency", "regency/board_recap.html", kecamatan=None)


@dashboard_required
def job(request, pk):
    return boardviews.job_page(request, "regency", "regency/board_job.html", pk)


@dashboard_required
def job_download(request, pk):
    return boardviews.job_download(request, "regency", pk)
