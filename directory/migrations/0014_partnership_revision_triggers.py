"""Recording or removing a partnership bumps DirectoryRevision, as any directory change does:
the ranking reads partnerships (partners of similar organisations), so its index must be
rebuilt when they change."""

from django.db import migrations

from directory.revision_triggers import table_triggers_create, table_triggers_drop

TABLE = "directory_partnership"


def forwards(apps, schema_editor):
    table_triggers_create(schema_editor, table=TABLE)


def backwards(apps, schema_editor):
    table_triggers_drop(schema_editor, table=TABLE)


class Migration(migrations.Migration):
    dependencies = [("directory", "0013_partnerships")]

    operations = [migrations.RunPython(forwards, backwards)]
