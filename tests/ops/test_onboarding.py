"""Onboarding from the ops console over HTTP, with the task run in this process (inside the test's
transaction, so nothing reaches the session's worker): failure and retry, idempotence, the
first admin's invitation resent and revoked, and who may start it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from services_catalog.blueprints import template_publish
from services_catalog.configured.models import KecamatanService
from services_catalog.configured.services import kecamatan_service_update
from sipentol.accounts.models import Invitation, RegencyRole
from sipentol.lib import storage
from sipentol.notifications.models import OutboxMessage
from sipentol.ops.models import ProvisioningRun
from sipentol.ops.tasks import provisioning_run
from tenants.models import Domain, Kecamatan, OpsEvent
from tenants.provisioning import Step, _kecamatan_steps, register_kecamatan_step
from tests.accounts.staff import public_sign_in
from tests.factories import RegencyUserFactory

pytestmark = pytest.mark.django_db

PACET = {"regency_code": "35.16.03", "admin_full_name": "Budi Santoso", "admin_email": "admin.pacet@example.go.id"}


def _operator(role=RegencyRole.OPERATOR) -> Client:
    return public_sign_in(Client(HTTP_HOST="localhost"), RegencyUserFactory(role=role), "/ops/")


def _start(client: Client, data=PACET) -> ProvisioningRun:
    response = client.post("/ops/kecamatan/baru/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ProvisioningRun.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def _counts(kecamatan: Kecamatan) -> dict:
    with tenant_context(kecamatan):
        return {
            "invitations": Invitation.objects.count(),
            "messages": OutboxMessage.objects.filter(template="account_invitation").count(),
            "services": KecamatanService.objects.count(),
            "kecamatan": Kecamatan.objects.count(),
            "domains": Domain.objects.filter(tenant=kecamatan).count(),
        }


@pytest.fixture
def failing_step():
    """A registered kecamatan step that raises until `.fixed` is set (as an app's broken step would)."""

    class Broken:
        fixed = False
        calls = 0

        def __call__(self, *, kecamatan, actor):
            self.calls += 1
            if not self.fixed:
                raise RuntimeError("template copy broke")
            return "copied"

    broken = Broken()
    register_kecamatan_step(Step(name="zz_broken", label="Langkah uji", run=broken, order=500))
    yield broken
    _kecamatan_steps.pop("zz_broken", None)


def test_it_names_the_failed_step_and_a_retry_resumes_to_done(failing_step):
    ops = _operator()
    run = _start(ops)

    provisioning_run.apply(args=[run.pk])

    page = ops.get(f"/ops/kecamatan/proses/{run.pk}/").content.decode()
    assert "Langkah yang gagal: Langkah uji." in page and "template copy broke" in page
    assert f'action="/ops/kecamatan/proses/{run.pk}/ulang/"' in page
    status = ops.get(f"/ops/kecamatan/proses/{run.pk}/status/").json()
    assert (status["status"], status["error_step"]) == ("failed", "step:zz_broken")
    assert [s["state"] for s in status["steps"] if s["name"] == "invitation"] == ["pending"]

    failing_step.fixed = True
    assert ops.post(f"/ops/kecamatan/proses/{run.pk}/ulang/").status_code == 302
    assert ProvisioningRun.objects.get(pk=run.pk).status == ProvisioningRun.Status.QUEUED
    provisioning_run.apply(args=[run.pk])

    status = ops.get(f"/ops/kecamatan/proses/{run.pk}/status/").json()
    assert (status["status"], status["percent"]) == ("done", 100)
    assert failing_step.calls == 2  # the steps before it were not run again
    assert OpsEvent.objects.filter(action="provision_retry", target="kecamatan:35.16.03").exists()


def test_it_duplicates_nothing_when_provisioning_runs_twice():
    ops = _operator()
    pacet = Kecamatan.objects.get(code="35.16.03")
    first = _start(ops)
    provisioning_run.apply(args=[first.pk])
    after_first = _counts(pacet)

    provisioning_run.apply(args=[first.pk])  # the same run again: already done
    second = _start(ops)  # a new run of the same kecamatan
    provisioning_run.apply(args=[second.pk])

    assert ProvisioningRun.objects.get(pk=second.pk).status == ProvisioningRun.Status.DONE
    assert _counts(pacet) == after_first
    assert after_first["invitations"] == 1 and after_first["messages"] == 1
    with tenant_context(pacet):
        assert storage.get(storage.prefix_ensure()) == storage.PREFIX_MARKER  # the marker under pacet/


def test_it_passes_the_chosen_template_version_to_the_steps_that_take_it(jetis):
    version = template_publish(kecamatan=jetis, name="Templat uji onboarding", actor="admin.jetis")
    seen = []
    register_kecamatan_step(
        Step(
            name="zz_template",
            label="Templat",
            run=lambda *, kecamatan, actor, template_version: seen.append(template_version),
            order=500,
            options=("template_version",),
        )
    )
    try:
        ops = _operator()
        assert f'value="{version.pk}"' in ops.get("/ops/kecamatan/baru/").content.decode()
        run = _start(ops, {**PACET, "template_version_id": str(version.pk)})
        provisioning_run.apply(args=[run.pk])
    finally:
        _kecamatan_steps.pop("zz_template", None)

    assert seen == [version]
    assert ProvisioningRun.objects.get(pk=run.pk).status == ProvisioningRun.Status.DONE


def test_it_resends_the_first_admin_invitation_with_a_new_link_and_the_old_one_stops(settings):
    ops = _operator()
    pacet = Kecamatan.objects.get(code="35.16.03")
    run = _start(ops)
    provisioning_run.apply(args=[run.pk])
    with tenant_context(pacet):
        old_hash = Invitation.objects.get().token_hash
        old_path = re.search(r"/kantor/undangan/[A-Za-z0-9_-]+/", OutboxMessage.objects.get(channel="email").body)[0]

    assert ops.post(f"/ops/kecamatan/proses/{run.pk}/undangan/resend/").status_code == 302

    with tenant_context(pacet):
        invitation = Invitation.objects.get()
        assert invitation.token_hash != old_hash
        assert OutboxMessage.objects.filter(template="account_invitation").count() == 2
        hours = (invitation.expires_at - timezone.now()).total_seconds() / 3600
    assert settings.INVITATION_HOURS - 0.1 < hours <= settings.INVITATION_HOURS == 72
    assert Client(HTTP_HOST="pacet.localhost").get(old_path).status_code == 404  # the old link stops
    assert OpsEvent.objects.filter(action="invitation_resend", kecamatan=pacet).exists()


def test_it_refuses_a_revoked_first_admin_invitation():
    ops = _operator()
    pacet = Kecamatan.objects.get(code="35.16.03")
    run = _start(ops)
    provisioning_run.apply(args=[run.pk])
    with tenant_context(pacet):
        message = OutboxMessage.objects.get(template="account_invitation", channel="email")
    path = re.search(r"/kantor/undangan/[A-Za-z0-9_-]+/", message.body).group(0)

    assert ops.post(f"/ops/kecamatan/proses/{run.pk}/undangan/revoke/").status_code == 302

    refused = Client(HTTP_HOST="pacet.localhost").get(path)
    assert refused.status_code == 410 and "sudah dibatalkan" in refused.content.decode()
    assert OpsEvent.objects.filter(action="invitation_revoke", kecamatan=pacet).exists()


def test_it_refuses_a_code_outside_the_regencys_kemendagri_format():
    ops = _operator()

    response = ops.post(
        "/ops/kecamatan/baru/",
        {"code": "35.17.01", "name": "Luar", "slug": "luar", "admin_full_name": "X", "admin_email": "x@example.go.id"},
    )

    assert response.status_code == 400
    assert "35.16.xx" in response.content.decode()
    assert not ProvisioningRun.objects.exists()


def test_it_refuses_an_active_kecamatan():
    ops = _operator()

    response = ops.post(
        "/ops/kecamatan/baru/", {**PACET, "regency_code": "", "code": "35.16.16", "name": "Jetis", "slug": "jetis"}
    )

    assert response.status_code == 400
    assert "sudah aktif" in response.content.decode()


def test_it_lists_only_the_kecamatan_not_yet_active_on_the_new_kecamatan_page():
    page = _operator().get("/ops/kecamatan/baru/").content.decode()

    assert "35.16.12 Trowulan" in page
    assert "35.16.16 Jetis" not in page


def test_it_refuses_provisioning_and_invitations_to_a_help_desk_account():
    helpdesk = _operator(RegencyRole.HELPDESK)

    assert helpdesk.get("/ops/kecamatan/baru/").status_code == 403
    assert helpdesk.post("/ops/kecamatan/baru/", PACET).status_code == 403
    assert (
        helpdesk.post("/ops/akun/undang/", {"full_name": "A", "role": "leader", "email": "a@x.id"}).status_code == 403
    )
    assert helpdesk.get("/ops/akun/").status_code == 403
    assert not ProvisioningRun.objects.exists()
    assert not Invitation.objects.exists()


def test_it_audits_the_start_of_provisioning_with_who_and_the_address():
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="203.0.113.9")
    user = RegencyUserFactory(role=RegencyRole.OPERATOR)
    public_sign_in(client, user, "/ops/")

    run = _start(client)

    event = OpsEvent.objects.get(action="provision_start")
    assert (event.actor, event.target, event.ip_address) == (user.username, "kecamatan:35.16.03", "203.0.113.9")
    assert event.details["run"] == run.pk


