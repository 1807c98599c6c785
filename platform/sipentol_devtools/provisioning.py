"""Development only: what onboarding a kecamatan from /ops/ adds under the development settings
(`PROVISIONING_DEV_CA` points here; production leaves it empty and never imports this module)."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from sipentol.letters import pki


def dev_ca_ensure(kecamatan) -> str:
    """The kecamatan's development signing CA (idempotent: created once). Its Camat and Sekcam get
    certificates from `manage.py letters_dev_ca` once they have accounts."""
    with tenant_context(kecamatan):
        ca = pki.dev_ca_ensure(kecamatan.name)
    return ca.name
