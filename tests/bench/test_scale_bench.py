"""Kecamatan at scale (make bench only): provisioning, upgrades and backend memory at 18, 100, 500.

Nothing here runs inside the test's transaction: every schema is committed, in databases of the
bench's own on the suite's PostgreSQL server (the machine's or the embedded one):

- `<test db>` -> `bench_scale_<run>_18`, a copy (CREATE DATABASE ... TEMPLATE) of the suite's
  regency: public, `tenant_template` and the 18 kecamatan. Never connected to afterwards, so it
  can be copied again.
- `bench_scale_<run>_grow`: a copy that grows to each level. The extra schemas are clones of
  `tenant_template` made with `tenants.schema_clone` (the step provisioning runs), the template's
  migration records, and their Kecamatan and Domain rows, one committed transaction each:
  structurally what provisioning leaves, without the configuration copy.
- `bench_scale_<run>_ref`: a fresh copy of the 18 per level, the side-by-side baseline.

At each level: provisioning one kecamatan (`kecamatan_provision`, every step) in the grown
database and in the 18 one, alternating rounds, median of each; one new migration applied across
every schema (a bench-only tenant app, `tests/bench/upgrade_app`, migrated in a subprocess with
its own settings) against the same migration on one schema (a sample of kecamatan schemas, each
migrated alone for the first time: the driver's docstring), and again with django-tenants'
multiprocessing executor; at the last level a `migrate_schemas` with nothing to do. Memory of one
PostgreSQL backend after touching every table of every kecamatan schema (relcache/catcache:
pg_backend_memory_contexts). All databases are dropped at the end.

SCALE_BENCH_LEVELS (default "18,100,500") and SCALE_BENCH_ROUNDS (3) make a shorter run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.cache import caches
from django.db import connection

from tests.bench.report import machine, section_write, verdict
from tests.conftest import _database_url

ROOT = Path(__file__).resolve().parents[2]
LEVELS = [int(n) for n in os.environ.get("SCALE_BENCH_LEVELS", "18,100,500").split(",")]
ROUNDS = int(os.environ.get("SCALE_BENCH_ROUNDS", "3"))
# Levels at which a migration is applied: each costs ~N x one schema, twice (two executors).
UPGRADE_LEVELS = [int(n) for n in os.environ.get("SCALE_BENCH_UPGRADE_LEVELS", ",".join(map(str, LEVELS))).split(",")]
PROVISION_TARGET = 1.2  # provisioning at the last level / at 18
UPGRADE_TARGET = 1.1  # one migration, per schema over the full run / on one schema alone


def _dsn(dbname: str) -> str:
    db = settings.DATABASES["default"]
    parts = [f"dbname={dbname}", f"user={db['USER'] or 'postgres'}"]
    if db["HOST"]:
        parts.append(f"host={db['HOST']}")
    if db["PORT"]:
        parts.append(f"port={db['PORT']}")
    if db["PASSWORD"]:
        parts.append(f"password={db['PASSWORD']}")
    return " ".join(parts)


def _admin(sql: str) -> None:
    with psycopg.connect(_dsn("postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _copy_database(source: str, target: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def _drop_database(name: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _on_database(name: str):
    """Django's default connection on another database (autocommit: every statement commits)."""
    previous = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    for alias in ("default", "routing"):  # the same hosts and schemas exist in each copy
        caches[alias].version = (caches[alias].version or 1) + 1
    try:
        connection.set_schema_to_public()
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = previous


def _kecamatan_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tenants_kecamatan")
        return cursor.fetchone()[0]