def test_it_keeps_one_open_run_per_kecamatan():
    ops = _operator()

    first, second = _start(ops), _start(ops)

    assert first.pk == second.pk


def test_it_copies_jetiss_latest_template_when_none_is_chosen_into_a_kecamatan_that_already_existed(jetis):
    template_publish(kecamatan=jetis, name="Templat Jetis", actor="admin.jetis")
    with tenant_context(jetis):
        domisili = KecamatanService.objects.get(catalog_code="domisili")
        kecamatan_service_update(service=domisili, actor="admin.jetis", changes={"sla_working_days": 2})
    latest = template_publish(kecamatan=jetis, name="Templat Jetis", actor="admin.jetis")
    pacet = Kecamatan.objects.get(code="35.16.03")  # made by load_regency, still onboarding

    run = _start(_operator(), {**PACET, "template_version_id": ""})
    provisioning_run.apply(args=[run.pk])

    assert ProvisioningRun.objects.get(pk=run.pk).template_version_id == latest.pk
    with tenant_context(pacet):
        assert KecamatanService.objects.get(catalog_code="domisili").sla_working_days == 2


def test_it_offers_a_retry_for_a_run_no_worker_took_up_and_queues_it_again():
    from datetime import timedelta

    from sipentol.ops import provisioning

    ops = _operator()
    run = _start(ops)  # queued; in this test no worker takes it (the task is never run)
    assert "Ulangi" not in ops.get(f"/ops/kecamatan/proses/{run.pk}/").content.decode()
    stale = timezone.now() - timedelta(seconds=provisioning.QUEUED_STALE_SECONDS + 1)
    ProvisioningRun.objects.filter(pk=run.pk).update(updated_at=stale)

    page = ops.get(f"/ops/kecamatan/proses/{run.pk}/").content.decode()
    retried = ops.post(f"/ops/kecamatan/proses/{run.pk}/ulang/")
    provisioning_run.apply(args=[run.pk])

    assert 'id="run-stale"' in page and "Ulangi" in page
    assert retried.status_code == 302
    assert OpsEvent.objects.filter(action="provision_retry", details__run=run.pk).exists()
    assert ProvisioningRun.objects.get(pk=run.pk).status == ProvisioningRun.Status.DONE
