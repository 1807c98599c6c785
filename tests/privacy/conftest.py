"""Helpers for the personal-data tests: a citizen's browser holding the secret link, the one-time
code from the outbox, every Redis key naming an application."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django_tenants.utils import tenant_context

from sipentol.applications.models import hash_secret
from sipentol.notifications.models import OutboxMessage

SECRET = "tautan-rahasia-uji-2026"


def secret_hash() -> str:
    return hash_secret(SECRET)


def through_secret_link(kecamatan, application) -> Client:
    """A citizen's browser that opened the application's secret link."""
    client = Client(HTTP_HOST=f"{kecamatan.slug}.localhost")
    assert client.get(f"/permohonan/{application.public_id}/?t={SECRET}").status_code == 302
    return client


def last_code(kecamatan) -> str:
    with tenant_context(kecamatan):
        body = OutboxMessage.objects.filter(template="otp_code").latest("pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def redis_keys_naming(*needles: str) -> list[str]:
    """Every key in the cache's Redis database that names one of `needles` (any tenant, any version)."""
    client = cache._cache.get_client(write=False)
    found = []
    for needle in needles:
        found += [k.decode() for k in client.scan_iter(match=f"*{needle}*")]
    return found


@pytest.fixture
def ops_client(public_client):
    from sipentol.accounts.models import RegencyRole
    from tests.accounts.staff import public_sign_in
    from tests.factories import RegencyUserFactory

    user = RegencyUserFactory(username="ops-privasi", role=RegencyRole.DISKOMINFO_ADMIN)
    return public_sign_in(public_client, user, "/ops/")
