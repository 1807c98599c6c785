"""`make run`'s outbox catcher: a real SMTP server and WhatsApp stand-in that keep what they get."""

import json
import smtplib
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


def test_it_keeps_e_mails_and_whatsapp_texts_for_the_developer(catcher):
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
            "type": "text",
            "text": {"body": "Kode verifikasi SIPENTOL Anda: *123456*"},
        }
    ).encode()
    request = urllib.request.Request(
        f"{env['WHATSAPP_API_URL']}/dev/messages",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        reply = json.loads(response.read())

    assert reply["messages"][0]["id"].startswith("wamid.")
    saved = list(folder.glob("*.eml"))
    assert len(saved) == 1 and b"123456" in saved[0].read_bytes()
    assert "123456" in (folder / "whatsapp.jsonl").read_text()
