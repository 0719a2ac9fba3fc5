"""Recording or removing a partnership bumps DirectoryRevision, as any directory change does:
the ranking reads partnerships (partners of similar organisations), so its index must be
rebuilt when they change."""

from django.db import migrations

from directory.revision_triggers import sqlite_triggers_create, sqlite_triggers_drop

TABLE = "directory_partnership"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # The function was created by 0005.
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_revision()"
        )
    elif vendor == "sqlite":
        sqlite_triggers_create(schema_editor, tables=(TABLE,))
    else:  # pragma: no cover
        raise RuntimeError(f"no revision triggers for {vendor}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_revision ON {TABLE}")
    else:
        sqlite_triggers_drop(schema_editor, tables=(TABLE,))


class Migration(migrations.Migration):
    dependencies = [("directory", "0013_partnerships")]

    operations = [migrations.RunPython(forwards, backwards)]
