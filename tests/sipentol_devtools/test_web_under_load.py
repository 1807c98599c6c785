"""`make run`'s web server holds concurrent clients with a bounded number of PostgreSQL connections.

Defect 9: runserver opened a thread, and so a connection kept for CONN_MAX_AGE, per client; 20
concurrent clients exhausted PostgreSQL's 100 connections. The server is started here exactly as
`sipentol_devtools.runplatform` starts it (same command, same env), on the suite's test database.
No timing is asserted: only that every request succeeds and connections stay bounded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests

from sipentol_devtools import runplatform
from sipentol_devtools.embedded import free_port
from tests.conftest import ROOT, _database_url

CLIENTS = 50
REQUESTS_PER_CLIENT = 4


def _start_web(extra_argv: list[str] = ()) -> tuple[subprocess.Popen, int, Path]:
    from django.conf import settings

    port = free_port()
    log = Path(os.environ["SIPENTOL_DATA_DIR"]) / f"make-run-web-{port}.log"
    env = runplatform.web_env({**os.environ, "DATABASE_URL": _database_url(settings.DATABASES["default"])}, port)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*runplatform.web_command(sys.executable, port, host="127.0.0.1"), *extra_argv],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                break
        except OSError:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    return proc, port, log


def _stop_web(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def make_run_web(django_db_setup):
    proc, port, log = _start_web()
    yield port, log
    _stop_web(proc)


def _connections(conninfo: str, database: str) -> int:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
        ).fetchone()
    return row[0]


def test_it_serves_50_concurrent_clients_without_errors_on_bounded_connections(make_run_web):
    from django.conf import settings

    port, log = make_run_web
    database = settings.DATABASES["default"]["NAME"]
    conninfo = _database_url({**settings.DATABASES["default"], "NAME": "postgres"})
    with psycopg.connect(conninfo, autocommit=True) as conn:
        max_connections = int(conn.execute("SHOW max_connections").fetchone()[0])

    # given: a sampler of the test database's connections while the load runs
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _connections(conninfo, database))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()

    # when: 50 clients start together, each asking for Jetis's pages several times
    start = threading.Barrier(CLIENTS)
    paths = ["/", "/layanan/", "/tanya-jawab/", "/static/sipentol/site.css"]

    def client(_n: int) -> list[int]:
        session = requests.Session()
        start.wait()
        statuses = []
        for i in range(REQUESTS_PER_CLIENT):
            response = session.get(
                f"http://127.0.0.1:{port}{paths[i % len(paths)]}", headers={"Host": "jetis.localhost"}, timeout=120
            )
            statuses.append(response.status_code)
        return statuses

    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            statuses = [s for result in pool.map(client, range(CLIENTS)) for s in result]
    finally:
        done.set()
        sampler.join()

    # then: every request answered 200 (pages and a static file)
    assert len(statuses) == CLIENTS * REQUESTS_PER_CLIENT
    errors = [s for s in statuses if s != 200]
    assert not errors, f"{len(errors)} errors: {sorted(set(errors))}\n{log.read_text()[-3000:]}"
    # and: connections stayed within the web server's threads (+ this test's own Django
    # connection), far below what PostgreSQL allows
    threads = runplatform.WEB_WORKERS * runplatform.WEB_THREADS
    assert 1 <= peak <= threads + 1, peak
    assert peak < max_connections // 4, (peak, max_connections)


def test_it_restarts_the_web_workers_when_a_watched_file_changes(django_db_setup, tmp_path):
    # given: make run's web server, watching one more file besides the code and every template
    watched = tmp_path / "watched.html"
    watched.write_text("v1")
    argv = runplatform.web_command(sys.executable, 8000)
    assert "--reload" in argv
    assert str(ROOT / "platform/sipentol/portal/templates/portal/service_list.html") in argv
    proc, port, log = _start_web(["--reload-extra-file", str(watched)])
    try:
        deadline = time.monotonic() + 30
        while (booted := log.read_text().count("Booting worker")) < runplatform.WEB_WORKERS:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)

        # when: the file changes (a developer saves a template)
        time.sleep(1.1)  # a later mtime than the one the reloader first saw
        watched.write_text("v2")

        # then: the workers are booted again, and the site answers from them
        deadline = time.monotonic() + 30
        while log.read_text().count("Booting worker") <= booted:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        response = requests.get(f"http://127.0.0.1:{port}/layanan/", headers={"Host": "jetis.localhost"}, timeout=60)
        assert response.status_code == 200
        assert "modified" in log.read_text()
    finally:
        _stop_web(proc)
