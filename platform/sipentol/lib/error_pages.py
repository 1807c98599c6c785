"""Our own 400/403/404/500/503 pages, on the regency host and on every kecamatan host.

The pages speak the visitor's language (the one ChosenLanguageMiddleware chose) and, on a
kecamatan's host, name how to reach its office. Under `/api/` the same errors answer JSON.
The 500 page is rendered without a request context and without the database: whatever broke
(the database included) must not break the page that says so.

`RequestGuardMiddleware` is the one home for values the database would refuse: PostgreSQL
cannot store or compare text holding a NUL character, and every path and query-string value
may reach a query (a selector, a form, a lookup by code). The guard answers 400 before any
view runs. Form bodies need no guard: Django's form CharField already refuses NUL with a
field message.

An outage of a server the page depends on (the database restarting, Redis stopped, object
storage not answering) is not our error: wherever it surfaces, even in a middleware before the
view, the visitor gets a 503 saying to try again in a minute, with `Retry-After`, in their
language, rendered without the database (`server_error` tells outages apart).
"""

from __future__ import annotations

import sys

import redis
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

from . import storage
from .locale import chosen_language

RETRY_AFTER_SECONDS = 60
# A server we depend on did not answer: the visitor should simply try again shortly.
OUTAGES = (
    storage.StorageUnavailable,
    OperationalError,  # PostgreSQL down, restarting, or cutting the connection
    InterfaceError,  # a connection PostgreSQL closed under us
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


class NulCharacter(BadRequest):
    """The path or the query string holds a NUL character."""


def _office(request):
    """The kecamatan whose host this is (already loaded by the routing middleware), or None."""
    return getattr(request, "tenant", None)


def _wants_json(request) -> bool:
    return request.path_info.startswith("/api/")


def _page(request, status: int, title: str, message: str, **extra) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=status)
    context = {"status": status, "title": title, "message": message, "office": _office(request), **extra}
    return HttpResponse(loader.render_to_string(f"{status}.html", context, request=request), status=status)


def _outage_behind(exception: BaseException | None) -> bool:
    """True if `exception`, or one it was raised while handling, is an outage.

    Django reports some outages as something else: a session the database could not save
    becomes SessionInterrupted (a 400), after the view's own write had committed.
    """
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, OUTAGES):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def bad_request(request, exception=None):
    if _outage_behind(exception):
        with translation.override(chosen_language(request)):
            return _outage(request)
    if isinstance(exception, NulCharacter):
        message = _("Alamat atau isian pencarian berisi karakter yang tidak sah (NUL). Periksa lagi lalu coba kembali.")
    else:
        message = _("Permintaan ini tidak dapat kami proses. Periksa alamat atau isian Anda lalu coba kembali.")
    return _page(request, 400, _("Permintaan tidak valid"), message)


def permission_denied(request, exception=None):
    return _page(
        request,
        403,
        _("Akses ditolak"),
        _(
            "Anda tidak berhak membuka halaman ini, atau sesi formulir sudah kedaluwarsa. "
            "Muat ulang halaman lalu coba lagi."
        ),
    )


def csrf_failure(request, reason: str = ""):
    return permission_denied(request)


def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        _("Halaman tidak ditemukan"),
        _("Halaman yang Anda cari tidak ada atau sudah dipindahkan. Periksa lagi alamatnya."),
    )


def unavailable(request, message: str | None = None) -> HttpResponse:
    response = _page(
        request,
        503,
        _("Layanan sedang terganggu"),
        message or _("Penyimpanan berkas sedang tidak dapat dihubungi. Coba lagi dalam satu menit."),
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """Static-safe: no request context, no context processors, no database, no static manifest.

    Django calls it while handling the exception, so `sys.exc_info()` says what went wrong:
    an outage (OUTAGES) answers 503 "try again in a minute" instead of 500.
    """
    with translation.override(chosen_language(request)):
        if _outage_behind(sys.exc_info()[1]):
            return _outage(request)
        return _server_error(request)


def _outage(request) -> HttpResponse:
    message = _(
        "Layanan sedang terganggu sebentar, jadi permintaan Anda belum tersimpan. Coba lagi dalam satu menit. "
        "Isian yang sudah Anda ketik masih ada bila Anda kembali ke halaman sebelumnya dengan tombol Kembali."
    )
    if _wants_json(request):
        response = JsonResponse({"detail": message}, status=503)
    else:
        context = {"office": _office(request), "title": _("Layanan sedang terganggu"), "message": message}
        response = HttpResponse(loader.get_template("503_outage.html").render(context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _server_error(request) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"detail": _("Terjadi kesalahan di server kami. Coba lagi beberapa saat lagi.")}, status=500
        )
    office = _office(request)
    return HttpResponse(loader.get_template("500.html").render({"office": office}), status=500)


class RequestGuardMiddleware:
    """Answers 400 for a NUL in the path or the query string; 503 when object storage is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise NulCharacter("NUL character in the path or query string")
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, storage.StorageUnavailable):
            return unavailable(request)
        return None
