"""Crossing kecamatan: the one way a job runs work for each kecamatan, and the schema checks.

Business code never names a schema. A beat job (which has no tenant) calls
`for_each_kecamatan` with an explicit status filter; code that must refuse to run outside a
kecamatan asks `in_kecamatan_schema()`. The names "public" and "tenant_template" live here,
in the rest of `tenants/` and in the settings only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from .models import Kecamatan

log = logging.getLogger(__name__)
T = TypeVar("T")

Status = Kecamatan.Status
# Kecamatan whose office works: active ones serve citizens, onboarding ones run trial
# applications (their staff must see notifications, expiries and letters behave as live).
WORKING = (Status.ACTIVE, Status.ONBOARDING)
EVERY = (Status.ACTIVE, Status.ONBOARDING, Status.SUSPENDED)


def non_kecamatan_schemas() -> tuple[str, ...]:
    return (get_public_schema_name(), settings.TENANT_BASE_SCHEMA)


def in_kecamatan_schema(schema_name: str | None = None) -> bool:
    """Whether the connection (or the named schema) is a kecamatan's, not public or the template."""
    name = connection.schema_name if schema_name is None else schema_name
    return bool(name) and name not in non_kecamatan_schemas()


def kecamatan_queryset(statuses: Iterable[str]):
    return Kecamatan.objects.filter(status__in=list(statuses)).exclude(schema_name__in=non_kecamatan_schemas())


def for_each_kecamatan(
    work: Callable[[Kecamatan], T],
    *,
    statuses: Iterable[str],
    kecamatan_list: Iterable[Kecamatan] | None = None,
    isolate: bool = True,
) -> dict[str, T]:
    """Run `work(kecamatan)` inside each kecamatan's schema; {schema_name: result}.

    `statuses` is required: every job says which kecamatan it serves (WORKING, EVERY, ...).
    With `isolate`, one kecamatan's exception is logged and the others still run (a beat job
    must not stop at the first broken schema); without it the exception propagates.
    """
    wanted = set(statuses)
    chosen = kecamatan_queryset(wanted) if kecamatan_list is None else kecamatan_list
    results: dict[str, T] = {}
    for kecamatan in chosen:
        if kecamatan.status not in wanted or not in_kecamatan_schema(kecamatan.schema_name):
            continue
        try:
            with tenant_context(kecamatan):
                results[kecamatan.schema_name] = work(kecamatan)
        except Exception:
            if not isolate:
                raise
            log.exception("work for kecamatan %s failed", kecamatan.schema_name)
    return results


def in_schema(schema_name: str):
    """Context manager: run inside the named kecamatan's schema (refuses public and the template)."""
    if not in_kecamatan_schema(schema_name):
        raise ValueError(f"{schema_name!r} is not a kecamatan schema")
    return schema_context(schema_name)
