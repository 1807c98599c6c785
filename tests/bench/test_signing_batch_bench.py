"""Signing throughput (make bench only): 50 letters through the asynchronous signing batch.

End to end as the Camat sees it: from the TOTP check to the last of the 50 applications issued,
on a real broker and a real Celery worker (separate process, solo pool) with the kecamatan's
development certificate, no timestamp server. The baseline, in the same run: 50 times the median
of one letter rendered and signed in-process (`docengine`, Pkcs12Signer, as the letters bench).
The ratio is what the batch machinery (tasks, transactions, letter numbering, storage, issuing,
notifications) adds to the bare render + sign; the worker does one letter at a time.
"""

from __future__ import annotations

import statistics
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role, StaffProfile
from sipentol.applications import services
from sipentol.applications.models import Application, Status
from sipentol.letters import pki
from tenants.models import Kecamatan
from tests.bench.report import machine, section_write
from tests.bench.test_letters_bench import _letter_kwargs, _test_p12
from tests.conftest import start_celery_worker, stop_celery_worker
from tests.factories import ApplicationFactory

BATCH = 50
SLUG = "pacet"  # committed rows: a kecamatan no other bench uses


def _render_and_sign_p50(runs: int = 7) -> float:
    from sipentol.docengine.render import render_letter_pdf
    from sipentol.docengine.signing import Pkcs12Signer

    p12, password = _test_p12()
    adapter = Pkcs12Signer(fingerprint=p12, load=lambda: (p12, password), cache_scope=("bench-batch",))
    sign_args = {"passphrase": None, "reason": "Surat", "location": "Kecamatan Pacet"}
    adapter.sign(render_letter_pdf(**_letter_kwargs(0)), **sign_args)  # warm-up
    times = []
    for i in range(runs):
        started = time.perf_counter()
        adapter.sign(render_letter_pdf(**_letter_kwargs(i)), **sign_args)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@pytest.fixture
def fifty_letters(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        kecamatan = Kecamatan.objects.get(slug=SLUG)
        with tenant_context(kecamatan):
            camat = get_user_model().objects.create_user("camat-bench", first_name="Camat", last_name="Pacet")
            StaffProfile.objects.create(user=camat, role=Role.CAMAT, nip="197001012000031009")
            pki.dev_signer_issue(ca=pki.dev_ca_ensure(kecamatan.name), user=camat)
            device = TOTPDevice.objects.create(user=camat, name="authenticator", confirmed=True)
            letters = []
            for _ in range(BATCH):
                application = ApplicationFactory(status=Status.VERIFIED)
                services.application_letter_draft(application=application, actor=camat)
                letters.append(services.application_letter_submit(application=application, actor=camat))
        connection.set_schema_to_public()
    yield kecamatan, camat, device, letters


def test_signing_batch_of_fifty(fifty_letters, django_db_blocker, settings):
    settings.SIGNING_TSA_URL = ""
    kecamatan, camat, device, letters = fifty_letters
    baseline = _render_and_sign_p50() * BATCH
    worker = start_celery_worker(log_name="worker-bench.log", extra_env={"SIGNING_TSA_URL": ""})
    try:
        with django_db_blocker.unblock():
            ids = [x.application_id for x in letters]
            with tenant_context(kecamatan):
                started = time.perf_counter()
                verified = device.verify_token(f"{totp(device.bin_key):06d}")
                services.application_signing_batch_start(letters=letters, signer_user=camat, second_factor_ok=verified)
                deadline = started + 900
                while Application.objects.filter(pk__in=ids, status=Status.ISSUED).count() < BATCH:
                    assert time.perf_counter() < deadline, "the batch did not finish in 15 minutes"
                    time.sleep(0.2)
                elapsed = time.perf_counter() - started
            connection.set_schema_to_public()
    finally:
        stop_celery_worker(worker)
    ratio = elapsed / baseline
    body = "\n".join(
        [
            f"Run: {machine()}. One Celery worker (solo pool), the kecamatan's development certificate, "
            "no timestamp server.",
            "",
            "| measure | time | per letter |",
            "|---|---|---|",
            f"| batch of {BATCH}: TOTP check to the last application issued | {elapsed:.1f} s "
            f"| {elapsed / BATCH:.2f} s |",
            f"| baseline: {BATCH} x one render + sign in-process (median of 7) | {baseline:.1f} s "
            f"| {baseline / BATCH:.2f} s |",
            "",
            f"Ratio batch / ({BATCH} x render + sign): **{ratio:.2f}** (no target set; what the batch machinery "
            "adds per letter). With the local timestamp server: not measured yet.",
        ]
    )
    section_write(
        "signing-batch",
        "Signing throughput: a batch of 50 (`tests/bench/test_signing_batch_bench.py`)",
        body,
        figures={"elapsed_s": elapsed, "baseline_s": baseline, "ratio": ratio},
    )
    print("\n" + body)
