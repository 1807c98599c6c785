"""Object storage down or frozen: bounded waits, our 503 in the citizen's language, nothing half-written.

Each test starts its own SeaweedFS (the suite's starter), points the settings at it, and then
freezes it (SIGSTOP) or stops it: the suite's shared server is never touched.
"""

import io
import os
import signal
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django_tenants.utils import tenant_context

from sipentol.applications.models import Application
from sipentol.applications.tasks import discard_stray_uploads
from sipentol.celery import app as celery_app
from sipentol.lib import storage
from sipentol_devtools import embedded

from .conftest import apply_payload

BOUND_SECONDS = 25  # the SDK's defaults held a frozen server's upload for 75 s


@pytest.fixture
def own_s3(settings, tmp_path):
    started = embedded.Started()
    env = embedded.start_seaweedfs(tmp_path / "seaweedfs", started, bucket=django_settings.S3_BUCKET)
    settings.S3_ENDPOINT = env["S3_ENDPOINT"]  # the adapter drops its cached client on the change
    storage.ensure_bucket()
    proc = started.processes[0]
    yield proc
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGCONT)
    started.stop()


def _objects_under(prefix: str) -> list[str]:
    return [
        o.object_name for o in storage.client().list_objects(django_settings.S3_BUCKET, prefix=prefix, recursive=True)
    ]


def test_it_answers_a_form_submission_to_frozen_storage_in_bounded_time_keeping_what_was_typed(
    jetis, jetis_client, domisili, own_s3
):
    key = str(uuid.uuid4())
    os.kill(own_s3.pid, signal.SIGSTOP)
    started = time.monotonic()
    response = jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", apply_payload(domisili, key))
    elapsed = time.monotonic() - started
    os.kill(own_s3.pid, signal.SIGCONT)

    page = response.content.decode()
    assert response.status_code == 503 and elapsed < BOUND_SECONDS, elapsed
    assert response["Retry-After"] == "60"
    assert "Penyimpanan berkas sedang terganggu" in page and "pilih lagi berkas-berkasnya" in page
    assert 'value="Siti Aminah"' in page and f'value="{key}"' in page
    with tenant_context(jetis):
        assert not Application.objects.filter(idempotency_key=key).exists()
    assert _objects_under("jetis/") == []


def test_it_answers_the_api_with_503_and_retry_after_when_storage_is_stopped(jetis, jetis_client, domisili, own_s3):
    own_s3.terminate()
    own_s3.wait(timeout=10)
    key = str(uuid.uuid4())
    payload = apply_payload(domisili, key)
    payload.pop("action")
    started = time.monotonic()
    response = jetis_client.post(f"/api/v1/layanan/{domisili.slug}/permohonan/", payload, HTTP_IDEMPOTENCY_KEY=key)
    elapsed = time.monotonic() - started

    assert response.status_code == 503 and elapsed < BOUND_SECONDS, elapsed
    assert response["Retry-After"] == "60" and "Coba lagi dalam satu menit" in response.json()["detail"]
    with tenant_context(jetis):
        assert not Application.objects.filter(idempotency_key=key).exists()


def test_it_reports_frozen_storage_on_healthz_in_bounded_time(public_client, own_s3):
    os.kill(own_s3.pid, signal.SIGSTOP)
    started = time.monotonic()
    response = public_client.get("/healthz")
    elapsed = time.monotonic() - started

    assert response.status_code == 503 and elapsed < BOUND_SECONDS, elapsed
    assert response.json()["checks"]["object_storage"]["ok"] is False


def test_it_deletes_later_the_files_a_submission_to_frozen_storage_may_have_left(
    jetis, jetis_client, domisili, own_s3, monkeypatch
):
    queued = []
    monkeypatch.setattr(celery_app, "send_task", lambda name, args, countdown: queued.append((name, args[0])))
    os.kill(own_s3.pid, signal.SIGSTOP)
    response = jetis_client.post(f"/layanan/{domisili.slug}/ajukan/", apply_payload(domisili, str(uuid.uuid4())))
    os.kill(own_s3.pid, signal.SIGCONT)
    assert response.status_code == 503

    # the key of the write that timed out is queued for deletion: a thawed server may store it yet
    [(name, keys)] = queued
    assert name == "applications.discard_stray_uploads" and keys
    with tenant_context(jetis):
        for key in keys:  # as a frozen server does once it thaws
            storage.put(io.BytesIO(b"%PDF-1.4 late"), content_type="application/pdf", key=key)
        assert sorted(_objects_under("jetis/")) == sorted(keys)

        # when the task runs
        assert discard_stray_uploads.apply(args=[keys]).get() == len(keys)

    # then nothing is left
    assert _objects_under("jetis/") == []
