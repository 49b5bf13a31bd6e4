"""The single portal-settings row exists from the start, so pages read it with one query."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("kernel", "PortalSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("kernel", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
