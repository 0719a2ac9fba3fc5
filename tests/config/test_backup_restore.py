"""Backups are only backups once a restore has been tried: dump, restore elsewhere, compare."""

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection

from directory.models import Actor, ContactPerson
from events.models import Event

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump backups are for PostgreSQL"
    ),
]


@pytest.fixture(autouse=True)
def _client_tools():
    missing = [tool for tool in ("pg_dump", "pg_restore") if not shutil.which(tool)]
    if missing:
        message = f"{' and '.join(missing)} missing (Debian: apt-get install postgresql-client)"
        # .ci/run installs them: in CI a missing tool is a failure, not a quiet skip.
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def database_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{name}"


def test_a_backup_restores_into_a_fresh_database_with_the_same_data(tmp_path, cast):
    from tests.factories import EventFactory

    EventFactory(slug="restore-me")
    cast.actor.description = "Hangul survives: 대구 물산업 클러스터 and accents: Pôle Eau."
    cast.actor.save()
    source = database_url(connection.settings_dict["NAME"])
    dump = tmp_path / "backup.dump"
    env = {**os.environ, "DATABASE_URL": source}
    subprocess.run(["bash", "scripts/backup", str(dump)], cwd=ROOT, env=env, check=True)
    assert dump.stat().st_size > 0

    target = "clustermatch_restore_test"
    admin = urlunsplit(urlsplit(source)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
        conn.execute(f'CREATE DATABASE "{target}"')
    try:
        env = {**os.environ, "DATABASE_URL": database_url(target)}
        subprocess.run(["bash", "scripts/restore", str(dump)], cwd=ROOT, env=env, check=True)
        with psycopg.connect(database_url(target)) as restored:
            count = lambda table: restored.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
            assert count("directory_actor") == Actor.objects.count()
            assert count("directory_contactperson") == ContactPerson.objects.count()
            assert count("matching_event") == Event.objects.count() == 1
            description = restored.execute(
                "SELECT description FROM directory_actor WHERE slug = %s", [cast.actor.slug]
            ).fetchone()[0]
            assert description == cast.actor.description
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
