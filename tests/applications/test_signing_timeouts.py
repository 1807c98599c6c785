"""A signing service that accepts the connection and never answers (the TSA, BSrE): the call gives
up within its limit (SIGNING_TSA_TIMEOUT_SECONDS, BSRE_TIMEOUT_SECONDS); nothing is signed half,
and the letter is signed when the batch task runs again."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role, StaffProfile
from sipentol.applications import services
from sipentol.applications.models import Application, Status
from sipentol.docengine.signing import BsreRemoteSigner, SigningError
from sipentol.letters import pki
from sipentol.letters.models import Letter, SigningBatchItem
from tests.factories import ApplicationFactory
from tests.silent_server import SilentServer

LIMIT = 2
BOUND = LIMIT * 2 + 8  # connect and read waits, plus slack for a busy machine


@pytest.fixture
def camat(jetis):
    with tenant_context(jetis):
        user = get_user_model().objects.create_user("camat-tsa", first_name="Camat", last_name="Jetis")
        StaffProfile.objects.create(user=user, role=Role.CAMAT, nip="197001012000031003")
        pki.dev_signer_issue(ca=pki.dev_ca_ensure(jetis.name), user=user)
    connection.set_schema_to_public()
    return user


def test_it_gives_up_on_a_silent_tsa_and_signs_when_the_batch_task_runs_again(jetis, camat, settings):
    with tenant_context(jetis), SilentServer() as silent:
        application = ApplicationFactory(status=Status.VERIFIED)
        services.application_letter_draft(application=application, actor=camat)
        letter = services.application_letter_submit(application=application, actor=camat)
        batch = services.application_signing_batch_start(letters=[letter], signer_user=camat, second_factor_ok=True)
        item = batch.items.get()
        settings.SIGNING_TSA_URL = f"http://127.0.0.1:{silent.port}/tsa"
        settings.SIGNING_TSA_TIMEOUT_SECONDS = LIMIT

        # when the TSA accepts the connection and never answers
        started = time.monotonic()
        with pytest.raises(Exception):  # noqa: B017 - pyHanko's error for an unreachable TSA; the task is retried
            services.application_sign_batch_item(item_id=item.pk)
        elapsed = time.monotonic() - started

        # then the task gives up within the limit and nothing is signed or lost: the item waits
        assert silent.accepted >= 1 and elapsed < BOUND, elapsed
        item.refresh_from_db()
        letter.refresh_from_db()
        assert item.state == SigningBatchItem.State.PENDING and letter.status == Letter.Status.AWAITING_SIGNATURE

        # and when the task runs again (the sweep queues it) with the TSA answering, it is signed
        settings.SIGNING_TSA_URL = ""
        assert services.application_sign_batch_item(item_id=item.pk) == "signed"
        assert Application.objects.get(pk=application.pk).status == Status.ISSUED
    connection.set_schema_to_public()


def test_it_gives_up_on_a_silent_bsre_and_tells_the_signer_to_try_again(settings):
    with SilentServer() as silent:
        settings.BSRE_URL = f"http://127.0.0.1:{silent.port}"
        settings.BSRE_USERNAME, settings.BSRE_PASSWORD = "sipentol-mojokerto", "akun-aplikasi-bsre"
        settings.BSRE_TIMEOUT_SECONDS = LIMIT
        started = time.monotonic()
        with pytest.raises(SigningError) as refused:
            BsreRemoteSigner(nik="3516161203850001").sign(b"%PDF-1.7", passphrase="rahasia", reason="", location="")
        elapsed = time.monotonic() - started

    assert silent.accepted >= 1 and elapsed < BOUND, elapsed
    assert str(refused.value) == "Layanan BSrE tidak dapat dihubungi. Coba lagi beberapa saat lagi."
