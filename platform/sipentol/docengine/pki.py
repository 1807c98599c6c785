"""Certificates and keys as bytes: a certificate authority, signer certificates, PKCS#12 files.

Nothing here knows where keys are kept; `sipentol.letters.pki` stores them (encrypted) in the
kecamatan's schema. The development CA issues certificates for `make run` and the tests; in
production a signer's certificate comes from BSrE or the regency's CA.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class CertificateInfo:
    certificate_pem: str
    valid_from: dt.datetime
    valid_to: dt.datetime


def p12_certificate(p12: bytes, password: bytes | None) -> CertificateInfo:
    """The certificate inside a PKCS#12 (which must open with `password`: raises otherwise)."""
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    _key, cert, _others = pkcs12.load_key_and_certificates(p12, password)
    return CertificateInfo(
        certificate_pem=cert.public_bytes(Encoding.PEM).decode(),
        valid_from=cert.not_valid_before_utc,
        valid_to=cert.not_valid_after_utc,
    )


def ca_create(common_name: str, *, organization: str, years: int = 10) -> tuple[str, bytes]:
    """A new self-signed CA: (certificate PEM, private key PEM unencrypted: encrypt it to store it)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
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
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem


def signer_certificate_issue(
    *,
    ca_certificate_pem: str,
    ca_key_pem: bytes,
    common_name: str,
    organization: str,
    serial: str,
    days: int = 730,
    organizational_unit: str = "",
) -> tuple[bytes, bytes]:
    """A signing certificate from the CA, as a PKCS#12 and its new random password.

    `organizational_unit` names the unit the signer signs for (a desa's Kemendagri code for a
    Kepala Desa: how a pushed pengantar is tied to its desa)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca_cert = x509.load_pem_x509_certificate(ca_certificate_pem.encode())
    ca_key = serialization.load_pem_private_key(ca_key_pem, password=None)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    unit = [x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, organizational_unit)] if organizational_unit else []
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            *unit,
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, serial),
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
    return p12, password


@dataclass(frozen=True)
class CaCertificate:
    certificate_pem: str
    subject: str
    fingerprint_sha256: str
    valid_to: dt.datetime
    self_signed: bool  # a root; else an intermediate, trusted only through a root


class NotACaCertificate(ValueError):
    """The bytes are not one X.509 CA certificate (PEM or DER); str(exc) says why, for a person."""


def certificate_pem_info(certificate_pem: str) -> CertificateInfo:
    """Validity of a PEM certificate (a BSrE signer's, as the API gave it)."""
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(certificate_pem.encode())
    return CertificateInfo(
        certificate_pem=certificate_pem, valid_from=cert.not_valid_before_utc, valid_to=cert.not_valid_after_utc
    )


def ca_certificate_parse(data: bytes) -> CaCertificate:
    """One CA certificate from PEM or DER bytes; raises NotACaCertificate for anything else
    (garbage, a key, a signer's own certificate without basicConstraints CA=true)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        cert = (
            x509.load_pem_x509_certificate(data)
            if data.lstrip().startswith(b"-----BEGIN")
            else x509.load_der_x509_certificate(data)
        )
    except ValueError:
        raise NotACaCertificate(
            _("Berkas ini bukan sertifikat X.509 (PEM atau DER). Unggah berkas .crt, .cer atau .pem dari penerbit.")
        ) from None
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if not is_ca:
        raise NotACaCertificate(
            _(
                "Sertifikat ini bukan sertifikat CA (akar atau antara): "
                "sertifikat penanda tangan tidak dipasang di sini."
            )
        )
    return CaCertificate(
        certificate_pem=cert.public_bytes(Encoding.PEM).decode(),
        subject=cert.subject.rfc4514_string(),
        fingerprint_sha256=cert.fingerprint(hashes.SHA256()).hex(),
        valid_to=cert.not_valid_after_utc,
        self_signed=cert.issuer == cert.subject,
    )
