from django.conf import settings
from django.db import migrations
from django_tenants.utils import get_public_schema_name, schema_exists

from tenants.schema_align import schema_names_align


def align(apps, schema_editor):
    """Every kecamatan schema cloned by django-tenants' clone function gets the template's names
    (tenants/schema_align.py); a no-op on the schemas tenants/schema_clone.py made."""
    template = settings.TENANT_BASE_SCHEMA
    if not schema_exists(template):
        return  # a new database: no kecamatan yet
    Kecamatan = apps.get_model("tenants", "Kecamatan")
    schemas = Kecamatan.objects.exclude(schema_name__in=[get_public_schema_name(), template])
    names = [s for s in schemas.order_by("schema_name").values_list("schema_name", flat=True) if schema_exists(s)]
    schema_names_align(schema_editor.connection, names, template=template)


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0003_ops_event_audit"),
    ]

    operations = [
        migrations.RunPython(align, migrations.RunPython.noop),
    ]
