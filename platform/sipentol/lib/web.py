"""Small helpers shared by every app's pages (no app imports here: any view may use them)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse

from . import storage
from .errors import error_text


def run_step(request, action: Callable[[], object], success: str) -> bool:
    """Run one service for a staff POST and flash its outcome; a refusal becomes the message."""
    try:
        action()
    except (ValueError, ValidationError) as exc:  # a lifecycle TransitionError is a ValueError too
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success)
    return True


def stored_file_response(key: str, *, content_type: str, filename: str) -> StreamingHttpResponse:
    """Stream a stored object inline to an authorised staff page; never cached by a proxy.

    The object is opened before the response leaves the view (inside this kecamatan's schema and
    key prefix), so a missing object is a 404 rather than a broken download.
    """
    try:
        chunks = storage.iter_chunks(key)
        first = next(chunks, b"")
    except storage.ObjectMissing as exc:
        raise Http404 from exc
    response = StreamingHttpResponse(itertools.chain([first], chunks), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
