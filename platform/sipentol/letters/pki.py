"""Keys and certificates of one kecamatan: its trusted CA, signer PKCS#12 import and the dev CA.

The cryptography itself is `sipentol.docengine.pki`; this module keeps what it makes in the
kecamatan's schema, keys encrypted at rest (`docengine.crypto`). In production a signer's
certificate comes from BSrE (remote) or is an imported PKCS#12 from the regency's CA;
`letters_dev_ca` issues development certificates for `make run`.
"""

from __future__ import annotations

from django.db import connection, transaction

from sipentol.docengine import crypto
from sipentol.docengine import pki as engine_pki

from .models import SignerCredential, TrustAnchor

DEV_CA_NAME_PREFIX = "SIPENTOL Development CA"


def trust_anchor_add(*, name: str, certificate_pem: str) -> TrustAnchor:
    anchor, _created = TrustAnchor.objects.get_or_create(certificate_pem=certificate_pem, defaults={"name": name})
    return anchor


def signer_credential_import_p12(*, user, p12: bytes, password: bytes | None) -> SignerCredential:
    """Store a signer's PKCS#12 (encrypted at rest), after checking that it opens."""
    info = engine_pki.p12_certificate(p12, password)
    with transaction.atomic():
        SignerCredential.objects.filter(user=user, is_active=True).update(is_active=False)
        return SignerCredential.objects.create(
            user=user,
            kind=SignerCredential.Kind.PKCS12,
            p12_encrypted=crypto.encrypt(p12),
            p12_password_encrypted=crypto.encrypt(password) if password else None,
            certificate_pem=info.certificate_pem,
            valid_from=info.valid_from,
            valid_to=info.valid_to,
        )


def signer_credential_bsre(*, user, nik: str, user_id: str = "", certificate_pem: str = "") -> SignerCredential:
    """The signer's BSrE enrolment (NIK and BSrE user id); it replaces their active credential."""
    with transaction.atomic():
        SignerCredential.objects.filter(user=user, is_active=True).update(is_active=False)
        return SignerCredential.objects.create(
            user=user,
            kind=SignerCredential.Kind.BSRE,
            bsre_nik=nik,
            bsre_user_id=user_id,
            certificate_pem=certificate_pem,
        )


def dev_ca_ensure(kecamatan_name: str) -> TrustAnchor:
    """This kecamatan's development CA (created once, its key kept encrypted)."""
    name = f"{DEV_CA_NAME_PREFIX} Kecamatan {kecamatan_name}"
    existing = TrustAnchor.objects.filter(name=name, private_key_encrypted__isnull=False).first()
    if existing:
        return existing
    certificate_pem, key_pem = engine_pki.ca_create(name, organization="Pemerintah Kabupaten Mojokerto (pengembangan)")
    return TrustAnchor.objects.create(
        name=name, certificate_pem=certificate_pem, private_key_encrypted=crypto.encrypt(key_pem)
    )


def dev_signer_issue(*, ca: TrustAnchor, user, days: int = 730) -> SignerCredential:
    """Issue a signing certificate for `user` from the dev CA and store it as their PKCS#12."""
    profile = getattr(user, "staff", None)
    p12, password = engine_pki.signer_certificate_issue(
        ca_certificate_pem=ca.certificate_pem,
        ca_key_pem=crypto.decrypt(ca.private_key_encrypted),
        common_name=user.get_full_name() or user.get_username(),
        organization=f"Kecamatan {connection.tenant.name}",
        serial=getattr(profile, "nip", "") or str(user.pk),
        days=days,
    )
    return signer_credential_import_p12(user=user, p12=p12, password=password)
