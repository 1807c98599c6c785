"""Every back-office URL, with every role, a citizen and another kecamatan's staff, against the
one permission table (sipentol.accounts.permissions.PERMISSIONS).

What each visitor must get, for each URL the router assembles:

- a role whose capabilities include the page's: not 403 (200 for a page, 405 for a GET on a
  POST-only step); a POST from a role the table does not allow to change it: 403;
- an operator desa of ANOTHER desa, on a page about an application: 404 where the table lets
  operators in (no oracle: the application does not exist for them), 403 where it does not;
- an anonymous citizen, and a staff member of another kecamatan (signed in on their own host,
  then asking this one): sent to the sign-in page, never 200 and never 403.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve

from sipentol.accounts.models import Role
from sipentol.accounts.permissions import PERMISSIONS, Capability, can
from tests.conftest import JETIS_HOST

from .conftest import DESA, OTHER_DESA, SIGN_IN_PAGES, backoffice_routes, read, signed_in

STAFF = {
    "verifier": (Role.VERIFIER, ""),
    "camat": (Role.CAMAT, ""),
    "sekcam": (Role.SEKCAM, ""),
    "admin": (Role.ADMIN, ""),
    "desa_operator": (Role.DESA_OPERATOR, DESA),
    "desa_operator_of_another_desa": (Role.DESA_OPERATOR, OTHER_DESA),
}
OUTSIDERS = ("citizen", "staff_of_another_kecamatan")
PAGES = [r for r in backoffice_routes() if r.name not in SIGN_IN_PAGES]


def test_it_names_a_capability_on_every_back_office_page():
    missing = [r.name for r in PAGES if not isinstance(r.capability, Capability)]

    assert missing == []
    assert {r.name for r in backoffice_routes()} >= SIGN_IN_PAGES


def test_it_keeps_every_url_name_and_path_that_templates_and_links_use():
    routes = {r.name: r.route for r in backoffice_routes()}

    assert routes["detail"] == "permohonan/<int:pk>/"
    assert routes["start-review"] == "permohonan/<int:pk>/periksa/"
    assert routes["letter-draft"] == "permohonan/<int:pk>/surat/buat/"
    assert routes["letter-pdf"] == "surat/<uuid:letter_uuid>/pdf/"
    assert routes["application-letter-pdf"] == "permohonan/<int:pk>/surat.pdf"
    assert routes["signing"] == "tanda-tangan/"
    assert routes["staff-admin-list"] == "petugas/"
    assert len(routes) == len(backoffice_routes()), "two pages share a URL name"


def test_it_keeps_the_table_whole_and_consistent():
    assert set(PERMISSIONS) == set(Capability)
    assert all(roles <= set(Role) for roles in PERMISSIONS.values())
    # the signing queue links each letter's PDF by its id: signers see every application
    assert PERMISSIONS[Capability.SIGN_LETTERS] <= PERMISSIONS[Capability.SEE_ALL_APPLICATIONS]
    assert not PERMISSIONS[Capability.SIGN_AS_CAMAT] & PERMISSIONS[Capability.SIGN_BY_DELEGATION]
    # whoever decides on an application sees them all, and may be assigned one
    assert PERMISSIONS[Capability.REVIEW_APPLICATION] <= PERMISSIONS[Capability.SEE_ALL_APPLICATIONS]
    assert PERMISSIONS[Capability.CONFIGURE_SERVICES] <= PERMISSIONS[Capability.VIEW_SERVICES]


def test_it_denies_a_citizen_and_anonymous_visitors_every_capability(jetis):
    from django.contrib.auth.models import AnonymousUser

    assert not any(can(AnonymousUser(), capability) for capability in Capability)
    assert not any(can(None, capability) for capability in Capability)


def _allowed(role: str, capability: Capability) -> bool:
    return Role(role) in PERMISSIONS[capability]


@pytest.mark.parametrize("actor", [*STAFF, *OUTSIDERS])
def test_it_answers_every_page_as_the_permission_table_says(actor, office, mojosari):
    # given a visitor of the kind `actor`
    if actor == "citizen":
        client = Client(HTTP_HOST=JETIS_HOST)
    elif actor == "staff_of_another_kecamatan":
        client = signed_in(mojosari, Role.ADMIN)  # the most capable role, on Mojosari's host
        assert client.get("/kantor/").status_code == 200
        client.defaults["HTTP_HOST"] = JETIS_HOST  # now asking Jetis
    else:
        role, desa = STAFF[actor]
        client = signed_in(office.kecamatan, role, desa)

    # when they open every page of Jetis's back office, and POST where the table says they may not
    wrong = []
    for route in PAGES:
        url = route.url(office.params)
        assert resolve(url).url_name == route.name
        got = read(client.get(url))
        expected = _expect(actor, route, method="GET")
        if not expected(got):
            wrong.append(f"GET {url} ({route.name}, {route.capability}): {got.status_code}")
        if actor in OUTSIDERS or not _allowed(STAFF[actor][0], route.write_capability) or _no_oracle(actor, route):
            got = read(client.post(url))
            if not _expect(actor, route, method="POST")(got):
                wrong.append(f"POST {url} ({route.name}, {route.write_capability}): {got.status_code}")

    # then every answer is the table's
    assert wrong == []


def _no_oracle(actor: str, route) -> bool:
    """A page about one application, or one desa's pengantar request, for an operator of another
    desa: it does not exist for them."""
    if actor != "desa_operator_of_another_desa":
        return False
    return route.section == "permohonan" or (route.section == "desa" and "<int:pk>" in route.route)


def _not_theirs(route) -> bool:
    """An export job of the Camat's board is only its asker's: for anyone else it does not exist."""
    return route.name in ("dashboard-job", "dashboard-job-download")


def _expect(actor: str, route, *, method: str):
    if actor in OUTSIDERS:
        return lambda r: r.status_code == 302 and r["Location"].startswith("/kantor/masuk/?next=")
    role = STAFF[actor][0]
    capability = route.capability if method == "GET" else route.write_capability
    if not _allowed(role, capability) or (method == "POST" and not _allowed(role, route.capability)):
        return lambda r: r.status_code == 403
    if _not_theirs(route):
        return lambda r: r.status_code == 404
    if _no_oracle(actor, route):
        # 404; or 405 where the method is refused before the lookup, which says nothing either
        return lambda r: r.status_code in (404, 405)
    return lambda r: r.status_code == 200 or _post_only(r)


def _post_only(response) -> bool:
    return response.status_code == 405 and response["Allow"] == "POST"
