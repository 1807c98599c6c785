"""Onboarding Trowulan from the ops console end to end, with a real Celery worker, SMTP server and
WhatsApp stand-in: progress to done, the invitation arrives, the first admin makes their account
and lands on /kantor/. Rows are committed (the worker is another process) and removed after."""

from __future__ import annotations

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from sipentol.accounts.models import Invitation, RegencyRole, Role, SignInEvent, StaffEvent, StaffProfile
from sipentol.notifications.models import OutboxMessage
from sipentol.ops.models import ProvisioningRun
from tenants.models import Kecamatan, OpsEvent
from tests.accounts.staff import current_token, public_sign_in
from tests.factories import RegencyUserFactory
from tests.notifications.servers import wait_until

pytestmark = pytest.mark.slow

ADMIN_EMAIL = "admin.trowulan@example.go.id"
ADMIN_PHONE = "0812-3456-7012"
PASSWORD = "Trowulan-Majapahit-2026!"


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Real commits in the public schema and Trowulan's; what this test made is deleted after."""
    operator_name = f"operator-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        operator = RegencyUserFactory(username=operator_name, role=RegencyRole.OPERATOR)
        trowulan = Kecamatan.objects.get(slug="trowulan")
        try:
            yield operator, trowulan
        finally:
            with tenant_context(trowulan):
                users = get_user_model().objects.filter(invitations__isnull=False)
                SignInEvent.objects.all().delete()
                StaffEvent.objects.filter(staff__in=users).delete()
                StaffProfile.objects.filter(user__in=users).delete()
                users.delete()
                Invitation.objects.all().delete()
                OutboxMessage.objects.filter(template="account_invitation").delete()
            connection.set_schema_to_public()
            ProvisioningRun.objects.filter(code=trowulan.code).delete()
            OpsEvent.objects.filter(actor=operator_name).delete()
            # The operator stays (a unique name): deleting a user from the public schema makes
            # Django look for the tenant apps' tables that point at users.
            operator.is_active = False
            operator.save(update_fields=["is_active"])


def _status(client: Client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return response.json()


def test_it_onboards_trowulan_with_a_worker_and_its_invited_admin_lands_on_kantor(
    committed, celery_worker_process, smtp_server, whatsapp_api, notification_settings
):
    # given: an operator signed in on the console, the mail server up
    operator, trowulan = committed
    smtp_server.start()
    ops = public_sign_in(Client(HTTP_HOST="localhost"), operator, "/ops/")
    assert "35.16.12 Trowulan" in ops.get("/ops/kecamatan/baru/").content.decode()

    # when: they start provisioning Trowulan from the regency data
    started = ops.post(
        "/ops/kecamatan/baru/",
        {
            "regency_code": "35.16.12",
            "admin_full_name": "Siti Rahayu",
            "admin_email": ADMIN_EMAIL,
            "admin_phone": ADMIN_PHONE,
        },
    )

    # then: the progress page with its bar, and the run reaches done through the JSON it polls
    assert started.status_code == 302
    page = ops.get(started["Location"]).content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page and "progress.js" in page
    run = ProvisioningRun.objects.get(code="35.16.12")
    status_url = f"/ops/kecamatan/proses/{run.pk}/status/"
    final = wait_until(
        lambda: (s := _status(ops, status_url))["finished"] and s, timeout=120, message="provisioning to finish"
    )
    assert (final["status"], final["percent"]) == ("done", 100), final
    assert {s["state"] for s in final["steps"]} == {"done"}
    assert [s["name"] for s in final["steps"]][:1] == ["schema"] and final["steps"][-1]["name"] == "invitation"

    # the invitation arrives by e-mail and WhatsApp, with a link on Trowulan's host
    mail = wait_until(lambda: smtp_server.to(ADMIN_EMAIL), timeout=60, message="the invitation e-mail")[0]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://trowulan\.localhost(?::\d+)?(/kantor/undangan/[A-Za-z0-9_-]+/)", body)
    assert link, body
    path = link.group(1)
    whatsapp = wait_until(lambda: whatsapp_api.to("6281234567012"), timeout=60, message="the WhatsApp message")
    # outside a 24-hour window: the approved invitation template, the link among its parameters
    assert whatsapp[0]["json"]["template"]["name"] == "sipentol_undangan_petugas"
    assert any(path in p["text"] for p in whatsapp[0]["json"]["template"]["components"][0]["parameters"])

    # following the link: the invitee sets a password, enrols TOTP and lands on /kantor/ as admin
    admin = Client(HTTP_HOST="trowulan.localhost")
    invitation_page = admin.get(path)
    assert invitation_page.status_code == 200 and "Siti Rahayu" in invitation_page.content.decode()
    account = admin.post(path, {"username": "siti.trowulan", "password1": PASSWORD, "password2": PASSWORD})
    assert account.status_code == 302 and account["Location"].startswith("/kantor/masuk/otp/")
    assert 'name="token"' in admin.get(account["Location"]).content.decode()  # the QR and secret, no code asked
    enrolled = admin.post("/kantor/masuk/otp/", {"token": current_token(trowulan, "siti.trowulan"), "next": "/kantor/"})
    assert enrolled.status_code == 302
    assert 'id="backup-codes"' in admin.get(enrolled["Location"]).content.decode()
    assert admin.get("/kantor/").status_code == 200
    assert admin.get("/kantor/petugas/").status_code == 200  # the admin kecamatan's staff page
    with tenant_context(trowulan):
        assert StaffProfile.objects.get(user__username="siti.trowulan").role == Role.ADMIN

    # the link cannot be used twice
    again = Client(HTTP_HOST="trowulan.localhost").get(path)
    assert again.status_code == 410 and "sudah dipakai" in again.content.decode()
