"""Fixtures of the notification tests: a real SMTP server, a stand-in for WhatsApp's API, and
committed outbox rows (the worker is another process and only sees committed data).

The ports are chosen when this file is imported, i.e. at collection, before any test starts
the session's Celery worker: the worker inherits them through the environment.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest

from .servers import SmtpCatcher, WhatsAppApi, ZenzivaApi, free_port

SMTP_PORT = free_port()
WHATSAPP_PORT = free_port()
ZENZIVA_PORT = free_port()
WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
WHATSAPP_TOKEN = "test-token-sipentol"
WHATSAPP_APP_SECRET = "test-app-secret-sipentol"
WHATSAPP_WEBHOOK_VERIFY_TOKEN = "test-verify-token-sipentol"
ZENZIVA_USERKEY = "test-userkey"
ZENZIVA_PASSKEY = "test-passkey-sipentol"
SMS_REPORT_TOKEN = "test-report-token-sipentol"
_ENV = {
    "SMTP_HOST": "127.0.0.1",
    "SMTP_PORT": str(SMTP_PORT),
    "WHATSAPP_API_URL": f"http://127.0.0.1:{WHATSAPP_PORT}/v21.0",
    "WHATSAPP_TOKEN": WHATSAPP_TOKEN,
    "WHATSAPP_PHONE_NUMBER_ID": WHATSAPP_PHONE_NUMBER_ID,
    "WHATSAPP_APP_SECRET": WHATSAPP_APP_SECRET,
    "WHATSAPP_WEBHOOK_VERIFY_TOKEN": WHATSAPP_WEBHOOK_VERIFY_TOKEN,
    "SMS_PROVIDER": "sipentol.notifications.channels.ZenzivaSms",
    "ZENZIVA_API_URL": f"http://127.0.0.1:{ZENZIVA_PORT}/reguler/api",
    "ZENZIVA_USERKEY": ZENZIVA_USERKEY,
    "ZENZIVA_PASSKEY": ZENZIVA_PASSKEY,
    "SMS_REPORT_TOKEN": SMS_REPORT_TOKEN,
}
os.environ.update(_ENV)


def apply_notification_settings(settings) -> None:
    """This process read its settings before the ports were chosen (the worker reads them from _ENV)."""
    settings.SMTP_HOST = _ENV["SMTP_HOST"]
    settings.SMTP_PORT = SMTP_PORT
    for name in (
        "WHATSAPP_API_URL",
        "WHATSAPP_TOKEN",
        "WHATSAPP_PHONE_NUMBER_ID",
        "WHATSAPP_APP_SECRET",
        "WHATSAPP_WEBHOOK_VERIFY_TOKEN",
        "SMS_PROVIDER",
        "ZENZIVA_API_URL",
        "ZENZIVA_USERKEY",
        "ZENZIVA_PASSKEY",
        "SMS_REPORT_TOKEN",
    ):
        setattr(settings, name, _ENV[name])


@pytest.fixture(autouse=True)
def _notification_settings(settings):
    apply_notification_settings(settings)


@pytest.fixture
def smtp_server():
    """Not started: the test starts it (`smtp_server.start()`) so it can also test an outage."""
    server = SmtpCatcher(SMTP_PORT)
    yield server
    server.stop()


@pytest.fixture
def whatsapp_api():
    api = WhatsAppApi(WHATSAPP_PORT, token=WHATSAPP_TOKEN, app_secret=WHATSAPP_APP_SECRET)
    api.start()
    yield api
    api.stop()


@pytest.fixture
def sms_gateway():
    gateway = ZenzivaApi(ZENZIVA_PORT, userkey=ZENZIVA_USERKEY, passkey=ZENZIVA_PASSKEY)
    gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture
def committed_jetis(django_db_setup, django_db_blocker):
    """Jetis's schema with real commits (no test transaction); rows this test made are deleted after.

    Not `transactional_db`: its flush would empty the public tenants table the session set up.
    """
    from django.db import connection
    from django_tenants.utils import tenant_context

    from sipentol.notifications.models import OutboxMessage
    from sipentol.notifications.routing.models import ProviderMessage
    from tenants.models import Kecamatan

    prefix = f"test-{uuid.uuid4().hex[:10]}"
    with django_db_blocker.unblock():
        jetis = Kecamatan.objects.get(slug="jetis")
        jetis.dedupe_prefix = prefix
        try:
            with tenant_context(jetis):
                yield jetis
        finally:
            with tenant_context(jetis):
                made = OutboxMessage.objects.filter(dedupe_key__startswith=prefix)
                ProviderMessage.objects.filter(
                    schema_name=jetis.schema_name, message_id__in=list(made.values_list("pk", flat=True))
                ).delete()
                made.delete()
            connection.set_schema_to_public()


@contextmanager
def broker_down():
    """Point this process's Celery producer at a closed port (the worker keeps the real broker)."""
    from sipentol.celery import app

    # Keep the real pools aside (kombu caches pools by URL) and give the producer fresh ones.
    saved = app.conf.broker_url, app.conf.broker_write_url, app._pool, app.amqp._producer_pool
    app._pool = app.amqp._producer_pool = None
    app.conf.broker_url = app.conf.broker_write_url = f"redis://127.0.0.1:{free_port()}/0"
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_write_url, app._pool, app.amqp._producer_pool = saved
