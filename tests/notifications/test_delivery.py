"""End to end with committed rows, the real Celery worker, a real SMTP server and the WhatsApp stand-in.

Every message must arrive once: not lost while SMTP, WhatsApp or the broker is down, and not
repeated by the retries, the sweep or a second emit.
"""

from __future__ import annotations

import random
import time

import pytest
from django.db import transaction
from django.utils import timezone

from sipentol.notifications.models import OutboxMessage
from sipentol.notifications.selectors import outbox_due_ids
from sipentol.notifications.services import outbox_deliver, outbox_emit
from sipentol.notifications.tasks import sweep_outbox

from .conftest import WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_TOKEN, broker_down
from .servers import wait_until

pytestmark = pytest.mark.slow


class Rollback(Exception):
    pass


def _recipient() -> tuple[str, str, str]:
    """A fresh e-mail and phone per test, so that late deliveries of another test never count."""
    digits = f"{random.randrange(10**8):08d}"
    return f"warga{digits}@example.id", f"0812{digits}", f"62812{digits}"


def _emit(kecamatan, *, email=None, phone=None, name="submitted", template="application_submitted"):
    with transaction.atomic():
        return outbox_emit(
            event="application.submitted",
            template=template,
            context={
                "name": "Siti Aminah",
                "service_name": "Surat Keterangan Domisili",
                "tracking_code": "JTS-2611-7K3Q",
                "link": "https://jetis.localhost/lacak/JTS-2611-7K3Q/s3cr3t",
            },
            email=email,
            phone=phone,
            dedupe_key=f"{kecamatan.dedupe_prefix}:{name}",
        )


def _status(message: OutboxMessage) -> str:
    message.refresh_from_db()
    return message.status


def _time_passes(message: OutboxMessage) -> None:
    """The backoff delay is over (rather than sleeping a minute)."""
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())


def test_it_delivers_one_email_and_one_whatsapp_after_commit(
    committed_jetis, celery_worker_process, smtp_server, whatsapp_api
):
    smtp_server.start()
    address, phone, wa_number = _recipient()

    email, whatsapp = _emit(committed_jetis, email=address, phone=phone)

    wait_until(lambda: _status(email) == _status(whatsapp) == "sent", message="both channels sent")
    [mail] = smtp_server.to(address)
    assert mail["Subject"] == "Permohonan Surat Keterangan Domisili diterima: JTS-2611-7K3Q"
    assert mail["Message-ID"] == email.provider_message_id
    text = mail.get_content()
    assert "Permohonan Surat Keterangan Domisili Anda di Kecamatan Jetis sudah kami terima." in text
    assert "https://jetis.localhost/lacak/JTS-2611-7K3Q/s3cr3t" in text
    [request] = whatsapp_api.to(wa_number)
    assert request["path"] == f"/v21.0/{WHATSAPP_PHONE_NUMBER_ID}/messages"
    assert request["authorization"] == f"Bearer {WHATSAPP_TOKEN}"
    assert request["json"]["messaging_product"] == "whatsapp"
    # business-initiated, outside any 24-hour window: the approved template with its parameters
    assert request["json"]["type"] == "template"
    template = request["json"]["template"]
    assert (template["name"], template["language"]) == ("sipentol_permohonan_diterima", {"code": "id"})
    assert [p["text"] for p in template["components"][0]["parameters"]] == [
        "Siti Aminah",
        "Surat Keterangan Domisili",
        "Jetis",
        "JTS-2611-7K3Q",
        "https://jetis.localhost/lacak/JTS-2611-7K3Q/s3cr3t",
    ]
    assert whatsapp.provider_message_id.startswith("wamid.TEST")
    assert whatsapp.sent_at is not None and whatsapp.attempts == 1


def test_it_sends_nothing_when_the_transaction_rolls_back(
    committed_jetis, celery_worker_process, smtp_server, whatsapp_api
):
    smtp_server.start()
    address, phone, wa_number = _recipient()

    with pytest.raises(Rollback), transaction.atomic():
        outbox_emit(
            event="application.submitted",
            template="application_submitted",
            context={"tracking_code": "JTS-2611-AAAA", "link": "https://jetis.localhost/l/x"},
            email=address,
            phone=phone,
            dedupe_key=f"{committed_jetis.dedupe_prefix}:rolled-back",
        )
        raise Rollback
    # A later, committed message to the same person arriving proves the worker was listening.
    _emit(committed_jetis, email=address, phone=phone, name="sentinel", template="application_verified")

    wait_until(lambda: smtp_server.to(address) and whatsapp_api.to(wa_number), message="the sentinel message")
    time.sleep(0.5)
    assert [m["Subject"] for m in smtp_server.to(address)] == ["Permohonan JTS-2611-7K3Q sudah diverifikasi"]
    assert len(whatsapp_api.to(wa_number)) == 1
    assert not OutboxMessage.objects.filter(dedupe_key__endswith=":rolled-back").exists()


