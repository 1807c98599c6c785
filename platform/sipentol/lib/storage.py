"""The one adapter over object storage (MinIO / any S3 API, via the minio SDK).

Keys are `{schema}/{uuid}`: never derived from a user's file name, and always inside the
current kecamatan's prefix. Inside a tenant the adapter refuses any other tenant's key, so a
leaked or guessed key from another kecamatan reads nothing. The bucket is private; a browser
gets a file only through an authorised view or a short-lived presigned URL.
"""

from __future__ import annotations

import io
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import lru_cache
from typing import BinaryIO

import certifi
import urllib3
from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from minio import Minio
from minio.error import S3Error, ServerError

# Uploads go up in S3's smallest part (5 MiB), one part at a time: a web worker then holds at
# most one part in memory per upload, whatever the file's size (the SDK's default is 3 parallel).
PART_SIZE = 5 * 1024 * 1024
_KEY_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}/[0-9a-f]{32}$")


class ForeignKeyError(PermissionError):
    """A key outside the current kecamatan's prefix."""


class ObjectMissing(LookupError):
    pass


class StorageUnavailable(ConnectionError):
    """Object storage did not answer in time (down, frozen, unreachable) or answered 5xx.

    From `put`, `key` names the object that may or may not have been stored.
    """

    key: str | None = None


@lru_cache(maxsize=1)
def client() -> Minio:
    """The SDK client with explicit time limits.

    The SDK's own default waits 5 minutes per read and retries 5 times, so a frozen server held
    an upload for over a minute. Here a call waits at most S3_TIMEOUT_SECONDS (default 10) to
    connect and to read, retries a refused connection or a 5xx twice with a short back-off, and
    never retries a read that timed out: a server that froze does not thaw within seconds.
    """
    timeout = settings.S3_TIMEOUT_SECONDS
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=timeout, read=timeout),
        maxsize=10,
        cert_reqs="CERT_REQUIRED",
        ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),  # as the SDK's own default
        retries=urllib3.Retry(
            total=2, connect=2, read=0, status=2, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]
        ),
    )
    return Minio(
        settings.S3_ENDPOINT,
        access_key=settings.S3_ACCESS_KEY,
        secret_key=settings.S3_SECRET_KEY,
        secure=settings.S3_SECURE,
        region=settings.S3_REGION,
        http_client=http,
    )


def _forget_client(*, setting: str, **kwargs) -> None:
    if setting.startswith("S3_"):
        client.cache_clear()


setting_changed.connect(_forget_client)


@contextmanager
def _answering():
    """Turn "storage did not answer" (timeouts, refused connections, 5xx) into StorageUnavailable."""
    try:
        yield
    except (urllib3.exceptions.HTTPError, ServerError) as exc:
        raise StorageUnavailable(f"object storage at {settings.S3_ENDPOINT} is unavailable: {exc}") from exc


def ensure_bucket() -> None:
    """Create the private bucket if it is missing (idempotent; called on start)."""
    c = client()
    with _answering():
        if c.bucket_exists(settings.S3_BUCKET):
            return
        try:
            c.make_bucket(settings.S3_BUCKET)
        except S3Error as exc:  # another process made it first
            if exc.code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise


def _schema() -> str:
    return connection.schema_name


def new_key() -> str:
    return f"{_schema()}/{uuid.uuid4().hex}"


def check_key(key: str) -> str:
    """The key, if it is well formed and belongs to the current schema; else raise."""
    if not _KEY_RE.match(key or ""):
        raise ForeignKeyError(f"malformed object key {key!r}")
    if key.split("/", 1)[0] != _schema():
        raise ForeignKeyError(f"object key {key!r} belongs to another kecamatan")
    return key


def put(stream: BinaryIO, *, content_type: str, length: int = -1, key: str | None = None) -> str:
    """Stream `stream` to storage under a new (or given, own-tenant) key; return the key."""
    key = check_key(key) if key else new_key()
    try:
        with _answering():
            client().put_object(
                settings.S3_BUCKET,
                key,
                stream,
                length=length,
                content_type=content_type,
                part_size=PART_SIZE,
                num_parallel_uploads=1,
            )
    except StorageUnavailable as exc:
        exc.key = key  # a frozen server may still store it once it thaws: the caller may delete it later
        raise
    return key


def get(key: str) -> bytes:
    return b"".join(iter_chunks(key))


def iter_chunks(key: str, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    check_key(key)
    try:
        with _answering():
            response = client().get_object(settings.S3_BUCKET, key)
    except S3Error as exc:
        if exc.code == "NoSuchKey":
            raise ObjectMissing(key) from exc
        raise
    try:
        with _answering():
            yield from response.stream(chunk_size)
    finally:
        response.close()
        response.release_conn()


def exists(key: str) -> bool:
    check_key(key)
    try:
        with _answering():
            client().stat_object(settings.S3_BUCKET, key)
    except S3Error as exc:
        if exc.code in {"NoSuchKey", "NoSuchObject", "NotFound"}:
            return False
        raise
    return True


def delete(key: str) -> None:
    check_key(key)
    with _answering():
        client().remove_object(settings.S3_BUCKET, key)


def presigned_get(key: str, *, seconds: int | None = None, filename: str | None = None) -> str:
    """A URL valid for a few minutes (S3_PRESIGN_SECONDS, default 300) to download one object."""
    check_key(key)
    expires = timedelta(seconds=seconds or settings.S3_PRESIGN_SECONDS)
    headers = {"response-content-disposition": f'attachment; filename="{filename}"'} if filename else None
    return client().presigned_get_object(settings.S3_BUCKET, key, expires=expires, response_headers=headers)


def ping() -> None:
    with _answering():
        client().bucket_exists(settings.S3_BUCKET)


PREFIX_MARKER = b"SIPENTOL: object prefix of this kecamatan\n"


def prefix_ensure() -> str:
    """Provisioning: write (once) and read back a marker under the current kecamatan's prefix,
    proving the bucket takes and gives back its objects before anyone uploads. Idempotent: the
    marker's key is derived from the schema, so a second run finds it. Returns its key."""
    ensure_bucket()
    key = f"{_schema()}/{uuid.uuid5(uuid.NAMESPACE_URL, f'sipentol:prefix-marker:{_schema()}').hex}"
    if not exists(key):
        put(io.BytesIO(PREFIX_MARKER), content_type="text/plain", length=len(PREFIX_MARKER), key=key)
    if get(key) != PREFIX_MARKER:
        raise StorageUnavailable(f"object storage gave back another marker for {key}")
    return key


def prefix_size() -> int:
    """Bytes stored under the current schema's prefix (`{schema}/`), for the storage quota.

    Lists every object under the prefix; the SDK follows S3's continuation tokens, 1,000 keys a
    page, so a kecamatan with many files is listed in full while memory holds one page.
    """
    total = 0
    with _answering():
        for obj in client().list_objects(settings.S3_BUCKET, prefix=f"{_schema()}/", recursive=True):
            total += obj.size or 0
    return total
