"""The desa's response time per desa, on the Camat's dashboard (a lib/dashboards.py section)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.desa.figures import DesaResponseSection
from sipentol.desa.models import PengantarRequest
from sipentol.lib import dashboards

from .conftest import DESA, ask_desa_online, kepala


def _filters() -> dashboards.Filters:
    now = timezone.now()
    return dashboards.Filters(
        start=now - dt.timedelta(days=30), end=now + dt.timedelta(days=1), today=timezone.localdate()
    )


def test_it_is_registered_on_the_camats_board():
    assert "desa-pengantar" in {s.key for s in dashboards.sections("camat")}


def test_it_counts_each_desas_requests_answers_and_working_days_to_answer(jetis, jetis_client, domisili):
    # given two requests of desa Jetis: one refused the same day, one still waiting
    refused, _url = ask_desa_online(jetis_client, jetis, domisili)
    ask_desa_online(jetis_client, jetis, domisili)
    with tenant_context(jetis):
        item = PengantarRequest.objects.get(application_id=refused.pk)
    connection.set_schema_to_public()
    kepala(jetis, "kades-angka").post(f"/kantor/desa/pengantar/{item.pk}/tolak/", {"reason": "data tidak cocok"})

    # when the Camat's board asks the section
    with tenant_context(jetis):
        section = DesaResponseSection()
        table = section.tables(None, _filters())[0]
        html = section.render(None, _filters())
    connection.set_schema_to_public()

    # then desa Jetis has 2 asked, 1 refused, 1 open, answered in 0 working days
    from tenants.models import Desa

    name = Desa.objects.get(code=DESA).name
    assert table.rows == [[name, 2, 0, 1, 1, 0, 0, 0.0, 0]]
    assert name in html and "Waktu jawab surat pengantar desa" in html


def test_the_regency_board_shows_each_desas_response_time_from_public_facts_only(jetis, jetis_client, domisili):
    from sipentol.desa_facts.models import DesaPengantarFact
    from sipentol.desa_facts.sections import RegencyDesaResponseSection

    # given a request of desa Jetis refused the same day
    application, _url = ask_desa_online(jetis_client, jetis, domisili)
    with tenant_context(jetis):
        item = PengantarRequest.objects.get(application_id=application.pk)
    connection.set_schema_to_public()
    kepala(jetis, "kades-regency").post(f"/kantor/desa/pengantar/{item.pk}/tolak/", {"reason": "data tidak cocok"})

    # when the regency board (public schema) asks its section, for all kecamatan and for Jetis
    connection.set_schema_to_public()
    section = RegencyDesaResponseSection()
    everywhere = section.tables(None, _filters())[0]
    only_jetis = section.tables(None, dashboards.Filters(**{**_filters().__dict__, "kecamatan_id": jetis.pk}))[0]

    # then the fact carries no personal data, and desa Jetis shows 1 asked, 1 refused, 0 working days
    from tenants.models import Desa

    fact = DesaPengantarFact.objects.get(request_uuid=item.uuid)
    assert not {"applicant_name", "applicant_nik", "tracking_code"} & {f.name for f in fact._meta.fields}
    row = [jetis.name, Desa.objects.get(code=DESA).name, 1, 0, 1, 0, 0, 0, 0.0, 0]
    assert row in everywhere.rows and only_jetis.rows == [row]
    assert "desa-pengantar" in {s.key for s in dashboards.sections("regency")}
