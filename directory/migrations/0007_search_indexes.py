"""PostgreSQL: a stored full-text document per actor with a GIN index, and trigram indexes for
the name and acronym matches, so a directory search reads indexes instead of every description.

SQLite keeps its word-by-word substring search (directory/search.py) and gets nothing here.
"""

from django.db import migrations

DOCUMENT = (
    "setweight(to_tsvector('english', coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(acronym, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(keywords, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(city, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(description, '')), 'C')"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    run(
        "ALTER TABLE directory_actor ADD COLUMN search_document tsvector "
        f"GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    run("CREATE INDEX directory_actor_search_document ON directory_actor USING gin (search_document)")
    # Django's icontains and iexact compare UPPER(column): index exactly that.
    run(
        "CREATE INDEX directory_actor_name_trgm ON directory_actor "
        "USING gin (upper(name) gin_trgm_ops)"
    )
    run("CREATE INDEX directory_actor_acronym_upper ON directory_actor (upper(acronym))")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run("DROP INDEX IF EXISTS directory_actor_acronym_upper")
    run("DROP INDEX IF EXISTS directory_actor_name_trgm")
    run("ALTER TABLE directory_actor DROP COLUMN IF EXISTS search_document")


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_curation")]

    operations = [migrations.RunPython(forwards, backwards)]
