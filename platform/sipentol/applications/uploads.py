"""The citizen's files for an application's requirements: stored before the write, and given
back (deleted) when the write is refused, so that no refused request leaves a file behind.

The one home of that sequence, for the form pages, the kiosk, assisted mode and the API.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError, connection

from sipentol.celery import app
from sipentol.lib import storage
from sipentol.lib.uploads import StoredUpload, UploadRejected, store_upload

from .models import Document

log = logging.getLogger(__name__)

# requirement code -> (requirement name, stored file)
Uploads = dict[str, tuple[str, StoredUpload]]


def requirement_files_store(form, requirements, files) -> Uploads | None:
    """Store each uploaded file of `requirements` (field `doc_<code>`); a rejected file becomes
    that field's error on `form`. On any error, delete what was stored and return None."""
    stored: Uploads = {}
    for req in requirements:
        upload = files.get(f"doc_{req.code}")
        if not upload:
            continue
        try:
            result = _store(stored, upload, req)
        except UploadRejected as exc:
            form.add_error(f"doc_{req.code}", exc)
            continue
        stored[req.code] = (req.name, result)
    if form.errors:
        uploads_discard(stored)
        return None
    return stored


def _store(stored: Uploads, upload, req):
    """One file; when storage stops answering, give back (later) what this request may have
    stored, the file that failed included, and re-raise."""
    try:
        return store_upload(
            upload,
            original_name=upload.name,
            label=req.name,
            accepted_types=req.accepted_types,
            max_image_mb=req.max_image_mb,
            max_pdf_mb=req.max_pdf_mb,
        )
    except storage.StorageUnavailable as exc:
        # Not now: storage is not answering, and the citizen would wait for it once more.
        _discard_later([*(s.key for _name, s in stored.values()), *([exc.key] if exc.key else [])])
        raise


def uploads_discard(uploads: Uploads) -> None:
    """The write that would have kept these files was refused or was a repeat: delete them."""
    for _name, stored in uploads.values():
        storage.delete(stored.key)


@contextlib.contextmanager
def uploads_kept_only_if_saved(uploads: Uploads) -> Iterator[None]:
    """Around the write that keeps these files: if it fails in any way (refused, or the database
    went away), delete them and re-raise.

    Unless the database cannot say whether they were kept: a connection lost at COMMIT may have
    committed, and a stray file is better than an application whose file was deleted.
    """
    try:
        yield
    except Exception:
        keys = [stored.key for _name, stored in uploads.values()]
        try:
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()  # the next query reconnects
            saved = Document.objects.filter(key__in=keys).exists()
        except DatabaseError:
            _discard_later(keys)  # the task looks again, when the database answers
            raise
        if not saved:
            try:
                uploads_discard(uploads)
            except storage.StorageUnavailable:
                _discard_later(keys)
        raise


def uploads_discard_unreferenced(keys: list[str]) -> int:
    """Delete those of `keys` that no document refers to; returns how many. For keys made by one
    request that failed (each key is new, so only that request's write could refer to it)."""
    referenced = set(Document.objects.filter(key__in=keys).values_list("key", flat=True))
    stray = [key for key in keys if key not in referenced]
    for key in stray:
        storage.delete(key)  # S3 answers a delete of a missing object with success
    return len(stray)


def _discard_later(keys: list[str]) -> None:
    """Queue `uploads_discard_unreferenced` for when storage and the database answer again."""
    if not keys:
        return
    try:
        app.send_task(
            "applications.discard_stray_uploads", args=[keys], countdown=settings.UPLOADS_STRAY_DISCARD_SECONDS
        )
    except Exception:  # noqa: BLE001 - kombu raises many types when the broker is unreachable
        log.warning("broker unavailable: files %s of a failed request stay in storage", keys)
