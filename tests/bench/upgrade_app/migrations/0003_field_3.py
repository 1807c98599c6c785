from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_upgrade", "0002_field_2")]
    operations = [
        migrations.AddField("upgradeprobe", "field_3", models.CharField(max_length=40, default="", blank=True)),
    ]
