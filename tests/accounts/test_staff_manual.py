"""The staff manual in the back office: one page per role, generated from the permission table."""

from __future__ import annotations

from sipentol.accounts.manual import GUIDE
from sipentol.accounts.models import Role
from sipentol.accounts.permissions import Capability
from tests.accounts.staff import staff_client


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def test_it_has_a_manual_line_for_every_capability_of_the_permission_table():
    assert set(GUIDE) == set(Capability)


def test_it_shows_each_staff_member_the_manual_of_their_own_role_with_links(jetis):
    camat = staff_client(jetis, "camat-manual", Role.CAMAT)
    verifier = staff_client(jetis, "verif-manual", Role.VERIFIER)

    camat_page, verifier_page = _text(camat.get("/kantor/panduan/")), _text(verifier.get("/kantor/panduan/"))

    assert "Panduan petugas: Camat" in camat_page
    assert '<a href="/kantor/tanda-tangan/">Menandatangani surat atas nama sendiri sebagai Camat.</a>' in camat_page
    assert "Panduan petugas: Petugas pelayanan / verifikator" in verifier_page
    assert "/kantor/tanda-tangan/" not in verifier_page.split("<h2>", 1)[0].split("</h1>", 1)[1]
    assert 'href="/panduan/poster.pdf"' in verifier_page and 'href="/panduan/"' in verifier_page


def test_it_shows_another_roles_manual_and_refuses_a_role_that_does_not_exist(jetis):
    verifier = staff_client(jetis, "verif-manual", Role.VERIFIER)

    admin_manual = verifier.get("/kantor/panduan/admin/")
    unknown = verifier.get("/kantor/panduan/bupati/")

    assert "Panduan petugas: Admin kecamatan" in _text(admin_manual)
    assert 'href="/kantor/penanda-tangan/"' in _text(admin_manual)
    assert unknown.status_code == 404
