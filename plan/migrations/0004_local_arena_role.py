from django.db import migrations


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="Lokal samverkansarena")


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Lokal samverkansarena").delete()


class Migration(migrations.Migration):
    dependencies = [("plan", "0003_forum_local_groups")]

    operations = [migrations.RunPython(create_role, remove_role)]
