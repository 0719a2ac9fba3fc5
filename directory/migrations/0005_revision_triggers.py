"""Database triggers that bump DirectoryRevision on every change to the directory's tables."""

from django.db import migrations

TABLES = [
    "directory_actor",
    "directory_actor_sectors",
    "directory_actor_offers",
    "directory_actor_seeks",
    "directory_sector",
    "directory_interest",
]
# An upsert, so the counter survives a TRUNCATE of its own table (test flushes do that).
BUMP = (
    "INSERT INTO directory_directoryrevision (id, value) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET value = directory_directoryrevision.value + 1"
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
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                run(
                    f"CREATE TRIGGER {table}_revision_{event.lower()} AFTER {event} ON {table} "
                    f"BEGIN {BUMP}; END"
                )
    else:  # pragma: no cover
        raise RuntimeError(f"no revision triggers for {vendor}")
    run(BUMP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_revision ON {table}")
        else:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_revision_{event}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS directory_bump_revision()")


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_directory_revision")]

    operations = [migrations.RunPython(forwards, backwards)]
