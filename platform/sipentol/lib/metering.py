"""The quotas a kecamatan is billed on, and the registries that carry counts and limits.

`billing_and_quota` (plans, usage records, the arithmetic) sits in the same layer as
`accounts` and `notifications`, and none of them may import another. This module, below all of
them, is where they meet (as `lib/facts.py` is for the regency):

- a *meter* counts one quota inside the current kecamatan's schema; the app that owns the
  counted thing registers it in its `AppConfig.ready()` (accounts: staff seats; notifications:
  WhatsApp messages; storage is measured here from the object store). Applications and letters
  need no meter: billing counts them live from the application facts (`lib/facts.py`).
- a *limit provider* (billing) answers "how many of this quota may the current kecamatan have?",
  so that accounts can refuse a staff seat beyond the plan without importing billing.

A meter missing when asked is an error, never a silent zero (a quota that never fills would go
unnoticed). Without a limit provider there is no limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum

from . import storage


class Quota(StrEnum):
    APPLICATIONS = "applications"  # applications submitted per month
    LETTERS = "letters"  # letters issued per month
    STORAGE = "storage"  # bytes under the kecamatan's object-store prefix (limit in GB on the plan)
    STAFF_SEATS = "staff_seats"  # active staff accounts: a hard limit
    WHATSAPP = "whatsapp"  # WhatsApp messages queued per month


# Meter: count of the quota in the current kecamatan schema for [start, end) (a level such as
# seats or storage ignores the dates and answers "now").
Meter = Callable[..., int]
_meters: dict[str, Meter] = {}
_limit_providers: list[Callable[[str], int | None]] = []


def register_meter(quota: Quota, meter: Meter) -> None:
    _meters[quota] = meter


def measured_quotas() -> list[Quota]:
    return [q for q in Quota if q in _meters]


def measure(quota: Quota, *, start: dt.datetime, end: dt.datetime) -> int:
    """The quota's count in the current kecamatan schema; KeyError if no app registered a meter."""
    if quota not in _meters:
        raise KeyError(f"no meter registered for quota {quota!r} (is its app installed?)")
    return int(_meters[quota](start=start, end=end))


def register_limit_provider(provider: Callable[[str], int | None]) -> None:
    if provider not in _limit_providers:
        _limit_providers.append(provider)


def limit(quota: Quota) -> int | None:
    """The current kecamatan's limit for `quota` (the smallest any provider gives), or None."""
    limits = [n for n in (provider(quota) for provider in _limit_providers) if n is not None]
    return min(limits) if limits else None


def _storage_meter(*, start: dt.datetime, end: dt.datetime) -> int:
    return storage.prefix_size()


register_meter(Quota.STORAGE, _storage_meter)
