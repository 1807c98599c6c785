from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy

from sipentol.accounts.permissions import RegencyCapability, regency_can
from sipentol.accounts.signin import Site, second_factor_required
from tenants.selectors import kecamatan_directory

from . import selectors


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
    """Leadership's comparison of kecamatan for one month; reads only the public fact table."""
    period = selectors.Period.parse(request.GET.get("bulan"))
    by_kecamatan = selectors.dashboard_by_kecamatan(period)
    by_service = selectors.dashboard_by_service(period)
    return render(
        request,
        "regency/dashboard.html",
        {
            "period": period,
            "periods": period.choices(),
            "by_kecamatan": by_kecamatan,
            "by_service": by_service,
            "totals": selectors.totals(by_kecamatan),
            "max_month": max([row["month_count"] for row in by_kecamatan] + [1]),
        },
    )
