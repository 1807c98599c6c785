"""Run a signing batch's per-letter tasks in this process (for tests whose data is uncommitted).

The batch tasks are queued after commit; inside a test transaction nothing commits, so these
tests run the real task body with Celery's `apply` (same code a worker runs, with its schema
header). Delivery by a real worker, and its crash, is tests/applications/test_signing_batch.py.
"""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import tenant_context

from sipentol.applications.tasks import sign_batch_item
from sipentol.letters.models import SigningBatchItem


def run_signing_tasks(kecamatan) -> list[str]:
    with tenant_context(kecamatan):
        pending = list(SigningBatchItem.objects.filter(state="pending").values_list("pk", flat=True))
        results = [sign_batch_item.apply(args=[pk]).get() for pk in pending]
    connection.set_schema_to_public()
    return results
