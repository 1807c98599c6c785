"""A citizen's first visit on a phone: small (<= 200 KB on the wire, cold cache), one host only."""

from __future__ import annotations

import pytest

from .conftest import new_context

pytestmark = pytest.mark.slow

LIMIT = 200 * 1024
CITIZEN_PAGES = ["/", "/layanan/", "/layanan/domisili/", "/layanan/domisili/ajukan/", "/lacak/", "/tanya-jawab/"]


@pytest.mark.parametrize("path", CITIZEN_PAGES)
def test_it_loads_a_citizen_page_under_200_kb_from_its_own_host(browser, app_server, path):
    context = new_context(browser, phone=True)  # fresh profile: nothing cached
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda r: requests.append(r))
    page.on("requestfailed", lambda r: requests.append(r))

    page.goto(app_server.url("jetis", path), wait_until="load")
    page.wait_for_load_state("networkidle")

    origin = app_server.origin("jetis")
    urls = [r.url for r in requests]
    assert urls and urls[0].startswith(origin)
    assert [u for u in urls if not (u.startswith(origin + "/") or u.startswith("data:"))] == []
    sizes = {r.url: r.sizes() for r in requests}
    transferred = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes.values())
    assert 1000 < transferred <= LIMIT, f"{path}: {transferred} bytes: {sizes}"
    assert all(r.failure is None for r in requests), [(r.url, r.failure) for r in requests]
