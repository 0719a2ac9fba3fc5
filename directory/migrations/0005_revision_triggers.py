"""Database triggers that bump DirectoryRevision on every change to the directory's tables."""

from django.db import migrations

from directory.revision_triggers import (
    BUMP,
    TABLES,
    sqlite_triggers_create,
    sqlite_triggers_drop,
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    if vendor == "postgresql":
        run(
            "CREATE OR REPLACE FUNCTION directory_bump_revision() RETURNS trigger AS $$ "
            f"BEGIN {BUMP}; RETURN NULL; END; $$ LANGUAGE plpgsql"
        )
        for table in TABLES:
            run(
                f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_revision()"
            )
    elif vendor == "sqlite":
        sqlite_triggers_create(schema_editor)
    else:  # pragma: no cover
        raise RuntimeError(f"no revision triggers for {vendor}")
    run(BUMP)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        sqlite_triggers_drop(schema_editor)
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_revision ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS directory_bump_revision()")


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_directory_revision")]

    operations = [migrations.RunPython(forwards, backwards)]
