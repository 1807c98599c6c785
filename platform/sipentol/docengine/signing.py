"""PAdES signatures (pyHanko, sub-filter ETSI.CAdES.detached) through one adapter per provider.

Adapters take keys and certificates, never models (`sipentol.letters.signers` maps a
SignerCredential onto one): `Pkcs12Signer` (a signer's own PKCS#12, its key cached in memory
after the first use: pyHanko's stock loader would re-read and re-decrypt it for every
signature) and `BsreRemoteSigner` (BSrE-like remote API: POST the PDF with NIK + passphrase,
get the signed PDF back; the passphrase is sent once and never stored or logged).
With settings.SIGNING_TSA_URL set, local signatures carry an RFC 3161 timestamp (PAdES-B-T).
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)
FIELD_NAME = "TandaTanganCamat"


class SigningError(Exception):
    """Signing failed; str(exc) is a message for the signer, in Bahasa Indonesia."""


# ---------------------------------------------------------------------------- adapters
class Pkcs12Signer:
    """Signs with a PKCS#12. `load` returns (p12 bytes, password) and is called only when the
    key is not cached yet; `cache_scope` tells apart signers whose files could be equal."""

    _cache: dict[tuple, object] = {}
    _lock = threading.Lock()

    def __init__(self, *, fingerprint: bytes, load, cache_scope: tuple = ()):
        self.fingerprint = fingerprint
        self.load = load
        self.cache_scope = cache_scope

    def _simple_signer(self):
        from pyhanko.sign.signers import SimpleSigner

        key = (*self.cache_scope, hashlib.sha256(self.fingerprint).hexdigest())
        signer = self._cache.get(key)
        if signer is None:
            try:
                p12, password = self.load()
                loaded = SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=password)
                signer = cached_key_signer(loaded)
            except Exception as exc:  # cryptography raises several types for a bad file/password
                raise SigningError(
                    _("Sertifikat penanda tangan tidak dapat dibuka. Hubungi admin kecamatan untuk memasang ulang.")
                ) from exc
            with self._lock:
                self._cache[key] = signer
        return signer

    def sign(self, pdf: bytes, *, passphrase: str | None, reason: str, location: str) -> bytes:
        return pades_sign(pdf, self._simple_signer(), reason=reason, location=location)


def cached_key_signer(simple_signer):
    """A SimpleSigner that parses its private key once.

    pyHanko's SimpleSigner.sign_raw re-parses the DER key with every signature, twice per PDF
    (a dry run sizes the signature); for RSA the key check makes that ~40 ms each time.
    It also remembers the signature size so that pades_sign can skip pyHanko's dry run.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class CachedKeySigner(SimpleSigner):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._pyca_key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
            # /Contents placeholder size per TSA URL, learned from the first signature (pades_sign)
            self.reserved_sizes: dict[str, int] = {}

        def _mechanism(self, digest_algorithm: str) -> str:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                return mechanism.signature_algo
            except ValueError:
                return mechanism["algorithm"].native

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism, key = self._mechanism(digest_algorithm), self._pyca_key
            if mechanism == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
                return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            if mechanism == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
                return key.sign(data, ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
            return super().sign_raw(data, digest_algorithm)

        async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
            key = self._pyca_key
            if dry_run and isinstance(key, RSAPrivateKey) and self._mechanism(digest_algorithm) == "rsassa_pkcs1v15":
                return bytes(key.key_size // 8)  # an RSA signature is exactly this long
            return self.sign_raw(data, digest_algorithm)

    return CachedKeySigner(
        signing_key=simple_signer.signing_key,
        signing_cert=simple_signer.signing_cert,
        cert_registry=simple_signer.cert_registry,
        signature_mechanism=simple_signer.signature_mechanism,
    )


def _bsre_json(response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _bsre_api_message(response) -> str:
    """The API's own error text (`message` or `error` of its JSON), short and single-line: shown
    to the admin or the signer so they can tell a wrong passphrase from an expired certificate."""
    body = _bsre_json(response)
    text = str(body.get("message") or body.get("error") or "")
    return " ".join(text.split())[:200]


def _bsre_request(method: str, path: str, **kwargs):
    """One call to the BSrE API with the regency's account (BSRE_USERNAME/BSRE_PASSWORD).

    Raises SigningError, in words for a person, when BSrE is not configured, cannot be reached,
    or refuses the regency's account (HTTP 401): then no signer can do anything about it.
    """
    import requests

    if not settings.BSRE_URL:
        raise SigningError(_("Layanan BSrE belum dikonfigurasi (BSRE_URL kosong). Hubungi admin Diskominfo."))
    if not settings.BSRE_USERNAME or not settings.BSRE_PASSWORD:
        raise SigningError(
            _("Akun aplikasi untuk BSrE belum diisi (BSRE_USERNAME/BSRE_PASSWORD). Hubungi admin Diskominfo.")
        )
    try:
        response = requests.request(
            method,
            settings.BSRE_URL.rstrip("/") + path,
            auth=(settings.BSRE_USERNAME, settings.BSRE_PASSWORD),
            timeout=settings.BSRE_TIMEOUT_SECONDS,
            **kwargs,
        )
    except requests.RequestException as exc:
        # Only the exception type: its text could carry the request.
        log.warning("BSrE unreachable: %s", type(exc).__name__)
        raise SigningError(_("Layanan BSrE tidak dapat dihubungi. Coba lagi beberapa saat lagi.")) from None
    if response.status_code == 401:
        log.warning("BSrE refused the application account (HTTP 401)")
        raise SigningError(
            _(
                "BSrE menolak akun aplikasi kabupaten (BSRE_USERNAME/BSRE_PASSWORD salah atau tidak aktif). "
                "Hubungi admin Diskominfo."
            )
        )
    return response


class BsreRemoteSigner:
    """Client of a BSrE-like signing API: POST {BSRE_URL}/api/sign/pdf (multipart)."""

    def __init__(self, *, nik: str):
        self.nik = nik

    def sign(self, pdf: bytes, *, passphrase: str | None, reason: str, location: str) -> bytes:
        if not passphrase:
            raise SigningError(_("Masukkan passphrase BSrE Anda untuk menandatangani."))
        response = _bsre_request(
            "POST",
            "/api/sign/pdf",
            files={"file": ("surat.pdf", pdf, "application/pdf")},
            data={"nik": self.nik, "passphrase": passphrase, "tampilan": "invisible"},
        )
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            log.warning("BSrE refused to sign (HTTP %s)", response.status_code)
            if response.status_code in (400, 403):
                detail = _bsre_api_message(response)
                text = _("BSrE menolak permintaan: periksa NIK dan passphrase Anda, lalu coba lagi.")
                raise SigningError(f"{text} (BSrE: {detail})" if detail else text)
            raise SigningError(_("BSrE gagal menandatangani surat. Coba lagi beberapa saat lagi."))
        return response.content


@dataclass
class BsreUserStatus:
    """What BSrE says about one signer (GET /api/user/status/<nik>)."""

    ok: bool
    message: str
    certificate_pem: str = ""


def bsre_user_status(*, nik: str, user_id: str = "") -> BsreUserStatus:
    """Ask BSrE whether the signer with this NIK has an active certificate (the enrolment page's
    "test" button). `ok` only for status ISSUE and, when BSrE names the account, the same user id;
    otherwise `message` is the API's own words. Raises SigningError when BSrE itself cannot be used."""
    response = _bsre_request("GET", f"/api/user/status/{nik}")
    detail = _bsre_api_message(response)
    if response.status_code != 200:
        return BsreUserStatus(
            ok=False, message=detail or _("BSrE menjawab HTTP %(code)s.") % {"code": response.status_code}
        )
    body = _bsre_json(response)
    status = str(body.get("status", "")).upper()
    if status != "ISSUE":
        return BsreUserStatus(
            ok=False, message=detail or _("Sertifikat belum aktif (status BSrE: %(s)s).") % {"s": status or "-"}
        )
    if user_id and body.get("user_id") and str(body["user_id"]) != user_id:
        return BsreUserStatus(
            ok=False, message=_("NIK ini terdaftar di BSrE dengan ID pengguna lain. Periksa ID pengguna BSrE.")
        )
    return BsreUserStatus(
        ok=True, message=detail or _("Sertifikat aktif."), certificate_pem=str(body.get("certificate") or "")
    )


def pades_sign(pdf: bytes, simple_signer, *, reason: str, location: str) -> bytes:
    """PAdES-sign `pdf`.

    Without `bytes_reserved` pyHanko sizes the /Contents placeholder by building a whole dummy
    CMS signature first (~40% of the signing time). The size only depends on the certificate
    and the TSA, so a signer that has `reserved_sizes` (cached_key_signer) learns it from its
    first signature (pyHanko's own estimate, with its 50% margin) and re-uses it.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError as PyHankoSigningError

    tsa_url = getattr(settings, "SIGNING_TSA_URL", "")
    timestamper = None
    if tsa_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(tsa_url, timeout=settings.SIGNING_TSA_TIMEOUT_SECONDS)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    pdf_signer = signers.PdfSigner(meta, signer=simple_signer, timestamper=timestamper)
    sizes = getattr(simple_signer, "reserved_sizes", None)
    reserved = sizes.get(tsa_url) if sizes is not None else None
    try:
        out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), bytes_reserved=reserved)
    except PyHankoSigningError:
        if reserved is None:
            raise
        # The learned size was too small after all (e.g. a longer TSA answer): let pyHanko size it.
        sizes.pop(tsa_url, None)
        reserved = None
        out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)))
    signed = out.getvalue()
    if sizes is not None and reserved is None:
        sizes[tsa_url] = _reserved_size(signed)
    return signed


def _reserved_size(signed_pdf: bytes) -> int:
    """Size of the last signature's /Contents placeholder, in hex digits (pyHanko's unit)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    signature = PdfFileReader(io.BytesIO(signed_pdf)).embedded_signatures[-1]
    return len(signature.sig_object["/Contents"]) * 2


# ---------------------------------------------------------------------------- validation
@dataclass
class SignatureCheck:
    valid: bool  # intact, cryptographically valid, trusted, and covering the whole file
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    timestamped: bool = False
    signer: str = ""
    # The signer certificate's organisational units (OU): a Kepala Desa's names their desa's code.
    signer_units: list[str] = field(default_factory=list)
    signed_at: datetime | None = None
    problems: list[str] = field(default_factory=list)


def load_certificates(pems: list[str]):
    from asn1crypto import pem, x509

    certs = []
    for text in pems:
        for _name, _headers, der in pem.unarmor(text.encode(), multiple=True):
            certs.append(x509.Certificate.load(der))
    return certs


def pdf_signature_check(pdf: bytes, *, trust_pems: list[str], intermediate_pems: list[str] = ()) -> SignatureCheck:
    """Validate the (last) signature of `pdf` against the given root certificates; intermediates
    may complete a chain but are never trusted on their own."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001  (a damaged file is simply not a valid letter)
        return SignatureCheck(valid=False, problems=["unreadable"])
    if not signatures:
        return SignatureCheck(valid=False, problems=["unsigned"])
    context = ValidationContext(
        trust_roots=load_certificates(trust_pems),
        other_certs=load_certificates(list(intermediate_pems)),
        allow_fetching=settings.LETTERS_VERIFY_FETCH_REVOCATION,
        revocation_mode="soft-fail",
    )
    try:
        status = validate_pdf_signature(signatures[-1], context)
    except Exception as exc:  # noqa: BLE001  (a damaged or hostile file is simply not a valid letter)
        return SignatureCheck(valid=False, problems=[type(exc).__name__])
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    check = SignatureCheck(
        valid=bool(status.bottom_line and whole),
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        whole_file=whole,
        timestamped=status.timestamp_validity is not None and bool(status.timestamp_validity.valid),
        signer=status.signing_cert.subject.human_friendly if status.signing_cert else "",
        signer_units=_units(status.signing_cert),
        signed_at=status.signer_reported_dt,
    )
    if not check.intact:
        check.problems.append("digest")
    if not check.trusted:
        check.problems.append("untrusted")
    if not whole:
        check.problems.append("modified_after_signing")
    return check


def _units(certificate) -> list[str]:
    if certificate is None:
        return []
    value = certificate.subject.native.get("organizational_unit_name") or []
    return [value] if isinstance(value, str) else list(value)
