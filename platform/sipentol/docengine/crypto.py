"""Encryption at rest of signing keys (PKCS#12 files, CA keys) with Fernet.

The key comes from settings.SIGNING_KEY_ENCRYPTION_KEY (a Fernet key); when it is unset it is
derived from SECRET_KEY, so rotating SECRET_KEY without setting it makes stored keys unreadable.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(key_material: str):
    from cryptography.fernet import Fernet

    try:
        return Fernet(key_material.encode())
    except ValueError:
        digest = hashlib.sha256(b"sipentol-letters-signing-keys:" + key_material.encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))


def _key_material() -> str:
    return getattr(settings, "SIGNING_KEY_ENCRYPTION_KEY", "") or settings.SECRET_KEY


def encrypt(data: bytes) -> bytes:
    return _fernet(_key_material()).encrypt(data)


def decrypt(token: bytes | memoryview) -> bytes:
    return _fernet(_key_material()).decrypt(bytes(token))
