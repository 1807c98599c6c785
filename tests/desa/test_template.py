"""The desa's own template: its deadline and wording, edited by its operator; a body using a
forbidden template tag is refused and changes nothing."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from sipentol.desa import deadlines
from sipentol.desa.models import DesaProfile, PengantarRequest

from .conftest import DESA, ask_desa_online, operator

FIELDS = {
    "head_title": "Kepala Desa",
    "address": "Jl. Raya Jetis 1",
    "phone": "0321-123",
    "unit_code": "JTS",
    "deadline_working_days": "2",
    "body_html": "<p>Pengantar untuk {{ data.nama }}</p>",
}


def test_the_operator_sets_the_desas_deadline_and_wording_for_the_next_requests(jetis, jetis_client, domisili):
    op = operator(jetis, "op-templat")

    saved = op.post("/kantor/desa/templat/", FIELDS)
    application, _url = ask_desa_online(jetis_client, jetis, domisili)

    assert saved.status_code == 302
    with tenant_context(jetis):
        item = PengantarRequest.objects.get(application_id=application.pk)
        expected = deadlines.due_date(requested_on=timezone.localdate(item.requested_at), working_days=2)
        assert item.due_date == expected
        assert DesaProfile.objects.get(desa_code=DESA).unit_code == "JTS"
    connection.set_schema_to_public()


def test_a_forbidden_template_tag_is_refused_and_nothing_changes(jetis):
    op = operator(jetis, "op-templat-salah")

    refused = op.post("/kantor/desa/templat/", {**FIELDS, "body_html": "{% load static %}<p>x</p>"})

    assert refused.status_code == 400
    with tenant_context(jetis):
        assert not DesaProfile.objects.filter(desa_code=DESA).exists()
    connection.set_schema_to_public()
