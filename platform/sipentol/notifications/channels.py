"""Channel adapters: one small class per way of reaching a citizen, behind a registry.

Contract of every adapter: `send(message) -> str` delivers ONE OutboxMessage and returns the
provider's message id (may be ""), or raises ChannelError (ChannelUncertain when the provider may
have accepted it). An adapter that can tell the moment the provider may accept the message sets
`marks_handover = True` and calls `send(message, on_handover=...)`'s callback right before it;
for the others the delivery service marks the hand-over before calling `send`. It writes nothing
to the database:
the delivery service records the outcome. ChannelNotConfigured (a ChannelError) means the
deployment has no provider for the channel; ChannelRejected means the provider refused this
message for good. Either way the message is kept: retried, or handed to the next channel.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import smtplib
import urllib.error
import urllib.parse
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
from sipentol.notifications import whatsapp
from sipentol.notifications.selectors import whatsapp_window_open

if TYPE_CHECKING:
    from sipentol.notifications.models import OutboxMessage


class ChannelError(Exception):
    """Delivery failed; the message will be retried with backoff."""


class ChannelNotConfigured(ChannelError):
    """No provider is configured for this channel in this deployment."""


class ChannelUncertain(ChannelError):
    """The connection broke after the provider could have accepted the message: sending it
    again might repeat it, so it is not retried by itself (status `uncertain`)."""


class ChannelRejected(ChannelError):
    """The provider refused this message for good (no retry can cure it): the next channel takes it."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


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

    Inside the 24-hour window (the citizen wrote to us in the last 24 hours, as recorded by the
    webhook) the rendered body goes as free text; outside it, as the notification type's
    approved template (sipentol.notifications.whatsapp.TEMPLATES) with the row's parameters.
    A type without a template outside the window, and an answer no retry can cure (Meta's
    PERMANENT_ERROR_CODES), raise ChannelRejected: the message falls back to SMS at once.
    Reads the window (one indexed row of the public schema); writes nothing.
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
        if not url.startswith(("https://", "http://")):
            raise ChannelNotConfigured(_("WHATSAPP_API_URL harus diawali https://."))
        number = whatsapp_number(message.recipient)
        template = whatsapp.TEMPLATES.get(message.template)
        if whatsapp_window_open(number):
            try:
                return self._post(url, self._text_payload(message, number))
            except ChannelRejected as exc:
                # The window closed since the citizen's last message was recorded (clocks, a lost
                # webhook): the template says the same thing and is allowed.
                if exc.code != whatsapp.RE_ENGAGEMENT or template is None:
                    raise
        if template is None:
            raise ChannelRejected(
                f"no approved WhatsApp template for {message.template!r} and the 24-hour window is closed"
            )
        if len(message.template_params) != template.placeholder_count():
            raise ChannelRejected(
                f"template {template.name} needs {template.placeholder_count()} parameters, "
                f"the message has {len(message.template_params)}"
            )
        return self._post(url, self._template_payload(message, number, template))

    def _base(self, message: OutboxMessage, number: str) -> dict:
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": number,
            # The Cloud API has no idempotency key; this comes back in status webhooks so a
            # repeat after a crash can at least be recognised.
            "biz_opaque_callback_data": stable_message_key(message),
        }

    def _text_payload(self, message: OutboxMessage, number: str) -> dict:
        return {**self._base(message, number), "type": "text", "text": {"preview_url": True, "body": message.body}}

    def _template_payload(self, message: OutboxMessage, number: str, template: whatsapp.Template) -> dict:
        return {
            **self._base(message, number),
            "type": "template",
            "template": {
                "name": template.name,
                "language": {"code": whatsapp.LANGUAGE},
                "components": whatsapp.template_components(template, list(message.template_params)),
            },
        }

    def _post(self, url: str, payload: dict) -> str:
        request = urllib.request.Request(  # noqa: S310 - URL comes from settings, scheme checked by send()
            url,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {settings.WHATSAPP_TOKEN}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.WHATSAPP_TIMEOUT) as response:  # noqa: S310
                body = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:2000].decode(errors="replace")
            code = _graph_error_code(detail)
            if 400 <= exc.code < 500 and code in whatsapp.PERMANENT_ERROR_CODES:
                raise ChannelRejected(f"WhatsApp API HTTP {exc.code} (code {code}): {detail[:500]}", code=code) from exc
            raise ChannelError(f"WhatsApp API HTTP {exc.code}: {detail[:500]}") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ChannelError(f"WhatsApp API: {exc!r}") from exc
        try:
            return str(body["messages"][0]["id"])
        except (KeyError, IndexError, TypeError) as exc:
            raise ChannelError(f"WhatsApp API answered without a message id: {body!r}"[:500]) from exc


