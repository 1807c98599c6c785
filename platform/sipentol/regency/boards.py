"""The leadership boards' URL filters: one parser for the regency board and the Camat's board.

The filters live in the query string (`dari`, `sampai`: first and last day, inclusive;
`kecamatan`: a kecamatan's id, regency board only; `layanan`: a catalog code; `bulan=YYYY-MM`
is a month, for the older links), so that a filtered board can be bookmarked and shared and every
export and drill-down link carries the same filters. Bad input is named in a message and ignored:
the board then shows its default (this month so far).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _

from sipentol.lib.dashboards import Filters
from tenants.models import Kecamatan

# A range longer than this is refused: the trend would not fit a phone, nor the query a second.
MAX_DAYS = 3 * 366
_SERVICE_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def last_day(filters: Filters) -> dt.date:
    """The inclusive last day of the half-open range."""
    return timezone.localtime(filters.end - dt.timedelta(microseconds=1)).date()


def first_day(filters: Filters) -> dt.date:
    return timezone.localtime(filters.start).date()


def parse_filters(query, *, today: dt.date | None = None, kecamatan_id: int | None = None) -> tuple[Filters, list[str]]:
    """(Filters, messages about what was ignored) from a request's GET. `kecamatan_id` given: the
    Camat's board, fixed to its own kecamatan whatever the URL says."""
    today = today or timezone.localdate()
    errors: list[str] = []
    first, last = today.replace(day=1), today
    month = query.get("bulan", "")
    if month:
        try:
            year, number = (int(part) for part in month.split("-"))
            first = dt.date(year, number, 1)
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        except (TypeError, ValueError):
            errors.append(_("Bulan %(value)s tidak dikenal; ditampilkan bulan ini.") % {"value": month[:20]})
    given_first, given_last = query.get("dari", ""), query.get("sampai", "")
    if given_first or given_last:
        try:
            chosen_first = dt.date.fromisoformat(given_first) if given_first else first
            chosen_last = dt.date.fromisoformat(given_last) if given_last else today
        except ValueError:
            errors.append(_("Tanggal harus berbentuk TTTT-BB-HH; ditampilkan bulan ini."))
        else:
            if chosen_last < chosen_first:
                errors.append(_("Tanggal akhir sebelum tanggal awal; ditampilkan bulan ini."))
            elif (chosen_last - chosen_first).days > MAX_DAYS:
                errors.append(_("Periode paling panjang 3 tahun; ditampilkan bulan ini."))
            else:
                first, last = chosen_first, chosen_last
    chosen_kecamatan = kecamatan_id
    if kecamatan_id is None and query.get("kecamatan"):
        value = query.get("kecamatan")
        if value.isdigit() and Kecamatan.objects.filter(pk=int(value)).exists():
            chosen_kecamatan = int(value)
        else:
            errors.append(_("Kecamatan yang dipilih tidak dikenal; ditampilkan semua kecamatan."))
    service = query.get("layanan", "")
    if service and not _SERVICE_CODE.match(service):
        errors.append(_("Kode layanan tidak dikenal; ditampilkan semua layanan."))
        service = ""
    filters = Filters(
        start=_start_of(first),
        end=_start_of(last + dt.timedelta(days=1)),
        today=today,
        kecamatan_id=chosen_kecamatan,
        service_code=service,
    )
    return filters, errors


def filters_query(filters: Filters, *, board: str = "regency", **override) -> str:
    """The filters as a query string (with "?"), `override` replacing some (None drops one)."""
    params = {
        "dari": first_day(filters).isoformat(),
        "sampai": last_day(filters).isoformat(),
        "kecamatan": filters.kecamatan_id if board == "regency" else None,
        "layanan": filters.service_code or None,
    }
    params.update(override)
    return "?" + urlencode({key: value for key, value in params.items() if value not in (None, "")})


def scoped(filters: Filters, kecamatan_id: int) -> Filters:
    return dataclasses.replace(filters, kecamatan_id=kecamatan_id)
