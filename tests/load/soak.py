"""`make soak`: the same mixed traffic (tests/load/locustfile.py) against `make run` and against
gunicorn with the production settings, one after the other, on one fresh database; p50/p95,
throughput and errors of each go into docs/performance.md ("Load: make run and gunicorn").

    PYTHONPATH=platform:. .venv/bin/python -m tests.load.soak --users 200 --run-time 10m

PostgreSQL: DATABASE_URL's server when set (a database `sipentol_soak` is made afresh there),
else an embedded one; Valkey and SeaweedFS are always started here. Everything runs in a
temporary folder and is stopped at the end. Never part of `make test`.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import logging
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from sipentol_devtools import embedded  # noqa: E402

PERFORMANCE = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- soak:begin -->", "<!-- soak:end -->"
STAFF_ACCOUNTS = 100
STAFF_PASSWORD = "kata-sandi-soak-2026"  # noqa: S105 - throwaway accounts in a throwaway database
APPLY_SERVICE = "domisili"
logger = logging.getLogger("soak")


def _fresh_database(url: str, name: str) -> str:
    import psycopg

    parsed = urlparse(url)
    with psycopg.connect(urlunparse(parsed._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}"))


def _drop_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(urlunparse(urlparse(url)._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_http(url: str, host: str, proc: subprocess.Popen, log: Path, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited during start-up; see {log}")
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"Host": host}), timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not answer {url}; see {log}") from None
            time.sleep(1)


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _prepare_fixture(env: dict[str, str], path: Path) -> None:
    """Staff accounts enrolled in TOTP (keys given to Locust) and the service Locust applies for."""
    script = f"""
import json, django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context
from sipentol.accounts.models import Role, StaffProfile
from services_catalog.configured.models import KecamatanService
from services_catalog.configured.selectors import service_list
from tenants.models import Kecamatan
from tests.applications.conftest import form_values

jetis = Kecamatan.objects.get(slug="jetis")
password = make_password({STAFF_PASSWORD!r})
staff = []
with tenant_context(jetis):
    for n in range({STAFF_ACCOUNTS}):
        user = get_user_model().objects.create(username=f"soak{{n}}", password=password, first_name=f"Soak {{n}}")
        StaffProfile.objects.create(user=user, role=Role.VERIFIER)
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        staff.append({{"username": user.username, "key": device.key}})
    service = KecamatanService.objects.prefetch_related("requirements").get(catalog_code={APPLY_SERVICE!r})
    fixture = {{
        "service_slugs": list(service_list().values_list("slug", flat=True)),
        "apply": {{
            "slug": service.slug,
            "form": form_values(service),
            "requirements": [
                {{"code": r.code, "pdf": r.accepted_types == ["application/pdf"]}}
                for r in service.requirements.all() if r.required
            ],
        }},
        "staff": staff,
        "staff_password": {STAFF_PASSWORD!r},
    }}