def _graph_error_code(detail: str) -> int | None:
    """The `error.code` of a Graph API error answer, if it is one."""
    try:
        return int(json.loads(detail)["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return None


class SmsChannel:
    """SMS through the gateway adapter named by SMS_PROVIDER (dotted path; ZenzivaSms is built in).

    A provider is a class with `send(message) -> str` (provider message id) raising ChannelError.
    Without one, every send raises ChannelNotConfigured: the message stays in the outbox as
    failed with that error (and goes dead after the last attempt, visible to operators) instead
    of being silently dropped.
    """

    name = "sms"

    def send(self, message: OutboxMessage) -> str:
        if not settings.SMS_PROVIDER:
            raise ChannelNotConfigured(
                _("Penyedia SMS belum diatur (SMS_PROVIDER). Pesan disimpan; gunakan e-mail atau WhatsApp.")
            )
        provider = import_string(settings.SMS_PROVIDER)()
        return provider.send(message)


def sms_text(body: str) -> str:
    """A WhatsApp-formatted body as plain SMS text: *bold* and _italic_ markers dropped."""
    return re.sub(r"(?<![\w*])[*_]([^*_\n]+)[*_](?![\w*])", r"\1", body)


class ZenzivaSms:
    """Zenziva (PT Zenziva Sinergi Indonesia) SMS reguler: POST {ZENZIVA_API_URL}/sendsms/.

    Form fields `userkey`, `passkey` (the API credentials of the Zenziva console), `to` (0812...)
    and `message`; the answer is JSON {"messageId", "to", "status": "1" on success, "text"}.
    Any other status is retried (a balance or credential problem is fixed by an operator, not by
    giving up); the gateway's delivery reports come back to /webhooks/sms/<SMS_REPORT_TOKEN>/.
    """

    provider = "zenziva"

    def send(self, message: OutboxMessage) -> str:
        if not (settings.ZENZIVA_API_URL and settings.ZENZIVA_USERKEY and settings.ZENZIVA_PASSKEY):
            raise ChannelNotConfigured(
                _("SMS Zenziva belum diatur (ZENZIVA_USERKEY, ZENZIVA_PASSKEY). Atur keduanya lalu kirim ulang.")
            )
        url = f"{settings.ZENZIVA_API_URL.rstrip('/')}/sendsms/"
        if not url.startswith(("https://", "http://")):
            raise ChannelNotConfigured(_("ZENZIVA_API_URL harus diawali https://."))
        form = {
            "userkey": settings.ZENZIVA_USERKEY,
            "passkey": settings.ZENZIVA_PASSKEY,
            "to": "0" + whatsapp_number(message.recipient)[2:],
            "message": sms_text(message.body).strip(),
        }
        request = urllib.request.Request(  # noqa: S310 - URL comes from settings, scheme checked above
            url,
            data=urllib.parse.urlencode(form).encode(),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT) as response:  # noqa: S310
                body = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise ChannelError(f"Zenziva HTTP {exc.code}: {exc.read()[:300].decode(errors='replace')}") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ChannelError(f"Zenziva: {exc!r}") from exc
        if str(body.get("status")) != "1" or not body.get("messageId"):
            # The answer echoes the number: keep only the gateway's own words.
            raise ChannelError(f"Zenziva refused the message: {str(body.get('text') or body.get('status'))[:200]}")
        return str(body["messageId"])


def get_channel(name: str) -> ChannelAdapter:
    """The adapter for a channel name, from NOTIFICATIONS_CHANNELS (dotted paths, swappable)."""
    try:
        path = settings.NOTIFICATIONS_CHANNELS[name]
    except KeyError as exc:
        raise ChannelNotConfigured(f"unknown channel {name!r}") from exc
    return import_string(path)()
