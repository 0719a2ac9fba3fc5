"""Renaming, adding or removing a region bumps DirectoryRevision, as any directory change does:
the directory's filter, its place labels and the statistics page are kept per revision, and
would otherwise show an old region name until the next change to an actor."""

from django.db import migrations

from directory.revision_triggers import BUMP, table_triggers_create, table_triggers_drop

TABLE = "directory_region"


def forwards(apps, schema_editor):
    table_triggers_create(schema_editor, table=TABLE)
    schema_editor.execute(BUMP)  # what was kept before this migration is not trusted


def backwards(apps, schema_editor):
    table_triggers_drop(schema_editor, table=TABLE)


class Migration(migrations.Migration):
    dependencies = [("directory", "0020_actor_status_country_index")]

    operations = [migrations.RunPython(forwards, backwards)]
