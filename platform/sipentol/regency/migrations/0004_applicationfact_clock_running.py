from django.db import migrations, models

# The statuses in which the SLA clock ran when this migration was written (the lifecycle's
# CLOCK_RUNNING); later facts get the flag from the application itself.
RUNNING = ["submitted", "in_review", "resubmitted", "verified", "letter_drafted", "awaiting_signature"]


def backfill(apps, schema_editor):
    ApplicationFact = apps.get_model("regency", "ApplicationFact")
    ApplicationFact.objects.filter(status__in=RUNNING).update(clock_running=True)


class Migration(migrations.Migration):
    dependencies = [("regency", "0003_skm")]

    operations = [
        migrations.AddField(
            model_name="applicationfact",
            name="clock_running",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
