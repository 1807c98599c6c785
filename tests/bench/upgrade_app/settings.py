"""Development settings plus the bench-only tenant app whose migrations an upgrade applies."""

from sipentol.settings.dev import *  # noqa: F403
from sipentol.settings.dev import INSTALLED_APPS, TENANT_APPS

TENANT_APPS = [*TENANT_APPS, "tests.bench.upgrade_app"]
INSTALLED_APPS = [*INSTALLED_APPS, "tests.bench.upgrade_app"]
# django-tenants' multiprocessing executor: one process per core of this 2-core machine.
TENANT_MULTIPROCESSING_MAX_PROCESSES = 2
TENANT_MULTIPROCESSING_CHUNKS = 2
