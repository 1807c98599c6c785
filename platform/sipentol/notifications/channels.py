"""Channel adapters: one small class per way of reaching a citizen, behind a registry.

Contract of every adapter: `send(message) -> str` delivers ONE OutboxMessage and returns the
provider's message id (may be ""), or raises ChannelError (ChannelUncertain when the provider may
have accepted it). An adapter that can tell the moment the provider may accept the message sets
`marks_handover = True` and calls `send(message, on_handover=...)`'s callback right before it;
for the others the delivery service marks the hand-over before calling `send`. It must not touch the database:
the delivery service records the outcome. ChannelNotConfigured (a ChannelError) means the
deployment has no provider for the channel; the message is kept and retried, never dropped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import smtplib
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address
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


class ChannelUncertain(ChannelError):
    """The connection broke after the provider could have accepted the message: sending it
    again might repeat it, so it is not retried by itself (status `uncertain`)."""


class ChannelAdapter(Protocol):
    name: str

    def send(self, message: OutboxMessage) -> str: ...


def stable_message_key(message: OutboxMessage) -> str:
    """The same for every attempt of one message: lets mail clients and Meta's webhooks spot repeats."""
    raw = f"{connection.schema_name}:{message.channel}:{message.dedupe_key}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


class EmailChannel:
    """E-mail through SMTP (Django's backend opens the connection: TLS/SSL, login); one
    connection per message (volumes are small).

    It marks the hand-over (`on_handover`) just before the final "." of DATA: before it, the
    server holds an unfinished message it will discard if we die, so a retry cannot repeat it;
    after it, the server may have accepted the message, and an error without the server's reply
    is `ChannelUncertain`, not a retry.
    """

    name = "email"
    marks_handover = True

    def send(self, message: OutboxMessage, *, on_handover: Callable[[], None] = lambda: None) -> str:
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
        # A stable Message-ID: the same for every attempt of this message.
        message_id = f"<{stable_message_key(message)}@{settings.BASE_DOMAIN}>"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.EMAIL_FROM,
            to=[message.recipient],
            headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
        )
        where = f"SMTP {settings.SMTP_HOST}:{settings.SMTP_PORT}"
        try:
            backend.open()
            smtp = backend.connection
            _smtp_ok(smtp.ehlo_or_helo_if_needed, where)
            encoding = email.encoding or settings.DEFAULT_CHARSET
            _smtp_reply(smtp.mail(sanitize_address(email.from_email, encoding)), where, 250)
            _smtp_reply(smtp.rcpt(sanitize_address(message.recipient, encoding)), where, 250, 251)
            _smtp_reply(smtp.docmd("data"), where, 354)
            smtp.send(_dot_stuffed(email.message().as_bytes(linesep="\r\n")))
        except ChannelError:
            _close(backend)
            raise
        except Exception as exc:  # noqa: BLE001 - smtplib and socket raise many types; all mean "retry"
            _close(backend)
            raise ChannelError(f"{where}: {exc!r}") from exc
        # From here the server may accept the message at any moment.
        on_handover()
        try:
            smtp.send(b".\r\n")
            code, reply = smtp.getreply()
        except Exception as exc:  # noqa: BLE001 - no reply: we cannot know whether it was accepted
            _close(backend)
            raise ChannelUncertain(f"{where}: {exc!r}") from exc
        _close(backend)
        if code != 250:
            # The server answered and refused it: certainly not accepted, safe to retry.
            raise ChannelError(f"{where}: {code} {reply.decode(errors='replace')}")
        return message_id


def _smtp_ok(call, where: str) -> None:
    try:
        call()
    except smtplib.SMTPException as exc:
        raise ChannelError(f"{where}: {exc!r}") from exc


def _smtp_reply(answer: tuple[int, bytes], where: str, *expected: int) -> None:
    code, reply = answer
    if code not in expected:
        raise ChannelError(f"{where}: {code} {reply.decode(errors='replace')}")


_LINE_ENDS = re.compile(rb"\r\n|\n|\r")
_LEADING_DOT = re.compile(rb"(?m)^\.")


def _dot_stuffed(data: bytes) -> bytes:
    """The message as SMTP DATA wants it (RFC 5321 4.5.2), without the final ".": CRLF line
    ends, a leading "." doubled, ending with CRLF."""
    data = _LEADING_DOT.sub(b"..", _LINE_ENDS.sub(b"\r\n", data))
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _close(backend: EmailBackend) -> None:
    # Closing a broken connection may fail; there is nothing left to do with it.
    with contextlib.suppress(Exception):
        backend.close()


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