def _grow_to(n: int) -> float | None:
    """Clone tenant_template until n kecamatan exist; seconds per clone."""
    from tenants.models import Domain, Kecamatan
    from tenants.schema_clone import schema_clone

    started, made = time.perf_counter(), 0
    count = _kecamatan_count()
    while count < n:
        slug = f"scale{count:04d}"
        schema_clone(source=settings.TENANT_BASE_SCHEMA, dest=slug)
        with connection.cursor() as cursor:
            # The template's only rows, which provisioning's fake migrate records; without their
            # ids, so that the next migration's row takes the next number of the clone's sequence.
            cursor.execute(
                f'INSERT INTO "{slug}".django_migrations (app, name, applied) '
                f'SELECT app, name, applied FROM "{settings.TENANT_BASE_SCHEMA}".django_migrations ORDER BY id'
            )
            # And its content types and permissions, as a kecamatan has after its first migrate:
            # without them the timed upgrade would also be each filler's first migrate, which
            # creates them (~55 ms a schema, once), and "all / N x one" would not compare like
            # with like (one schema is timed on the template, which has them).
            template = settings.TENANT_BASE_SCHEMA
            for table, columns in (
                ("django_content_type", "id, app_label, model"),
                ("auth_permission", "id, name, content_type_id, codename"),
            ):
                cursor.execute(
                    f'INSERT INTO "{slug}".{table} ({columns}) SELECT {columns} FROM "{template}".{table} ORDER BY id'
                )
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{slug}\".{table}', 'id'), "
                    f'(SELECT coalesce(max(id), 0) + 1 FROM "{slug}".{table}), false)'
                )
        (kecamatan,) = Kecamatan.objects.bulk_create(
            [Kecamatan(code=f"99.{count:05d}", name=f"Scale {count}", slug=slug, schema_name=slug, status="active")]
        )
        Domain.objects.create(domain=f"{slug}.{settings.BASE_DOMAIN}", tenant=kecamatan, is_primary=True)
        count, made = count + 1, made + 1
    return (time.perf_counter() - started) / made if made else None


def _provision_once(tag: str) -> float:
    from tenants.services import kecamatan_provision

    code = f"98.{uuid.uuid4().int % 100000:05d}"
    started = time.perf_counter()
    kecamatan_provision(code=code, name=f"Bench {tag}", slug=f"bench-{tag}")
    elapsed = time.perf_counter() - started
    connection.set_schema_to_public()
    return elapsed


def _tenant_schemas() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT schema_name FROM tenants_kecamatan ORDER BY schema_name")
        return [row[0] for row in cursor.fetchall()]


def _backend_memory(dbname: str, schemas: list[str]) -> dict:
    """A fresh backend's memory after one SELECT on every table of `schemas` (autocommit)."""
    with psycopg.connect(_dsn(dbname), autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
        fresh = int(cur.fetchone()[0])
        cur.execute("SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY(%s) ORDER BY 1, 2", [schemas])
        tables = cur.fetchall()
        started = time.perf_counter()
        for schema, table in tables:
            cur.execute(f'SELECT 1 FROM "{schema}"."{table}" LIMIT 1')
        seconds = time.perf_counter() - started
        cur.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
        total = int(cur.fetchone()[0])
        cur.execute(
            "SELECT coalesce(sum(total_bytes), 0) FROM pg_backend_memory_contexts "
            "WHERE name = 'CacheMemoryContext' OR parent = 'CacheMemoryContext'"
        )
        cache = int(cur.fetchone()[0])
    return {
        "fresh_mb": fresh / 1e6,
        "total_mb": total / 1e6,
        "cache_mb": cache / 1e6,
        "tables": len(tables),
        "touch_s": seconds,
    }


def _catalog() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_total_relation_size('pg_class') + pg_total_relation_size('pg_attribute') FROM pg_class"
        )
        rows, size = cursor.fetchone()
        cursor.execute("SELECT pg_database_size(current_database())")
        db_size = cursor.fetchone()[0]
    return {"pg_class_rows": rows, "catalog_mb": size / 1e6, "database_mb": db_size / 1e6}


