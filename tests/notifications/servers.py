"""Real local servers standing in for the outside world: an SMTP server, WhatsApp's Cloud API, Zenziva's SMS API."""

from __future__ import annotations

import email
import socket
import time
from collections.abc import Callable
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from sipentol_devtools.standins import WhatsAppCloudStandIn, ZenzivaStandIn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], object], *, timeout: float = 30, message: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


class SmtpCatcher:
    """An aiosmtpd server on a fixed port that can be started and stopped (to simulate an outage)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[EmailMessage] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]


# The Cloud API and SMS gateway stand-ins are the ones `make run` uses (sipentol_devtools.standins):
# templates, the 24-hour window, signed webhooks. `fail_next(n)` makes the next n calls answer 500.
WhatsAppApi = WhatsAppCloudStandIn
ZenzivaApi = ZenzivaStandIn
