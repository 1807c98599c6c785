"""Figures for docs/scaling.md: what one more kecamatan schema costs (make bench only).

Measured on the suite's test database (18 kecamatan + template + public), then with EXTRA more
schemas cloned from the template:
- time to clone one schema (kecamatan_provision);
- catalog rows per schema (pg_class, pg_attribute, pg_index) and catalog size;
- memory of one PostgreSQL backend after touching the tables of 1 and of all 18 committed
  schemas (relcache/catcache: pg_backend_memory_contexts, CacheMemoryContext), as a long-lived
  pooled connection would (the cloned schemas live in the test's uncommitted transaction, so a
  fresh connection cannot see them: the per-schema cost comes from 1 vs 18);
- pg_dump -n of one schema: time and size;
- migrate_schemas with nothing to do, per schema (the floor of an upgrade's cost per tenant).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tenants.models import Kecamatan
from tenants.services import kecamatan_provision

EXTRA = int(os.environ.get("SCALE_BENCH_EXTRA_SCHEMAS", "40"))


def _dsn() -> str:
    db = settings.DATABASES["default"]
    parts = [f"dbname={db['NAME']}", f"user={db['USER'] or 'postgres'}"]
    if db["HOST"]:
        parts.append(f"host={db['HOST']}")
    if db["PORT"]:
        parts.append(f"port={db['PORT']}")
    if db["PASSWORD"]:
        parts.append(f"password={db['PASSWORD']}")
    return " ".join(parts)


def _tenant_schemas(cursor) -> list[str]:
    cursor.execute("SELECT schema_name FROM tenants_kecamatan ORDER BY schema_name")
    return [row[0] for row in cursor.fetchall()]


def _catalog_rows(cursor, schema: str) -> dict[str, int]:
    cursor.execute(
        """SELECT (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid),
                  (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid
                    WHERE c.relnamespace = n.oid),
                  (SELECT count(*) FROM pg_index i JOIN pg_class c ON i.indexrelid = c.oid
                    WHERE c.relnamespace = n.oid)
           FROM pg_namespace n WHERE n.nspname = %s""",
        [schema],
    )
    pg_class, pg_attribute, pg_index = cursor.fetchone()
    return {"pg_class": pg_class, "pg_attribute": pg_attribute, "pg_index": pg_index}


def _backend_memory_after_touching(schemas: list[str]) -> tuple[int, int, int]:
    """(total bytes, CacheMemoryContext bytes, tables touched) of a fresh backend."""
    with psycopg.connect(_dsn(), autocommit=True) as conn, conn.cursor() as cur:
        touched = 0
        for schema in schemas:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema])
            for (table,) in cur.fetchall():
                cur.execute(f'SELECT 1 FROM "{schema}"."{table}" LIMIT 1')  # noqa: S608 - names from the catalog
                touched += 1
        cur.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
        total = int(cur.fetchone()[0])
        cur.execute(
            "SELECT coalesce(sum(total_bytes), 0) FROM pg_backend_memory_contexts "
            "WHERE name IN ('CacheMemoryContext') OR parent = 'CacheMemoryContext'"
        )
        cache = int(cur.fetchone()[0])
    return total, cache, touched


def _pg_dump_one_schema(schema: str) -> tuple[float, int]:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    args = ["pg_dump", "-Fc", "-n", schema, "-d", db["NAME"], "-U", db["USER"] or "postgres"]
    if db["HOST"]:
        args += ["-h", db["HOST"]]
    if db["PORT"]:
        args += ["-p", str(db["PORT"])]
    with tempfile.NamedTemporaryFile(suffix=".dump") as out:
        started = time.perf_counter()
        subprocess.run([*args, "-f", out.name], env=env, check=True)
        return time.perf_counter() - started, os.path.getsize(out.name)


def test_scale_figures(db):
    with connection.cursor() as cursor:
        schemas = _tenant_schemas(cursor)
        per_schema = _catalog_rows(cursor, "jetis")
        cursor.execute("SELECT pg_total_relation_size('pg_class') + pg_total_relation_size('pg_attribute')")
        catalog_before = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_class")
        pg_class_before = cursor.fetchone()[0]

    mem_1 = _backend_memory_after_touching(schemas[:1])
    mem_18 = _backend_memory_after_touching(schemas)

    clone_times = []
    for n in range(EXTRA):
        started = time.perf_counter()
        kecamatan_provision(code=f"35.99.{n + 1:02d}", name=f"Scale {n}", slug=f"scale{n}")
        clone_times.append(time.perf_counter() - started)
        connection.set_schema_to_public()
    with connection.cursor() as cursor:
        all_schemas = _tenant_schemas(cursor)
        cursor.execute("SELECT pg_total_relation_size('pg_class') + pg_total_relation_size('pg_attribute')")
        catalog_after = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_class")
        pg_class_after = cursor.fetchone()[0]

    dump_seconds, dump_bytes = _pg_dump_one_schema("jetis")

    started = time.perf_counter()
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    migrate_noop = (time.perf_counter() - started) / len(all_schemas)

    n_new = len(all_schemas) - len(schemas)
    per_schema_mem = (mem_18[1] - mem_1[1]) / max(len(schemas) - 1, 1)
    print(
        f"\n== scale bench {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} CPU, {platform.platform()}, PostgreSQL {connection.pg_version})"
        f"\ncatalog rows per kecamatan schema: {per_schema}"
        f"\npg_class rows: {pg_class_before} with {len(schemas)} schemas -> {pg_class_after} with {len(all_schemas)}"
        f"\ncatalog size (pg_class+pg_attribute): {catalog_before / 1e6:.1f} MB -> {catalog_after / 1e6:.1f} MB"
        f" = {(catalog_after - catalog_before) / max(n_new, 1) / 1e3:.0f} kB per schema"
        f"\nclone one schema: p50 {statistics.median(clone_times):.2f} s, max {max(clone_times):.2f} s over {EXTRA}"
        f"\nbackend memory (total / CacheMemoryContext), tables touched:"
        f"\n  1 schema:   {mem_1[0] / 1e6:.1f} MB / {mem_1[1] / 1e6:.1f} MB, {mem_1[2]} tables"
        f"\n  {len(schemas)} schemas: {mem_18[0] / 1e6:.1f} MB / {mem_18[1] / 1e6:.1f} MB, {mem_18[2]} tables"
        f"\n  => {per_schema_mem / 1e3:.0f} kB of cache per schema touched"
        f"\npg_dump -Fc -n jetis: {dump_seconds:.2f} s, {dump_bytes / 1e3:.0f} kB"
        f"\nmigrate_schemas --tenant with nothing to do: {migrate_noop:.2f} s per schema"
    )
    assert Kecamatan.objects.filter(slug__startswith="scale").count() == EXTRA