def _upgrade(dbname: str, *args: str) -> dict:
    """tests/bench/upgrade_app's driver in its own process (its settings add the bench app)."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url({**settings.DATABASES["default"], "NAME": dbname}),
        "DJANGO_SETTINGS_MODULE": "tests.bench.upgrade_app.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
    }
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [sys.executable, "-m", "tests.bench.upgrade_app.driver", "--out", out.name, *args],
            env=env,
            cwd=ROOT,
            check=True,
        )
        return json.loads(Path(out.name).read_text())


def _pg_dump_one_schema(dbname: str, schema: str) -> tuple[float | None, int | str]:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    args = ["pg_dump", "-Fc", "-n", schema, "-d", dbname, "-U", db["USER"] or "postgres"]
    if db["HOST"]:
        args += ["-h", db["HOST"]]
    if db["PORT"]:
        args += ["-p", str(db["PORT"])]
    with tempfile.NamedTemporaryFile(suffix=".dump") as out:
        started = time.perf_counter()
        done = subprocess.run([*args, "-f", out.name], env=env, check=False, capture_output=True, text=True)
        if done.returncode:  # e.g. the embedded server is newer than the machine's pg_dump
            return None, done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
        return time.perf_counter() - started, os.path.getsize(out.name)


def test_kecamatan_at_scale(django_db_setup, django_db_blocker):
    run = uuid.uuid4().hex[:6]
    base, grow, ref = f"bench_scale_{run}_18", f"bench_scale_{run}_grow", f"bench_scale_{run}_ref"
    suite_db = connection.settings_dict["NAME"]
    levels, bench_started = [], time.perf_counter()
    with django_db_blocker.unblock():
        connection.close()
        try:
            _copy_database(suite_db, base)
            _copy_database(base, grow)
            with _on_database(grow):
                first = _tenant_schemas()
                first_count = len(first)
                upgrade_step = 0
                _upgrade(grow, "--setup")  # the bench app's first migration, everywhere
            for level in LEVELS:
                row: dict = {"level": level}
                with _on_database(grow):
                    row["clone_s"] = _grow_to(level)
                    row["catalog"] = _catalog()
                    schemas = _tenant_schemas()
                row["memory"] = _backend_memory(grow, schemas)

                _copy_database(base, ref)
                at_ref, at_level = [], []
                for n in range(ROUNDS):
                    with _on_database(ref):
                        at_ref.append(_provision_once(f"r{level}-{n}"))
                    with _on_database(grow):
                        at_level.append(_provision_once(f"g{level}-{n}"))
                _drop_database(ref)
                row["provision_ref_s"], row["provision_s"] = statistics.median(at_ref), statistics.median(at_level)
                row["provision_runs"] = (at_ref, at_level)

                if level in UPGRADE_LEVELS:
                    upgrade_step += 1
                    row["upgrade"] = _upgrade(grow, "--step", str(upgrade_step), "--executor", "standard")
                    upgrade_step += 1
                    row["upgrade_parallel"] = _upgrade(
                        grow, "--step", str(upgrade_step), "--executor", "multiprocessing"
                    )
                    if level == UPGRADE_LEVELS[-1]:
                        row["noop"] = _upgrade(grow, "--noop")
                if level == LEVELS[-1]:
                    row["pg_dump"] = _pg_dump_one_schema(grow, "jetis")
                levels.append(row)
                print(f"\nscale bench, level {level}: {row}", flush=True)
        finally:
            connection.close()
            for name in (ref, grow, base):
                _drop_database(name)
    _report(levels, first_count, time.perf_counter() - bench_started)
    last = levels[-1]
    assert last["provision_s"] > 0 and first  # the figures exist; targets are reported, not asserted


def _collections(upgrade: dict, key: str) -> str:
    seen = upgrade.get(key)
    return f"{seen['count']} in {seen['seconds']:.2f} s" if seen else "-"


def _report(levels: list[dict], first_count: int, total_seconds: float) -> None:
    first, last = levels[0], levels[-1]
    growth = last["provision_s"] / last["provision_ref_s"]
    lines = [
        f"Run: {machine()}, PostgreSQL {connection.pg_version // 10000}; whole bench "
        f"{total_seconds / 60:.1f} min (levels {', '.join(str(r['level']) for r in levels)}).",
        "",
        "Provisioning one kecamatan (`kecamatan_provision`, every step) with N kecamatan present, each "
        f"round alternating with the same in a copy of the 18 (median of {ROUNDS} each):",
        "",
        "| kecamatan present | provision at N | at 18, same rounds | ratio | extra schemas cloned at "
        "| catalog (pg_class rows, MB) | database |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in levels:
        lines.append(
            f"| {r['level']} | {r['provision_s']:.2f} s | {r['provision_ref_s']:.2f} s | "
            f"{r['provision_s'] / r['provision_ref_s']:.2f} | "
            + (f"{r['clone_s']:.2f} s each | " if r["clone_s"] is not None else "- | ")
            + f"{r['catalog']['pg_class_rows']:,} rows, {r['catalog']['catalog_mb']:.0f} MB | "
            f"{r['catalog']['database_mb']:.0f} MB |"
        )
    lines += [
        "",
        f"Provisioning at {last['level']} / at 18: **{growth:.2f}**, {verdict(growth, PROVISION_TARGET)}.",
        "",
        "Upgrades: one new migration (AddField on a bench-only tenant app) over every kecamatan schema. "
        "One schema: a sample of kecamatan schemas spread over the list, each migrated alone for the "
        "first time (then back, not timed), mean; the full run (standard executor) without those same "
        "schemas, per schema, over it; each schema of the full run timed from django-tenants' signals. "
        "The driver freezes the heap before the kecamatan schemas as `migrate_platform` does "
        "(`long_lived_freeze`); Python's full garbage collections that remain are counted on both sides:",
        "",
        "| schemas | one schema: mean of the sample (median) | all, standard executor "
        "| per schema in it: mean (median) | ratio to one schema | full GCs: sample / run "
        "| all, multiprocessing executor | speed-up |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in (r for r in levels if "upgrade" in r):
        up, par = r["upgrade"], r["upgrade_parallel"]
        ratio = (up["rest_s"] / up["rest_schemas"]) / up["one_s"]
        each = list(up["per_schema_s"].values())
        lines.append(
            f"| {len(each)} | {up['one_s']:.3f} s of {len(up['one_runs'])} "
            f"({statistics.median(up['one_runs']):.3f} s) | {up['all_s']:.1f} s | "
            f"{statistics.mean(each):.3f} s ({statistics.median(each):.3f} s) | {ratio:.2f} "
            f"{verdict(ratio, UPGRADE_TARGET)} | {_collections(up, 'sample_gc')} / {_collections(up, 'run_gc')} | "
            f"{par['all_s']:.1f} s ({par['processes']} processes) | "
            f"{up['all_s'] / par['all_s']:.2f}x |"
        )
    skipped = [str(r["level"]) for r in levels if "upgrade" not in r]
    if skipped:
        lines += ["", f"Not migrated at {', '.join(skipped)} in this run (`SCALE_BENCH_UPGRADE_LEVELS`)."]
    for r in (r for r in levels if "noop" in r):
        noop = r["noop"]
        lines += [
            "",
            f"`migrate_schemas` with nothing to do at {noop['schemas']} schemas (public included): "
            f"**{noop['all_s']:.0f} s** ({noop['all_s'] / noop['schemas']:.2f} s per schema).",
        ]
    lines += [
        "",
        "PostgreSQL backend memory after one SELECT on every table of every kecamatan schema "
        "(`pg_backend_memory_contexts`; `CacheMemoryContext` is the relcache/catcache):",
        "",
        "| kecamatan | tables touched | total | CacheMemoryContext | per schema |",
        "|---|---|---|---|---|",
    ]
    for r in levels:
        m = r["memory"]
        lines.append(
            f"| {r['level']} | {m['tables']:,} | {m['total_mb']:.0f} MB | {m['cache_mb']:.0f} MB | "
            f"{m['cache_mb'] / r['level']:.2f} MB |"
        )
    mem_ratio = last["memory"]["cache_mb"] / first["memory"]["cache_mb"]
    lines += [
        "",
        f"Cache at {last['level']} / at {first['level']}: {mem_ratio:.1f}x for "
        f"{last['level'] / first['level']:.1f}x the schemas: it grows with the schemas a backend has "
        "touched and is never given back; `docs/scaling.md` says how connections are recycled to bound it.",
    ]
    if "pg_dump" in last:
        seconds, size = last["pg_dump"]
        lines.append(
            f"\n`pg_dump -Fc -n jetis` at {last['level']}: "
            + (f"{seconds:.2f} s, {size / 1e3:.0f} kB." if seconds is not None else f"not measured ({size}).")
        )
    section_write(
        "scale",
        "Kecamatan at scale: provisioning, upgrades, backend memory (`tests/bench/test_scale_bench.py`)",
        "\n".join(lines),
        figures={"levels": levels, "first_count": first_count, "total_seconds": total_seconds},
    )
