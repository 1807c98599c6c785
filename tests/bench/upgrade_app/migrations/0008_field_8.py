from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_upgrade", "0007_field_7")]
    operations = [
        migrations.AddField("upgradeprobe", "field_8", models.CharField(max_length=40, default="", blank=True)),
    ]
