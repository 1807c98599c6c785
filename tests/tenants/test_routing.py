"""Host -> kecamatan routing: the right schema, friendly pages for unknown and suspended."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.models import Domain, Kecamatan
from tenants.services import kecamatan_set_status


def test_it_serves_jetis_on_its_subdomain(jetis_client):
    response = jetis_client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Kecamatan Jetis" in page
    assert "Kupang" in page  # one of Jetis's 16 desa


def test_it_serves_the_regency_site_on_the_base_domain(public_client):
    response = public_client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Kabupaten Mojokerto" in page
    assert "Kecamatan Dawarblandong" in page
    assert "http://jetis.localhost:8000/" in page


def test_it_answers_a_host_on_base_domain_setting(settings, jetis):
    # given a production-like base domain with a domain row for it
    settings.BASE_DOMAIN = "sipentol.mojokertokab.go.id"
    settings.ALLOWED_HOSTS = [".sipentol.mojokertokab.go.id", "sipentol.mojokertokab.go.id"]
    settings.PUBLIC_HOSTS = ["sipentol.mojokertokab.go.id"]
    Domain.objects.create(domain="jetis.sipentol.mojokertokab.go.id", tenant=jetis, is_primary=False)
    from django.test import Client

    # when / then
    assert "Kecamatan Jetis" in Client(HTTP_HOST="jetis.sipentol.mojokertokab.go.id").get("/").content.decode()
    assert "Kabupaten Mojokerto" in Client(HTTP_HOST="sipentol.mojokertokab.go.id").get("/").content.decode()


def test_it_shows_a_friendly_404_listing_kecamatan_for_an_unknown_subdomain(db):
    from django.test import Client

    response = Client(HTTP_HOST="jetiss.localhost").get("/layanan/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Alamat ini belum kami kenal" in page
    assert "jetiss.localhost" in page
    assert 'href="http://jetis.localhost:8000/"' in page
    assert "Traceback" not in page
    assert page.count('class="card"') == 18


def test_it_refuses_a_host_outside_the_base_domain(db):
    from django.test import Client

    response = Client(HTTP_HOST="evil.example.com").get("/")

    assert response.status_code == 400


def test_it_shows_a_503_page_with_office_contacts_for_a_suspended_kecamatan(jetis, jetis_client):
    Kecamatan.objects.filter(pk=jetis.pk).update(phone="(0321) 361234", address="Jl. Raya Jetis No. 1")
    jetis.refresh_from_db()
    kecamatan_set_status(kecamatan=jetis, status="suspended", actor="ops", reason="pemeliharaan server")

    response = jetis_client.get("/")

    assert response.status_code == 503
    page = response.content.decode()
    assert "sedang dihentikan sementara" in page
    assert "(0321) 361234" in page
    assert "Jl. Raya Jetis No. 1" in page


def test_it_keeps_cookies_host_only(settings):
    assert settings.SESSION_COOKIE_DOMAIN is None
    assert settings.CSRF_COOKIE_DOMAIN is None
    assert settings.CACHES["default"]["KEY_FUNCTION"] == "django_tenants.cache.make_key"


def test_it_routes_each_kecamatan_to_its_own_schema(jetis_client, mojosari_client):
    from django.contrib.auth import get_user_model
    from django_tenants.utils import tenant_context

    jetis = Kecamatan.objects.get(slug="jetis")
    with tenant_context(jetis):
        get_user_model().objects.create_user("only-in-jetis")

    with tenant_context(Kecamatan.objects.get(slug="mojosari")):
        assert not get_user_model().objects.filter(username="only-in-jetis").exists()
    with tenant_context(jetis):
        assert get_user_model().objects.filter(username="only-in-jetis").exists()


class TestRoutingCache:
    def _warm_queries(self, client):
        client.get("/")  # warm-up: caches the route
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/")
        assert response.status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    def test_it_makes_no_domain_query_after_warm_up(self, jetis_client):
        queries = self._warm_queries(jetis_client)

        assert not [q for q in queries if "tenants_domain" in q]
        assert len([q for q in queries if "search_path" in q.lower()]) <= 1
        # only the page's own read of Jetis's desa list remains
        assert len(queries) <= 2, queries

    def test_it_does_not_set_search_path_per_cursor(self, jetis_client):
        jetis_client.get("/")
        with CaptureQueriesContext(connection) as ctx:
            for _ in range(3):
                jetis_client.get("/")
        assert len([q for q in ctx.captured_queries if "search_path" in q["sql"].lower()]) == 0

    def test_it_sees_a_suspension_at_once(self, jetis, jetis_client):
        assert jetis_client.get("/").status_code == 200

        kecamatan_set_status(kecamatan=jetis, status="suspended", actor="ops", reason="audit keamanan")

        assert jetis_client.get("/").status_code == 503

    def test_it_sees_a_deleted_domain_at_once(self, jetis, jetis_client):
        assert jetis_client.get("/").status_code == 200

        Domain.objects.get(domain="jetis.localhost").delete()

        assert jetis_client.get("/").status_code == 404

    def test_it_sees_a_renamed_domain_at_once(self, jetis):
        from django.test import Client

        assert Client(HTTP_HOST="jetis.localhost").get("/").status_code == 200
        domain = Domain.objects.get(domain="jetis.localhost")
        domain.domain = "jetis-baru.localhost"
        domain.save()

        assert Client(HTTP_HOST="jetis.localhost").get("/").status_code == 404
        assert Client(HTTP_HOST="jetis-baru.localhost").get("/").status_code == 200


@pytest.mark.parametrize("path", ["/healthz"])
def test_it_answers_health_on_any_host_with_each_component(path, db):
    from django.test import Client

    response = Client(HTTP_HOST="10.0.0.7:8000").get(path)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "object_storage"}
    assert all(check["ok"] for check in body["checks"].values())


def test_another_process_sees_a_suspension_within_the_local_copys_lifetime(jetis, jetis_client, settings, monkeypatch):
    # given the route of Jetis held by this process (as each web process holds its own)
    from tenants import routing

    assert jetis_client.get("/").status_code == 200
    now = routing.time.monotonic()

    # when another process suspends Jetis: the shared cache is cleared, this process's copy is not
    Kecamatan.objects.filter(pk=jetis.pk).update(status=Kecamatan.Status.SUSPENDED)
    routing._cache().delete(routing._key("jetis.localhost"))

    # then this process serves Jetis until its copy expires, and the suspension right after
    monkeypatch.setattr(routing.time, "monotonic", lambda: now + settings.TENANT_ROUTING_LOCAL_SECONDS - 0.5)
    assert jetis_client.get("/").status_code == 200
    monkeypatch.setattr(routing.time, "monotonic", lambda: now + settings.TENANT_ROUTING_LOCAL_SECONDS + 0.5)
    assert jetis_client.get("/").status_code == 503


def test_the_process_that_suspends_a_kecamatan_serves_the_suspension_at_once(jetis, jetis_client):
    assert jetis_client.get("/").status_code == 200

    kecamatan_set_status(kecamatan=jetis, status=Kecamatan.Status.SUSPENDED, actor="ops", reason="audit server")

    assert jetis_client.get("/").status_code == 503


def test_a_host_header_once_accepted_is_refused_when_allowed_hosts_no_longer_names_it(jetis, jetis_client, settings):
    # given Jetis's host accepted and its route held by this process
    assert jetis_client.get("/").status_code == 200

    # when the allowed hosts change (a deployment's setting; here the test's override)
    settings.ALLOWED_HOSTS = ["kabupaten.example"]

    # then the held answer is not reused: the host is checked again and refused
    response = jetis_client.get("/")
    assert response.status_code == 400
    assert "Alamat (host) tidak dikenal" in response.content.decode()


def test_a_warm_route_checks_the_host_looks_up_and_copies_the_kecamatan_once_per_local_lifetime(jetis, monkeypatch):
    from django.test import RequestFactory

    from tenants import routing

    checks, lookups = [], []
    real_lookup = routing._shared_lookup
    monkeypatch.setattr(routing, "_shared_lookup", lambda host: lookups.append(host) or real_lookup(host))
    request = RequestFactory().get("/", HTTP_HOST="jetis.localhost")
    real_get_host = request.get_host
    request.get_host = lambda: checks.append(1) or real_get_host()

    answers = [routing.route(request) for _ in range(3)]

    assert [hostname for hostname, _ in answers] == ["jetis.localhost"] * 3
    assert all(tenant.pk == jetis.pk and tenant.domain_url == "jetis.localhost" for _, tenant in answers)
    assert (len(checks), lookups) == (1, ["jetis.localhost"])
    assert answers[0][1] is answers[1][1] is answers[2][1]  # one kecamatan object, shared, not copied


def test_a_host_with_port_or_www_routes_to_the_same_kecamatan_under_its_own_host_name(jetis, jetis_client):
    from django.test import Client

    for header in ("jetis.localhost:8000", "www.jetis.localhost", "JETIS.localhost"):
        response = Client(HTTP_HOST=header).get("/")
        assert response.status_code == 200, header
        assert response.wsgi_request.tenant.pk == jetis.pk
        assert response.wsgi_request.tenant.domain_url == "jetis.localhost"
