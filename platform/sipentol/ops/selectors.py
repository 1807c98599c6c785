"""Usage against quota per kecamatan, for the console: billing's own records (counted live and
measured daily), read through billing_and_quota.selectors."""

from __future__ import annotations

import datetime as dt

from billing_and_quota.selectors import Usage
from billing_and_quota.selectors import usage_by_kecamatan as _usage_by_kecamatan
from billing_and_quota.selectors import usage_for as _usage_for


def _month(month: dt.date | str | None) -> dt.date | None:
    if isinstance(month, str):
        year, _, number = month.partition("-")
        return dt.date(int(year), int(number), 1)
    return month


def usage_for(kecamatan, month: dt.date | str | None = None) -> Usage:
    """This kecamatan's usage in `month` (default: this month)."""
    return _usage_for(kecamatan, _month(month))


def usage_by_kecamatan(kecamatan_list, month: dt.date | str | None = None) -> dict[int, Usage]:
    return _usage_by_kecamatan(kecamatan_list, _month(month))
