from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_upgrade", "0004_field_4")]
    operations = [
        migrations.AddField("upgradeprobe", "field_5", models.CharField(max_length=40, default="", blank=True)),
    ]
