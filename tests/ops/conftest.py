"""Fixtures of the ops tests: the notification tests' SMTP server and WhatsApp stand-in, on the
same ports (chosen when tests/notifications/conftest.py is imported, before any test starts the
session's Celery worker, which inherits them through the environment)."""

from __future__ import annotations

import pytest

from tests.notifications.conftest import (  # noqa: F401 - fixtures re-used here
    apply_notification_settings,
    smtp_server,
    whatsapp_api,
)


@pytest.fixture
def notification_settings(settings):
    """This process read its settings before the ports were chosen."""
    apply_notification_settings(settings)
