"""Provisioning one kecamatan: clone of the template schema vs running every migration.

Run by `make bench` (never by `make test`). Prints the figures recorded in docs/performance.md.
Target: provisioning by cloning takes at most 3 s here.
"""

import statistics
import time

from django.core.management import call_command
from django.db import connection

from tenants.models import Kecamatan
from tenants.services import kecamatan_provision

ROUNDS = 3


def _migrate_fresh_schema(name: str) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{name}"')
    call_command("migrate_schemas", schema_name=name, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    return time.perf_counter() - started


def _clone(n: int) -> float:
    started = time.perf_counter()
    kecamatan_provision(code=f"35.16.{80 + n}", name=f"Bench {n}", slug=f"bench{n}")
    return time.perf_counter() - started


def test_provisioning_by_cloning(db):
    clone = [_clone(n) for n in range(ROUNDS)]
    migrate = [_migrate_fresh_schema(f"bench_migrated_{n}") for n in range(ROUNDS)]
    tables = len(connection.introspection.table_names())

    clone_p50, migrate_p50 = statistics.median(clone), statistics.median(migrate)
    print(
        f"\nprovision one kecamatan (clone): p50 {clone_p50:.2f} s  runs {[round(t, 2) for t in clone]}"
        f"\nbaseline, migrate a fresh schema: p50 {migrate_p50:.2f} s  runs {[round(t, 2) for t in migrate]}"
        f"\nratio clone / migrate: {clone_p50 / migrate_p50:.2f}   (tables in public: {tables})"
    )
    assert Kecamatan.objects.filter(slug__startswith="bench").count() == ROUNDS
    assert clone_p50 <= 3.0, f"provisioning took {clone_p50:.2f} s (target <= 3 s)"
