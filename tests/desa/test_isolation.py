"""A desa's requests are that desa's: another desa's staff, and another kecamatan's, neither see
nor act on them; the desa gets only the data it needs from the application."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.desa.models import PengantarRequest
from tests.conftest import JETIS_HOST

from .conftest import ask_desa_online, kepala, operator, other_desa


def _request(kecamatan, application) -> PengantarRequest:
    with tenant_context(kecamatan):
        item = PengantarRequest.objects.get(application_id=application.pk)
    connection.set_schema_to_public()
    return item


def test_another_desas_staff_neither_see_nor_act_on_the_request(jetis, jetis_client, domisili):
    # given a request for desa Jetis, and the operator and Kepala Desa of another desa
    application, _url = ask_desa_online(jetis_client, jetis, domisili)
    item = _request(jetis, application)
    elsewhere = other_desa(jetis)
    op = operator(jetis, "op-lain", desa=elsewhere)
    kades = kepala(jetis, "kades-lain", desa=elsewhere)

    # when they open their queue, the request, its PDF, and try to draft, sign or refuse it
    queue = op.get("/kantor/desa/pengantar/").content.decode()
    answers = [
        op.get(f"/kantor/desa/pengantar/{item.pk}/").status_code,
        op.get(f"/kantor/desa/pengantar/{item.pk}/pdf/").status_code,
        op.post(f"/kantor/desa/pengantar/{item.pk}/draf/").status_code,
        op.post(f"/kantor/desa/pengantar/{item.pk}/tolak/", {"reason": "bukan warga"}).status_code,
        kades.post(f"/kantor/desa/pengantar/{item.pk}/tandatangani/", {"otp": "123456"}).status_code,
        kades.get(f"/kantor/permohonan/{application.pk}/").status_code,
    ]

    # then it does not exist for them, and nothing changed
    assert application.tracking_code not in queue
    assert answers == [404, 404, 404, 404, 404, 404]
    assert _request(jetis, application).status == "requested"


def test_the_kecamatan_office_sees_every_desas_requests_but_cannot_draft_them(jetis, jetis_client, domisili):
    from sipentol.accounts.models import Role
    from tests.accounts.staff import staff_client

    application, _url = ask_desa_online(jetis_client, jetis, domisili)
    item = _request(jetis, application)
    verifier = staff_client(jetis, "verif-lihat", Role.VERIFIER)

    queue = verifier.get("/kantor/desa/pengantar/").content.decode()
    drafted = verifier.post(f"/kantor/desa/pengantar/{item.pk}/draf/")

    assert application.tracking_code in queue
    assert drafted.status_code == 403
    assert _request(jetis, application).status == "requested"


def test_another_kecamatans_staff_cannot_reach_the_request(jetis, mojosari, jetis_client, domisili):
    from sipentol.accounts.models import Role
    from tests.accounts.staff import staff_client

    # given a request in Jetis, and an operator desa and an admin of Mojosari
    application, _url = ask_desa_online(jetis_client, jetis, domisili)
    item = _request(jetis, application)
    mojosari_desa = other_desa(mojosari, but="")
    op = operator(mojosari, "op-mojosari", desa=mojosari_desa)
    admin = staff_client(mojosari, "admin-mojosari", Role.ADMIN)

    # when they look in their own back office, then ask Jetis's host
    own_queue = (
        op.get("/kantor/desa/pengantar/").content.decode() + admin.get("/kantor/desa/pengantar/").content.decode()
    )
    op.defaults["HTTP_HOST"] = JETIS_HOST
    answer = op.get(f"/kantor/desa/pengantar/{item.pk}/")

    # then Mojosari knows nothing of it, and Jetis sends them to its sign-in page
    assert application.tracking_code not in own_queue
    assert answer.status_code == 302 and answer["Location"].startswith("/kantor/masuk/")


def test_the_desa_gets_the_name_nik_address_and_purpose_but_no_files_phone_or_email(jetis, jetis_client, domisili):
    application, _url = ask_desa_online(jetis_client, jetis, domisili)
    item = _request(jetis, application)
    op = operator(jetis, "op-data")

    page = op.get(f"/kantor/desa/pengantar/{item.pk}/").content.decode()

    assert item.applicant_name in page and item.applicant_nik in page and "Kedungsari" in page
    assert "warga@example.id" not in page and "0812" not in page and "6281234567890" not in page
    assert "/berkas/" not in page  # no link to any of the citizen's uploaded files
