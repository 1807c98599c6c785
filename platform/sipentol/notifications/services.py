"""Writes of the notification outbox: emit (in the caller's transaction), deliver, retry, sweep.

Delivery semantics (see README.md): never twice. A row is marked `sending` and committed
before the provider is called, so two workers never send the same row, and a failure that
certainly did not reach the provider (connection refused, SMTP or HTTP error reply) is retried
with backoff. The moment the provider could accept the message is marked by committing
`handed_over_at` (for e-mail just before the final "." of SMTP DATA, so the window is one
round trip). A crash before that mark is retried after NOTIFICATIONS_SENDING_LEASE_SECONDS;
a crash after it leaves the message `uncertain`: the provider may have it, so it is not sent
again by itself but listed for an operator, who checks and sends it again (`outbox_retry`).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.template.loader import render_to_string, select_template
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from sipentol.lib.phone import mask_phone, normalize_phone
from sipentol.notifications import whatsapp
from sipentol.notifications.channels import (
    ChannelError,
    ChannelNotConfigured,
    ChannelRejected,
    ChannelUncertain,
    get_channel,
)
from sipentol.notifications.models import Channel, Delivery, OutboxMessage
from sipentol.notifications.routing.models import ProviderMessage, WhatsAppContact
from sipentol.notifications.selectors import outbox_due_ids, whatsapp_number_hash
from tenants.crossing import in_kecamatan_schema, in_schema

logger = logging.getLogger(__name__)

# Personal data that must never travel in a notification (only the citizen's name may).
FORBIDDEN_CONTEXT_KEYS = frozenset({"nik", "no_kk", "kk", "nomor_kk", "birth_date", "tanggal_lahir", "address"})
_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


# Why a message is `uncertain` (shown to the operator beside the message).
UNCERTAIN_REASON = _(
    "Pengiriman terputus setelah pesan diserahkan ke penyedia; pesan mungkin sudah sampai. "
    "Periksa dengan penerima sebelum mengirim ulang."
)


class PersonalDataInMessage(ValueError):
    """A rendered notification would carry a NIK/KK or another forbidden field."""


def outbox_emit(
    *,
    event: str,
    template: str,
    context: dict,
    email: str | None = None,
    phone: str | None = None,
    dedupe_key: str,
    not_before: datetime | None = None,
) -> list[OutboxMessage]:
    """Queue a notification; call it INSIDE the caller's transaction.atomic().

    Writes one OutboxMessage per channel that has a recipient (email -> "email", phone ->
    each of NOTIFICATIONS_PHONE_CHANNELS, default "whatsapp"), rendered now from
    `notifications/<template>/`. Idempotent on (dedupe_key, channel): a repeated call returns
    the existing rows and changes nothing. Delivery is queued with transaction.on_commit, so a
    rollback sends nothing; if the broker is down then, the beat sweep delivers later.
    Returns the rows (existing or new), email first.

    `not_before` holds the message until then (a staff alert in the quiet hours,
    lib/quiethours.py): the row waits as pending with that `next_attempt_at`, and the beat sweep
    queues it once it is due.
    """
    if not dedupe_key:
        raise ValueError("outbox_emit needs a dedupe_key")
    if not in_kecamatan_schema():
        raise RuntimeError("outbox_emit must run inside a kecamatan schema (the outbox is per kecamatan)")
    forbidden = FORBIDDEN_CONTEXT_KEYS.intersection(k.lower() for k in context)
    if forbidden:
        raise PersonalDataInMessage(f"notification context must not carry {sorted(forbidden)}")

    recipients: list[tuple[str, str]] = []
    if email := (email or "").strip():
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValueError(f"invalid e-mail address for notification {template}") from exc
        recipients.append((Channel.EMAIL, email))
    if phone := (phone or "").strip():
        try:
            phone = normalize_phone(phone)  # +62..., the form every phone channel is given
        except ValidationError as exc:
            raise ValueError(f"invalid phone number for notification {template}") from exc
        for channel in getattr(settings, "NOTIFICATIONS_PHONE_CHANNELS", [Channel.WHATSAPP]):
            recipients.append((channel, phone))
    if not recipients:
        return []

    full_context = {"kecamatan_name": getattr(getattr(connection, "tenant", None), "name", ""), **context}
    full_context.setdefault("name", context.get("applicant_name"))  # both spellings are in use
    rows = []
    for channel, recipient in recipients:
        subject, body = render_message(template=template, channel=channel, context=full_context)
        rows.append(
            OutboxMessage(
                event=event,
                template=template,
                channel=channel,
                recipient=recipient,
                recipient_masked=mask_recipient(channel, recipient),
                subject=subject,
                body=body,
                dedupe_key=dedupe_key,
                template_params=(
                    whatsapp.template_parameters(template, full_context) if channel == Channel.WHATSAPP else []
                ),
                **({"next_attempt_at": not_before} if not_before else {}),
            )
        )
    with transaction.atomic():
        # ON CONFLICT DO NOTHING: a concurrent or repeated emit neither fails nor duplicates.
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
        messages = list(
            OutboxMessage.objects.filter(dedupe_key=dedupe_key, channel__in=[c for c, _ in recipients]).order_by("id")
        )
    order = {c: i for i, (c, _) in enumerate(recipients)}
    messages.sort(key=lambda m: order[m.channel])
    now = timezone.now()
    pending = [m.pk for m in messages if m.status == OutboxMessage.Status.PENDING and m.next_attempt_at <= now]
    if pending:
        transaction.on_commit(partial(_enqueue_delivery, connection.schema_name, pending), robust=True)
    return messages


def render_message(*, template: str, channel: str, context: dict) -> tuple[str, str]:
    """(subject, body) of a message in Bahasa Indonesia; refuses text that carries a 16-digit NIK/KK."""
    base = f"notifications/{template}"
    with translation.override(settings.LANGUAGE_CODE):
        if channel == Channel.EMAIL:
            subject = " ".join(render_to_string(f"{base}/subject.txt", context).split())
            body = render_to_string(f"{base}/body.txt", context)
        else:
            subject = ""
            body = select_template([f"{base}/{channel}.txt", f"{base}/whatsapp.txt"]).render(context)
    body = re.sub(r"\n{3,}", "\n\n", body.replace("\r\n", "\n")).strip() + "\n"
    if _SIXTEEN_DIGITS.search(subject) or _SIXTEEN_DIGITS.search(body):
        raise PersonalDataInMessage(f"notification {template} would contain a 16-digit number (NIK/KK)")
    return subject[:255], body


def mask_recipient(channel: str, recipient: str) -> str:
    """A copy safe to show in lists: b***o@gmail.com, +62812****7890."""
    if channel == Channel.EMAIL:
        local, _, domain = recipient.partition("@")
        shown = local[0] + "***" + (local[-1] if len(local) > 2 else "")
        return f"{shown}@{domain}"
    return mask_phone(recipient)


def _enqueue_delivery(schema_name: str, message_ids: list[int]) -> None:
    """After commit: hand the rows to Celery. A dead broker is not an error; the sweep catches up."""
    from sipentol.notifications.tasks import deliver_message

    queued: list[int] = []
    with in_schema(schema_name):
        for message_id in message_ids:
            try:
                deliver_message.delay(message_id)
            except Exception:  # noqa: BLE001 - kombu raises many types when the broker is unreachable
                logger.warning(
                    "broker unavailable; outbox messages %s in %s wait for the sweep",
                    message_ids,
                    schema_name,
                    exc_info=True,
                )
                break
            queued.append(message_id)
        # Remembered like the sweep's queuing: a task waiting behind a long queue is not queued
        # again by every sweep (it was, each minute, while its queued_at stayed empty).
        OutboxMessage.objects.filter(pk__in=queued).update(queued_at=timezone.now())


def outbox_deliver(*, message_id: int) -> str:
    """Deliver one message if it is due; idempotent, safe to call from many workers at once.

    Returns what happened: "sent", "failed", "dead", "uncertain", or why nothing was done
    ("missing", "locked", "done", "in_flight", "not_due").
    """
    now = timezone.now()
    lease = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_LEASE_SECONDS)
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None:
            return "locked" if OutboxMessage.objects.filter(pk=message_id).exists() else "missing"
        if message.status in (OutboxMessage.Status.SENT, OutboxMessage.Status.DEAD, OutboxMessage.Status.UNCERTAIN):
            return "done"
        if message.status == OutboxMessage.Status.SENDING:
            if message.claimed_at and message.claimed_at > lease:
                return "in_flight"
            if message.handed_over_at is not None:
                # The worker died after the provider could have accepted it: sending again might
                # repeat it. An operator checks and decides (outbox_retry).
                logger.warning("outbox message %s was left in sending after hand-over; marked uncertain", message.pk)
                message.status = OutboxMessage.Status.UNCERTAIN
                message.last_error = UNCERTAIN_REASON
                message.queued_at = None
                message.save(update_fields=["status", "last_error", "queued_at", "updated_at"])
                return "uncertain"
            logger.warning("outbox message %s was left in sending before hand-over (crash?); sending again", message.pk)
        elif message.next_attempt_at > now:
            return "not_due"
        message.status = OutboxMessage.Status.SENDING
        message.attempts += 1
        message.claimed_at = now
        message.handed_over_at = None
        message.queued_at = None  # its task has left the queue: a retry may be queued when due
        message.save(update_fields=["status", "attempts", "claimed_at", "handed_over_at", "queued_at", "updated_at"])

    claimed = OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING, claimed_at=now)

    def handing_over() -> None:
        # Committed on its own (autocommit): it must survive the worker if it dies next.
        claimed.update(handed_over_at=timezone.now())

    channel = get_channel(message.channel)
    try:
        if getattr(channel, "marks_handover", False):
            provider_message_id = channel.send(message, on_handover=handing_over)
        else:
            # An adapter that cannot say when the provider takes the message: the whole call is
            # the window, so a crash during it never sends the message twice.
            handing_over()
            provider_message_id = channel.send(message)
    except ChannelUncertain as exc:
        claimed.update(status=OutboxMessage.Status.UNCERTAIN, last_error=f"{UNCERTAIN_REASON} {exc}"[:2000])
        logger.warning("outbox delivery of %s uncertain: %s", message.pk, exc)
        return "uncertain"
    except ChannelError as exc:
        return _record_failure(claimed, message=message, error=str(exc), final=_final(message, exc))
    except Exception as exc:
        _record_failure(claimed, message=message, error=f"unexpected: {exc!r}")
        raise
    recorded = claimed.update(
        status=OutboxMessage.Status.SENT,
        sent_at=timezone.now(),
        provider_message_id=(provider_message_id or "")[:200],
        last_error="",
        updated_at=timezone.now(),
    )
    if recorded and provider_message_id:
        try:
            provider_message_register(message=message, provider_message_id=provider_message_id[:200])
        except Exception:  # noqa: BLE001 - the message is sent; only its later reports would go unrouted
            logger.exception("outbox message %s sent, but its provider id could not be registered", message.pk)
    return "sent"


def _final(message: OutboxMessage, exc: ChannelError) -> bool:
    """No retry of this channel can help, and another channel will take the message: refused for
    good by the provider, or a channel this deployment has not set up while a fallback exists."""
    if isinstance(exc, ChannelRejected):
        return True
    return isinstance(exc, ChannelNotConfigured) and bool(settings.NOTIFICATIONS_FALLBACK.get(message.channel))


def _record_failure(claimed, *, message: OutboxMessage, error: str, final: bool = False) -> str:
    delays = settings.NOTIFICATIONS_RETRY_DELAYS
    now = timezone.now()
    attempts = message.attempts
    if final or attempts > len(delays):
        status, next_attempt_at = OutboxMessage.Status.DEAD, now
    else:
        status, next_attempt_at = OutboxMessage.Status.FAILED, now + timedelta(seconds=delays[attempts - 1])
    recorded = claimed.update(status=status, next_attempt_at=next_attempt_at, last_error=error[:2000], updated_at=now)
    logger.warning("outbox delivery failed (attempt %s, now %s): %s", attempts, status, error)
    if recorded and status == OutboxMessage.Status.DEAD:
        outbox_fallback(message=message)
    return str(status)


# ------------------------------------------------------------------ provider reports and fallback
# A later report never undoes an earlier, further one (webhooks arrive out of order); "failed"
# and "read" are both final, and the first of them stays.
_DELIVERY_RANK = {"": 0, Delivery.DELIVERED: 1, Delivery.READ: 2, Delivery.FAILED: 2}


def outbox_fallback(*, message: OutboxMessage) -> OutboxMessage | None:
    """Hand a message its channel could not deliver to the next channel (NOTIFICATIONS_FALLBACK),
    once: the new row has the same dedupe_key, and (dedupe_key, channel) is unique, so reports of
    the same failure from the worker and the webhook, repeated by Meta, make one row in all.

    The text is the WhatsApp body (the SMS adapter drops WhatsApp's *bold* marks). Returns the
    fallback row (new or existing), or None when the channel has no fallback.
    """
    channel = settings.NOTIFICATIONS_FALLBACK.get(message.channel)
    if not channel:
        return None
    with transaction.atomic():
        OutboxMessage.objects.bulk_create(
            [
                OutboxMessage(
                    event=message.event,
                    template=message.template,
                    channel=channel,
                    recipient=message.recipient,
                    recipient_masked=mask_recipient(channel, message.recipient),
                    body=message.body,
                    dedupe_key=message.dedupe_key,
                    fallback_of_id=message.pk,
                )
            ],
            ignore_conflicts=True,
        )
        fallback = OutboxMessage.objects.get(dedupe_key=message.dedupe_key, channel=channel)
        if fallback.status == OutboxMessage.Status.PENDING and fallback.fallback_of_id == message.pk:
            logger.info(
                "outbox message %s (%s) falls back to %s as %s", message.pk, message.channel, channel, fallback.pk
            )
            transaction.on_commit(partial(_enqueue_delivery, connection.schema_name, [fallback.pk]), robust=True)
    return fallback


def outbox_record_delivery(*, message_id: int, delivery: str, error: str = "") -> OutboxMessage | None:
    """Record what the provider reported for a sent message (delivered, read, failed); idempotent
    and order-proof. A failure hands the message to the next channel (outbox_fallback), once."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return None
        if _DELIVERY_RANK.get(delivery, 0) <= _DELIVERY_RANK.get(message.delivery, 0):
            return message
        message.delivery = delivery
        message.delivery_at = timezone.now()
        fields = ["delivery", "delivery_at", "updated_at"]
        if delivery == Delivery.FAILED:
            message.last_error = (error or "failed (provider report)")[:2000]
            fields.append("last_error")
        message.save(update_fields=fields)
        if delivery == Delivery.FAILED:
            outbox_fallback(message=message)
    return message


def provider_message_register(*, message: OutboxMessage, provider_message_id: str) -> None:
    """After a send: remember which kecamatan and row the provider's id belongs to (public schema),
    so its reports find the row without a search; a report that came first is applied now."""
    schema_name = connection.schema_name
    with transaction.atomic():
        route, _created = ProviderMessage.objects.get_or_create(
            provider=message.channel,
            provider_message_id=provider_message_id,
            defaults={"schema_name": schema_name, "message_id": message.pk},
        )
        route = ProviderMessage.objects.select_for_update().get(pk=route.pk)
        waiting, error = route.waiting_delivery, route.waiting_error
        if route.message_id != message.pk or waiting:
            route.schema_name, route.message_id = schema_name, message.pk
            route.waiting_delivery = route.waiting_error = ""
            route.save(update_fields=["schema_name", "message_id", "waiting_delivery", "waiting_error"])
    if waiting:
        outbox_record_delivery(message_id=message.pk, delivery=waiting, error=error)


def provider_report_record(*, provider: str, provider_message_id: str, delivery: str, error: str = "") -> str:
    """A provider's report about one of its ids, from the platform-wide webhook (public schema).

    Works inside the kecamatan the id was registered for, and only there; an id not registered
    yet keeps the report on its public row until the worker registers it. Returns what was done:
    "recorded", "waiting".
    """
    with transaction.atomic():
        route, _created = ProviderMessage.objects.get_or_create(
            provider=provider, provider_message_id=provider_message_id
        )
        route = ProviderMessage.objects.select_for_update().get(pk=route.pk)
        if not route.schema_name:
            if _DELIVERY_RANK.get(delivery, 0) > _DELIVERY_RANK.get(route.waiting_delivery, 0):
                route.waiting_delivery, route.waiting_error = delivery, error[:2000]
                route.save(update_fields=["waiting_delivery", "waiting_error"])
            return "waiting"
    with in_schema(route.schema_name):
        outbox_record_delivery(message_id=route.message_id, delivery=delivery, error=error)
    return "recorded"


def outbox_retry(*, message: OutboxMessage) -> OutboxMessage:
    """Operator action: try a failed, dead or uncertain message again now (e.g. after configuring a
    provider, or after checking that an uncertain one did not arrive)."""
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(
            pk=message.pk,
            status__in=[OutboxMessage.Status.FAILED, OutboxMessage.Status.DEAD, OutboxMessage.Status.UNCERTAIN],
        ).update(status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now(), updated_at=timezone.now())
        if updated:
            transaction.on_commit(partial(_enqueue_delivery, connection.schema_name, [message.pk]), robust=True)
    message.refresh_from_db()
    return message


def outbox_sweep(*, now: datetime | None = None) -> int:
    """Queue every due message of the current kecamatan (messages written while the broker was
    down, retries whose backoff has passed, rows a crash left in `sending`). Returns the count.

    Raises if the broker is unreachable: the next beat run tries again.
    """
    from sipentol.notifications.tasks import deliver_message

    now = now or timezone.now()
    ids = outbox_due_ids(now=now, requeue_before=now - timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_SECONDS))
    for message_id in ids:
        deliver_message.delay(message_id)
        # Remembered so that a worker outage does not pile up one task per message per minute.
        OutboxMessage.objects.filter(pk=message_id).update(queued_at=now)
    return len(ids)


