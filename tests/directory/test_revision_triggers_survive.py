"""The SQLite revision triggers survive migrations that rebuild their tables.

Migration 0017 added columns to the actor, sector and interest tables; SQLite rebuilt them and
the triggers were gone, so the ranking index stopped noticing profile changes on the default
database. The triggers are now restored after every `migrate`.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from directory.models import Actor, DirectoryRevision
from directory.revision_triggers import SQLITE_EVENTS, SQLITE_TRIGGER_TABLES
from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db


def _triggers() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        return set(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's row triggers")
def test_every_trigger_table_has_its_three_triggers_after_migrate():
    found = _triggers()
    missing = [
        f"{table}_revision_{event.lower()}"
        for table in SQLITE_TRIGGER_TABLES
        for event in SQLITE_EVENTS
        if (table, f"{table}_revision_{event.lower()}") not in found
    ]
    assert not missing


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's row triggers")
def test_a_dropped_trigger_comes_back_at_the_next_migrate():
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER directory_actor_revision_update")
    assert ("directory_actor", "directory_actor_revision_update") not in _triggers()
    call_command("migrate", verbosity=0)
    assert ("directory_actor", "directory_actor_revision_update") in _triggers()


def test_saving_a_profile_moves_the_revision_on_both_databases():
    actor = ActorFactory()
    before = DirectoryRevision.objects.get(pk=1).value
    Actor.objects.filter(pk=actor.pk).update(description_ko="바이오 의약품을 연구합니다.")
    assert DirectoryRevision.objects.get(pk=1).value > before
