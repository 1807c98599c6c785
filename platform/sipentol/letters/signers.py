"""The signer adapter for a stored SignerCredential: the registry from credential kind to the
document engine's adapters (`sipentol.docengine.signing`), which take keys, never models."""

from __future__ import annotations

from django.db import connection

from sipentol.docengine import crypto
from sipentol.docengine.signing import BsreRemoteSigner, Pkcs12Signer

from .models import SignerCredential


def _pkcs12(credential: SignerCredential) -> Pkcs12Signer:
    blob = bytes(credential.p12_encrypted or b"")

    def load() -> tuple[bytes, bytes | None]:
        password = crypto.decrypt(credential.p12_password_encrypted) if credential.p12_password_encrypted else None
        return crypto.decrypt(blob), password

    # The cached key is per kecamatan and credential: two schemas may hold a row with the same pk.
    return Pkcs12Signer(fingerprint=blob, load=load, cache_scope=(connection.schema_name, credential.pk))


def _bsre(credential: SignerCredential) -> BsreRemoteSigner:
    return BsreRemoteSigner(nik=credential.bsre_nik)


ADAPTERS = {SignerCredential.Kind.PKCS12: _pkcs12, SignerCredential.Kind.BSRE: _bsre}


def adapter_for(credential: SignerCredential):
    return ADAPTERS[credential.kind](credential)
