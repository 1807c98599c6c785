"""`make run`'s outbox catcher: a real SMTP server and the WhatsApp and SMS stand-ins, keeping what they get."""

import json
import smtplib
import urllib.parse
import urllib.request
from email.message import EmailMessage

import pytest

from sipentol_devtools import embedded


@pytest.fixture
def catcher(tmp_path):
    started = embedded.Started()
    env = embedded.start_outbox_catcher(tmp_path, started)
    yield env, tmp_path
    started.stop()


def test_it_keeps_e_mails_whatsapp_templates_and_sms_for_the_developer(catcher):
    env, folder = catcher
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "noreply@localhost", "warga@example.id", "Kode verifikasi"
    message.set_content("Kode verifikasi Anda: 123456")

    with smtplib.SMTP(env["SMTP_HOST"], int(env["SMTP_PORT"])) as smtp:
        smtp.send_message(message)
    body = json.dumps(
        {
            "messaging_product": "whatsapp",
            "to": "6281234567890",
            "type": "template",
            "template": {
                "name": "sipentol_kode_verifikasi",
                "language": {"code": "id"},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": "123456"}]},
                    {
                        "type": "button",
                        "sub_type": "url",
                        "index": "0",
                        "parameters": [{"type": "text", "text": "123456"}],
                    },
                ],
            },
        }
    ).encode()
    request = urllib.request.Request(
        f"{env['WHATSAPP_API_URL']}/dev/messages",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {env['WHATSAPP_TOKEN']}"},
    )
    with urllib.request.urlopen(request) as response:
        reply = json.loads(response.read())
    form = {"userkey": env["ZENZIVA_USERKEY"], "passkey": env["ZENZIVA_PASSKEY"], "to": "081234567890"}
    sms = urllib.request.Request(
        f"{env['ZENZIVA_API_URL']}/sendsms/",
        data=urllib.parse.urlencode({**form, "message": "Kode verifikasi SIPENTOL Anda: 654321"}).encode(),
        method="POST",
    )
    with urllib.request.urlopen(sms) as response:
        sms_reply = json.loads(response.read())

    assert reply["messages"][0]["id"].startswith("wamid.")
    assert sms_reply["status"] == "1" and sms_reply["messageId"]
    saved = list(folder.glob("*.eml"))
    assert len(saved) == 1 and b"123456" in saved[0].read_bytes()
    assert "123456" in (folder / "whatsapp.jsonl").read_text()
    assert "654321" in (folder / "sms.jsonl").read_text()
