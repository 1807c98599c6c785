"""Times migrate_schemas for the upgrade benchmark; run in its own process with this package's settings.

    --setup            0001 on tenant_template and every kecamatan schema (not timed)
    --step K           migration K+1 on ONE_SCHEMA_SAMPLE kecamatan schemas alone (then back), then on
                       every kecamatan (each schema's time kept); with --executor other than standard,
                       only the latter
    --executor NAME    django-tenants executor for the "every kecamatan" run (standard, multiprocessing)
    --noop             a full migrate_schemas (public and every tenant) with nothing to do

Writes its figures as JSON to --out.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time

import django

# "One schema" is this many kecamatan schemas, spread over the list, each migrated alone and for
# the first time (as every schema of the full run is: its catalog rows not yet in PostgreSQL's
# buffers; the template, migrated again and again, answered ~20% faster), then migrated back,
# not timed. Their mean is compared with the full run's time without those same schemas (they are
# warm by then), per schema: both means include the garbage collections of the migrates.
ONE_SCHEMA_SAMPLE = 8


def _per_schema_seconds() -> dict[str, float]:
    """Filled with the time each schema of the next migrate_schemas takes, from django-tenants'
    own signals around each schema (connection switch, migrate command, commit, close)."""
    from django_tenants.signals import schema_migrated, schema_pre_migration

    started: dict[str, float] = {}
    seconds: dict[str, float] = {}

    def before(sender, schema_name, **kwargs):
        started[schema_name] = time.perf_counter()

    def after(sender, schema_name, **kwargs):
        if schema_name in started:
            seconds[schema_name] = time.perf_counter() - started.pop(schema_name)

    schema_pre_migration.connect(before, weak=False)
    schema_migrated.connect(after, weak=False)
    return seconds


def _full_collections() -> dict:
    """Seconds and count of Python's full (generation 2) garbage collections from now on."""
    seen = {"seconds": 0.0, "count": 0}
    started = [0.0]

    def callback(phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            seen["seconds"] += time.perf_counter() - started[0]
            seen["count"] += 1

    gc.callbacks.append(callback)
    return seen


def _timed(*args, **options) -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate_schemas", *args, interactive=False, verbosity=0, **options)
    return time.perf_counter() - started


def _record_cloned_migrations(template: str) -> None:
    """Kecamatan provisioned since the last step (by the suite's process, which does not install
    this app) were cloned from the template with its table but without its migration rows."""
    from django.db import connection

    from tenants.models import Kecamatan

    with connection.cursor() as cursor:
        for schema in Kecamatan.objects.filter(schema_name__startswith="bench_").values_list("schema_name", flat=True):
            cursor.execute(
                f'INSERT INTO "{schema}".django_migrations (app, name, applied) '
                f'SELECT app, name, applied FROM "{template}".django_migrations t WHERE t.app = %s '
                f'AND NOT EXISTS (SELECT 1 FROM "{schema}".django_migrations m '
                "WHERE m.app = t.app AND m.name = t.name)",
                ["bench_upgrade"],
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--setup", action="store_true")
    parser.add_argument("--step", type=int)
    parser.add_argument("--executor", default="standard")
    parser.add_argument("--noop", action="store_true")
    args = parser.parse_args()
    django.setup()

    from django.conf import settings

    from tenants.management.commands.migrate_platform import long_lived_freeze
    from tenants.models import Kecamatan

    template = settings.TENANT_BASE_SCHEMA
    schemas = Kecamatan.objects.count()
    result: dict = {"schemas": schemas}
    if args.setup:
        _timed("bench_upgrade", "0001", schema_name=template)
        result["all_s"] = _timed("bench_upgrade", "0001", tenant=True)
    elif args.step:
        name = f"{args.step + 1:04d}"
        _record_cloned_migrations(template)
        previous = f"{args.step:04d}"
        # Warm-up, not timed: the first migrate in a process imports and builds the migration graph.
        _timed("bench_upgrade", previous, schema_name=template)
        long_lived_freeze()  # as migrate_platform does before the kecamatan schemas
        collections = _full_collections()
        if args.executor == "standard":
            names = sorted(Kecamatan.objects.exclude(schema_name=template).values_list("schema_name", flat=True))
            step = max(1, len(names) // ONE_SCHEMA_SAMPLE)
            sample = names[::step][:ONE_SCHEMA_SAMPLE]
            ones = []
            for schema in sample:
                ones.append(_timed("bench_upgrade", name, schema_name=schema))
                counted = dict(collections)
                _timed("bench_upgrade", previous, schema_name=schema)  # back, not timed
                collections.update(counted)  # nor its collections counted
            result.update(one_s=statistics.mean(ones), one_runs=ones, sample=sample, sample_gc=dict(collections))
            collections.update(seconds=0.0, count=0)
            per_schema = _per_schema_seconds()
        result["all_s"] = _timed("bench_upgrade", name, tenant=True, executor=args.executor)
        if args.executor == "standard":
            result["per_schema_s"] = per_schema
            result["rest_s"] = result["all_s"] - sum(per_schema[schema] for schema in sample)
            result["rest_schemas"] = len(per_schema) - len(sample)
        result["run_gc"] = dict(collections)
        result["executor"] = args.executor
        result["processes"] = settings.TENANT_MULTIPROCESSING_MAX_PROCESSES if args.executor != "standard" else 1
    elif args.noop:
        result["all_s"] = _timed(executor="standard")
        result["schemas"] = schemas + 1  # and public
    with open(args.out, "w") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main()
