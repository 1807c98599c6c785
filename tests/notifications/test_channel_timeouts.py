"""A provider that accepts the connection and never answers: the send gives up within its time
limit (SMTP_TIMEOUT, WHATSAPP_TIMEOUT), and the message waits for its retry instead of being lost."""

from __future__ import annotations

import time

import pytest
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.notifications.models import OutboxMessage
from sipentol.notifications.services import outbox_deliver, outbox_emit
from tests.silent_server import SilentServer

LIMIT = 2
BOUND = LIMIT * 3 + 5  # a few waits of LIMIT each (connect, greeting), plus slack for a busy machine


def _emit(**recipient) -> OutboxMessage:
    with transaction.atomic():
        [message] = outbox_emit(
            event="application.submitted",
            template="application_submitted",
            context={
                "name": "Siti Aminah",
                "service_name": "Surat Keterangan Domisili",
                "tracking_code": "JTS-2611-7K3Q",
            },
            dedupe_key=f"timeout-{time.monotonic_ns()}",
            **recipient,
        )
    return message


def _deliver_timed(message: OutboxMessage) -> tuple[str, float]:
    started = time.monotonic()
    outcome = outbox_deliver(message_id=message.pk)
    return outcome, time.monotonic() - started


@pytest.mark.parametrize("channel", ["email", "whatsapp"])
def test_it_gives_up_on_a_provider_that_never_answers_and_sends_on_the_retry(
    jetis, settings, smtp_server, whatsapp_api, channel
):
    smtp_server.start()
    settings.NOTIFICATIONS_PHONE_CHANNELS = ["whatsapp"]
    real_smtp_port, real_whatsapp_url = settings.SMTP_PORT, settings.WHATSAPP_API_URL
    with tenant_context(jetis), SilentServer() as silent:
        settings.SMTP_TIMEOUT = settings.WHATSAPP_TIMEOUT = LIMIT
        settings.SMTP_PORT = silent.port
        settings.WHATSAPP_API_URL = f"http://127.0.0.1:{silent.port}/v21.0"
        message = _emit(email="warga@example.id") if channel == "email" else _emit(phone="081234567890")

        # when the provider accepts the connection and then says nothing
        outcome, elapsed = _deliver_timed(message)

        # then the attempt ends within the limit and the message waits for its retry
        message.refresh_from_db()
        assert silent.accepted >= 1
        assert outcome == "failed" and elapsed < BOUND, elapsed
        assert message.status == OutboxMessage.Status.FAILED and message.next_attempt_at > timezone.now()

        # and when the provider answers again and the retry is due, it is sent, once
        settings.SMTP_PORT, settings.WHATSAPP_API_URL = real_smtp_port, real_whatsapp_url
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        assert outbox_deliver(message_id=message.pk) == "sent"
        assert outbox_deliver(message_id=message.pk) == "done"
    delivered = smtp_server.to("warga@example.id") if channel == "email" else whatsapp_api.to("6281234567890")
    assert len(delivered) == 1
