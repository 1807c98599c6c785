"""The Celery app: every task runs in the schema of the kecamatan that queued it."""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp
from tenant_schemas_celery.task import TenantTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipentol.settings.dev")


class MissingTenantError(RuntimeError):
    """A tenant task was called without a kecamatan schema."""


class KecamatanTask(TenantTask):
    """Base for tasks that work on one kecamatan's data: refuses to run in the public schema.

    tenant-schemas-celery sends the schema with the task and switches to it before the task
    runs; a task queued outside any tenant would otherwise silently read the public schema.
    """

    abstract = True

    def __call__(self, *args, **kwargs):
        from django.db import connection
        from django_tenants.utils import get_public_schema_name

        if connection.schema_name in (None, get_public_schema_name()):
            raise MissingTenantError(f"task {self.name} must run inside a kecamatan schema")
        return super().__call__(*args, **kwargs)


app = CeleryApp("sipentol")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
