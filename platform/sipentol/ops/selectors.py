"""Usage against quota per kecamatan: the regency's monthly counts held against billing's plans.

billing_and_quota imports only tenants, and the regency never imports billing: the console
composes them here.
"""

from __future__ import annotations

import datetime as dt

from billing_and_quota.selectors import Usage, plan_for, plans_by_kecamatan
from sipentol.regency.selectors import Period, month_counts_by_kecamatan


def _period(month: dt.date | str | None) -> Period:
    if isinstance(month, dt.date):
        return Period(month.replace(day=1))
    return Period.parse(month)


def usage_for(kecamatan, month: dt.date | str | None = None) -> Usage:
    """This kecamatan's applications submitted and letters issued in `month` (default: this month)."""
    counts = month_counts_by_kecamatan(_period(month)).get(kecamatan.pk, {})
    return Usage(plan_for(kecamatan), counts.get("submitted", 0), counts.get("issued", 0))


def usage_by_kecamatan(kecamatan_list, month: dt.date | str | None = None) -> dict[int, Usage]:
    """Usage of many kecamatan at once, for the ops console: 3 queries whatever their number."""
    kecamatan_list = list(kecamatan_list)
    counts = month_counts_by_kecamatan(_period(month))
    plans = plans_by_kecamatan(kecamatan_list)
    return {
        k.pk: Usage(plans[k.pk], counts.get(k.pk, {}).get("submitted", 0), counts.get(k.pk, {}).get("issued", 0))
        for k in kecamatan_list
    }
