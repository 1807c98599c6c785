"""Local stand-ins for WhatsApp's Cloud API and the Zenziva SMS gateway: real HTTP servers on loopback.

Used by `make run` (devcatcher) and by the tests. They speak the providers' request and answer
shapes and refuse what the providers refuse, so a test that passes against them proves the
contract, not an echo of our own code:

- WhatsApp: `POST /{version}/{phone_number_id}/messages` with a Bearer token. A template must be
  one of the approved ones (sipentol.notifications.whatsapp.TEMPLATES, the table whose bodies are
  submitted to Meta), in language `id`, with exactly as many body parameters as its body has
  placeholders, each on one line (Graph errors 132001, 132000, 132018, 131008). Free text is
  refused outside the 24-hour window (131047 "Re-engagement message"); the window opens when the
  citizen writes (`inbound_webhook`). Webhook calls (`status_webhook`, `inbound_webhook`) have
  Meta's shape and its `X-Hub-Signature-256` made with the app secret.
- Zenziva: `POST .../sendsms/` with form fields userkey, passkey, to, message; answers JSON
  {"messageId", "to", "status": "1", "text": "Success"} or status "0" with the reason; delivery
  reports (`report`) go to the report URL as the form the gateway posts.

With `webhook_url` / `report_url` set (make run), each accepted message is followed by its
reports (sent, delivered, read), posted to the platform as the provider would.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sipentol.notifications import whatsapp

log = logging.getLogger("sipentol_devtools.standins")
WINDOW_SECONDS = 24 * 3600


def _graph_error(code: int, message: str, details: str = "") -> dict:
    error: dict = {"message": f"(#{code}) {message}", "type": "OAuthException", "code": code, "fbtrace_id": "AStandIn"}
    if details:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return {"error": error}


class _Server:
    """A ThreadingHTTPServer on a fixed port, started and stopped by the owner (an outage is a stop)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    def start(self) -> None:
        if self._server is None:
            self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
            threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def _answer(handler: BaseHTTPRequestHandler, status: int, answer: dict) -> None:
    data = json.dumps(answer).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float = 10) -> int:
    """POST a webhook call to the platform; the HTTP status it answered (0: unreachable)."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


class WhatsAppCloudStandIn(_Server):
    """The Cloud API's /messages endpoint and its webhooks. `requests`: every call, with its answer."""

    def __init__(
        self,
        port: int,
        *,
        token: str = "",
        app_secret: str = "",
        webhook_url: str = "",
        webhook_host: str = "localhost",
        folder: Path | None = None,
        id_prefix: str = "wamid.TEST",
    ) -> None:
        super().__init__(port)
        self.token = token  # empty: any Bearer token is accepted
        self.app_secret = app_secret
        self.webhook_url = webhook_url
        self.webhook_host = webhook_host
        self.folder = folder
        self.id_prefix = id_prefix
        self._failures = 0
        self._ids = itertools.count(1)
        self._windows: dict[str, float] = {}  # wa number -> when the citizen last wrote
        self.templates = {t.name: t for t in whatsapp.TEMPLATES.values()}

    # --- what a test or a developer does
    def fail_next(self, count: int) -> None:
        """The next `count` calls answer 500 (an outage at Meta's side)."""
        with self._lock:
            self._failures = count

    def to(self, number: str) -> list[dict]:
        return [r for r in self.requests if r["json"].get("to") == number]

    def accepted(self, number: str) -> list[dict]:
        return [r for r in self.to(number) if r["status"] == 200]

    def signed(self, payload: dict) -> tuple[bytes, dict[str, str]]:
        """A webhook body as Meta sends it, with its headers (signature made with the app secret)."""
        if not self.app_secret:
            raise RuntimeError("the stand-in needs the app secret to sign webhook calls")
        body = json.dumps(payload).encode()
        return body, {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": whatsapp.signature(body, self.app_secret),
        }

    def _envelope(self, value: dict) -> dict:
        value = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "stand-in"}, **value}
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": "0", "changes": [{"field": "messages", "value": value}]}],
        }

    def status_webhook(self, wamid: str, status: str, *, errors: list[dict] | None = None) -> tuple[bytes, dict]:
        """The signed webhook call reporting `status` (sent, delivered, read, failed) of a message."""
        request = next((r for r in self.requests if r.get("wamid") == wamid), None)
        item = {
            "id": wamid,
            "status": status,
            "timestamp": str(int(time.time())),
            "recipient_id": request["json"].get("to", "") if request else "",
        }
        if request and request["json"].get("biz_opaque_callback_data"):
            item["biz_opaque_callback_data"] = request["json"]["biz_opaque_callback_data"]
        if status == "failed":
            item["errors"] = errors or [
                {"code": 131026, "title": "Message undeliverable", "message": "Message undeliverable"}
            ]
        return self.signed(self._envelope({"statuses": [item]}))

    def inbound_webhook(self, number: str, text: str = "Halo") -> tuple[bytes, dict]:
        """The citizen writes to the platform's number: the window opens here, and this is Meta's call."""
        now = time.time()
        with self._lock:
            self._windows[number] = now
        message = {
            "from": number,
            "id": f"wamid.IN{next(self._ids):06d}",
            "timestamp": str(int(now)),
            "type": "text",
            "text": {"body": text},
        }
        return self.signed(self._envelope({"contacts": [{"wa_id": number}], "messages": [message]}))

    # --- the API
    def _window_open(self, number: str) -> bool:
        return time.time() - self._windows.get(number, 0) < WINDOW_SECONDS

    def _check(self, authorization: str | None, payload: dict) -> tuple[int, dict]:
        if not (authorization or "").startswith("Bearer ") or (self.token and authorization != f"Bearer {self.token}"):
            return 401, _graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        if payload.get("messaging_product") != "whatsapp":
            return 400, _graph_error(100, "Invalid parameter", "messaging_product must be whatsapp")
        to = str(payload.get("to") or "")
        if not to.isdigit():
            return 400, _graph_error(100, "Invalid parameter", "to must be a phone number in international format")
        kind = payload.get("type")
        if kind == "text":
            if not str((payload.get("text") or {}).get("body") or "").strip():
                return 400, _graph_error(131008, "Required parameter is missing", "text.body")
            if not self._window_open(to):
                return 400, _graph_error(
                    131047,
                    "Re-engagement message",
                    "Message failed to send because more than 24 hours have passed since the customer last "
                    "replied to this number.",
                )
            return 200, {}
        if kind == "template":
            return self._check_template(payload.get("template") or {})
        return 400, _graph_error(131051, "Unsupported message type")

    def _check_template(self, template: dict) -> tuple[int, dict]:
        spec = self.templates.get(template.get("name"))
        language = (template.get("language") or {}).get("code")
        if spec is None or language != whatsapp.LANGUAGE:
            return 404, _graph_error(
                132001, "Template name does not exist in the translation", f"{template.get('name')} ({language})"
            )
        components = template.get("components") or []
        body = [c for c in components if c.get("type") == "body"]
        params = body[0].get("parameters") or [] if body else []
        if len(params) != spec.placeholder_count():
            return 400, _graph_error(
                132000,
                "Number of parameters does not match the expected number of params",
                f"body: number of localizable_params ({len(params)}) does not match the expected number of "
                f"params ({spec.placeholder_count()})",
            )
        for param in params:
            text = str(param.get("text") or "") if param.get("type") == "text" else ""
            if not text.strip():
                return 400, _graph_error(131008, "Required parameter is missing", "a body parameter is empty")
            if re.search(r"[\n\t]| {5,}", text):
                return 400, _graph_error(
                    132018,
                    "There was an issue with the parameters in your template.",
                    "Param text cannot have new-line/tab characters or more than 4 consecutive spaces",
                )
        if spec.code_button:
            buttons = [c for c in components if c.get("type") == "button" and c.get("sub_type") == "url"]
            if not buttons or [p.get("text") for p in buttons[0].get("parameters") or []] != [params[0].get("text")]:
                return 400, _graph_error(131008, "Required parameter is missing", "the copy-code button's parameter")
        return 200, {}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    payload = json.loads(raw or b"{}")
                except ValueError:
                    payload = {}
                record = {"path": self.path, "authorization": self.headers.get("Authorization"), "json": payload}
                with api._lock:
                    if api._failures > 0:
                        api._failures -= 1
                        status, answer = (
                            500,
                            {
                                "error": {
                                    "message": "Service temporarily unavailable",
                                    "code": 2,
                                    "type": "OAuthException",
                                }
                            },
                        )
                    elif not self.path.rstrip("/").endswith("/messages"):
                        status, answer = 404, _graph_error(100, "Unknown path components")
                    else:
                        status, answer = api._check(record["authorization"], payload)
                    if status == 200:
                        record["wamid"] = f"{api.id_prefix}{next(api._ids):06d}"
                        to = payload["to"]
                        answer = {
                            "messaging_product": "whatsapp",
                            "contacts": [{"input": to, "wa_id": to}],
                            "messages": [{"id": record["wamid"]}],
                        }
                    record.update(status=status, answer=answer)
                    api.requests.append(record)
                # Kept on disk before the answer: whoever got the answer finds the message written.
                api._after(record)
                _answer(self, status, answer)

            def log_message(self, *args) -> None:
                pass

        return Handler

    def _after(self, record: dict) -> None:
        """make run: keep a copy, print it, and report sent / delivered / read to the platform."""
        if self.folder is not None:
            with (self.folder / "whatsapp.jsonl").open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            payload = record["json"]
            shown = (payload.get("text") or {}).get("body") or json.dumps(payload.get("template"), ensure_ascii=False)
            log.info(
                "WHATSAPP to %s (%s %s):\n%s", payload.get("to"), payload.get("type"), record["status"], shown[:600]
            )
        if self.webhook_url and record["status"] == 200 and self.app_secret:
            threading.Thread(target=self._report, args=(record["wamid"],), daemon=True).start()

    def _report(self, wamid: str) -> None:
        for status in ("sent", "delivered", "read"):
            time.sleep(0.5)
            body, headers = self.status_webhook(wamid, status)
            post(self.webhook_url, body, {**headers, "Host": self.webhook_host})


