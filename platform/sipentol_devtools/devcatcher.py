"""`make run` only: a local SMTP catcher and a WhatsApp Cloud API stand-in that log what they get.

Real servers on loopback (the platform's channels talk SMTP and HTTP to them as they would in
production), so a developer sees every e-mail, WhatsApp text and one-time code in the terminal
and in `.data/outbox/`. Run: python -m sipentol_devtools.devcatcher --smtp-port N --http-port M --dir D
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import logging
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

log = logging.getLogger("sipentol_devtools.devcatcher")


class MailHandler:
    def __init__(self, folder: Path):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:6]}.eml"
        path.write_bytes(envelope.content)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body else ""
        log.info("E-MAIL to %s: %s\n%s", ", ".join(envelope.rcpt_tos), message["Subject"], text.strip()[:600])
        return "250 Message accepted for delivery"


def _whatsapp_handler(folder: Path):
    class WhatsAppApi(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook name
            length = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(length) or b"{}")
            with (folder / "whatsapp.jsonl").open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(payload, ensure_ascii=False) + "\n")
            log.info("WHATSAPP to %s:\n%s", payload.get("to"), payload.get("text", {}).get("body", "")[:600])
            reply = json.dumps({"messaging_product": "whatsapp", "messages": [{"id": f"wamid.dev{uuid.uuid4().hex}"}]})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(reply.encode())

        def log_message(self, *args):  # requests are logged above, once
            return

    return WhatsAppApi


def main() -> None:
    from aiosmtpd.controller import Controller

    parser = argparse.ArgumentParser()
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="[outbox] %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every connection
    args.dir.mkdir(parents=True, exist_ok=True)
    controller = Controller(MailHandler(args.dir), hostname="127.0.0.1", port=args.smtp_port)
    controller.start()
    server = ThreadingHTTPServer(("127.0.0.1", args.http_port), _whatsapp_handler(args.dir))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        controller.stop()


if __name__ == "__main__":
    main()
