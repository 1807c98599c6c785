"""Helpers for the desa pengantar: a citizen who asks their desa online, the desa's staff."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Role
from sipentol.applications.models import Application
from tests.accounts.staff import staff_client
from tests.applications.conftest import form_values, uploads_for

DESA = "35.16.16.2013"  # the desa the citizen lives in (tests.applications.conftest.form_values)


@pytest.fixture
def domisili(jetis):
    from services_catalog.configured.models import KecamatanService

    with tenant_context(jetis):
        return KecamatanService.objects.prefetch_related("requirements").get(catalog_code="domisili")


def other_desa(kecamatan, but: str = DESA) -> str:
    from tenants.models import Desa

    return Desa.objects.filter(kecamatan=kecamatan).exclude(code=but).order_by("code").values_list("code", flat=True)[0]


def ask_desa_online(citizen, kecamatan, service, *, desa: str = DESA) -> tuple[Application, str]:
    """The citizen fills the form, uploads every file but the pengantar and asks the desa online."""
    key = str(uuid.uuid4())
    files = uploads_for(service)
    files.pop("doc_pengantar-desa", None)
    payload = {
        **form_values(service, desa=desa),
        **files,
        "idempotency_key": key,
        "action": "submit",
        "pengantar_online": "1",
    }
    response = citizen.post(f"/layanan/{service.slug}/ajukan/", payload)
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(kecamatan):
        application = Application.objects.get(idempotency_key=key)
    connection.set_schema_to_public()
    return application, response["Location"]


def desa_staff(kecamatan, username: str, role: str, desa: str = DESA):
    return staff_client(kecamatan, username, role, desa)


def operator(kecamatan, username: str = "op-desa", desa: str = DESA):
    return desa_staff(kecamatan, username, Role.DESA_OPERATOR, desa)


def kepala(kecamatan, username: str = "kades", desa: str = DESA):
    return desa_staff(kecamatan, username, Role.KEPALA_DESA, desa)


def next_token(kecamatan, username: str) -> str:
    """The TOTP code of the previous 30 s step: the login already used the current one."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with tenant_context(kecamatan):
        d = TOTPDevice.objects.get(user__username=username)
        return f"{totp(d.bin_key, d.step, d.t0 - d.step, d.digits, d.drift):0{d.digits}d}"
