"""What the cached citizen pages show (lib/pagecache.py): a save or delete of one of these models
clears its kecamatan's cached pages, so that an admin's change is on the site at once."""

from __future__ import annotations

from django.apps import apps
from django.db import connection
from django.db.models.signals import post_delete, post_save

from sipentol.lib.pagecache import content_changed
from tenants.models import Kecamatan

PUBLIC_CONTENT = (
    "configured_services.KecamatanService",
    "configured_services.ServiceRequirement",
    "tenants.Kecamatan",
    "tenants.Domain",
    "tenants.Desa",
)


def _changed(sender, instance, **kwargs) -> None:
    if isinstance(instance, Kecamatan):
        kecamatan_id = instance.pk
    elif getattr(instance, "tenant_id", None) is not None:  # a host name
        kecamatan_id = instance.tenant_id
    elif getattr(instance, "kecamatan_id", None) is not None:  # a desa
        kecamatan_id = instance.kecamatan_id
    else:  # a row of the kecamatan's own schema
        kecamatan_id = getattr(getattr(connection, "tenant", None), "pk", None)
    if kecamatan_id is not None:
        content_changed(kecamatan_id)


def connect() -> None:
    for label in PUBLIC_CONTENT:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"pagecache-delete-{label}")
