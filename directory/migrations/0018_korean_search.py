"""Korean in the directory search: the `search_korean` column (the content words of each actor's
Hangul, written by Actor.save()), filled here for the actors already stored; on PostgreSQL the
stored search document of migration 0007 gains those words with the 'simple' configuration, at
the weights of the fields they come from, and the Korean name a trigram index like the name's.
"""

from django.db import migrations, models

ENGLISH = (
    "setweight(to_tsvector('english', coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(acronym, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(keywords, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(city, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(description, '')), 'C')"
)
# search_korean holds one line per weight: names, then keywords and city, then descriptions.
KOREAN = (
    "setweight(to_tsvector('simple', split_part(search_korean, E'\\n', 1)), 'A') || "
    "setweight(to_tsvector('simple', split_part(search_korean, E'\\n', 2)), 'B') || "
    "setweight(to_tsvector('simple', split_part(search_korean, E'\\n', 3)), 'C')"
)


def _document(run, expression: str) -> None:
    # A generated column's expression cannot be changed in place before PostgreSQL 17.
    run("DROP INDEX IF EXISTS directory_actor_search_document")
    run("ALTER TABLE directory_actor DROP COLUMN IF EXISTS search_document")
    run(
        "ALTER TABLE directory_actor ADD COLUMN search_document tsvector "
        f"GENERATED ALWAYS AS ({expression}) STORED"
    )
    run(
        "CREATE INDEX directory_actor_search_document ON directory_actor "
        "USING gin (search_document)"
    )


def fill_search_korean(apps, schema_editor):
    from directory.search import korean_search_refresh

    korean_search_refresh(actors=apps.get_model("directory", "Actor").objects.all())


def document_forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    _document(run, f"{ENGLISH} || {KOREAN}")
    # icontains compares UPPER(column), as for the name in 0007.
    run(
        "CREATE INDEX directory_actor_name_ko_trgm ON directory_actor "
        "USING gin (upper(name_ko) gin_trgm_ops)"
    )


def document_backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run("DROP INDEX IF EXISTS directory_actor_name_ko_trgm")
    _document(run, ENGLISH)


class Migration(migrations.Migration):
    dependencies = [("directory", "0017_bilingual_profiles_sources_joining")]

    operations = [
        migrations.AddField(
            model_name="actor",
            name="search_korean",
            field=models.TextField(blank=True, default="", db_default="", editable=False),
        ),
        migrations.RunPython(fill_search_korean, migrations.RunPython.noop),
        migrations.RunPython(document_forwards, document_backwards),
    ]
