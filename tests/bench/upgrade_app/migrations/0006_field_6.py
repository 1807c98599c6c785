from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_upgrade", "0005_field_5")]
    operations = [
        migrations.AddField("upgradeprobe", "field_6", models.CharField(max_length=40, default="", blank=True)),
    ]
