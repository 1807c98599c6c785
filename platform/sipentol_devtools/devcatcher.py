"""`make run` only: a local SMTP catcher, and the WhatsApp Cloud API and Zenziva SMS stand-ins
(sipentol_devtools.standins), logging what they get.

Real servers on loopback (the platform's channels talk SMTP and HTTP to them as they would in
production), so a developer sees every e-mail, WhatsApp message, SMS and one-time code in the
terminal and in `.data/outbox/`; the stand-ins post their delivery reports back to the platform's
webhooks. Run: python -m sipentol_devtools.devcatcher --smtp-port N --http-port M --sms-port S
--web-port W --dir D, with the credentials of DEV_SECRETS in the environment.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import logging
import os
import time
import uuid
from pathlib import Path

from sipentol_devtools.standins import WhatsAppCloudStandIn, ZenzivaStandIn

log = logging.getLogger("sipentol_devtools.devcatcher")
# The credentials the stand-ins check and sign with: the same values the platform is given.
DEV_SECRETS = ("WHATSAPP_TOKEN", "WHATSAPP_APP_SECRET", "ZENZIVA_USERKEY", "ZENZIVA_PASSKEY", "SMS_REPORT_TOKEN")


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


def main() -> None:
    from aiosmtpd.controller import Controller

    parser = argparse.ArgumentParser()
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--sms-port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    # Where the platform listens: the stand-ins report sent / delivered / read to its webhooks.
    parser.add_argument("--web-port", type=int, default=0)
    args = parser.parse_args()
    secrets = {name: os.environ.get(name, "") for name in DEV_SECRETS}
    logging.basicConfig(level=logging.INFO, format="[outbox] %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every connection
    args.dir.mkdir(parents=True, exist_ok=True)
    controller = Controller(MailHandler(args.dir), hostname="127.0.0.1", port=args.smtp_port)
    controller.start()
    web = f"http://127.0.0.1:{args.web_port}" if args.web_port else ""
    whatsapp = WhatsAppCloudStandIn(
        args.http_port,
        token=secrets["WHATSAPP_TOKEN"],
        app_secret=secrets["WHATSAPP_APP_SECRET"],
        webhook_url=f"{web}/webhooks/whatsapp/" if web else "",
        folder=args.dir,
        id_prefix="wamid.dev",
    )
    sms = ZenzivaStandIn(
        args.sms_port,
        userkey=secrets["ZENZIVA_USERKEY"],
        passkey=secrets["ZENZIVA_PASSKEY"],
        report_url=f"{web}/webhooks/sms/{secrets['SMS_REPORT_TOKEN']}/" if web else "",
        folder=args.dir,
    )
    whatsapp.start()
    sms.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        whatsapp.stop()
        sms.stop()
        controller.stop()


if __name__ == "__main__":
    main()
