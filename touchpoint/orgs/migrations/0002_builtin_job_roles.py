"""The four job roles every channel has; vendors add their own beside them."""

from django.db import migrations

BUILTIN = [("sales", "Sales"), ("service", "Service"), ("parts", "Parts"), ("management", "Management")]


def create(apps, schema_editor):
    JobRole = apps.get_model("orgs", "JobRole")
    for code, name in BUILTIN:
        JobRole.objects.update_or_create(code=code, defaults={"name": name, "is_builtin": True})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
