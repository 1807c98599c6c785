"""How many failures lock whom: AXES_FAILURE_LIMIT for one account (from any address), and the
larger AXES_ADDRESS_FAILURE_LIMIT for one address (over every account it tries).

A kecamatan office reaches us through one NAT address: with one shared limit, five typing
mistakes by five colleagues would lock the whole office out. django-axes counts failures per
lockout parameter and compares the largest count with one limit; this handler scales the
per-address count so that each parameter meets its own limit.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum

LOCKOUT_PARAMETERS = ["username", "ip_address"]  # the order get_user_attempts returns them in


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        if list(settings.AXES_LOCKOUT_PARAMETERS) != LOCKOUT_PARAMETERS:
            raise RuntimeError(f"AXES_LOCKOUT_PARAMETERS must be {LOCKOUT_PARAMETERS}")
        per_account, per_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        account_limit, address_limit = settings.AXES_FAILURE_LIMIT, settings.AXES_ADDRESS_FAILURE_LIMIT
        # per_address reaches address_limit exactly when this reaches account_limit
        return max(per_account, per_address * account_limit // address_limit)
