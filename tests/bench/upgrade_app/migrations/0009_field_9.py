from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_upgrade", "0008_field_8")]
    operations = [
        migrations.AddField("upgradeprobe", "field_9", models.CharField(max_length=40, default="", blank=True)),
    ]