open({str(path)!r}, "w").write(json.dumps(fixture))
"""
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True)


def _locust(*, port: int, fixture: Path, csv_prefix: Path, args, scheme: str) -> dict:
    env = {**os.environ, "SOAK_FIXTURE": str(fixture), "SOAK_SCHEME": scheme, "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DJANGO_SETTINGS_MODULE")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "tests" / "load" / "locustfile.py"),
            "--headless",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.spawn_rate),
            "--run-time",
            args.run_time,
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(csv_prefix),
            "--only-summary",
            "--stop-timeout",
            "10",
        ],
        env=env,
        cwd=ROOT,
        check=False,  # locust exits 1 when any request failed: that is a result, not a crash
    )
    with open(f"{csv_prefix}_stats.csv") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    total = rows["Aggregated"]
    failures = []
    if Path(f"{csv_prefix}_failures.csv").exists():
        with open(f"{csv_prefix}_failures.csv") as f:
            failures = [f"{r['Occurrences']}x {r['Method']} {r['Name']}: {r['Error']}" for r in csv.DictReader(f)]
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": total["50%"],
        "p95": total["95%"],
        "failure_kinds": failures,
        "per_route": {
            name: (row["Request Count"], row["Failure Count"], row["50%"], row["95%"])
            for name, row in rows.items()
            if name != "Aggregated"
        },
    }


def _record(results: list[tuple[str, dict]], args) -> None:
    _, load5, _ = os.getloadavg()
    machine = f"{os.cpu_count()} cores, {platform.machine()}, 5-min load average {load5:.1f} at the end"
    today = datetime.date.today().isoformat()
    rows = [
        f"| {today} | {server} | {args.users} users, {args.run_time} | {r['requests']} | {r['failures']} "
        f"| {r['rps']:.1f} | {r['p50']} ms | {r['p95']} ms | {machine} |"
        for server, r in results
    ]
    text = PERFORMANCE.read_text()
    if BEGIN not in text:
        text += (
            "\n## Load: make run and gunicorn (`make soak`)\n\n"
            "| date | server | load | requests | errors | req/s | p50 | p95 | machine |\n"
            "|---|---|---|---|---|---|---|---|---|\n"
            f"{BEGIN}\n{END}\n"
        )
    text = text.replace(END, "\n".join(rows) + "\n" + END)
    PERFORMANCE.write_text(text)


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", default="10m")
    parser.add_argument("--servers", default="make-run,gunicorn")
    parser.add_argument("--no-record", action="store_true", help="print the figures, leave docs/ alone")
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, _interrupt)
    data = Path(tempfile.mkdtemp(prefix="sipentol-soak-"))
    # Always our own Valkey (no other run's worker takes our tasks, no cache shared) and SeaweedFS.
    for name in ("REDIS_URL", "S3_ENDPOINT"):
        os.environ.pop(name, None)
    base_env = dict(os.environ)
    if os.environ.get("DATABASE_URL"):
        base_env["DATABASE_URL"] = _fresh_database(os.environ["DATABASE_URL"], "sipentol_soak")
    started = embedded.start_missing(data / "servers", persist=False)
    base_env.update(started.env)
    results: list[tuple[str, dict]] = []
    try:
        port = embedded.free_port()
        run_env = {**base_env, "PORT": str(port), "SIPENTOL_DATA_DIR": str(data / "run")}
        run_env.pop("DJANGO_SETTINGS_MODULE", None)
        log = data / "make-run.log"
        with open(log, "wb") as out:
            platform_proc = subprocess.Popen(
                [sys.executable, "-m", "sipentol_devtools.runplatform"],
                env={**run_env, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"},
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            logger.info("make run: setting up (log %s) ...", log)
            _wait_http(f"http://127.0.0.1:{port}/healthz", "localhost", platform_proc, log)
            fixture = data / "fixture.json"
            dev_env = {
                **run_env,
                "DJANGO_SETTINGS_MODULE": "sipentol.settings.dev",
                "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
            }
            _prepare_fixture(dev_env, fixture)
            if "make-run" in args.servers:
                logger.info("make run: %s users for %s ...", args.users, args.run_time)
                results.append(
                    (
                        "`make run` (gunicorn gthread 2x4, dev settings, worker + beat running)",
                        _locust(port=port, fixture=fixture, csv_prefix=data / "make-run", args=args, scheme="http"),
                    )
                )
        finally:
            _stop(platform_proc)

        if "gunicorn" in args.servers:
            port = embedded.free_port()
            prod_env = {
                **base_env,
                "DJANGO_SETTINGS_MODULE": "sipentol.settings.production",
                "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
                "SECRET_KEY": "soak-" + "x" * 60,
                "BASE_DOMAIN": "localhost",
                "S3_SECURE": "false",
                "STATIC_ROOT": str(data / "static"),
                "PROMETHEUS_MULTIPROC_DIR": str(data / "prometheus"),
                "GUNICORN_BIND": f"127.0.0.1:{port}",
            }
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                env=prod_env,
                cwd=ROOT,
                check=True,
            )
            log = data / "gunicorn.log"
            with open(log, "wb") as out:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "sipentol.wsgi:application", "-c", "deploy/gunicorn.conf.py"],
                    env=prod_env,
                    cwd=ROOT,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            try:
                _wait_http(f"http://127.0.0.1:{port}/healthz", "localhost", proc, log, timeout=60)
                workers = prod_env.get("GUNICORN_WORKERS", "3")
                logger.info("gunicorn (production settings): %s users for %s ...", args.users, args.run_time)
                results.append(
                    (
                        f"gunicorn, production settings ({workers} sync workers, no Celery worker)",
                        _locust(port=port, fixture=fixture, csv_prefix=data / "gunicorn", args=args, scheme="https"),
                    )
                )
            finally:
                _stop(proc)
    finally:
        started.stop()
        if os.environ.get("DATABASE_URL"):
            _drop_database(os.environ["DATABASE_URL"], "sipentol_soak")
    for server, result in results:
        logger.info("%s: %s", server, json.dumps({k: v for k, v in result.items() if k != "per_route"}))
        for name, figures in result["per_route"].items():
            logger.info("  %s: requests %s, failures %s, p50 %s ms, p95 %s ms", name, *figures[:4])
    if results and not args.no_record:
        _record(results, args)
    shutil.rmtree(data, ignore_errors=True)
    return 0 if results and all(r["failures"] == 0 for _, r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