def test_it_sends_once_when_emitted_twice(committed_jetis, celery_worker_process, smtp_server, whatsapp_api):
    smtp_server.start()
    address, phone, wa_number = _recipient()

    first = _emit(committed_jetis, email=address, phone=phone)
    second = _emit(committed_jetis, email=address, phone=phone)
    wait_until(lambda: all(_status(m) == "sent" for m in first), message="both channels sent")
    sweep_outbox()
    time.sleep(1)

    assert [m.pk for m in first] == [m.pk for m in second]
    assert len(smtp_server.to(address)) == 1
    assert len(whatsapp_api.to(wa_number)) == 1


def test_it_waits_while_smtp_is_down_and_delivers_once_after_recovery(
    committed_jetis, celery_worker_process, smtp_server
):
    # given: the SMTP server is down
    address, _, _ = _recipient()
    [message] = _emit(committed_jetis, email=address)

    # when the worker tries: the message waits with the error and a backoff
    wait_until(lambda: _status(message) == "failed", message="a failed attempt")
    assert message.attempts == 1
    assert "SMTP 127.0.0.1" in message.last_error
    assert 50 < (message.next_attempt_at - timezone.now()).total_seconds() <= 60
    assert message.pk not in outbox_due_ids(now=timezone.now(), requeue_before=timezone.now())

    # then, once SMTP is back and the backoff is over, the sweep delivers it exactly once
    smtp_server.start()
    _time_passes(message)
    sweep_outbox()
    wait_until(lambda: _status(message) == "sent", message="delivery after recovery")
    sweep_outbox()
    assert outbox_deliver(message_id=message.pk) == "done"
    time.sleep(1)
    assert len(smtp_server.to(address)) == 1
    assert message.attempts == 2 and message.last_error == ""


def test_it_retries_whatsapp_after_a_server_error_and_delivers_once(
    committed_jetis, celery_worker_process, whatsapp_api
):
    _, phone, wa_number = _recipient()
    whatsapp_api.fail_next(1)

    [message] = _emit(committed_jetis, phone=phone)
    wait_until(lambda: _status(message) == "failed", message="the 500 answer recorded")
    assert "WhatsApp API HTTP 500" in message.last_error

    _time_passes(message)
    sweep_outbox()
    wait_until(lambda: _status(message) == "sent", message="delivery on the second attempt")
    sweep_outbox()
    time.sleep(1)

    assert [r["status"] for r in whatsapp_api.to(wa_number)] == [500, 200]
    assert message.attempts == 2
    assert message.provider_message_id.startswith("wamid.TEST")


def test_it_keeps_messages_while_the_broker_is_down_and_sends_them_once_after(
    committed_jetis, celery_worker_process, smtp_server, whatsapp_api
):
    smtp_server.start()
    address, phone, wa_number = _recipient()

    # given: the broker cannot be reached when the application is committed
    with broker_down():
        messages = _emit(committed_jetis, email=address, phone=phone)
    time.sleep(1)
    assert [(_status(m), m.attempts) for m in messages] == [("pending", 0), ("pending", 0)]
    assert smtp_server.to(address) == [] and whatsapp_api.to(wa_number) == []

    # when the broker is back, the beat's sweep finds them
    queued = sweep_outbox()
    assert queued.get(committed_jetis.schema_name, 0) >= 2
    wait_until(lambda: all(_status(m) == "sent" for m in messages), message="delivery after the broker is back")
    sweep_outbox()
    time.sleep(1)

    # then: each arrived once
    assert len(smtp_server.to(address)) == 1
    assert len(whatsapp_api.to(wa_number)) == 1


def test_it_sends_once_when_many_workers_deliver_the_same_message_at_once(
    committed_jetis, smtp_server, django_db_blocker
):
    import threading

    from django.db import connection
    from django_tenants.utils import tenant_context

    smtp_server.start()
    address, _, _ = _recipient()
    with broker_down():  # only the threads below deliver
        [message] = _emit(committed_jetis, email=address)
    start = threading.Barrier(6)
    outcomes: list[str] = []

    def worker() -> None:
        try:
            with django_db_blocker.unblock(), tenant_context(committed_jetis):
                start.wait(timeout=10)
                outcomes.append(outbox_deliver(message_id=message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes).count("sent") == 1
    assert set(outcomes) <= {"sent", "locked", "in_flight", "done"}
    assert len(smtp_server.to(address)) == 1
    assert _status(message) == "sent"
