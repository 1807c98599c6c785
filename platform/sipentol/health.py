"""/healthz: database, cache/broker and object storage, each answered or not."""

from __future__ import annotations

import time

from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from sipentol.lib import storage


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis() -> None:
    cache = caches["routing"]
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("value written was not read back")


def _check_storage() -> None:
    storage.ping()


CHECKS = {"database": _check_database, "redis": _check_redis, "object_storage": _check_storage}


def run_checks() -> tuple[bool, dict]:
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - the probe reports any failure
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        else:
            results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return all(r["ok"] for r in results.values()), results


@never_cache
def healthz(request):
    ok, results = run_checks()
    return JsonResponse({"status": "ok" if ok else "fail", "checks": results}, status=200 if ok else 503)
