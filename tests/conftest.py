"""Suite-wide fixtures: a test database holding the real regency (18 kecamatan schemas).

Two kecamatan are live in tests: Jetis (the first tenant) and Mojosari, so that every
endpoint can be tried from another kecamatan. Data made in the session set-up is committed;
each test runs in a transaction that is rolled back, and the caches are made fresh per test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client

from sipentol_devtools import embedded

ROOT = Path(__file__).resolve().parent.parent
JETIS_HOST = "jetis.localhost"
MOJOSARI_HOST = "mojosari.localhost"


def make_live(kecamatan) -> None:
    """A kecamatan that went live in the past (as Jetis was provisioned): active, with the OpsEvent
    of that go-live. Its go-live checklist is not what the tests using it are about
    (tests/tenants/test_golive.py is)."""
    from tenants.models import Kecamatan, OpsEvent

    previous = kecamatan.status
    kecamatan.status = Kecamatan.Status.ACTIVE
    kecamatan.save(update_fields=["status", "updated_at"])  # the signal forgets its cached route
    OpsEvent.objects.create(
        kecamatan=kecamatan, actor="test-setup", action="status", from_status=previous, to_status=kecamatan.status
    )


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    from django.test.utils import setup_databases, teardown_databases

    from tenants.models import Kecamatan

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, keepdb=False)
        call_command("migrate_platform", verbosity=0)
        call_command("storage_init", verbosity=0)
        call_command("load_regency", verbosity=0)
        mojosari = Kecamatan.objects.get(slug="mojosari")
        make_live(mojosari)
        connection.set_schema_to_public()
    yield
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        teardown_databases(config, verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_caches_and_schema():
    """Rolled-back rows must not survive in Redis: each test sees its own cache version.

    Each test also starts in the platform's default language, as a Celery task would.
    """
    from django.utils import translation

    from tenants.routing import forget_local

    for alias in ("default", "routing"):
        caches[alias].version = (caches[alias].version or 1) + 1
    forget_local()
    translation.activate("id")
    yield
    connection.set_schema_to_public()


@pytest.fixture
def jetis(db):
    from tenants.models import Kecamatan

    return Kecamatan.objects.get(slug="jetis")


@pytest.fixture
def mojosari(db):
    from tenants.models import Kecamatan

    return Kecamatan.objects.get(slug="mojosari")


@pytest.fixture
def public_client(db) -> Client:
    return Client(HTTP_HOST="localhost")


@pytest.fixture
def jetis_client(jetis) -> Client:
    return Client(HTTP_HOST=JETIS_HOST)


@pytest.fixture
def mojosari_client(mojosari) -> Client:
    return Client(HTTP_HOST=MOJOSARI_HOST)


def start_celery_worker(*, log_name: str = "worker.log", extra_env: dict | None = None) -> subprocess.Popen:
    """A real Celery worker (separate process, solo pool) on the suite's broker, queue and test database."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(db),
        "DJANGO_SETTINGS_MODULE": "sipentol.settings.dev",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        **(extra_env or {}),
    }
    queue = settings.CELERY_TASK_DEFAULT_QUEUE if hasattr(settings, "CELERY_TASK_DEFAULT_QUEUE") else "celery"
    log = open(Path(os.environ["SIPENTOL_DATA_DIR"]) / log_name, "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sipentol",
            "worker",
            "-Q",
            queue,
            "--concurrency",
            "1",
            "--pool",
            "solo",
            "-l",
            "info",
            "--without-mingle",
            "--without-gossip",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()  # the child has its own copy of the file descriptor
    _wait_for_worker(proc)
    return proc


def stop_celery_worker(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup):
    """A real Celery worker (separate process) on the suite's broker and test database."""
    proc = start_celery_worker()
    yield proc
    stop_celery_worker(proc)


def _database_url(db: dict) -> str:
    name = db["NAME"]
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    if db["HOST"].startswith("/"):
        return f"postgresql://{user}{password}@/{name}?host={db['HOST']}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgresql://{user}{password}@{db['HOST']}{port}/{name}"


def _wait_for_worker(proc: subprocess.Popen, timeout: float = 60) -> None:
    import time

    from sipentol.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("Celery worker exited during start-up; see worker.log")
        if app.control.ping(timeout=0.5):
            return
    raise RuntimeError("Celery worker did not answer a ping")


class StoppableClamd:
    """A clamd of one test's own (the suite's stays up): stop it, start it again on its port."""

    def __init__(self, data_dir: Path):
        self._dir = data_dir
        self._started = embedded.Started()
        self.port = embedded.free_port()
        self.url = embedded.start_clamd(data_dir, self._started, port=self.port)

    def stop(self) -> None:
        self._started.stop()
        self._started = embedded.Started()

    def start(self) -> None:
        embedded.start_clamd(self._dir, self._started, port=self.port)


@pytest.fixture
def stoppable_clamd(tmp_path, settings):
    """Points CLAMD_URL at a clamd this test may stop and start again."""
    clamd = StoppableClamd(tmp_path / "clamd")
    settings.CLAMD_URL = clamd.url
    yield clamd
    clamd.stop()
