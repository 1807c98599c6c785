"""Signing throughput (make bench only): 50 letters through the asynchronous signing batch.

End to end as the Camat sees it: from the TOTP check to the last of the 50 applications issued,
on a real broker and a real Celery worker (separate process, solo pool) with the kecamatan's
development certificate. Measured twice in the same run, on two distinct sets of 50 letters:
without a timestamp server, and with the local timestamp server (the letters tests' certomancer
TSA over HTTP, `SIGNING_TSA_URL` in the worker's environment). Each baseline, in the same run:
50 times the median of one letter rendered and signed in-process (`docengine`, Pkcs12Signer, as
the letters bench), with the same `settings.SIGNING_TSA_URL` as its batch; the timestamp request
alone is timed too. The ratio is what the
batch machinery (tasks, transactions, letter numbering, storage, issuing, notifications) adds to
the bare render + sign; the worker does one letter at a time.
"""

from __future__ import annotations

import statistics
import time
from types import SimpleNamespace

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


def _render_and_sign_p50s(settings, tsa_url: str, runs: int = 7) -> tuple[float, float]:
    """Medians of one render + sign in-process, without and with the timestamp.

    pades_sign timestamps iff settings.SIGNING_TSA_URL is set, as in the worker. The runs
    alternate between the two so that a change in the (shared) machine's load falls on both.
    """
    from sipentol.docengine.render import render_letter_pdf
    from sipentol.docengine.signing import Pkcs12Signer

    p12, password = _test_p12()
    # One adapter for both: its learned signature size is kept per TSA URL.
    adapter = Pkcs12Signer(fingerprint=p12, load=lambda: (p12, password), cache_scope=("bench-batch",))
    sign_args = {"passphrase": None, "reason": "Surat", "location": "Kecamatan Pacet"}
    times: dict[str, list[float]] = {"": [], tsa_url: []}
    for url in times:  # warm-up, and the signature size learned for each
        settings.SIGNING_TSA_URL = url
        adapter.sign(render_letter_pdf(**_letter_kwargs(0)), **sign_args)
    for i in range(runs):
        for url, taken in times.items():
            settings.SIGNING_TSA_URL = url
            started = time.perf_counter()
            adapter.sign(render_letter_pdf(**_letter_kwargs(i)), **sign_args)
            taken.append(time.perf_counter() - started)
    settings.SIGNING_TSA_URL = ""
    return statistics.median(times[""]), statistics.median(times[tsa_url])


def _timestamp_p50(tsa_url: str, runs: int = 15) -> float:
    """Median of one timestamp request alone, as pades_sign makes it (a new HTTPTimeStamper per letter)."""
    import asyncio
    import hashlib

    from pyhanko.sign.timestamps import HTTPTimeStamper

    times = []
    for i in range(runs + 1):
        stamper = HTTPTimeStamper(tsa_url, timeout=10)
        started = time.perf_counter()
        asyncio.run(stamper.async_timestamp(hashlib.sha256(str(i).encode()).digest(), "sha256"))
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])  # the first one warms the TSA up


def _letters_awaiting_signature(kecamatan, *, username: str, nip: str) -> SimpleNamespace:
    """A Camat of its own (certificate, TOTP device) and BATCH letters in its signing queue."""
    camat = get_user_model().objects.create_user(username, first_name="Camat", last_name="Pacet")
    StaffProfile.objects.create(user=camat, role=Role.CAMAT, nip=nip)
    pki.dev_signer_issue(ca=pki.dev_ca_ensure(kecamatan.name), user=camat)
    device = TOTPDevice.objects.create(user=camat, name="authenticator", confirmed=True)
    letters = []
    for _ in range(BATCH):
        application = ApplicationFactory(status=Status.VERIFIED)
        services.application_letter_draft(application=application, actor=camat)
        letters.append(services.application_letter_submit(application=application, actor=camat))
    return SimpleNamespace(camat=camat, device=device, letters=letters)


@pytest.fixture
def two_batches(django_db_setup, django_db_blocker):
    """Two distinct sets of 50 letters (without / with the TSA), committed in Pacet.

    Each set has its own Camat and TOTP device: django-otp accepts a code once per 30 s step, and
    the second batch may well start within the step of the first.
    """
    with django_db_blocker.unblock():
        kecamatan = Kecamatan.objects.get(slug=SLUG)
        with tenant_context(kecamatan):
            plain = _letters_awaiting_signature(kecamatan, username="camat-bench", nip="197001012000031009")
            stamped = _letters_awaiting_signature(kecamatan, username="camat-bench-tsa", nip="197001012000031010")
        connection.set_schema_to_public()
    yield kecamatan, plain, stamped


