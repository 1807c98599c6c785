"""The kecamatan admin's own usage page under /kantor/ (assembled by sipentol.backoffice.urls):
this month's usage against the plan Diskominfo set, and the overage recorded.

The kecamatan is the request's tenant: an admin sees their own kecamatan and no other.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from billing_and_quota.selectors import month_of, overages_for, usage_for
from sipentol.accounts.decorators import staff_required
from sipentol.accounts.permissions import Capability


@staff_required(capability=Capability.VIEW_USAGE)
@never_cache
def usage(request):
    period = month_of()
    return render(
        request,
        "ops/usage.html",
        {
            "period": period,
            "usage": usage_for(request.tenant, period),
            "overages": overages_for(request.tenant, period),
        },
    )
