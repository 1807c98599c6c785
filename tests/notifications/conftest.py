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

from .servers import SmtpCatcher, WhatsAppApi, free_port

SMTP_PORT = free_port()
WHATSAPP_PORT = free_port()
WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
WHATSAPP_TOKEN = "test-token-sipentol"
_ENV = {
    "SMTP_HOST": "127.0.0.1",
    "SMTP_PORT": str(SMTP_PORT),
    "WHATSAPP_API_URL": f"http://127.0.0.1:{WHATSAPP_PORT}/v21.0",
    "WHATSAPP_TOKEN": WHATSAPP_TOKEN,
    "WHATSAPP_PHONE_NUMBER_ID": WHATSAPP_PHONE_NUMBER_ID,
}
os.environ.update(_ENV)


@pytest.fixture(autouse=True)
def _notification_settings(settings):
    """This process read its settings before the ports were chosen."""
    settings.SMTP_HOST = _ENV["SMTP_HOST"]
    settings.SMTP_PORT = SMTP_PORT
    settings.WHATSAPP_API_URL = _ENV["WHATSAPP_API_URL"]
    settings.WHATSAPP_TOKEN = WHATSAPP_TOKEN
    settings.WHATSAPP_PHONE_NUMBER_ID = WHATSAPP_PHONE_NUMBER_ID


@pytest.fixture
def smtp_server():
    """Not started: the test starts it (`smtp_server.start()`) so it can also test an outage."""
    server = SmtpCatcher(SMTP_PORT)
    yield server
    server.stop()


@pytest.fixture
def whatsapp_api():
    api = WhatsAppApi(WHATSAPP_PORT)
    api.start()
    yield api
    api.stop()


@pytest.fixture
def committed_jetis(django_db_setup, django_db_blocker):
    """Jetis's schema with real commits (no test transaction); rows this test made are deleted after.

    Not `transactional_db`: its flush would empty the public tenants table the session set up.
    """
    from django.db import connection
    from django_tenants.utils import tenant_context

    from sipentol.notifications.models import OutboxMessage
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
                OutboxMessage.objects.filter(dedupe_key__startswith=prefix).delete()
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
