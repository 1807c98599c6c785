from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_upgrade", "0003_field_3")]
    operations = [
        migrations.AddField("upgradeprobe", "field_4", models.CharField(max_length=40, default="", blank=True)),
    ]
