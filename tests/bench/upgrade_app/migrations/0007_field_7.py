from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_upgrade", "0006_field_6")]
    operations = [
        migrations.AddField("upgradeprobe", "field_7", models.CharField(max_length=40, default="", blank=True)),
    ]
