"""The citizen's files for an application's requirements: stored before the write, and given
back (deleted) when the write is refused, so that no refused request leaves a file behind.

The one home of that sequence, for the form pages, the kiosk, assisted mode and the API.
"""

from __future__ import annotations

import contextlib

from sipentol.lib import storage
from sipentol.lib.uploads import StoredUpload, UploadRejected, store_upload

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
    """One file; when storage stops answering, give back what this request stored and re-raise."""
    try:
        return store_upload(
            upload,
            original_name=upload.name,
            label=req.name,
            accepted_types=req.accepted_types,
            max_image_mb=req.max_image_mb,
            max_pdf_mb=req.max_pdf_mb,
        )
    except storage.StorageUnavailable:
        with contextlib.suppress(storage.StorageUnavailable):  # best effort: storage is down
            uploads_discard(stored)
        raise


def uploads_discard(uploads: Uploads) -> None:
    """The write that would have kept these files was refused or was a repeat: delete them."""
    for _name, stored in uploads.values():
        storage.delete(stored.key)
