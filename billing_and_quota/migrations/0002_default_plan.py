from django.db import migrations


def create_default_plan(apps, schema_editor):
    Plan = apps.get_model("billing_and_quota", "Plan")
    Plan.objects.get_or_create(
        name="Standar", defaults={"monthly_application_quota": 2000, "storage_quota_gb": 50, "is_default": True}
    )


def drop_default_plan(apps, schema_editor):
    apps.get_model("billing_and_quota", "Plan").objects.filter(name="Standar", subscriptions=None).delete()


class Migration(migrations.Migration):
    dependencies = [("billing_and_quota", "0001_initial")]

    operations = [migrations.RunPython(create_default_plan, drop_default_plan)]