# ------------------------------------------------------------------ the platform-wide webhooks
_WHATSAPP_STATUSES = {"delivered": Delivery.DELIVERED, "read": Delivery.READ, "failed": Delivery.FAILED}


def whatsapp_contact_record(*, number: str, at: datetime) -> None:
    """The citizen wrote to the platform's WhatsApp number: free text may follow for 24 hours."""
    key = whatsapp_number_hash(number)
    with transaction.atomic():
        contact, created = WhatsAppContact.objects.select_for_update().get_or_create(
            number_hash=key, defaults={"last_inbound_at": at}
        )
        if not created and at > contact.last_inbound_at:
            contact.last_inbound_at = at
            contact.save(update_fields=["last_inbound_at"])


def whatsapp_webhook_handle(*, payload: dict) -> dict[str, int]:
    """One verified webhook call from Meta (public schema): statuses and inbound messages.

    Idempotent (Meta repeats a call until it gets 200): a status is recorded once and in order
    (outbox_record_delivery), an inbound message only moves the window's time forward. The
    message texts citizens send are not kept. Returns counts for the log.
    """
    counts = {"statuses": 0, "inbound": 0, "waiting": 0}
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            for status in value.get("statuses") or []:
                delivery = _WHATSAPP_STATUSES.get(str(status.get("status")))
                if delivery is None or not status.get("id"):
                    continue  # "sent" (we know), or a shape we do not read
                error = "; ".join(
                    f"WhatsApp {e.get('code')}: {e.get('title') or e.get('message') or ''}".strip()
                    for e in status.get("errors") or []
                )
                outcome = provider_report_record(
                    provider=Channel.WHATSAPP,
                    provider_message_id=str(status["id"])[:200],
                    delivery=delivery,
                    error=error,
                )
                counts["waiting" if outcome == "waiting" else "statuses"] += 1
            for inbound in value.get("messages") or []:
                if not inbound.get("from"):
                    continue
                at = _timestamp(inbound.get("timestamp"))
                whatsapp_contact_record(number=str(inbound["from"]), at=at)
                counts["inbound"] += 1
    return counts


def _timestamp(value) -> datetime:
    """Meta's Unix timestamps (strings); now if absent, never in the future."""
    now = timezone.now()
    try:
        return min(datetime.fromtimestamp(int(value), tz=UTC), now)
    except (TypeError, ValueError, OverflowError, OSError):
        return now


# The gateway's words for a final delivery state (lower case); anything else is not final yet.
SMS_DELIVERED_WORDS = ("delivered", "terkirim", "sukses", "success")
SMS_FAILED_WORDS = ("failed", "gagal", "undeliv", "rejected", "expired")


def sms_report_handle(*, provider_message_id: str, status: str) -> str:
    """A delivery report of the SMS gateway: "recorded", "waiting", or "ignored" (not final)."""
    word = status.strip().lower()
    if any(w in word for w in SMS_FAILED_WORDS):
        delivery = Delivery.FAILED
    elif any(w in word for w in SMS_DELIVERED_WORDS):
        delivery = Delivery.DELIVERED
    else:
        return "ignored"
    error = f"SMS gateway: {status[:100]}" if delivery == Delivery.FAILED else ""
    return provider_report_record(
        provider=Channel.SMS, provider_message_id=provider_message_id[:200], delivery=delivery, error=error
    )
