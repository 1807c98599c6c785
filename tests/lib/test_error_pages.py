"""Our own error pages, in Bahasa Indonesia and English, on the regency host and a kecamatan host."""

import pytest
import redis
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches, get_resolver, path

from sipentol import urls_tenant as tenant_urls
from sipentol.lib import storage
from tests.conftest import JETIS_HOST

URLS = list(tenant_urls.urlpatterns)

HOSTS = {"regency": "localhost", "kecamatan": JETIS_HOST}
TITLES = {
    ("id", 400): "Permintaan tidak valid",
    ("en", 400): "Invalid request",
    ("id", 403): "Akses ditolak",
    ("en", 403): "Access denied",
    ("id", 404): "Halaman tidak ditemukan",
    ("en", 404): "Page not found",
    ("id", 500): "Terjadi kesalahan di server kami",
    ("en", 500): "Something went wrong on our server",
    ("id", 503): "Layanan sedang terganggu",
    ("en", 503): "Service disrupted",
}


def boom(request):
    raise RuntimeError("a bug")


def storage_down(request):
    raise storage.StorageUnavailable("object storage is down")


@pytest.fixture
def error_client(jetis, settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["localhost", ".localhost"]

    def make(host: str, language: str) -> Client:
        client = Client(HTTP_HOST=host, raise_request_exception=False, enforce_csrf_checks=True)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


def _answer(client, status: int, urls_module: str, monkeypatch):
    if status == 400:
        return client.get("/layanan/%00/")
    if status == 403:
        # A sign-in without its CSRF token (the language buttons need none: lib/locale.py).
        host = client.defaults["HTTP_HOST"]
        return client.post("/dashboard/masuk/" if host == HOSTS["regency"] else "/kantor/masuk/", {"username": "x"})
    if status == 404:
        return client.get("/tidak-ada-halaman-ini/")
    view = boom if status == 500 else storage_down
    module = __import__(urls_module, fromlist=["urlpatterns"])
    monkeypatch.setattr(module, "urlpatterns", [path("rusak/", view), *module.urlpatterns])
    clear_url_caches()
    try:
        return client.get("/rusak/")
    finally:
        monkeypatch.undo()
        clear_url_caches()


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("host_kind", list(HOSTS))
@pytest.mark.parametrize("status", [400, 403, 404, 500, 503])
def test_it_serves_our_error_page_for_each_status_host_and_language(
    error_client, jetis, monkeypatch, status, host_kind, language
):
    jetis.phone = "(0321) 361234"
    jetis.save(update_fields=["phone"])
    urls_module = "sipentol.urls_public" if host_kind == "regency" else "sipentol.urls_tenant"

    response = _answer(error_client(HOSTS[host_kind], language), status, urls_module, monkeypatch)

    page = response.content.decode()
    assert response.status_code == status
    assert TITLES[(language, status)] in page
    assert f'<html lang="{language}">' in page
    assert ("(0321) 361234" in page) is (host_kind == "kecamatan")


def test_it_renders_the_500_page_without_the_database(jetis, rf):
    request = rf.get("/", HTTP_HOST=JETIS_HOST)
    request.tenant = jetis
    handler = get_resolver("sipentol.urls_tenant").resolve_error_handler(500)

    with CaptureQueriesContext(connection) as queries:
        response = handler(request)

    assert response.status_code == 500 and len(queries) == 0
    assert "Terjadi kesalahan di server kami" in response.content.decode()


def database_down(request):
    raise OperationalError('connection to server on socket "/tmp/.s.PGSQL.5432" failed: No such file or directory')


def redis_down(request):
    raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.mark.parametrize(
    ("language", "text"),
    [("id", "Coba lagi dalam satu menit"), ("en", "Try again in a minute")],
)
@pytest.mark.parametrize("view", [database_down, redis_down])
def test_it_answers_503_with_retry_after_in_the_visitors_language_when_a_server_is_down(
    error_client, monkeypatch, view, language, text
):
    monkeypatch.setattr(tenant_urls, "urlpatterns", [path("rusak/", view), path("api/rusak/", view), *URLS])
    clear_url_caches()
    client = error_client(JETIS_HOST, language)

    page, api = client.get("/rusak/"), client.get("/api/rusak/")

    assert page.status_code == api.status_code == 503
    assert page["Retry-After"] == api["Retry-After"] == "60"
    assert f'<html lang="{language}">' in page.content.decode() and text in page.content.decode()
    assert text in api.json()["detail"]
    monkeypatch.undo()
    clear_url_caches()


def test_it_renders_the_outage_page_without_the_database(jetis, rf):
    request = rf.get("/", HTTP_HOST=JETIS_HOST)
    request.tenant = jetis
    handler = get_resolver("sipentol.urls_tenant").resolve_error_handler(500)

    with CaptureQueriesContext(connection) as queries:
        try:
            raise OperationalError("the database is restarting")
        except OperationalError:
            response = handler(request)

    assert response.status_code == 503 and len(queries) == 0
    assert "Layanan sedang terganggu" in response.content.decode()


def session_lost_with_the_database(request):
    """What SessionMiddleware raises when PostgreSQL went away before it could save the session."""
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        raise SessionInterrupted("The request's session was deleted before the request completed.")  # noqa: B904


def test_it_answers_503_not_400_when_the_session_could_not_be_saved_because_the_database_went_away(
    error_client, monkeypatch
):
    monkeypatch.setattr(tenant_urls, "urlpatterns", [path("rusak/", session_lost_with_the_database), *URLS])
    clear_url_caches()

    response = error_client(JETIS_HOST, "en").get("/rusak/")

    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "Try again in a minute" in response.content.decode()
    monkeypatch.undo()
    clear_url_caches()
