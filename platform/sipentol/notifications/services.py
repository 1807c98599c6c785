"""Writes of the notification outbox: emit (in the caller's transaction), deliver, retry, sweep.

Delivery semantics (see README.md): at-least-once. A row is marked `sending` and committed
before the provider is called, so two workers never send the same row, and a failure that
certainly did not reach the provider (connection refused, HTTP 5xx) is retried with backoff.
Only a crash between the provider accepting the message and our `sent` commit can repeat a
message, after NOTIFICATIONS_SENDING_LEASE_SECONDS; the stable Message-ID / WhatsApp
biz_opaque_callback_data make such a repeat recognisable.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.template.loader import render_to_string, select_template
from django.utils import timezone, translation

from sipentol.lib.phone import mask_phone, normalize_phone
from sipentol.notifications.channels import ChannelError, get_channel
from sipentol.notifications.models import Channel, OutboxMessage
from sipentol.notifications.selectors import outbox_due_ids
from tenants.crossing import in_kecamatan_schema, in_schema

logger = logging.getLogger(__name__)

# Personal data that must never travel in a notification (only the citizen's name may).
FORBIDDEN_CONTEXT_KEYS = frozenset({"nik", "no_kk", "kk", "nomor_kk", "birth_date", "tanggal_lahir", "address"})
_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


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

    Returns what happened: "sent", "failed", "dead", or why nothing was done ("missing",
    "locked", "done", "in_flight", "not_due").
    """
    now = timezone.now()
    lease = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_LEASE_SECONDS)
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None:
            return "locked" if OutboxMessage.objects.filter(pk=message_id).exists() else "missing"
        if message.status in (OutboxMessage.Status.SENT, OutboxMessage.Status.DEAD):
            return "done"
        if message.status == OutboxMessage.Status.SENDING:
            if message.claimed_at and message.claimed_at > lease:
                return "in_flight"
            logger.warning("outbox message %s was left in sending (crash?); sending again", message.pk)
        elif message.next_attempt_at > now:
            return "not_due"
        message.status = OutboxMessage.Status.SENDING
        message.attempts += 1
        message.claimed_at = now
        message.queued_at = None  # its task has left the queue: a retry may be queued when due
        message.save(update_fields=["status", "attempts", "claimed_at", "queued_at", "updated_at"])

    claimed = OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING, claimed_at=now)
    try:
        provider_message_id = get_channel(message.channel).send(message)
    except ChannelError as exc:
        return _record_failure(claimed, attempts=message.attempts, error=str(exc))
    except Exception as exc:
        _record_failure(claimed, attempts=message.attempts, error=f"unexpected: {exc!r}")
        raise
    claimed.update(
        status=OutboxMessage.Status.SENT,
        sent_at=timezone.now(),
        provider_message_id=(provider_message_id or "")[:200],
        last_error="",
        updated_at=timezone.now(),
    )
    return "sent"


def _record_failure(claimed, *, attempts: int, error: str) -> str:
    delays = settings.NOTIFICATIONS_RETRY_DELAYS
    now = timezone.now()
    if attempts > len(delays):
        status, next_attempt_at = OutboxMessage.Status.DEAD, now
    else:
        status, next_attempt_at = OutboxMessage.Status.FAILED, now + timedelta(seconds=delays[attempts - 1])
    claimed.update(status=status, next_attempt_at=next_attempt_at, last_error=error[:2000], updated_at=now)
    logger.warning("outbox delivery failed (attempt %s, now %s): %s", attempts, status, error)
    return str(status)


def outbox_retry(*, message: OutboxMessage) -> OutboxMessage:
    """Operator action: try a failed or dead message again now (e.g. after configuring a provider)."""
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(
            pk=message.pk, status__in=[OutboxMessage.Status.FAILED, OutboxMessage.Status.DEAD]
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
