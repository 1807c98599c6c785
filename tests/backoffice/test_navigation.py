"""The back-office menu offers each role exactly the pages the permission table opens to it."""

from __future__ import annotations

import re

import pytest

from sipentol.accounts.models import Role
from sipentol.accounts.permissions import PERMISSIONS, Capability

from .conftest import DESA, signed_in

MENU = {
    "/kantor/ajukan/": Capability.APPLY_ON_BEHALF,
    "/kantor/tanda-tangan/": Capability.SIGN_LETTERS,
    "/kantor/templat-surat/": Capability.EDIT_LETTER_TEMPLATES,
    "/kantor/pelimpahan/": Capability.MANAGE_DELEGATIONS,
    "/kantor/skm/": Capability.VIEW_FEEDBACK,
    "/kantor/pengaduan/": Capability.VIEW_FEEDBACK,
    "/kantor/layanan/": Capability.VIEW_SERVICES,
    "/kantor/petugas/": Capability.MANAGE_STAFF,
    "/kantor/profil-kantor/": Capability.EDIT_OFFICE_PROFILE,
    "/kantor/desa/pengantar/": Capability.VIEW_PENGANTAR,
    "/kantor/desa/templat/": Capability.EDIT_DESA_TEMPLATE,
    "/kantor/token-api-desa/": Capability.MANAGE_DESA_LINKS,
}


@pytest.mark.parametrize("role", Role.values)
def test_it_shows_a_role_only_the_menu_entries_it_may_open(role, jetis):
    client = signed_in(jetis, role, DESA)

    nav = re.search(r'<nav class="staff-nav".*?</nav>', client.get("/kantor/").content.decode(), re.S).group(0)
    links = set(re.findall(r'href="(/kantor/[^"?]*)"', nav))

    assert {url for url in links if url in MENU} == {url for url, cap in MENU.items() if role in PERMISSIONS[cap]}
    assert all(client.get(url).status_code == 200 for url in links)
