"""The privacy page of a kecamatan, and Diskominfo's retention page in the ops console."""

from __future__ import annotations

from sipentol.accounts.models import RegencyRole
from sipentol.privacy.retention.models import PurgeRecord, RecordType, RetentionRule
from tenants.models import OpsEvent
from tests.accounts.staff import public_sign_in
from tests.factories import RegencyUserFactory


def test_it_shows_the_office_contacts_and_the_retention_periods_in_force(jetis, jetis_client):
    jetis.phone = "0321-123456"
    jetis.email = "kec.jetis@mojokertokab.go.id"
    jetis.save()
    RetentionRule.objects.create(record_type=RecordType.CLOSED, days=400)

    page = jetis_client.get("/privasi/").content.decode()

    assert "0321-123456" in page and "kec.jetis@mojokertokab.go.id" in page
    assert "400 hari" in page  # set by Diskominfo
    assert "30 hari" in page  # drafts: the default
    assert "3650 hari" in page  # issued: the default archive period


def test_it_links_the_privacy_page_from_every_kecamatan_pages_footer(jetis_client):
    assert 'href="/privasi/"' in jetis_client.get("/").content.decode()


def test_it_lets_diskominfo_set_a_retention_period(ops_client):
    saved = ops_client.post("/ops/privasi/simpan/", {"record_type": "draft", "days": "14"})
    refused = ops_client.post("/ops/privasi/simpan/", {"record_type": "draft", "days": "0"}, follow=True)

    assert saved.status_code == 302
    assert RetentionRule.objects.get(record_type="draft").days == 14
    assert "Masa simpan tidak diubah" in refused.content.decode()
    assert 'value="14"' in ops_client.get("/ops/privasi/").content.decode()
    assert OpsEvent.objects.filter(action="retention_set", target="retention:draft", actor="ops-privasi").count() == 1


def test_it_refuses_a_retention_change_by_an_operator_without_the_capability(public_client):
    operator = RegencyUserFactory(role=RegencyRole.OPERATOR)
    client = public_sign_in(public_client, operator, "/ops/")

    response = client.post("/ops/privasi/simpan/", {"record_type": "draft", "days": "3"})

    assert response.status_code == 403
    assert not RetentionRule.objects.filter(record_type="draft", days=3).exists()


def test_it_keeps_the_retention_page_closed_to_anyone_not_signed_in_to_the_console(public_client):
    assert public_client.get("/ops/privasi/").status_code == 302
    assert public_client.post("/ops/privasi/simpan/", {"record_type": "draft", "days": "1"}).status_code == 302
    assert not RetentionRule.objects.exists()


def test_it_shows_diskominfo_what_each_purge_deleted(ops_client, jetis):
    PurgeRecord.objects.create(kecamatan=jetis, counts={"applications": 2, "objects": 5})

    page = ops_client.get("/ops/privasi/").content.decode()

    assert "Jetis" in page and "applications: 2" in page and "objects: 5" in page
