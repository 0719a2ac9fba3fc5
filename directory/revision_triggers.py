"""The SQL of the triggers that bump DirectoryRevision, shared by migrations 0005 and 0006.

Migrations run this code: a change here changes what those migrations create, so the SQL
must stay as it is (a new trigger shape needs a new migration with its own SQL).
"""

from __future__ import annotations

# The directory's tables whose every change bumps the revision.
TABLES: tuple[str, ...] = (
    "directory_actor",
    "directory_actor_sectors",
    "directory_actor_offers",
    "directory_actor_seeks",
    "directory_sector",
    "directory_interest",
)
# An upsert, so the counter survives a TRUNCATE of its own table (test flushes do that).
BUMP = (
    "INSERT INTO directory_directoryrevision (id, value) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET value = directory_directoryrevision.value + 1"
)
SQLITE_EVENTS: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")


def sqlite_triggers_create(schema_editor, *, tables: tuple[str, ...] = TABLES) -> None:
    """One trigger per table and event; SQLite has no statement-level triggers."""
    # IF NOT EXISTS: 0006 re-creates only the triggers a table rebuild dropped. SQLite stores
    # the statement without it, so both migrations leave the same schema behind.
    for table in tables:
        for event in SQLITE_EVENTS:
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_revision_{event.lower()} AFTER {event} "
                f"ON {table} BEGIN {BUMP}; END"
            )


def sqlite_triggers_drop(schema_editor, *, tables: tuple[str, ...] = TABLES) -> None:
    for table in tables:
        for event in SQLITE_EVENTS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_revision_{event.lower()}")


# Every table with SQLite revision triggers (0005/0006, 0014's partnerships, 0021's regions).
SQLITE_TRIGGER_TABLES: tuple[str, ...] = (*TABLES, "directory_partnership", "directory_region")


def table_triggers_create(schema_editor, *, table: str) -> None:
    """The revision triggers of one more table (PostgreSQL's function was created by 0005)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_revision()"
        )
    elif vendor == "sqlite":
        sqlite_triggers_create(schema_editor, tables=(table,))
    else:  # pragma: no cover
        raise RuntimeError(f"no revision triggers for {vendor}")


def table_triggers_drop(schema_editor, *, table: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_revision ON {table}")
    else:
        sqlite_triggers_drop(schema_editor, tables=(table,))


def sqlite_triggers_restore(*, connection) -> list[str]:
    """Re-creates the revision triggers a SQLite table rebuild dropped; returns the tables mended.

    SQLite cannot alter a column in place, so a migration that changes one of these tables
    (adding a NOT NULL column, changing a field) makes a new table and copies the rows, and the
    triggers go with the old table. The index would then never notice a profile change. Called
    after every `migrate` (DirectoryConfig.ready), so no future migration can lose them unseen.
    """
    if connection.vendor != "sqlite":
        return []
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        triggers = set(cursor.fetchall())
    mended = [
        table
        for table in SQLITE_TRIGGER_TABLES
        if table in existing
        and "directory_directoryrevision" in existing
        and any(
            (table, f"{table}_revision_{event.lower()}") not in triggers for event in SQLITE_EVENTS
        )
    ]
    if mended:
        # A plain cursor, not a schema editor: this may run inside a test's transaction, where
        # SQLite's schema editor refuses to start. The statements are the migrations' own.
        with connection.cursor() as cursor:
            sqlite_triggers_create(cursor, tables=tuple(mended))
    return mended
