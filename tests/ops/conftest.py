"""Fixtures of the ops tests: the notification tests' SMTP server and WhatsApp stand-in, on the
same ports (chosen when tests/notifications/conftest.py is imported, before any test starts the
session's Celery worker, which inherits them through the environment)."""

from __future__ import annotations

import pytest

from tests.notifications.conftest import (  # noqa: F401 - fixtures re-used here
    _ENV,
    SMTP_PORT,
    WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_TOKEN,
    smtp_server,
    whatsapp_api,
)


@pytest.fixture
def notification_settings(settings):
    """This process read its settings before the ports were chosen."""
    settings.SMTP_HOST = _ENV["SMTP_HOST"]
    settings.SMTP_PORT = SMTP_PORT
    settings.WHATSAPP_API_URL = _ENV["WHATSAPP_API_URL"]
    settings.WHATSAPP_TOKEN = WHATSAPP_TOKEN
    settings.WHATSAPP_PHONE_NUMBER_ID = WHATSAPP_PHONE_NUMBER_ID
