from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_upgrade", "0001_initial")]
    operations = [
        migrations.AddField("upgradeprobe", "field_2", models.CharField(max_length=40, default="", blank=True)),
    ]
