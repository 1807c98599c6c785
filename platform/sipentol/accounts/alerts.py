"""Staff alerts: which staff member receives which alert, by which channel, when, and how to stop.

The one home of these rules (docs/staff_alerts.md). It does not send: the outbox
(`notifications`) sits beside accounts in the layers, so the app that raises an alert
(`applications/alerts.py` for applications, `letters/alerts.py` for the signing digest) asks
`alert_delivery()` for the addresses, the time the message may go (quiet hours,
`lib/quiethours.py`) and the unsubscribe link, and passes them to `outbox_emit`.

- Who: the capabilities in `RECEIVERS` (the one permission table names the roles).
- How: per staff member and alert type, e-mail and/or WhatsApp (`AlertPreference`; without a
  row e-mail on, WhatsApp off). WhatsApp needs the staff member's own number (`whatsapp`).
- When: at once, or when the quiet hours end.
- Once: digests and escalations record what they told whom (`alert_sent_record`, unique).
- Stop: every message carries a signed link that turns its type off without signing in; the
  token names the account, the type and the kecamatan, and is refused on another kecamatan's host.
- No personal data of citizens beyond what staff pages show after sign-in: alerts carry a
  tracking code and a link to the staff page (which needs sign-in), never a NIK, KK or address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sipentol.lib.phone import normalize_phone
from sipentol.lib.quiethours import quiet_until
from tenants.selectors import kecamatan_url

from .models import AlertPreference, AlertSent, AlertType, StaffEvent
from .permissions import Capability, can, roles_with

# Who receives each type. NEW_APPLICATION goes to the assigned staff member when there is one,
# else to everyone holding BE_TOLD_OF_NEW_APPLICATIONS; COMPLETED and SLA_WARNING to the assigned.
RECEIVERS: dict[str, tuple[Capability, ...]] = {
    AlertType.NEW_APPLICATION: (Capability.BE_ASSIGNED, Capability.BE_TOLD_OF_NEW_APPLICATIONS),
    AlertType.COMPLETED: (Capability.BE_ASSIGNED,),
    AlertType.SLA_WARNING: (Capability.BE_ASSIGNED,),
    AlertType.SIGNING_DIGEST: (Capability.SIGN_LETTERS,),
    AlertType.SLA_LAPSED: (Capability.BE_TOLD_OF_LAPSED_SLA,),
}
# Who is told when nobody in particular is: new unassigned applications, the digests.
BROADCAST: dict[str, Capability] = {
    AlertType.NEW_APPLICATION: Capability.BE_TOLD_OF_NEW_APPLICATIONS,
    AlertType.SIGNING_DIGEST: Capability.SIGN_LETTERS,
    AlertType.SLA_LAPSED: Capability.BE_TOLD_OF_LAPSED_SLA,
}
DEFAULT = (True, False)  # (e-mail, WhatsApp) without a preference row
_SALT = "sipentol.accounts.alerts.unsubscribe"


def template_of(alert_type: str) -> str:
    """The outbox message type (template folder) of an alert type."""
    return f"staff_{AlertType(alert_type).value}"


def alert_types_for(user) -> list[str]:
    """The alert types this staff member's role may receive (what their alerts page offers)."""
    return [t for t in AlertType if any(can(user, capability) for capability in RECEIVERS[t])]


def staff_to_alert(alert_type: str) -> QuerySet:
    """Active staff of this kecamatan told of `alert_type` when nobody in particular is."""
    return (
        get_user_model()
        .objects.filter(is_active=True, staff__role__in=roles_with(BROADCAST[alert_type]))
        .select_related("staff")
        .order_by("pk")
    )


def alert_preferences(user) -> dict[str, tuple[bool, bool]]:
    """(e-mail, WhatsApp) of every alert type for this staff member, defaults filled in."""
    chosen = {p.alert_type: (p.email, p.whatsapp) for p in AlertPreference.objects.filter(user=user)}
    return {t.value: chosen.get(t.value, DEFAULT) for t in AlertType}


@dataclass(frozen=True)
class AlertDelivery:
    """What `outbox_emit` needs to alert one staff member: pass `**delivery.emit_kwargs()`."""

    email: str | None
    phone: str | None
    not_before: dt.datetime | None
    context: dict = field(default_factory=dict)

    def emit_kwargs(self) -> dict:
        return {"email": self.email, "phone": self.phone, "not_before": self.not_before}


