"""Tasks run in the schema of the kecamatan that queued them, on a real broker and worker."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import tenant_context

from tenants.models import Kecamatan
from tenants.tasks import kecamatan_probe

pytestmark = pytest.mark.slow


@pytest.fixture
def committed_staff(django_db_blocker, django_db_setup):
    """Staff committed so that the worker process sees them; the two schemas end with different counts."""
    with django_db_blocker.unblock():
        jetis, mojosari = Kecamatan.objects.get(slug="jetis"), Kecamatan.objects.get(slug="mojosari")
        with tenant_context(jetis):
            get_user_model().objects.create_user("probe-a")
            get_user_model().objects.create_user("probe-b")
        with tenant_context(mojosari):
            get_user_model().objects.create_user("probe-c")
            mojosari_count = get_user_model().objects.count()
        with tenant_context(jetis):
            if get_user_model().objects.count() == mojosari_count:
                get_user_model().objects.create_user("probe-e")
        connection.set_schema_to_public()
    yield jetis, mojosari
    with django_db_blocker.unblock():
        for tenant in (jetis, mojosari):
            with tenant_context(tenant):
                get_user_model().objects.filter(username__startswith="probe-").delete()
        connection.set_schema_to_public()


def test_it_runs_each_task_in_the_queuing_kecamatans_schema(celery_worker_process, committed_staff, db):
    jetis, mojosari = committed_staff

    with tenant_context(jetis):
        in_jetis = kecamatan_probe.delay()
    with tenant_context(mojosari):
        in_mojosari = kecamatan_probe.delay()

    # other suites may have committed staff too: compare with what each schema holds
    with tenant_context(jetis):
        jetis_users = get_user_model().objects.count()
    with tenant_context(mojosari):
        mojosari_users = get_user_model().objects.count()
    assert jetis_users != mojosari_users
    assert in_jetis.get(timeout=30) == {"schema": "jetis", "users": jetis_users}
    assert in_mojosari.get(timeout=30) == {"schema": "mojosari", "users": mojosari_users}


def test_it_refuses_a_tenant_task_queued_without_a_schema(celery_worker_process, db):
    connection.set_schema_to_public()

    result = kecamatan_probe.delay()

    with pytest.raises(Exception, match="must run inside a kecamatan schema"):
        result.get(timeout=30)


def test_it_configures_reliable_delivery(settings):
    from sipentol.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert "record-platform-heartbeat" in app.conf.beat_schedule
