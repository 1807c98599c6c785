"""A catalog change reaches kecamatan that already run, without undoing what they customised."""

from __future__ import annotations

import copy

from django.core.management import call_command
from django_tenants.utils import tenant_context

from services_catalog.configured.models import KecamatanService, ServiceChangeEvent
from services_catalog.configured.services import kecamatan_service_update, kecamatan_services_init
from services_catalog.data.standards import SERVICES
from services_catalog.services import catalog_load

NEW_FIELD = {
    "name": "nama_ketua_rt",
    "label": "Nama Ketua RT",
    "type": "text",
    "required": True,
    "help": "",
    "choices": [],
}


def _catalog_with_a_new_domisili_field(**changes) -> list[dict]:
    data = copy.deepcopy(SERVICES)
    domisili = next(s for s in data if s["code"] == "domisili")
    domisili["form_fields"].append(NEW_FIELD)
    domisili.update(changes)
    return data


def test_it_brings_a_new_catalog_form_field_to_a_running_kecamatan(db, jetis, jetis_client):
    # given a kecamatan already running with the catalog's domisili form
    catalog_load(services=_catalog_with_a_new_domisili_field())

    # when its service list is synced (load_catalog and provisioning do this)
    assert kecamatan_services_init(kecamatan=jetis, actor="load_catalog") == 0

    # then the citizen's form asks the new field, and the change is on record
    page = jetis_client.get("/layanan/domisili/ajukan/").content.decode()
    assert "Nama Ketua RT" in page and 'name="nama_ketua_rt"' in page
    with tenant_context(jetis):
        service = KecamatanService.objects.get(catalog_code="domisili")
        event = ServiceChangeEvent.objects.filter(service=service, action="catalog_update").get()
        assert event.actor == "load_catalog" and set(event.changes) == {"catalog_code", "form_fields"}
        assert service.customized_fields == []


def test_it_keeps_what_the_kecamatan_customised(db, mojosari):
    with tenant_context(mojosari):
        service = KecamatanService.objects.get(catalog_code="domisili")
        kecamatan_service_update(service=service, actor="admin.mojosari", changes={"sla_working_days": 3})
        own_fields = [f for f in service.form_fields if f["name"] != "email"]
        kecamatan_service_update(service=service, actor="admin.mojosari", changes={"form_fields": own_fields})
        other = KecamatanService.objects.get(catalog_code="sktm")
        kecamatan_service_update(service=other, actor="admin.mojosari", changes={"sla_working_days": 4})

    catalog_load(services=_catalog_with_a_new_domisili_field(sla_working_days=2, summary="Ringkasan baru."))
    kecamatan_services_init(kecamatan=mojosari)

    with tenant_context(mojosari):
        service.refresh_from_db()
        assert service.sla_working_days == 3  # the kecamatan's choice
        assert service.form_fields == own_fields  # its own form, no field added behind its back
        assert service.summary == "Ringkasan baru."  # not customised: follows the catalog
        assert KecamatanService.objects.get(catalog_code="sktm").sla_working_days == 4


def test_it_brings_the_repository_catalog_to_an_outdated_copy_with_load_catalog(db, jetis):
    # given a Jetis copy made before the form asked tempat lahir and pekerjaan
    with tenant_context(jetis):
        service = KecamatanService.objects.get(catalog_code="pengantar-skck")
        old_fields = [f for f in service.form_fields if f["name"] not in {"tempat_lahir", "pekerjaan", "agama"}]
        KecamatanService.objects.filter(pk=service.pk).update(form_fields=old_fields)

    # when the platform's catalog command runs (as on every deploy)
    call_command("load_catalog", verbosity=0)

    # then the copy asks them again, and a second run changes nothing
    with tenant_context(jetis):
        service.refresh_from_db()
        names = [f["name"] for f in service.form_fields]
        assert {"tempat_lahir", "pekerjaan", "agama"} <= set(names)
        events = ServiceChangeEvent.objects.filter(action="catalog_update").count()
    call_command("load_catalog", verbosity=0)
    with tenant_context(jetis):
        assert ServiceChangeEvent.objects.filter(action="catalog_update").count() == events == 1
