"""Development only: what onboarding a kecamatan from /ops/ adds under the development settings
(`PROVISIONING_DEV_CA` points here; production leaves it empty and never imports this module)."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.docengine import crypto
from sipentol.docengine import pki as engine_pki
from sipentol.letters import pki


def dev_ca_ensure(kecamatan) -> str:
    """The kecamatan's development signing CA (idempotent: created once). Its Camat and Sekcam get
    certificates from `manage.py letters_dev_ca` once they have accounts."""
    with tenant_context(kecamatan):
        ca = pki.dev_ca_ensure(kecamatan.name)
    return ca.name


def desa_signer_issue(*, user, desa):
    """`DESA_DEV_SIGNER`: a Kepala Desa's first signing in development gets a certificate for their
    desa (O: the desa's government, OU: its Kemendagri code, which the platform checks on a pushed
    pengantar) from the kecamatan's development CA, stored as their PKCS#12 credential."""
    ca = pki.dev_ca_ensure(connection.tenant.name)
    kind = "Kelurahan" if desa is not None and desa.kind == "kelurahan" else "Desa"
    p12, password = engine_pki.signer_certificate_issue(
        ca_certificate_pem=ca.certificate_pem,
        ca_key_pem=crypto.decrypt(ca.private_key_encrypted),
        common_name=user.get_full_name() or user.get_username(),
        organization=f"Pemerintah {kind} {desa.name if desa else ''}".strip(),
        organizational_unit=desa.code if desa else "",
        serial=str(user.pk),
    )
    return pki.signer_credential_import_p12(user=user, p12=p12, password=password)
