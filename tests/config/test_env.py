import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from config.env import database_from_url, env_bool, env_float, env_int, env_list


def test_unset_database_url_means_sqlite_in_var():
    config = database_from_url("", sqlite_path="/srv/var/db.sqlite3")
    assert config == {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/var/db.sqlite3"}


def test_postgres_url_is_parsed_with_escapes():
    config = database_from_url(
        "postgres://cm%40user:p%2Fss@db.internal:6543/cluster_match", sqlite_path="x"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "cm@user",
        "p/ss",
        "db.internal",
        "6543",
        "cluster_match",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/db", "must start with postgres://"),
        ("postgres://user@localhost:5432/", "must name a database"),
        ("postgres://user@localhost:notaport/db", "malformed port"),
        ("sqlite://", "needs a file path"),
    ],
)
def test_malformed_database_urls_fail_loudly(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        database_from_url(url, sqlite_path="x")


def test_typed_readers(monkeypatch):
    monkeypatch.setenv("CM_FLAG", "yes")
    monkeypatch.setenv("CM_NUMBER", "42")
    monkeypatch.setenv("CM_HOSTS", "a.example.org, b.example.org,")
    assert env_bool("CM_FLAG", False) is True
    assert env_int("CM_NUMBER", 0) == 42
    assert env_list("CM_HOSTS", []) == ["a.example.org", "b.example.org"]
    assert env_bool("CM_UNSET", True) is True
    monkeypatch.setenv("CM_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="CM_FLAG"):
        env_bool("CM_FLAG", False)
    monkeypatch.setenv("CM_NUMBER", "4x")
    with pytest.raises(ImproperlyConfigured, match="CM_NUMBER must be a whole number"):
        env_int("CM_NUMBER", 0)


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": ""}
    env.pop("DATABASE_URL", None)
    env["CLUSTERMATCH_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a statement timeout is a PostgreSQL setting"
)
def test_no_query_may_run_longer_than_the_statement_timeout(db):
    from django.db import OperationalError, transaction

    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
        # The same mechanism, shortened, really stops a runaway query.
        with pytest.raises(OperationalError, match="statement timeout"), transaction.atomic():
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(2)")


@pytest.mark.parametrize("raw", ["fast", "0", "-1", "nan", "inf", ""])
def test_a_cost_that_is_no_positive_number_is_refused(monkeypatch, raw):
    monkeypatch.setenv("DB_RANDOM_PAGE_COST", raw)
    with pytest.raises(ImproperlyConfigured, match="DB_RANDOM_PAGE_COST must be a positive"):
        env_float("DB_RANDOM_PAGE_COST", 1.1)


def test_a_cost_is_read_or_defaulted(monkeypatch):
    monkeypatch.delenv("DB_RANDOM_PAGE_COST", raising=False)
    assert env_float("DB_RANDOM_PAGE_COST", 1.1) == 1.1
    monkeypatch.setenv("DB_RANDOM_PAGE_COST", "4")
    assert env_float("DB_RANDOM_PAGE_COST", 1.1) == 4.0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_the_planner_prices_random_reads_for_solid_state_storage(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