def _batch_elapsed(kecamatan, batch, django_db_blocker, *, tsa_url: str) -> float:
    """Seconds from the TOTP check to the last application issued, on a worker of its own."""
    worker = start_celery_worker(log_name="worker-bench.log", extra_env={"SIGNING_TSA_URL": tsa_url})
    try:
        with django_db_blocker.unblock():
            ids = [x.application_id for x in batch.letters]
            with tenant_context(kecamatan):
                started = time.perf_counter()
                verified = batch.device.verify_token(f"{totp(batch.device.bin_key):06d}")
                services.application_signing_batch_start(
                    letters=batch.letters, signer_user=batch.camat, second_factor_ok=verified
                )
                deadline = started + 900
                while Application.objects.filter(pk__in=ids, status=Status.ISSUED).count() < BATCH:
                    assert time.perf_counter() < deadline, "the batch did not finish in 15 minutes"
                    time.sleep(0.2)
                elapsed = time.perf_counter() - started
            connection.set_schema_to_public()
    finally:
        stop_celery_worker(worker)
    return elapsed


def _timestamped(kecamatan, letter, django_db_blocker) -> bool:
    """Whether the letter as the worker signed it carries a signature timestamp (what was measured)."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    from sipentol.letters.models import Letter
    from sipentol.lib import storage

    with django_db_blocker.unblock(), tenant_context(kecamatan):
        pdf = storage.get(Letter.objects.get(pk=letter.pk).signed_pdf_key)
    connection.set_schema_to_public()
    unsigned = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[-1].signer_info["unsigned_attrs"]
    return any(attr["type"].native == "signature_time_stamp_token" for attr in unsigned or [])


def test_signing_batch_of_fifty(two_batches, test_pki, django_db_blocker, settings):
    kecamatan, plain, stamped = two_batches
    per_letter, tsa_per_letter = _render_and_sign_p50s(settings, test_pki.tsa_url)
    baseline, tsa_baseline = per_letter * BATCH, tsa_per_letter * BATCH
    timestamp = _timestamp_p50(test_pki.tsa_url)

    # The worker reads SIGNING_TSA_URL from its environment (the in-process baseline from settings).
    elapsed = _batch_elapsed(kecamatan, plain, django_db_blocker, tsa_url="")
    tsa_elapsed = _batch_elapsed(kecamatan, stamped, django_db_blocker, tsa_url=test_pki.tsa_url)

    assert not _timestamped(kecamatan, plain.letters[-1], django_db_blocker)
    assert _timestamped(kecamatan, stamped.letters[-1], django_db_blocker)

    ratio = elapsed / baseline
    tsa_ratio = tsa_elapsed / tsa_baseline
    added_batch = (tsa_elapsed - elapsed) / BATCH
    added_inline = tsa_per_letter - per_letter
    body = "\n".join(
        [
            f"Run: {machine()}. One Celery worker (solo pool), the kecamatan's development certificate; "
            f"two distinct sets of {BATCH} letters, the first without a timestamp server, the second with "
            "the local one (certomancer's TSA over HTTP on 127.0.0.1, served from the test process).",
            "",
            "| timestamp server | measure | time | per letter |",
            "|---|---|---|---|",
            f"| none | batch of {BATCH}: TOTP check to the last application issued | {elapsed:.1f} s "
            f"| {elapsed / BATCH:.2f} s |",
            f"| none | baseline: {BATCH} x one render + sign in-process (median of 7) | {baseline:.1f} s "
            f"| {baseline / BATCH:.2f} s |",
            f"| local TSA | batch of {BATCH}: TOTP check to the last application issued | {tsa_elapsed:.1f} s "
            f"| {tsa_elapsed / BATCH:.2f} s |",
            f"| local TSA | baseline: {BATCH} x one render + sign in-process (median of 7) | {tsa_baseline:.1f} s "
            f"| {tsa_baseline / BATCH:.2f} s |",
            f"| local TSA | one timestamp request alone (median of 15) | | {timestamp:.3f} s |",
            "",
            f"Ratio batch / ({BATCH} x render + sign), no target set (what the batch machinery adds per letter): "
            f"**{ratio:.2f}** without a timestamp server, **{tsa_ratio:.2f}** with the local one.",
            "",
            f"The timestamp adds {added_batch:+.2f} s per letter in the batch (difference of the two batches) and "
            f"{added_inline:+.2f} s per letter in-process (difference of the medians, runs alternated); one "
            f"request to the local TSA alone takes {timestamp:.3f} s (a remote TSA's "
            "answer time, network included, takes its place).",
        ]
    )
    section_write(
        "signing-batch",
        "Signing throughput: a batch of 50 (`tests/bench/test_signing_batch_bench.py`)",
        body,
        figures={
            "elapsed_s": elapsed,
            "baseline_s": baseline,
            "ratio": ratio,
            "tsa_elapsed_s": tsa_elapsed,
            "tsa_baseline_s": tsa_baseline,
            "tsa_ratio": tsa_ratio,
            "tsa_added_per_letter_batch_s": added_batch,
            "tsa_added_per_letter_inline_s": added_inline,
            "tsa_request_s": timestamp,
        },
    )
    print("\n" + body)