def alert_delivery(*, user, alert_type: str, now: dt.datetime | None = None) -> AlertDelivery | None:
    """How to reach `user` with `alert_type` now, or None: inactive, not their role's alert, or
    every channel off (or without an address)."""
    if not user.is_active or alert_type not in alert_types_for(user):
        return None
    by_email, by_whatsapp = alert_preferences(user)[alert_type]
    email = user.email if by_email and user.email else None
    phone = user.staff.whatsapp if by_whatsapp and user.staff.whatsapp else None
    if not (email or phone):
        return None
    return AlertDelivery(
        email=email,
        phone=phone,
        not_before=quiet_until(now),
        context={
            "staff_name": user.get_full_name() or user.get_username(),
            "alert_label": str(AlertType(alert_type).label),
            "unsubscribe_link": kecamatan_url(
                connection.tenant,
                reverse("staff:alerts-unsubscribe", args=[alert_unsubscribe_token(user=user, alert_type=alert_type)]),
            ),
            "preferences_link": kecamatan_url(connection.tenant, reverse("staff:alerts")),
        },
    )


def alert_sent_record(*, user, alert_type: str, subject: str) -> bool:
    """Record that `user` was told of `subject`; False if they already were (tell nothing then).
    Call it inside the transaction that queues the message: both commit or neither."""
    try:
        with transaction.atomic():
            AlertSent.objects.create(user=user, alert_type=alert_type, subject=subject)
    except IntegrityError:
        return False
    return True


def alert_sent_subjects(*, alert_type: str, subjects: list[str]) -> set[str]:
    """Which of these subjects anyone was already told of (an escalation names each application once)."""
    return set(AlertSent.objects.filter(alert_type=alert_type, subject__in=subjects).values_list("subject", flat=True))


# ---------------------------------------------------------------------------- writes
def alert_preferences_set(*, user, choices: dict[str, tuple[bool, bool]], whatsapp: str = "") -> None:
    """The staff member's own choices; a WhatsApp number is needed for any WhatsApp alert
    (ValidationError with a message in their language). Recorded in the staff account's history."""
    number = normalize_phone(whatsapp) if whatsapp.strip() else ""
    if not number and any(by_whatsapp for _, by_whatsapp in choices.values()):
        raise ValidationError(
            _("Isi nomor WhatsApp Anda untuk menerima pemberitahuan lewat WhatsApp, misalnya 0812-3456-7890.")
        )
    allowed = set(alert_types_for(user))
    with transaction.atomic():
        for alert_type, (by_email, by_whatsapp) in choices.items():
            if alert_type in allowed:
                AlertPreference.objects.update_or_create(
                    user=user, alert_type=alert_type, defaults={"email": by_email, "whatsapp": by_whatsapp}
                )
        user.staff.whatsapp = number
        user.staff.save(update_fields=["whatsapp"])
        StaffEvent.objects.create(
            actor=user,
            staff=user,
            action=StaffEvent.Action.ALERTS_CHANGED,
            details={t: {"email": e, "whatsapp": w} for t, (e, w) in choices.items() if t in allowed},
        )


def alert_unsubscribe_token(*, user, alert_type: str) -> str:
    return signing.dumps({"u": user.pk, "t": alert_type, "s": connection.schema_name}, salt=_SALT, compress=True)


def alert_unsubscribe_read(token: str) -> tuple[object, str] | None:
    """(staff member, alert type) a link names, or None: forged, or made in another kecamatan."""
    try:
        payload = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if payload.get("s") != connection.schema_name or payload.get("t") not in AlertType.values:
        return None
    user = get_user_model().objects.filter(pk=payload.get("u"), staff__isnull=False).select_related("staff").first()
    return (user, payload["t"]) if user else None


def alert_unsubscribe(*, user, alert_type: str) -> None:
    """Turn one alert type off, both channels (the unsubscribe link; no sign-in needed)."""
    with transaction.atomic():
        AlertPreference.objects.update_or_create(
            user=user, alert_type=alert_type, defaults={"email": False, "whatsapp": False}
        )
        StaffEvent.objects.create(
            actor=user,
            staff=user,
            action=StaffEvent.Action.ALERTS_CHANGED,
            details={alert_type: {"email": False, "whatsapp": False}, "by": "unsubscribe link"},
        )
