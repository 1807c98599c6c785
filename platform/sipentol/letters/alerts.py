"""Staff alerts leave here: `staff_alert_emit`, and the Camat's and Sekcam's daily signing digest.

`staff_alert_emit` is the one way an app alerts a staff member: it lives in `letters`, the
lowest layer that sees both the staff's choices (`accounts/alerts.py`: who, which channel, quiet
hours, unsubscribe link) and the outbox (`notifications`); `applications/alerts.py` calls it too.

The digest (beat, every morning): when letters wait for signature, each active staff member who
may sign (`Capability.SIGN_LETTERS`: the Camat, the Sekcam) gets ONE message with their number,
since when the oldest waits and the link to the signing page, which works on a phone. Once a
day per person (`AlertSent` "day:<date>"), nothing when nothing waits.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from sipentol.accounts.alerts import alert_delivery, alert_sent_record, staff_to_alert, template_of
from sipentol.accounts.models import AlertType
from sipentol.notifications.services import outbox_emit
from tenants.selectors import kecamatan_url

from .models import LetterEvent
from .selectors import letters_awaiting_signature


def alert_date(value: dt.date | dt.datetime, fmt: str = "j F Y") -> str:
    """A date as staff alerts print it: in Bahasa Indonesia, like the messages' text."""
    with translation.override(settings.LANGUAGE_CODE):
        return date_format(timezone.localtime(value) if isinstance(value, dt.datetime) else value, fmt)


def staff_link(path: str) -> str:
    """A link to a staff page of this kecamatan (it asks for sign-in)."""
    return kecamatan_url(connection.tenant, path)


def staff_alert_emit(*, user, alert_type: str, context: dict, dedupe_key: str) -> bool:
    """Queue one alert to one staff member, in the caller's transaction; False when they get
    none (not their role's alert, every channel off, inactive). Held in the quiet hours.
    Idempotent on `dedupe_key` like every outbox message: make it name the event and the person."""
    delivery = alert_delivery(user=user, alert_type=alert_type)
    if delivery is None:
        return False
    outbox_emit(
        event=f"staff.{alert_type}",
        template=template_of(alert_type),
        context={**context, **delivery.context},
        dedupe_key=dedupe_key,
        **delivery.emit_kwargs(),
    )
    return True


def signing_digest_send(*, today: dt.date | None = None) -> int:
    """Beat job, per kecamatan: the day's digest of letters waiting for signature. Idempotent:
    returns how many staff members were told now (0 on a second run the same day)."""
    today = today or timezone.localdate()
    waiting = letters_awaiting_signature()
    count = waiting.count()
    if not count:
        return 0
    oldest = waiting.first()
    submitted = LetterEvent.objects.filter(letter=oldest, action="submitted").order_by("at").first()
    context = {
        "count": count,
        "oldest_since": alert_date(submitted.at if submitted else oldest.created_at, "j F Y H:i"),
        "link": staff_link(reverse("staff:signing")),
    }
    told = 0
    for user in staff_to_alert(AlertType.SIGNING_DIGEST):
        with transaction.atomic():
            if alert_delivery(user=user, alert_type=AlertType.SIGNING_DIGEST) is None:
                continue
            if not alert_sent_record(user=user, alert_type=AlertType.SIGNING_DIGEST, subject=f"day:{today}"):
                continue
            staff_alert_emit(
                user=user,
                alert_type=AlertType.SIGNING_DIGEST,
                context=context,
                dedupe_key=f"staff:signing_digest:{user.pk}:{today}",
            )
            told += 1
    return told
