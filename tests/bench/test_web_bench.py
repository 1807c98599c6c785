"""Citizen pages on the production server, and what tenant routing costs (make bench only).

gunicorn with the production settings and deploy/gunicorn.conf.py (sync workers) serves
`tests.bench.web_app`: the platform's own WSGI app and, in the same processes, the same views
without tenant routing plus a Django hello-world view. The server is pinned to core 0
(`taskset -c 0`), the load generator (wrk, one thread, keep-alive) to core 1; PostgreSQL and
Redis are not pinned. Rounds alternate every target (A/B/C... then C/B/A...), median of the rounds.
A run whose generator used more than 90% of its core is discarded (it measured the generator).

- Tenant routing: req/s of each page through the platform / the same page without routing, in
  each round (the two run one after the other), median of the rounds (target >= 0.95).
- Pages: the service list, a service page and the tracking page through the platform / the
  hello-world view (target >= 0.3), with p50 and p95 latency.
- SQL per request after warm-up (Django test client, in-process): the queries of a routed
  request minus those of the same request without routing (target: no query, at most one
  `SET search_path`).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from sipentol_devtools import embedded
from tests.bench.report import machine, section_write, verdict
from tests.conftest import JETIS_HOST, _database_url

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("WEB_BENCH_ROUNDS", "9"))
SECONDS = int(os.environ.get("WEB_BENCH_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("WEB_BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("WEB_BENCH_WORKERS", "2"))
SATURATED = 0.9
ROUTING_TARGET = 0.95
PAGE_TARGET = 0.3


def _pages() -> dict[str, str]:
    from django_tenants.utils import schema_context

    from services_catalog.configured.models import KecamatanService

    with schema_context("jetis"):
        slug = KecamatanService.objects.values_list("slug", flat=True).order_by("slug")[0]
    return {"service list": "/layanan/", "service page": f"/layanan/{slug}/", "tracking page": "/lacak/"}


def _wrk(port: int, path: str, *, host: str, fixed: bool) -> dict | None:
    headers = ["-H", f"Host: {host}", "-H", "X-Forwarded-Proto: https"]
    if fixed:
        headers += ["-H", "X-Bench-Tenancy: off"]
    args = [
        "taskset",
        "-c",
        "1",
        "wrk",
        "-t1",
        f"-c{CONNECTIONS}",
        f"-d{SECONDS}s",
        "--timeout",
        "30s",
        "-s",
        str(ROOT / "tests" / "bench" / "wrk_report.lua"),
        *headers,
        f"http://127.0.0.1:{port}{path}",
    ]
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    line = next((x for x in out.splitlines() if x.startswith("BENCH ")), None)
    assert line, out
    requests, micros, p50, p95, errors = (int(x) for x in line.split()[1:])
    assert errors == 0, f"{path}: {errors} errors\n{out}"
    cpu = (usage.ru_utime + usage.ru_stime) / wall
    return {"rps": requests / (micros / 1e6), "p50_ms": p50 / 1000, "p95_ms": p95 / 1000, "generator_cpu": cpu}


def _start_gunicorn(data: Path) -> tuple[subprocess.Popen, int]:
    port = embedded.free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sipentol.settings.production",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        "DATABASE_URL": _database_url(settings.DATABASES["default"]),
        "SECRET_KEY": "bench-" + "x" * 60,
        "BASE_DOMAIN": "localhost",
        "S3_SECURE": "false",
        "STATIC_ROOT": str(data / "static"),
        "PROMETHEUS_MULTIPROC_DIR": str(data / "prometheus"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(WORKERS),
        "GUNICORN_MAX_REQUESTS": "0",  # no recycling in the middle of a measurement
        "LOG_LEVEL": "WARNING",
    }
    (data / "prometheus").mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    log = open(data / "gunicorn.log", "wb")  # noqa: SIM115 - the child keeps its own descriptor
    proc = subprocess.Popen(
        [
            "taskset",
            "-c",
            "0",
            sys.executable,
            "-m",
            "gunicorn",
            "tests.bench.web_app:application",
            "-c",
            "deploy/gunicorn.conf.py",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc, port
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {data / 'gunicorn.log'}") from None
            time.sleep(0.5)


def _get(port: int, path: str, *, host: str, fixed: bool) -> int:
    headers = {"Host": host, "X-Forwarded-Proto": "https"}
    if fixed:
        headers["X-Bench-Tenancy"] = "off"
    with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)) as r:
        return r.status


def test_pages_on_the_production_server(django_db_setup, django_db_blocker):
    if not shutil.which("wrk"):
        pytest.fail(
            "wrk is missing: this bench measures the pages with it. `make bench` runs `make install`, which "
            "installs the Debian packages of deploy/test-packages.txt (wrk among them); or run "
            "`apt-get install wrk`.",
            pytrace=False,
        )
    with django_db_blocker.unblock():
        pages = _pages()
        connection.close()
    data = Path(tempfile.mkdtemp(prefix="sipentol-webbench-"))
    proc, port = _start_gunicorn(data)
    targets = {"hello-world": ("/__bench__/hello", True)}
    for name, path in pages.items():
        targets[f"{name}, routed"] = (path, False)
        targets[f"{name}, no routing"] = (path, True)
    runs: dict[str, list[dict]] = {name: [] for name in targets}
    discarded = 0
    try:
        for path, fixed in targets.values():
            assert _get(port, path, host=JETIS_HOST, fixed=fixed) == 200, path
            _wrk(port, path, host=JETIS_HOST, fixed=fixed)  # warm-up: every worker's caches and connection
        for round_no in range(ROUNDS):
            # Every other round in reverse order, so that neither side of a pair always runs first.
            order = list(targets.items())
            for name, (path, fixed) in order if round_no % 2 == 0 else reversed(order):
                result = _wrk(port, path, host=JETIS_HOST, fixed=fixed)
                if result["generator_cpu"] > SATURATED:
                    discarded += 1
                    continue
                runs[name].append({**result, "round": round_no})
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)

    def med(name: str, key: str) -> float:
        values = [r[key] for r in runs[name]]
        return statistics.median(values) if values else float("nan")

    def paired(name: str) -> list[float]:
        """routed / no routing of each round: the two ran one after the other, so the machine's
        drift over the run (other processes, PostgreSQL and Redis on the same cores) cancels."""
        plain = {r["round"]: r["rps"] for r in runs[f"{name}, no routing"]}
        return [r["rps"] / plain[r["round"]] for r in runs[f"{name}, routed"] if r["round"] in plain]

    hello = med("hello-world", "rps")
    rows, routing, pages_ratio = [], {}, {}
    for name in pages:
        routed, plain = med(f"{name}, routed", "rps"), med(f"{name}, no routing", "rps")
        pairs = paired(name)
        ratio = statistics.median(pairs) if pairs else float("nan")
        routing[name], pages_ratio[name] = ratio, routed / hello
        page_verdict = verdict(routed / hello, PAGE_TARGET, at_most=False)
        routing_verdict = verdict(ratio, ROUTING_TARGET, at_most=False)
        rows.append(
            f"| {name} (`{pages[name]}`) | {routed:.0f} | {med(f'{name}, routed', 'p50_ms'):.1f} ms | "
            f"{med(f'{name}, routed', 'p95_ms'):.1f} ms | {routed / hello:.2f} {page_verdict} | "
            f"{plain:.0f} | {ratio:.3f} {routing_verdict} ({min(pairs, default=0):.2f}-{max(pairs, default=0):.2f}) |"
        )
    cpu = max((r["generator_cpu"] for rs in runs.values() for r in rs), default=0)
    body = "\n".join(
        [
            f"Run: {machine()}. gunicorn {WORKERS} sync workers, production settings, pinned to core 0; wrk "
            f"1 thread x {CONNECTIONS} connections pinned to core 1, {SECONDS} s per target, {ROUNDS} rounds "
            "alternating every target (every other round in reverse order), medians; "
            f"generator CPU at most {cpu:.0%} of its core "
            f"({discarded} runs discarded for a saturated generator). PostgreSQL and Redis unpinned.",
            "",
            f"Hello-world view on the same server: **{hello:.0f} req/s** (p50 {med('hello-world', 'p50_ms'):.1f} ms, "
            f"p95 {med('hello-world', 'p95_ms'):.1f} ms).",
            "",
            "| page (Jetis) | req/s | p50 | p95 | / hello-world | req/s without routing "
            "| routing ratio: median of the rounds' pairs (range) |",
            "|---|---|---|---|---|---|---|",
            *rows,
        ]
    )
    section_write(
        "web",
        "Citizen pages on the production server (`tests/bench/test_web_bench.py`)",
        body,
        figures={"runs": runs, "discarded": discarded},
    )
    print("\n" + body)
    assert all(runs[name] for name in targets), "every run was discarded: the generator saturated its core"


def _queries(client: Client, path: str, *, after_other_schema: bool = False) -> list[str]:
    client.get(path)  # warm-up: routing cache, session, translations
    client.get(path)
    if after_other_schema:  # the worker's previous request was on another schema
        connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return [q["sql"] for q in ctx.captured_queries]


def test_sql_per_tenant_request(jetis, settings):
    pages = _pages()
    routed = Client(HTTP_HOST=JETIS_HOST)
    fixed_middleware = [
        "tests.bench.web_fixed.FixedTenant" if m == "tenants.middleware.TenantRoutingMiddleware" else m
        for m in settings.MIDDLEWARE
    ]
    rows, worst = [], (0, 0)
    for name, path in pages.items():
        # From another schema, as a worker that served another kecamatan just before would be.
        connection.set_schema_to_public()
        with_routing = _queries(routed, path)
        with override_settings(MIDDLEWARE=fixed_middleware):
            without = _queries(Client(HTTP_HOST=JETIS_HOST), path)
        extra = list(with_routing)
        for sql in without:
            if sql in extra:
                extra.remove(sql)
        sets = [q for q in extra if q.upper().startswith("SET SEARCH_PATH")]
        other = [q for q in extra if q not in sets]
        worst = (max(worst[0], len(other)), max(worst[1], len(sets)))
        switched = [
            q for q in _queries(routed, path, after_other_schema=True) if q.upper().startswith("SET SEARCH_PATH")
        ]
        rows.append(f"| {name} | {len(with_routing)} | {len(without)} | {len(other)} | {len(sets)} | {len(switched)} |")
        assert len(other) == 0, other
        assert len(sets) <= 1, sets
    section_write(
        "web-queries",
        "SQL per tenant request",
        "\n".join(
            [
                "SQL per request after warm-up (Django test client, `CaptureQueriesContext`), routed vs the same "
                "view without routing; target: no extra query and at most one `SET search_path` "
                f"(worst page: {worst[0]} extra queries, {worst[1]} `SET search_path`).",
                "",
                "| page | queries routed | without routing | extra queries | extra `SET search_path` "
                "| `SET search_path` when the previous request was another schema |",
                "|---|---|---|---|---|---|",
                *rows,
            ]
        ),
    )
