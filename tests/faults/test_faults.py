"""Nothing is lost under faults: citizens keep submitting with files and the Camat keeps signing
while object storage is stopped and frozen, Redis is stopped, the Celery worker is killed with
-9 in the middle of its work, and PostgreSQL restarts.

Every request gets a success or a clean 503 in the citizen's language; afterwards every success
is one application whose files are stored with the SHA-256 the citizen's bytes have, no message
or letter went out twice, and the backlog is gone within the drain time after the fault.

`make test` runs the short profile (seconds of fault, 3 kills); `make soak` runs
FAULTS_PROFILE=long (60 s outages, 20 kills) on the platform's default time limits.
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable

import pytest

from .harness import CitizenStream, Stack, Submission, profile

pytestmark = pytest.mark.slow
log = logging.getLogger("tests.faults")
PROFILE = profile()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("faults"), PROFILE)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


class Sweeper:
    """Plays beat: the sweeps run every `every` seconds, and fail like beat's do during an outage."""

    def __init__(self, stack: Stack, every: float):
        self.stack, self.every = stack, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.stack.sweep()
            except Exception as exc:  # noqa: BLE001 - beat's run fails and the next one tries again
                log.info("sweep failed during the fault: %s", str(exc)[-200:])

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=120)


def _drained(report: dict) -> bool:
    outbox, items = report["outbox"], report["batch_items"]
    waiting = sum(outbox.get(s, 0) for s in ("pending", "sending", "failed")) + items.get("pending", 0)
    return waiting == 0 and report["awaiting_signature"] == 0


def _run(stack: Stack, fault: Callable[[], None]) -> tuple[list[Submission], dict, float]:
    """Citizens and the Camat at work; the fault; then wait for the backlog to drain.

    Returns the submissions, the final report and how long after the fault the backlog was gone.
    """
    stream = CitizenStream(stack, citizens=PROFILE.citizens)
    stray_before = set(stack.ctl("report")["orphans"])
    with Sweeper(stack, PROFILE.sweep_every):
        stream.start()
        stack.start_issuer()
        time.sleep(3)
        fault()
        fault_ended = time.monotonic()
        time.sleep(3)
        stack.stop_issuer()
        stream.stop(finish_within=PROFILE.drain_seconds)
        while True:
            report = stack.ctl("report")
            if _drained(report) or time.monotonic() - fault_ended > PROFILE.drain_seconds:
                break
            time.sleep(2)
    report["new_orphans"] = sorted(set(report["orphans"]) - stray_before)
    return stream.submissions, report, time.monotonic() - fault_ended


def _check(stack: Stack, submissions: list[Submission], report: dict, drained_after: float, *, storage_fault: bool):
    # every request: a success or our clean 503 in the citizen's language
    answers = [a for s in submissions for a in s.answers]
    by_language = {s.key: s.language for s in submissions}
    unclean = [
        (a.method, a.status, a.text[:300])
        for a in answers
        if not (
            (a.status == 302 and a.method == "POST")
            or (a.status == 503 and a.retry_after == "60" and a.language == by_language[a.key])
        )
    ]
    assert unclean == []
    if storage_fault:  # the form page itself comes back, filled in (files must be chosen again)
        refused_forms = [a for a in answers if a.status == 503 and a.method == "POST"]
        assert all(a.kept_typed for a in refused_forms)

    # every form got through in the end, once, with its files as the citizen sent them
    assert [s.key for s in submissions if not s.succeeded] == []
    citizens = report["citizens"]
    assert {s.key for s in submissions} <= set(citizens)
    for submission in submissions:
        stored = citizens[submission.key]
        sent = sorted(hashlib.sha256(body).hexdigest() for _name, body, _type in submission.files.values())
        assert stored["status"] == "submitted"
        assert sorted(d["sha256"] for d in stored["documents"]) == sent
        assert all(d["stored_sha256"] == d["sha256"] for d in stored["documents"])
    assert report["missing_objects"] == []
    if not storage_fault:
        # a refused write gives its files back; only storage that stops mid-request can keep a
        # file nobody refers to (it cannot be asked to delete it then)
        assert report["new_orphans"] == []
    assert report["signed_letters_not_matching_storage"] == 0

    # nothing twice: letters, issuances, messages
    assert report["duplicate_letter_numbers"] == 0
    assert report["applications_issued_twice"] == 0
    assert report["applications_with_two_signed_letters"] == 0
    assert [key for key, n in stack.deliveries().items() if n > 1] == []

    # the backlog is gone
    assert _drained(report), (report["outbox"], report["batch_items"], report["awaiting_signature"])
    assert report["outbox"].get("dead", 0) == 0
    assert drained_after <= PROFILE.drain_seconds
    log.info(
        "%s: %d submissions, %d answers (%d refused with 503), %d letters signed, drained %.0f s after the fault, "
        "%d stray objects",
        PROFILE.name,
        len(submissions),
        len(answers),
        sum(a.status == 503 for a in answers),
        report["signed_letters"],
        drained_after,
        len(report["new_orphans"]),
    )


def test_it_loses_nothing_while_object_storage_is_stopped(stack):
    def fault():
        stack.stop_storage()
        time.sleep(PROFILE.outage_seconds)
        stack.start_storage()

    _check(stack, *_run(stack, fault), storage_fault=True)


def test_it_loses_nothing_while_object_storage_is_frozen(stack):
    def fault():
        stack.freeze_storage()
        time.sleep(PROFILE.outage_seconds)
        stack.thaw_storage()

    _check(stack, *_run(stack, fault), storage_fault=True)


def test_it_loses_nothing_while_redis_is_stopped(stack):
    def fault():
        stack.stop_redis()
        time.sleep(PROFILE.outage_seconds)
        stack.start_redis()

    _check(stack, *_run(stack, fault), storage_fault=False)


def test_it_loses_nothing_when_the_worker_is_killed_mid_task(stack):
    killed_busy = []

    def fault():
        for _ in range(PROFILE.worker_kills):
            deadline = time.monotonic() + 60
            while not stack.worker_busy() and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(random.uniform(0, 0.2))
            killed_busy.append(stack.worker_busy())
            stack.kill_worker()
            stack.start_worker()

    _check(stack, *_run(stack, fault), storage_fault=False)
    assert len(killed_busy) == PROFILE.worker_kills and any(killed_busy)


def test_it_loses_nothing_when_postgresql_restarts(stack):
    _check(stack, *_run(stack, lambda: stack.restart_postgres(PROFILE.postgres_down_seconds)), storage_fault=False)