class ZenzivaStandIn(_Server):
    """Zenziva's SMS reguler API (`.../sendsms/`) and its delivery reports."""

    def __init__(
        self,
        port: int,
        *,
        userkey: str,
        passkey: str,
        report_url: str = "",
        report_host: str = "localhost",
        folder: Path | None = None,
    ) -> None:
        super().__init__(port)
        self.userkey, self.passkey = userkey, passkey
        self.report_url, self.report_host = report_url, report_host
        self.folder = folder
        self._ids = itertools.count(1)

    def to(self, number: str) -> list[dict]:
        """Requests to a number as the platform sends it (0812...)."""
        return [r for r in self.requests if r["form"].get("to") == number]

    def report(self, message_id: str, status: str) -> dict[str, str]:
        """The delivery report the gateway posts to the report URL (form fields)."""
        return {"messageId": message_id, "status": status}

    def _check(self, path: str, form: dict[str, str]) -> dict:
        if not path.rstrip("/").endswith("/sendsms"):
            return {"status": "0", "text": "Unknown endpoint"}
        if form.get("userkey") != self.userkey or form.get("passkey") != self.passkey:
            return {"status": "0", "text": "Userkey atau Passkey salah"}
        to = form.get("to", "")
        if not re.fullmatch(r"(0|62)8\d{7,11}", to):
            return {"status": "0", "text": "Nomor tujuan tidak valid"}
        if not form.get("message", "").strip():
            return {"status": "0", "text": "Pesan kosong"}
        return {"messageId": f"ZNZ{next(self._ids):08d}", "to": to, "status": "1", "text": "Success"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                form = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
                with api._lock:
                    answer = api._check(self.path, form)
                    record = {"path": self.path, "form": form, "answer": answer}
                    api.requests.append(record)
                # Kept on disk before the answer: whoever got the answer finds the message written.
                api._after(record)
                _answer(self, 200, answer)

            def log_message(self, *args) -> None:
                pass

        return Handler

    def _after(self, record: dict) -> None:
        if self.folder is not None:
            with (self.folder / "sms.jsonl").open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            log.info(
                "SMS to %s (%s):\n%s",
                record["form"].get("to"),
                record["answer"]["text"],
                record["form"].get("message", "")[:600],
            )
        if self.report_url and record["answer"].get("status") == "1":
            threading.Thread(target=self._report, args=(record["answer"]["messageId"],), daemon=True).start()

    def _report(self, message_id: str) -> None:
        time.sleep(0.5)
        body = urllib.parse.urlencode(self.report(message_id, "DELIVERED")).encode()
        post(self.report_url, body, {"Content-Type": "application/x-www-form-urlencoded", "Host": self.report_host})
