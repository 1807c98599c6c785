"""Citizen pages served from a cache to visitors without a session.

A kecamatan's home page, service list, service pages and the empty tracking form are the same
for every visitor who is not signed in, in a given language; rendering them costs five to eight
times a bare Django view (docs/performance.md, "Citizen pages on the production server"). The
`public_page` decorator keeps the rendered body in Redis, per kecamatan, language and address,
for PUBLIC_PAGE_CACHE_SECONDS, and serves it while the kecamatan's public content is unchanged.

When the cached body is not used:
- the visitor has a session or a pending message (a signed-in citizen or staff member, someone
  who was shown a message), or the request is not GET/HEAD;
- the kecamatan's public content changed since: `content_changed(kecamatan_id)` raises its
  version, and a body of an older version is ignored. The portal app calls it on every save and
  delete of the models its pages show (`portal/apps.py`), so an admin's change shows at once; a
  change that bypasses the model's signals (a queryset update) shows within the cache time.

What is never stored: an answer other than 200, one that sets a cookie, and one whose rendering
asked for a CSRF token (a page with a POST form is tied to the visitor's own token). A page that
shows an application is never cached: the decorator is for pages without personal data, and the
tracking page is cached only without a query string (`without_query_only`). Middleware still
runs on a cached answer: security headers, the language header, metrics and the request id are
the request's own.

Keys are in the "routing" cache (not keyed per schema): they name the kecamatan's id themselves.
A cache outage only means rendering: every read and write here fails open.
"""

from __future__ import annotations

import functools
import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.utils import translation

log = logging.getLogger(__name__)

_VERSION = "pages-version:{kecamatan_id}"
_PAGE = "page:{kecamatan_id}:{language}:{address}"


def _store():
    return caches["routing"]


def _kecamatan_id(request) -> int | None:
    tenant = getattr(request, "tenant", None)
    return getattr(tenant, "pk", None) if tenant is not None else None


def _anonymous(request) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _page_key(kecamatan_id: int, request) -> str:
    # The host too: a kecamatan with two host names keeps a page per name, whatever links it holds.
    # The address may be long or hold any character: a digest keeps the key short and plain.
    address = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return _PAGE.format(kecamatan_id=kecamatan_id, language=translation.get_language(), address=address)


def content_changed(kecamatan_id: int) -> None:
    """The kecamatan's public pages changed: bodies cached before are not served again."""
    key = _VERSION.format(kecamatan_id=kecamatan_id)
    try:
        try:
            _store().incr(key)
        except ValueError:  # no version yet
            _store().set(key, 1, timeout=None)
    except Exception:  # noqa: BLE001 - a cache outage: the bodies expire by themselves
        log.error("page cache unavailable: kecamatan %s's cached pages may be stale", kecamatan_id)


def public_page(view=None, *, without_query_only: bool = False):
    """Serve the view's answer from the cache to visitors without a session (module docstring).
    `without_query_only`: only the bare address is cached (a form page whose query string asks
    for something personal, such as the tracking page with a code)."""
    if view is None:
        return functools.partial(public_page, without_query_only=without_query_only)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        kecamatan_id = _kecamatan_id(request)
        if (
            kecamatan_id is None
            or request.method not in ("GET", "HEAD")
            or not _anonymous(request)
            or (without_query_only and request.META.get("QUERY_STRING"))
        ):
            return view(request, *args, **kwargs)
        page_key = _page_key(kecamatan_id, request)
        version_key = _VERSION.format(kecamatan_id=kecamatan_id)
        try:
            found = _store().get_many([page_key, version_key])
        except Exception:  # noqa: BLE001 - fail open: render
            log.warning("page cache unavailable; rendering %s", request.path)
            return view(request, *args, **kwargs)
        version = found.get(version_key, 0)
        cached = found.get(page_key)
        if cached is not None and cached[0] == version:
            _version, content_type, content = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and connection.schema_name == getattr(request.tenant, "schema_name", None)
        ):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            try:
                _store().set(
                    page_key,
                    (version, response["Content-Type"], response.content),
                    timeout=settings.PUBLIC_PAGE_CACHE_SECONDS,
                )
            except Exception:  # noqa: BLE001
                log.warning("page cache unavailable; %s not kept", request.path)
        return response

    return wrapper
