"""The read-only "Pimpinan" role: a group of public-schema users allowed to read the dashboard."""

from django.db import migrations


def create_group(apps, schema_editor):
    # regency is a shared app: this runs for the public schema only.
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="regency")


def drop_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="regency").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("regency", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, drop_group)]
