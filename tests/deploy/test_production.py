"""Production settings as the image runs them: a subprocess with only the env vars the chart sets."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE_DOMAIN = "sipentol.mojokertokab.go.id"


def _production_env(**overrides: str | None) -> dict[str, str]:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "sipentol.settings.production",
        "SECRET_KEY": "k8s-secret-9c3f1e7a2b4d6f8091a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3",
        "DATABASE_URL": "postgresql://sipentol:db-password@postgres.db.svc.cluster.local:5432/sipentol",
        "REDIS_URL": "redis://:redis-password@redis-master.redis.svc.cluster.local:6379/0",
        "BASE_DOMAIN": BASE_DOMAIN,
        "S3_ENDPOINT": "minio.storage.svc.cluster.local:9000",
        "S3_ACCESS_KEY": "sipentol",
        "S3_SECRET_KEY": "minio-secret-key-value",
        "S3_BUCKET": "sipentol",
        "LOG_LEVEL": "INFO",
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_it_passes_the_django_deployment_checklist_with_production_settings():
    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "BASE_DOMAIN", "S3_SECRET_KEY"])
def test_it_refuses_to_start_without_a_required_variable_and_names_it(missing):
    result = _run([sys.executable, "manage.py", "check"], _production_env(**{missing: None}))

    assert result.returncode != 0
    assert f"Environment variable {missing} is required in production" in result.stderr


_PRINT_SETTINGS = (
    "import sys, django; django.setup(); from django.conf import settings; import json; "
    "print(json.dumps({'secret': settings.SECRET_KEY, 'debug': settings.DEBUG, "
    "'sentry': 'sentry_sdk' in sys.modules, 'hsts': settings.SECURE_HSTS_SECONDS, "
    "'cookie': settings.SESSION_COOKIE_SECURE, 'csrf_cookie': settings.CSRF_COOKIE_SECURE}))"
)


_PRINT_LOG_LEVEL = (
    "import logging, django; django.setup(); from django.conf import settings; "
    "print(settings.LOGGING['root']['level'], logging.getLevelName(logging.getLogger().level))"
)


@pytest.mark.parametrize("settings_module", ["sipentol.settings.production", "sipentol.settings.dev"])
def test_it_accepts_the_log_level_in_lower_case(settings_module):
    env = _production_env(LOG_LEVEL=" warning ", DJANGO_SETTINGS_MODULE=settings_module)

    result = _run([sys.executable, "-c", _PRINT_LOG_LEVEL], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["WARNING", "WARNING"]


@pytest.mark.parametrize("settings_module", ["sipentol.settings.production", "sipentol.settings.dev"])
def test_it_refuses_to_start_with_an_unknown_log_level_naming_the_variable_and_the_allowed_values(settings_module):
    env = _production_env(LOG_LEVEL="verbose", DJANGO_SETTINGS_MODULE=settings_module)

    result = _run([sys.executable, "manage.py", "check"], env)

    assert result.returncode != 0
    assert (
        "Environment variable LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (any case), got 'verbose'."
        in result.stderr
    )
    assert "Unknown level" not in result.stderr


def test_it_reads_a_secret_from_the_file_a_kubernetes_secret_mounts(tmp_path):
    secret_file = tmp_path / "secret-key"
    secret_file.write_text("from-a-mounted-file-3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d\n")

    result = _run(
        [sys.executable, "-c", _PRINT_SETTINGS], _production_env(SECRET_KEY=None, SECRET_KEY_FILE=str(secret_file))
    )

    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["secret"] == "from-a-mounted-file-3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d"
    assert settings["debug"] is False
    assert settings["hsts"] >= 31536000
    assert settings["cookie"] is settings["csrf_cookie"] is True


def test_it_loads_sentry_only_when_a_dsn_is_given():
    without = _run([sys.executable, "-c", _PRINT_SETTINGS], _production_env())
    with_dsn = _run(
        [sys.executable, "-c", _PRINT_SETTINGS], _production_env(SENTRY_DSN="https://public@sentry.invalid/1")
    )

    assert json.loads(without.stdout)["sentry"] is False
    assert json.loads(with_dsn.stdout)["sentry"] is True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _get(url: str, headers: dict[str, str]):
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.mark.slow
def test_it_serves_probes_and_metrics_from_gunicorn_with_json_logs(tmp_path):
    """The web container's command, config file and settings, against the suite's real servers.

    The probe only needs `SELECT 1`: the server's maintenance database `postgres` will do, so
    this test does not wait for the suite's tenant database.
    """
    port = _free_port()
    env = _production_env(
        DATABASE_URL=urlunparse(urlparse(os.environ["DATABASE_URL"])._replace(path="/postgres")),
        REDIS_URL=os.environ["REDIS_URL"],
        S3_ENDPOINT=os.environ["S3_ENDPOINT"],
        S3_ACCESS_KEY=os.environ["S3_ACCESS_KEY"],
        S3_SECRET_KEY=os.environ["S3_SECRET_KEY"],
        S3_BUCKET=os.environ.get("S3_BUCKET", "sipentol"),
        S3_SECURE="false",
        BASE_DOMAIN="localhost",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
        STATIC_ROOT=str(tmp_path / "static"),
        SIPENTOL_TEST_RUN_ID=os.environ.get("SIPENTOL_TEST_RUN_ID", "deploy"),
    )
    (tmp_path / "static").mkdir()
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "sipentol.wsgi:application", "--config", "deploy/gunicorn.conf.py"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)

        # when: the kubelet's readiness probe (pod IP, Host header set by the chart)
        statuses = [_get(f"{base}/healthz", {"Host": "localhost"}) for _ in range(4)]
        # and: a request through the ingress over HTTPS
        api = _get(f"{base}/i18n/setlang/", {"Host": "localhost", "X-Forwarded-Proto": "https"})
        # and: a plain-HTTP request through the ingress
        plain = _get(f"{base}/i18n/setlang/", {"Host": "localhost", "X-Forwarded-For": "203.0.113.5"})
        # and: Prometheus
        metrics = _get(f"{base}/metrics", {"Host": f"127.0.0.1:{port}"})
        hidden = _get(f"{base}/metrics", {"Host": "localhost", "X-Forwarded-For": "203.0.113.5"})
    except OSError as exc:
        raise AssertionError(f"{exc}\n{log_path.read_text()}") from exc
    finally:
        proc.terminate()
        proc.wait(timeout=20)

    for status, _headers, body in statuses:
        assert status == 200, body
        assert json.loads(body)["status"] == "ok"
    # (a page that needs no static files: the test has no collected manifest)
    status, headers, _body = api
    assert status == 302
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "upgrade-insecure-requests" in headers["Content-Security-Policy"]
    assert plain[0] == 301 and plain[1]["Location"].startswith("https://localhost/i18n/setlang/")
    assert metrics[0] == 200
    # Four probes spread over two gunicorn workers, added up in one scrape.
    assert 'sipentol_http_requests_total{method="GET",route="healthz",status="200"} 4.0' in metrics[2].decode()
    assert hidden[0] == 404

    lines = [line for line in log_path.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    requests = [r for r in records if r["logger"] == "sipentol.request"]
    assert {r["route"] for r in requests} >= {"healthz", "i18n/setlang/"}
    assert all(len(r["request_id"]) == 32 for r in requests)
    assert any(r["logger"].startswith("gunicorn") for r in records)
