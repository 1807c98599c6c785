"""Real local servers standing in for the outside world: an SMTP server and WhatsApp's Cloud API."""

from __future__ import annotations

import email
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


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


class WhatsAppApi:
    """A local HTTP server answering like the Cloud API's /{phone_number_id}/messages, recording calls.

    `fail_next(n)` makes the next n requests answer 500 (an outage at Meta's side).
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.requests: list[dict] = []
        self._failures = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def fail_next(self, count: int) -> None:
        with self._lock:
            self._failures = count

    def to(self, number: str) -> list[dict]:
        return [r for r in self.requests if r["json"].get("to") == number]

    def start(self) -> None:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with api._lock:
                    failing = api._failures > 0
                    if failing:
                        api._failures -= 1
                    status = 500 if failing else 200
                    answer = (
                        {"error": {"message": "Service temporarily unavailable", "code": 2, "type": "OAuthException"}}
                        if failing
                        else {
                            "messaging_product": "whatsapp",
                            "contacts": [{"input": "", "wa_id": ""}],
                            "messages": [{"id": f"wamid.TEST{next(api._ids):06d}"}],
                        }
                    )
                    api.requests.append(
                        {
                            "path": self.path,
                            "authorization": self.headers.get("Authorization"),
                            "json": json.loads(body or b"{}"),
                            "status": status,
                        }
                    )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
