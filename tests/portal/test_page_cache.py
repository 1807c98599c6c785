"""Citizen pages served from the cache to visitors without a session (sipentol/lib/pagecache.py):
the second visit reads nothing from the database, an admin's change shows at once, and nothing
personal or per-visitor is ever served from it."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from services_catalog.configured.models import KecamatanService
from services_catalog.configured.services import kecamatan_service_set_enabled, kecamatan_service_update
from sipentol.lib.pagecache import public_page
from tenants.models import Desa
from tests.conftest import JETIS_HOST, MOJOSARI_HOST


def _visit(client: Client, path: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode(), len(queries)


def test_it_serves_a_second_visit_of_each_public_page_without_reading_the_database(jetis, jetis_client):
    with tenant_context(jetis):
        slug = KecamatanService.objects.filter(enabled=True).order_by("order").first().slug
    for path in ["/", "/layanan/", f"/layanan/{slug}/", "/lacak/"]:
        first, _ = _visit(jetis_client, path)
        second, queries = _visit(jetis_client, path)

        assert second == first, path
        assert queries == 0, path


def test_it_shows_an_admins_change_of_a_service_at_once(jetis, jetis_client):
    with tenant_context(jetis):
        service = KecamatanService.objects.filter(enabled=True).order_by("order").first()
    _visit(jetis_client, "/layanan/")
    _visit(jetis_client, f"/layanan/{service.slug}/")

    with tenant_context(jetis):
        kecamatan_service_update(service=service, actor="admin", changes={"name": "Surat Keterangan Baru Sekali"})

    assert "Surat Keterangan Baru Sekali" in _visit(jetis_client, "/layanan/")[0]
    assert "Surat Keterangan Baru Sekali" in _visit(jetis_client, f"/layanan/{service.slug}/")[0]
    with tenant_context(jetis):
        kecamatan_service_set_enabled(service=service, enabled=False, actor="admin")
    assert "Surat Keterangan Baru Sekali" not in _visit(jetis_client, "/layanan/")[0]


def test_it_keeps_each_kecamatans_and_each_languages_pages_apart(jetis, mojosari):
    jetis_page, _ = _visit(Client(HTTP_HOST=JETIS_HOST), "/layanan/")
    mojosari_page, _ = _visit(Client(HTTP_HOST=MOJOSARI_HOST), "/layanan/")
    english = Client(HTTP_HOST=JETIS_HOST)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english_page, _ = _visit(english, "/layanan/")

    assert "Kecamatan Jetis" in jetis_page and "Kecamatan Mojosari" not in jetis_page
    assert "Kecamatan Mojosari" in mojosari_page and "Kecamatan Jetis" not in mojosari_page
    assert '<html lang="en">' in english_page and '<html lang="id">' in jetis_page


def test_it_renders_afresh_for_a_visitor_with_a_session(jetis, jetis_client):
    _visit(jetis_client, "/layanan/")
    signed = Client(HTTP_HOST=JETIS_HOST)
    signed.cookies[settings.SESSION_COOKIE_NAME] = "a-session-of-this-visitor"

    _page, queries = _visit(signed, "/layanan/")

    assert queries > 0


def test_it_never_serves_the_tracking_page_with_a_code_from_the_cache(jetis, jetis_client):
    # given the empty form page kept, and a code asked twice
    _visit(jetis_client, "/lacak/")
    jetis_client.get("/lacak/?kode=JTS-0000-XXXX")

    with CaptureQueriesContext(connection) as queries:
        again = jetis_client.get("/lacak/?kode=JTS-0000-XXXX")

    # then the lookup runs again: answers with a code are never kept
    assert again.status_code == 404
    assert len(queries) > 0


def test_it_switches_the_language_without_a_csrf_token_and_pages_carry_none(jetis):
    client = Client(HTTP_HOST=JETIS_HOST, enforce_csrf_checks=True)
    page, _ = _visit(client, "/layanan/")

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/layanan/"})

    assert "csrfmiddlewaretoken" not in page
    assert response.status_code == 302 and response["Location"] == "/layanan/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # an address on another host is not followed
    away = client.post("/i18n/setlang/", {"language": "id", "next": "https://contoh.example/"})
    assert away["Location"] == "/"


def test_it_shows_a_change_of_the_kecamatan_and_of_its_desa_at_once(jetis, jetis_client):
    _visit(jetis_client, "/")
    desa = Desa.objects.filter(kecamatan=jetis).order_by("name").first()

    jetis.name = "Jetis Raya"
    jetis.save()
    desa.name = "Desa Yang Baru Dinamai"
    desa.save()

    page, _ = _visit(jetis_client, "/")
    assert "Kecamatan Jetis Raya" in page
    assert "Desa Yang Baru Dinamai" in page


def _request(jetis):
    request = RequestFactory(HTTP_HOST=JETIS_HOST).get("/uji/")
    request.tenant = jetis
    return request


def test_it_keeps_no_answer_that_sets_a_cookie_carries_a_csrf_token_or_is_not_200(jetis):
    calls = []

    def counted(make):
        @public_page
        def view(request):
            calls.append(request.path)
            return make(request)

        return view

    def with_cookie(request):
        response = HttpResponse("halo")
        response.set_cookie("pilihan", "1")
        return response

    def with_token(request):
        return HttpResponse(f"<form>{get_token(request)}</form>")

    def not_found(request):
        return HttpResponse("tidak ada", status=404)

    with tenant_context(jetis):
        for make in (with_cookie, with_token, not_found):
            view = counted(make)
            calls.clear()
            view(_request(jetis))
            view(_request(jetis))
            assert len(calls) == 2, make.__name__
        plain = counted(lambda request: HttpResponse("sama untuk semua"))
        calls.clear()
        assert plain(_request(jetis)).content == plain(_request(jetis)).content == b"sama untuk semua"
        assert len(calls) == 1
