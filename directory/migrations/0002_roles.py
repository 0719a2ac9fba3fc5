"""The Curators and Organisers groups, with curators allowed to change the whole directory."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR_APPS = ["directory"]


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the
    # group can be given them in the same run.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.add(*Permission.objects.filter(content_type__app_label__in=CURATOR_APPS))
    Group.objects.get_or_create(name="Organisers")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
