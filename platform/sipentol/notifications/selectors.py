"""Reads of the notification outbox."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from sipentol.notifications.models import Channel, OutboxMessage
from sipentol.notifications.routing.models import ProviderMessage, WhatsAppContact


def outbox_due_ids(*, now: datetime, requeue_before: datetime, limit: int = 500) -> list[int]:
    """Messages a worker should try now and that were not queued recently."""
    lease = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_LEASE_SECONDS)
    waiting = Q(
        status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED],
        next_attempt_at__lte=now,
    )
    stuck = Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=lease)
    not_recently_queued = Q(queued_at__isnull=True) | Q(queued_at__lt=requeue_before)
    return list(
        OutboxMessage.objects.filter((waiting | stuck) & not_recently_queued)
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )


def outbox_for_dedupe_key(*, dedupe_key: str) -> QuerySet[OutboxMessage]:
    """What was sent for one event (e.g. to show delivery status on an application's page)."""
    return OutboxMessage.objects.filter(dedupe_key=dedupe_key).order_by("channel")


def whatsapp_count(*, start: datetime, end: datetime) -> int:
    """WhatsApp messages this kecamatan queued in [start, end): its meter for the billing quota."""
    return OutboxMessage.objects.filter(channel=Channel.WHATSAPP, created_at__gte=start, created_at__lt=end).count()


# Not delivered: a retry is scheduled (failed), none is left (dead), or a crash left it unknown
# whether the provider took it (uncertain: never resent by itself). An operator may send any
# of them again (services.outbox_retry).
UNDELIVERED = (OutboxMessage.Status.FAILED, OutboxMessage.Status.DEAD, OutboxMessage.Status.UNCERTAIN)


def outbox_undelivered() -> QuerySet[OutboxMessage]:
    """The current kecamatan's undelivered messages, oldest first; a WhatsApp message whose SMS
    fallback was sent reached the citizen, so it is not among them."""
    return (
        OutboxMessage.objects.filter(status__in=UNDELIVERED)
        .exclude(fallback__status=OutboxMessage.Status.SENT)
        .order_by("created_at", "pk")
    )


# ------------------------------------------------------------------ WhatsApp window, provider ids
WHATSAPP_WINDOW = timedelta(hours=24)


def whatsapp_number_hash(number: str) -> str:
    """A keyed hash of a WhatsApp number (digits only, 62...): the window is kept without the number."""
    digits = "".join(ch for ch in str(number) if ch.isdigit())
    return hmac.new(settings.SECRET_KEY.encode(), f"wa:{digits}".encode(), hashlib.sha256).hexdigest()


def whatsapp_window_open(number: str, *, now: datetime | None = None) -> bool:
    """Whether the citizen wrote to us in the last 24 hours, so free text may be sent (Meta's rule)."""
    since = (now or timezone.now()) - WHATSAPP_WINDOW
    return WhatsAppContact.objects.filter(number_hash=whatsapp_number_hash(number), last_inbound_at__gt=since).exists()


def provider_message_route(*, provider: str, provider_message_id: str) -> ProviderMessage | None:
    """Which kecamatan and outbox row a provider's message id belongs to (one indexed public row)."""
    return ProviderMessage.objects.filter(provider=provider, provider_message_id=provider_message_id).first()
