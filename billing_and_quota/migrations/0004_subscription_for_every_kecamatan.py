"""Every existing kecamatan gets its one subscription, on the default plan (new ones get theirs
from the provisioning step). The default plan gets the quotas added in 0003 at their defaults."""

from django.conf import settings
from django.db import migrations
from django_tenants.utils import get_public_schema_name


def subscribe_every_kecamatan(apps, schema_editor):
    Plan = apps.get_model("billing_and_quota", "Plan")
    Subscription = apps.get_model("billing_and_quota", "Subscription")
    Kecamatan = apps.get_model("tenants", "Kecamatan")
    plan = Plan.objects.filter(is_default=True).first()
    if plan is None:
        plan, _ = Plan.objects.get_or_create(name="Standar", defaults={"is_default": True})
    others = (get_public_schema_name(), settings.TENANT_BASE_SCHEMA)
    for kecamatan in Kecamatan.objects.exclude(schema_name__in=others).filter(subscription=None):
        Subscription.objects.create(kecamatan=kecamatan, plan=plan)


class Migration(migrations.Migration):
    dependencies = [("billing_and_quota", "0003_usage_notices_statements")]

    operations = [migrations.RunPython(subscribe_every_kecamatan, migrations.RunPython.noop)]
