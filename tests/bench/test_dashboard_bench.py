"""Regency dashboard benchmark (`make bench` only): the board and one Excel export with the facts
of the 18 kecamatan, then of 1,000 kecamatan (982 synthetic ones added in the public table only,
no schema), the same number of applications per kecamatan, measured side by side in one run.

Targets (issue "Leaders see and act", point 7): p50 growth at most 1.5x from 18 to 1,000
kecamatan, and a p50 at most 100 ms, for the page and for one Excel export (per service). The
per-kecamatan export is shown too, without a target: it has one row per kecamatan, so it grows
with them by nature. The facts are written through the regency's sink (which moves the daily
roll-up, regency/rollup.py) and committed and vacuumed before measuring, as a live table is.
The figures are written as the section "dashboard" of docs/performance.md through
tests/bench/report.py, like every bench's.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import statistics
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from sipentol.accounts.models import RegencyRole
from sipentol.lib.facts import ApplicationFactRow
from sipentol.regency.models import ApplicationFact, DailyFigures, DailyLeadTimes, OpenApplications
from sipentol.regency.services import sink
from tenants.models import Kecamatan
from tests.accounts.staff import public_sign_in
from tests.bench.report import section_write
from tests.factories import RegencyUserFactory
from tests.regency.helpers import schemaless_kecamatan

PER_KECAMATAN = int(os.environ.get("DASHBOARD_BENCH_APPLICATIONS", "50"))
TOTAL_KECAMATAN = 1000
RUNS = int(os.environ.get("DASHBOARD_BENCH_RUNS", "7"))
SERVICES = [
    ("domisili", "Surat Keterangan Domisili"),
    ("sktm", "Surat Keterangan Tidak Mampu"),
    ("usaha", "Surat Keterangan Usaha"),
    ("ahli-waris", "Surat Keterangan Ahli Waris"),
]


def _facts(kecamatan_ids: list[int], rng: random.Random) -> None:
    """PER_KECAMATAN facts per kecamatan over the last year, written the way the application
    writes them: through the regency's sink, which also moves the daily roll-up."""
    now = timezone.now()
    for kecamatan_id in kecamatan_ids:
        rows = []
        for n in range(PER_KECAMATAN):
            submitted = now - dt.timedelta(days=rng.randint(0, 360), hours=rng.randint(0, 23))
            code, name = SERVICES[n % len(SERVICES)]
            closed = n % 4 != 0
            taken = rng.randint(0, 8)
            rows.append(
                ApplicationFactRow(
                    application_id=n + 1,
                    service_code=code,
                    service_name=name,
                    channel="online",
                    desa_code="",
                    status="issued" if closed else "in_review",
                    submitted_at=submitted,
                    due_date=timezone.localdate(submitted) + dt.timedelta(days=5),
                    closed_at=submitted + dt.timedelta(days=taken) if closed else None,
                    issued_at=submitted + dt.timedelta(days=taken) if closed else None,
                    sla_working_days=5,
                    working_days_taken=taken if closed else None,
                    on_time=taken <= 5 if closed else None,
                    clock_running=not closed,
                    skm_total=rng.randint(20, 36) if closed and n % 3 == 0 else None,
                    rated_at=submitted + dt.timedelta(days=taken + 1) if closed and n % 3 == 0 else None,
                    tracking_code=f"B{kecamatan_id}-{n}",
                    completion_requested=n % 5 == 0,
                    assigned_to="petugas" if n % 2 else "",
                )
            )
        sink.upsert(kecamatan_id=kecamatan_id, rows=rows)


def _p50(fn) -> float:
    fn()  # warm-up
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _measure(client) -> dict[str, float]:
    def page():
        assert client.get("/dashboard/").status_code == 200

    def service_export():
        assert client.get("/dashboard/unduh/layanan.xlsx").status_code == 200

    def kecamatan_export():
        assert client.get("/dashboard/unduh/kecamatan.xlsx").status_code == 200

    return {"page": _p50(page), "layanan.xlsx": _p50(service_export), "kecamatan.xlsx": _p50(kecamatan_export)}


def _settle() -> None:
    """What autovacuum does to a live table between two page views: the roll-up's counters were
    incremented once per fact, and their old row versions are cleared."""
    with connection.cursor() as cursor:
        for table in (
            "regency_applicationfact",
            "regency_dailyfigures",
            "regency_dailyleadtimes",
            "regency_openapplications",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """The two measurements, on committed and vacuumed tables (as in production), not inside a
    test transaction whose updated counters leave every old row version in place. Everything
    written here but the leader account is removed at the end (the test database goes with the session)."""
    rng = random.Random(16)
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        real = list(Kecamatan.objects.order_by("pk").values_list("pk", flat=True))
        assert not ApplicationFact.objects.exists(), "the bench needs the test database without facts"
        user = RegencyUserFactory(username="bench.dashboard", role=RegencyRole.LEADER, totp_enrolled=False)
        synthetic = []
        try:
            _facts(real, rng)
            _settle()
            client = public_sign_in(Client(HTTP_HOST="localhost"), user)
            small = _measure(client)
            synthetic = schemaless_kecamatan("bench", "Bench", TOTAL_KECAMATAN - len(real))
            _facts([k.pk for k in synthetic], rng)
            _settle()
            large = _measure(client)
        finally:
            ApplicationFact.objects.all().delete()
            DailyFigures.objects.all().delete()
            DailyLeadTimes.objects.all().delete()
            OpenApplications.objects.all().delete()
            Kecamatan.objects.filter(pk__in=[k.pk for k in synthetic]).delete()
            connections.close_all()
    return small, large


def test_dashboard_p50_with_18_and_with_1000_kecamatan(measured):
    small, large = measured

    targets = {"page", "layanan.xlsx"}  # the per-kecamatan export has a row per kecamatan
    machine = f"{os.cpu_count()} cores, {platform.machine()}, load average {os.getloadavg()[0]:.1f}"
    lines = [
        f"Run {timezone.localdate().isoformat()}, {PER_KECAMATAN} applications per kecamatan, p50 of {RUNS} "
        f"requests through the test client (signed-in leader), facts written through the sink, committed "
        f"and vacuumed; {machine}.",
        "",
        "| what | 18 kecamatan | 1,000 kecamatan | growth | target (<= 1.5x, <= 100 ms) |",
        "|---|---|---|---|---|",
    ]
    for key in small:
        growth = large[key] / small[key]
        if key in targets:
            verdict = "met" if growth <= 1.5 and large[key] <= 100 else "NOT met"
        else:
            verdict = "none: one row per kecamatan"
        label = {
            "page": "`/dashboard/` page",
            "layanan.xlsx": "Excel export, per service",
            "kecamatan.xlsx": "Excel export, per kecamatan (1,000 rows)",
        }[key]
        lines.append(f"| {label} | {small[key]:.0f} ms | {large[key]:.0f} ms | {growth:.2f}x | {verdict} |")
    section_write(
        "dashboard",
        "Leadership dashboard: 18 and 1,000 kecamatan (`tests/bench/test_dashboard_bench.py`)",
        "\n".join(lines),
        figures={"p50_ms_18": small, "p50_ms_1000": large},
    )
    print("\n".join(lines))
    assert small["page"] > 0 and large["page"] > 0
