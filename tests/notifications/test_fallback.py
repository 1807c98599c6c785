"""End to end with the real worker: a WhatsApp message Meta reports as failed reaches the citizen
by SMS exactly once, however often the report comes and whatever the sweep does after."""

from __future__ import annotations

import random
import time

import pytest
from django.db import connection, transaction
from django.test import Client

from sipentol.notifications.models import OutboxMessage
from sipentol.notifications.services import outbox_emit
from sipentol.notifications.tasks import sweep_outbox

from .servers import wait_until

pytestmark = pytest.mark.slow


def _status(message: OutboxMessage) -> OutboxMessage:
    message.refresh_from_db()
    return message


def test_it_falls_back_to_sms_exactly_once_when_whatsapp_delivery_fails(
    committed_jetis, celery_worker_process, whatsapp_api, sms_gateway
):
    # given: a citizen who gave only a phone number, and the one-time code sent by WhatsApp
    digits = f"{random.randrange(10**8):08d}"
    with transaction.atomic():
        [message] = outbox_emit(
            event="application.otp",
            template="otp_code",
            context={"code": "318274", "minutes": 10},
            phone=f"0812{digits}",
            dedupe_key=f"{committed_jetis.dedupe_prefix}:otp",
        )
    wait_until(lambda: _status(message).status == "sent", message="the WhatsApp template sent")
    [request] = whatsapp_api.accepted(f"62812{digits}")
    assert request["json"]["template"]["name"] == "sipentol_kode_verifikasi"

    # when Meta reports that it could not deliver it, three times (its retries)
    body, headers = whatsapp_api.status_webhook(message.provider_message_id, "failed")
    signed = {"X-Hub-Signature-256": headers["X-Hub-Signature-256"]}
    client = Client(HTTP_HOST="localhost")
    for _ in range(3):
        answer = client.post("/webhooks/whatsapp/", data=body, content_type="application/json", headers=signed)
        assert answer.status_code == 200
    connection.set_tenant(committed_jetis)

    # then the code goes by SMS, once, even after the sweep runs again
    sms = wait_until(
        lambda: OutboxMessage.objects.filter(fallback_of=message, status="sent").first(), message="the SMS sent"
    )
    sweep_outbox()
    time.sleep(1)
    assert _status(message).delivery == "failed"
    assert OutboxMessage.objects.filter(dedupe_key=message.dedupe_key).count() == 2
    [text] = sms_gateway.to(f"0812{digits}")
    assert "318274" in text["form"]["message"]
    assert sms.provider_message_id == text["answer"]["messageId"]
