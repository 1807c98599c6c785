"""Keys and certificates: the kecamatan's trusted CA, signer PKCS#12 import and the dev CA.

In production a signer's certificate comes from BSrE (remote) or is an imported PKCS#12 from
the regency's CA; `letters_dev_ca` issues development certificates for `make run`.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import connection, transaction

from . import crypto
from .models import SignerCredential, TrustAnchor

DEV_CA_NAME_PREFIX = "SIPENTOL Development CA"


def trust_anchor_add(*, name: str, certificate_pem: str) -> TrustAnchor:
    anchor, _created = TrustAnchor.objects.get_or_create(certificate_pem=certificate_pem, defaults={"name": name})
    return anchor


def signer_credential_import_p12(*, user, p12: bytes, password: bytes | None) -> SignerCredential:
    """Store a signer's PKCS#12 (encrypted at rest), after checking that it opens."""
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    _key, cert, _others = pkcs12.load_key_and_certificates(p12, password)
    with transaction.atomic():
        SignerCredential.objects.filter(user=user, is_active=True).update(is_active=False)
        return SignerCredential.objects.create(
            user=user,
            kind=SignerCredential.Kind.PKCS12,
            p12_encrypted=crypto.encrypt(p12),
            p12_password_encrypted=crypto.encrypt(password) if password else None,
            certificate_pem=cert.public_bytes(Encoding.PEM).decode(),
            valid_from=cert.not_valid_before_utc,
            valid_to=cert.not_valid_after_utc,
        )


def signer_credential_bsre(*, user, nik: str, certificate_pem: str = "") -> SignerCredential:
    with transaction.atomic():
        SignerCredential.objects.filter(user=user, is_active=True).update(is_active=False)
        return SignerCredential.objects.create(
            user=user, kind=SignerCredential.Kind.BSRE, bsre_nik=nik, certificate_pem=certificate_pem
        )


def dev_ca_ensure(kecamatan_name: str) -> TrustAnchor:
    """This kecamatan's development CA (created once, its key kept encrypted)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    name = f"{DEV_CA_NAME_PREFIX} Kecamatan {kecamatan_name}"
    existing = TrustAnchor.objects.filter(name=name, private_key_encrypted__isnull=False).first()
    if existing:
        return existing
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kabupaten Mojokerto (pengembangan)"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return TrustAnchor.objects.create(
        name=name,
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        private_key_encrypted=crypto.encrypt(key_pem),
    )


def dev_signer_issue(*, ca: TrustAnchor, user, days: int = 730) -> SignerCredential:
    """Issue a signing certificate for `user` from the dev CA and store it as their PKCS#12."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca_cert = x509.load_pem_x509_certificate(ca.certificate_pem.encode())
    ca_key = serialization.load_pem_private_key(crypto.decrypt(ca.private_key_encrypted), password=None)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    profile = getattr(user, "staff", None)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Kecamatan {connection.tenant.name}"),
            x509.NameAttribute(NameOID.COMMON_NAME, user.get_full_name() or user.get_username()),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, getattr(profile, "nip", "") or str(user.pk)),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    password = secrets.token_urlsafe(24).encode()
    p12 = pkcs12.serialize_key_and_certificates(
        b"signer", key, cert, [ca_cert], serialization.BestAvailableEncryption(password)
    )
    return signer_credential_import_p12(user=user, p12=p12, password=password)
