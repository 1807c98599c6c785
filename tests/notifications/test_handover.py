"""Never twice: the hand-over mark, and what a crash on either side of it does.

A message is `sending` (committed) while a worker delivers it. The worker commits
`handed_over_at` at the last moment before the provider can accept it (for e-mail: before the
final "." of SMTP DATA). A worker that dies before the mark is replaced after the lease and the
message is sent; one that dies after it leaves the message `uncertain`, listed for an operator,
never sent again by itself.
"""

from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.notifications import channels
from sipentol.notifications.models import OutboxMessage
from sipentol.notifications.selectors import outbox_due_ids, outbox_undelivered
from sipentol.notifications.services import outbox_deliver, outbox_emit, outbox_retry

ADDRESS = "siti.aminah@example.id"


def _emit(key: str = "application:1:submitted") -> OutboxMessage:
    [message] = outbox_emit(
        event="application.submitted",
        template="application_submitted",
        context={"name": "Siti Aminah", "service_name": "Surat Keterangan Domisili", "tracking_code": "JTS-2611-7K3Q"},
        email=ADDRESS,
        dedupe_key=key,
    )
    return message


def test_the_smtp_server_has_nothing_until_the_hand_over_is_marked_and_the_message_once_after(
    jetis, smtp_server, monkeypatch
):
    smtp_server.start()
    seen_at_handover = {}
    real_send = channels.EmailChannel.send

    def send_watching_the_handover(self, message, *, on_handover):
        def handover():
            on_handover()
            time.sleep(0.3)  # time enough for the server to take a finished message
            seen_at_handover["received"] = len(smtp_server.to(ADDRESS))
            seen_at_handover["marked"] = OutboxMessage.objects.get(pk=message.pk).handed_over_at is not None

        return real_send(self, message, on_handover=handover)

    monkeypatch.setattr(channels.EmailChannel, "send", send_watching_the_handover)
    with tenant_context(jetis):
        message = _emit()
        outcome = outbox_deliver(message_id=message.pk)
        message.refresh_from_db()

    assert seen_at_handover == {"received": 0, "marked": True}
    assert outcome == "sent"
    assert message.status == OutboxMessage.Status.SENT and message.handed_over_at is not None
    [mail] = smtp_server.to(ADDRESS)
    assert mail["Message-ID"] == message.provider_message_id


def test_a_message_whose_worker_died_after_the_hand_over_is_not_sent_again_and_waits_for_an_operator(
    jetis, settings, smtp_server
):
    smtp_server.start()
    with tenant_context(jetis):
        message = _emit()
        crashed = timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_SENDING_LEASE_SECONDS + 1)
        OutboxMessage.objects.filter(pk=message.pk).update(
            status="sending", attempts=1, claimed_at=crashed, handed_over_at=crashed
        )

        # the sweep hands the stuck row to a worker, which does not send it
        assert message.pk in outbox_due_ids(now=timezone.now(), requeue_before=timezone.now())
        assert outbox_deliver(message_id=message.pk) == "uncertain"
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.UNCERTAIN
        assert "mungkin sudah sampai" in message.last_error
        assert outbox_deliver(message_id=message.pk) == "done"
        assert message.pk not in outbox_due_ids(now=timezone.now(), requeue_before=timezone.now())
        assert list(outbox_undelivered().values_list("pk", flat=True)) == [message.pk]
        assert smtp_server.to(ADDRESS) == []

        # the operator checked with the citizen and sends it again: it goes, once
        message = outbox_retry(message=message)
        assert message.status == OutboxMessage.Status.PENDING
        assert outbox_deliver(message_id=message.pk) == "sent"
    assert len(smtp_server.to(ADDRESS)) == 1


def test_a_message_whose_worker_died_before_the_hand_over_is_sent_after_the_lease(jetis, settings, smtp_server):
    smtp_server.start()
    with tenant_context(jetis):
        message = _emit()
        crashed = timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_SENDING_LEASE_SECONDS + 1)
        OutboxMessage.objects.filter(pk=message.pk).update(status="sending", attempts=1, claimed_at=crashed)

        assert outbox_deliver(message_id=message.pk) == "sent"
        message.refresh_from_db()

    assert message.attempts == 2
    assert len(smtp_server.to(ADDRESS)) == 1


class _SmtpSilentAfterData:
    """An SMTP server that takes the whole message and then never answers the final "."
    (a server or network that dies at the worst moment)."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.finished_messages = 0
        self._held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        try:
            conn, _ = self._listener.accept()
        except OSError:
            return
        self._held.append(conn)
        reader = conn.makefile("rb")
        conn.sendall(b"220 test ESMTP\r\n")
        in_data = False
        for line in reader:
            if in_data:
                if line == b".\r\n":
                    self.finished_messages += 1
                    continue  # ...and say nothing
                continue
            command = line[:4].upper()
            if command in (b"EHLO", b"HELO"):
                conn.sendall(b"250 test\r\n")
            elif command == b"DATA":
                in_data = True
                conn.sendall(b"354 go ahead\r\n")
            else:
                conn.sendall(b"250 ok\r\n")

    def close(self) -> None:
        self._listener.close()
        for conn in self._held:
            conn.close()


def test_an_smtp_server_silent_after_the_message_makes_it_uncertain_not_retried(jetis, settings):
    server = _SmtpSilentAfterData()
    settings.SMTP_PORT = server.port
    settings.SMTP_TIMEOUT = 1
    try:
        with tenant_context(jetis):
            message = _emit()
            outcome = outbox_deliver(message_id=message.pk)
            message.refresh_from_db()
            later = timezone.now() + timedelta(days=1)
            due_later = outbox_due_ids(now=later, requeue_before=later)
    finally:
        server.close()

    assert server.finished_messages == 1
    assert outcome == "uncertain"
    assert message.status == OutboxMessage.Status.UNCERTAIN
    assert message.handed_over_at is not None
    assert message.pk not in due_later
