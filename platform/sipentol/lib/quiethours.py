"""Quiet hours: when staff are not to be disturbed, and when a message due in them may go out.

One rule for every staff alert (accounts/alerts.py): a message that falls due inside the quiet
hours (default 20:00-06:00 in the platform's time zone, Asia/Jakarta; setting
`STAFF_ALERTS_QUIET_HOURS`, "HH:MM-HH:MM", empty for none) is held until they end. The outbox
holds it through its `next_attempt_at`, so a held message is a pending row, not a lost one.
A window may run over midnight ("20:00-06:00") or not ("12:00-13:00").
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def parse(spec: str) -> tuple[dt.time, dt.time] | None:
    """("20:00-06:00") -> (20:00, 06:00); None for "" (no quiet hours). ValueError on anything else."""
    spec = (spec or "").strip()
    if not spec:
        return None
    start, _, end = spec.partition("-")
    window = dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())
    if window[0] == window[1]:
        raise ValueError(f"quiet hours {spec!r} start and end at the same time")
    return window


def quiet_until(now: dt.datetime | None = None, *, spec: str | None = None) -> dt.datetime | None:
    """The moment the quiet hours around `now` end, or None when `now` is not in them."""
    window = parse(settings.STAFF_ALERTS_QUIET_HOURS if spec is None else spec)
    if window is None:
        return None
    start, end = window
    local = timezone.localtime(now or timezone.now())
    clock = local.time()
    if start < end:  # inside one day
        inside, ends_on = start <= clock < end, local.date()
    elif clock >= start:  # over midnight, evening part: ends tomorrow
        inside, ends_on = True, local.date() + dt.timedelta(days=1)
    else:  # over midnight, morning part
        inside, ends_on = clock < end, local.date()
    if not inside:
        return None
    return timezone.make_aware(dt.datetime.combine(ends_on, end), local.tzinfo)
