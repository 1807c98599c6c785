"""A NUL character in a path or query string is refused with 400 and our page, never a 500."""

import pytest
from django.test import Client

from tests.accounts.staff import staff_client


@pytest.mark.parametrize("url", ["/api/v1/lacak/%00/", "/layanan/?q=%00", "/lacak/?kode=%00", "/lacak/?kode=JTS%00"])
def test_it_refuses_a_nul_on_public_urls_with_400(jetis, url):
    response = Client(HTTP_HOST="jetis.localhost", raise_request_exception=False).get(url)

    assert response.status_code == 400
    assert "karakter yang tidak sah" in response.content.decode()


@pytest.mark.parametrize("url", ["/kantor/?q=%00", "/api/v1/kantor/permohonan/?q=%00"])
def test_it_refuses_a_nul_on_staff_urls_with_400(jetis, url):
    client = staff_client(jetis, "petugas_nul")
    client.raise_request_exception = False

    response = client.get(url)

    assert response.status_code == 400
    assert "karakter yang tidak sah" in response.content.decode()
