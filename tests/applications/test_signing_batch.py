"""A batch signature is work, not a request: one idempotent Celery task per letter after one
TOTP check, on a real broker and a real worker that is killed in the middle of the batch."""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role, StaffProfile
from sipentol.applications import services
from sipentol.applications.models import Application, Event, Status
from sipentol.applications.tasks import sweep_signing_batches
from sipentol.letters import pki
from sipentol.letters.models import Letter, LetterEvent, SigningBatchItem
from sipentol.notifications.models import OutboxMessage
from tenants.models import Kecamatan
from tests.conftest import start_celery_worker, stop_celery_worker
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.slow

BATCH = 20
# A kecamatan no other test uses: the rows here are committed so that the worker sees them.
SLUG = "trowulan"


def _wait(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def committed_letters(django_db_setup, django_db_blocker):
    """20 applications awaiting the Camat's signature, committed, in an onboarding kecamatan."""
    with django_db_blocker.unblock():
        kecamatan = Kecamatan.objects.get(slug=SLUG)
        with tenant_context(kecamatan):
            camat = get_user_model().objects.create_user("camat-batch", first_name="Camat", last_name="Trowulan")
            StaffProfile.objects.create(user=camat, role=Role.CAMAT, nip="197001012000031001")
            pki.dev_signer_issue(ca=pki.dev_ca_ensure(kecamatan.name), user=camat)
            letters = []
            for _ in range(BATCH):
                application = ApplicationFactory(status=Status.VERIFIED)
                services.application_letter_draft(application=application, actor=camat)
                letters.append(services.application_letter_submit(application=application, actor=camat))
        connection.set_schema_to_public()
    yield kecamatan, camat, letters


def _signed_count(kecamatan) -> int:
    """Batch items the worker has committed as signed (read from the test process)."""
    with tenant_context(kecamatan):
        count = SigningBatchItem.objects.filter(state=SigningBatchItem.State.SIGNED).count()
    connection.set_schema_to_public()
    return count


def test_it_signs_and_issues_each_letter_exactly_once_when_the_worker_is_killed_mid_batch(
    committed_letters, django_db_blocker
):
    kecamatan, camat, letters = committed_letters
    worker = start_celery_worker(log_name="worker-crash.log")
    try:
        # given a batch of 20 started after one second-factor check (tasks queued after commit)
        with django_db_blocker.unblock():
            with tenant_context(kecamatan):
                batch = services.application_signing_batch_start(
                    letters=letters, signer_user=camat, second_factor_ok=True
                )
            connection.set_schema_to_public()

            # when the worker is killed with SIGKILL while the batch is half done
            signed_at_kill = _wait(
                lambda: (n := _signed_count(kecamatan)) >= 3 and n, timeout=120, what="the first letters to be signed"
            )
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
            assert signed_at_kill < BATCH

            # and a new worker starts, and the beat sweep queues again what the dead one held
            worker = start_celery_worker(log_name="worker-crash.log")
            time.sleep(1.5)
            sweep_signing_batches.delay(older_than_seconds=1)
            _wait(lambda: _signed_count(kecamatan) == BATCH, timeout=180, what="every letter to be signed")

            # then every letter is signed once, every application issued once, every citizen told once
            with tenant_context(kecamatan):
                items = SigningBatchItem.objects.filter(batch=batch)
                assert items.count() == BATCH and set(items.values_list("state", flat=True)) == {"signed"}
                for letter in Letter.objects.filter(pk__in=[x.pk for x in letters]):
                    assert letter.status == Letter.Status.SIGNED
                    assert LetterEvent.objects.filter(letter=letter, action="signed").count() == 1
                    application = Application.objects.get(pk=letter.application_id)
                    assert application.status == Status.ISSUED
                    assert (
                        Event.objects.filter(application=application, kind="transition", to_status="issued").count()
                        == 1
                    )
                    issued_messages = OutboxMessage.objects.filter(dedupe_key=f"{application.pk}:issued:{letter.uuid}")
                    assert issued_messages.count() == issued_messages.values("channel").distinct().count() >= 1
                sequences = sorted(
                    Letter.objects.filter(pk__in=[x.pk for x in letters]).values_list("sequence", flat=True)
                )
                # no gap and no duplicate: the killed transaction gave its number back
                assert sequences == list(range(sequences[0], sequences[0] + BATCH))
            connection.set_schema_to_public()
    finally:
        stop_celery_worker(worker)


@pytest.fixture
def camat_with_certificate(jetis):
    with tenant_context(jetis):
        camat = get_user_model().objects.create_user("camat-sekali", first_name="Camat", last_name="Jetis")
        StaffProfile.objects.create(user=camat, role=Role.CAMAT, nip="197001012000031002")
        pki.dev_signer_issue(ca=pki.dev_ca_ensure(jetis.name), user=camat)
    connection.set_schema_to_public()
    return camat


def _awaiting_signature(camat):
    application = ApplicationFactory(status=Status.VERIFIED)
    services.application_letter_draft(application=application, actor=camat)
    return services.application_letter_submit(application=application, actor=camat)


def test_it_signs_and_issues_once_when_a_batch_task_is_delivered_twice(jetis, camat_with_certificate):
    from sipentol.applications.tasks import sign_batch_item

    camat = camat_with_certificate
    with tenant_context(jetis):
        letter = _awaiting_signature(camat)
        batch = services.application_signing_batch_start(letters=[letter], signer_user=camat, second_factor_ok=True)
        item = batch.items.get()

        # a redelivered (or duplicated) task runs the same item again
        results = [sign_batch_item.apply(args=[item.pk]).get() for _ in range(2)]

        assert results == ["signed", "signed"]
        assert LetterEvent.objects.filter(letter=letter, action="signed").count() == 1
        application = Application.objects.get(pk=letter.application_id)
        assert application.status == Status.ISSUED
        assert Event.objects.filter(application=application, to_status=Status.ISSUED).count() == 1
        messages = OutboxMessage.objects.filter(dedupe_key=f"{application.pk}:issued:{letter.uuid}")
        assert messages.count() == messages.values("channel").distinct().count() >= 1
    connection.set_schema_to_public()


def test_it_issues_an_application_whose_letter_was_signed_without_it(jetis, camat_with_certificate):
    from sipentol.applications.tasks import reconcile_signed_letters
    from sipentol.letters.services import letter_sign

    camat = camat_with_certificate
    with tenant_context(jetis):
        # given a letter signed by the letters engine alone (as a crash between the two old steps left it)
        letter = letter_sign(letter=_awaiting_signature(camat), signer_user=camat, second_factor_ok=True)
        application = Application.objects.get(pk=letter.application_id)
        assert application.status == Status.AWAITING_SIGNATURE
    connection.set_schema_to_public()

    # when the beat's reconciliation runs, twice
    first, second = reconcile_signed_letters(), reconcile_signed_letters()

    # then the application is issued once, by the system, and the citizen told once
    assert first.get("jetis") == 1 and "jetis" not in second
    with tenant_context(jetis):
        application.refresh_from_db()
        assert application.status == Status.ISSUED and application.closed_at is not None
        issued = Event.objects.get(application=application, to_status=Status.ISSUED)
        assert issued.actor_label == "sistem" and issued.data["number"] == letter.number
        assert OutboxMessage.objects.filter(dedupe_key=f"{application.pk}:issued:{letter.uuid}").exists()
    connection.set_schema_to_public()
