"""Channel adapters: one small class per way of reaching a citizen, behind a registry.

Contract of every adapter: `send(message) -> str` delivers ONE OutboxMessage and returns the
provider's message id (may be ""), or raises ChannelError. It must not touch the database:
the delivery service records the outcome. ChannelNotConfigured (a ChannelError) means the
deployment has no provider for the channel; the message is kept and retried, never dropped.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend
from django.db import connection
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from sipentol.lib.phone import normalize_phone

if TYPE_CHECKING:
    from sipentol.notifications.models import OutboxMessage


class ChannelError(Exception):
    """Delivery failed; the message will be retried with backoff."""


class ChannelNotConfigured(ChannelError):
    """No provider is configured for this channel in this deployment."""


class ChannelAdapter(Protocol):
    name: str

    def send(self, message: OutboxMessage) -> str: ...


def stable_message_key(message: OutboxMessage) -> str:
    """The same for every attempt of one message: lets mail clients and Meta's webhooks spot repeats."""
    raw = f"{connection.schema_name}:{message.channel}:{message.dedupe_key}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


class EmailChannel:
    """E-mail through Django's SMTP backend; one connection per message (volumes are small)."""

    name = "email"

    def send(self, message: OutboxMessage) -> str:
        if not settings.SMTP_HOST:
            raise ChannelNotConfigured(_("Server e-mail (SMTP_HOST) belum diatur. Atur SMTP_HOST lalu kirim ulang."))
        backend = EmailBackend(
            host=settings.SMTP_HOST,
            port=settings.SMTP_PORT,
            username=settings.SMTP_USER or None,
            password=settings.SMTP_PASSWORD or None,
            use_tls=settings.SMTP_USE_TLS,
            use_ssl=settings.SMTP_USE_SSL,
            timeout=settings.SMTP_TIMEOUT,
            fail_silently=False,
        )
        # A stable Message-ID: a repeat after a crash (at-least-once) is the same message to the
        # receiving side, and most clients thread or collapse it.
        message_id = f"<{stable_message_key(message)}@{settings.BASE_DOMAIN}>"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.EMAIL_FROM,
            to=[message.recipient],
            headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
            connection=backend,
        )
        try:
            email.send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - smtplib and socket raise many types; all mean "retry"
            raise ChannelError(f"SMTP {settings.SMTP_HOST}:{settings.SMTP_PORT}: {exc!r}") from exc
        return message_id


def whatsapp_number(phone: str) -> str:
    """Cloud API wants the international number without '+': 0812... / +62812... -> 62812..."""
    return normalize_phone(phone).lstrip("+")


class WhatsAppChannel:
    """WhatsApp Business Cloud API: POST {WHATSAPP_API_URL}/{phone_number_id}/messages.

    Sends a free-form text message. Note: Meta delivers free-form text only inside the 24-hour
    customer-service window; business-initiated messages outside it need pre-approved
    templates (type "template"), see README.md.
    """

    name = "whatsapp"

    def send(self, message: OutboxMessage) -> str:
        if not (settings.WHATSAPP_API_URL and settings.WHATSAPP_TOKEN and settings.WHATSAPP_PHONE_NUMBER_ID):
            raise ChannelNotConfigured(
                _(
                    "WhatsApp belum diatur (WHATSAPP_API_URL, WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID). "
                    "Atur ketiganya lalu kirim ulang."
                )
            )
        url = f"{settings.WHATSAPP_API_URL.rstrip('/')}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": whatsapp_number(message.recipient),
            "type": "text",
            "text": {"preview_url": True, "body": message.body},
            # The Cloud API has no idempotency key; this comes back in status webhooks so a
            # repeat after a crash can at least be recognised.
            "biz_opaque_callback_data": stable_message_key(message),
        }
        request = urllib.request.Request(  # noqa: S310 - URL comes from settings, scheme checked below
            url,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {settings.WHATSAPP_TOKEN}", "Content-Type": "application/json"},
        )
        if not url.startswith(("https://", "http://")):
            raise ChannelNotConfigured(_("WHATSAPP_API_URL harus diawali https://."))
        try:
            with urllib.request.urlopen(request, timeout=settings.WHATSAPP_TIMEOUT) as response:  # noqa: S310
                body = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:500].decode(errors="replace")
            raise ChannelError(f"WhatsApp API HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ChannelError(f"WhatsApp API: {exc!r}") from exc
        try:
            return str(body["messages"][0]["id"])
        except (KeyError, IndexError, TypeError) as exc:
            raise ChannelError(f"WhatsApp API answered without a message id: {body!r}"[:500]) from exc


class SmsChannel:
    """SMS adapter interface. No provider is configured by default.

    A provider is a class with `send(message) -> str` (provider message id) raising ChannelError,
    named by the setting SMS_PROVIDER (dotted path). Without one, every send raises
    ChannelNotConfigured: the message stays in the outbox as failed with that error (and goes
    dead after the last attempt, visible to operators) instead of being silently dropped.
    """

    name = "sms"

    def send(self, message: OutboxMessage) -> str:
        if not settings.SMS_PROVIDER:
            raise ChannelNotConfigured(
                _("Penyedia SMS belum diatur (SMS_PROVIDER). Pesan disimpan; gunakan e-mail atau WhatsApp.")
            )
        provider = import_string(settings.SMS_PROVIDER)()
        return provider.send(message)


def get_channel(name: str) -> ChannelAdapter:
    """The adapter for a channel name, from NOTIFICATIONS_CHANNELS (dotted paths, swappable)."""
    try:
        path = settings.NOTIFICATIONS_CHANNELS[name]
    except KeyError as exc:
        raise ChannelNotConfigured(f"unknown channel {name!r}") from exc
    return import_string(path)()
