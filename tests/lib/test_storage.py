"""The object-storage adapter against a real S3 server (SeaweedFS started by the suite)."""

import io
import urllib.request

import pytest
from django_tenants.utils import schema_context, tenant_context

from sipentol.lib import storage


def test_it_puts_streams_gets_and_deletes_under_the_tenant_prefix(jetis):
    with tenant_context(jetis):
        # given a stream of unknown length (as an upload arrives)
        key = storage.put(io.BytesIO(b"isi berkas " * 1000), content_type="application/pdf")

        # then
        assert key.startswith("jetis/") and len(key.split("/")[1]) == 32
        assert storage.exists(key)
        assert storage.get(key) == b"isi berkas " * 1000
        storage.delete(key)
        assert not storage.exists(key)


def test_it_refuses_another_kecamatans_key_inside_a_tenant(jetis, mojosari):
    with tenant_context(mojosari):
        foreign = storage.put(io.BytesIO(b"rahasia mojosari"), content_type="text/plain", length=16)

    with tenant_context(jetis):
        for attempt in (storage.get, storage.exists, storage.delete, storage.presigned_get):
            with pytest.raises(storage.ForeignKeyError):
                attempt(foreign)

    with tenant_context(mojosari):
        assert storage.get(foreign) == b"rahasia mojosari"


@pytest.mark.parametrize("key", ["jetis/../mojosari/abc", "jetis/ktp.jpg", "/jetis/" + "a" * 32, ""])
def test_it_refuses_malformed_keys(jetis, key):
    with tenant_context(jetis), pytest.raises(storage.ForeignKeyError):
        storage.get(key)


def test_it_hands_out_short_lived_presigned_urls_that_work(jetis, settings):
    with tenant_context(jetis):
        key = storage.put(io.BytesIO(b"%PDF-1.7 surat"), content_type="application/pdf", length=14)
        url = storage.presigned_get(key, filename="surat.pdf")

    assert "X-Amz-Expires=300" in url
    with urllib.request.urlopen(url) as response:
        assert response.read() == b"%PDF-1.7 surat"
        assert 'filename="surat.pdf"' in response.headers["Content-Disposition"]


def test_it_keeps_the_bucket_private(jetis, settings):
    with tenant_context(jetis):
        key = storage.put(io.BytesIO(b"data"), content_type="text/plain", length=4)
    endpoint = f"http://{settings.S3_ENDPOINT}/{settings.S3_BUCKET}/{key}"

    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(endpoint)
    assert excinfo.value.code == 403


def test_it_reports_a_missing_object_clearly(jetis):
    with tenant_context(jetis), pytest.raises(storage.ObjectMissing):
        storage.get("jetis/" + "0" * 32)


def test_it_names_the_public_schema_prefix_outside_tenants(db):
    with schema_context("public"):
        assert storage.new_key().startswith("public/")
