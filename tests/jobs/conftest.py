"""Fixtures for the job queue's tests: the test kinds, a database that worker processes and
threads can share, and real `manage.py worker` processes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing, suppress
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connections

from tests.jobs.kinds import register_kinds

ROOT = Path(__file__).resolve().parents[2]
# A deadline for waiting on another process, not a measure of speed.
DEADLINE_SECONDS = 90


@pytest.fixture(autouse=True)
def _test_kinds():
    register_kinds()


def _database_url(settings_dict: dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return "sqlite:///" + str(settings_dict["NAME"])
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    name = quote(settings_dict["NAME"], safe="")
    return f"postgres://{credentials}{settings_dict.get('HOST') or ''}{port}/{name}"


@pytest.fixture
def shared_db(transactional_db, tmp_path):
    """The test database, as a DATABASE_URL that worker processes and other threads reach.

    On PostgreSQL that is pytest-django's test database itself (test_<name>), committed to as
    the test goes (transactional_db). On SQLite the test database lives in this process's
    memory, out of other processes' reach: for the length of the test, this process's
    connection is pointed at a file holding a copy of it (schema included), and put back after.
    """
    conn = connections["default"]
    if conn.vendor != "sqlite":
        yield _database_url(conn.settings_dict)
        return
    conn.ensure_connection()
    in_memory = conn.connection
    path = tmp_path / "test-db.sqlite3"
    with closing(sqlite3.connect(path)) as copy:
        in_memory.backup(copy)
    name = conn.settings_dict["NAME"]
    # The in-memory database lives as long as a connection to it: keep that one aside.
    conn.connection = None
    conn.settings_dict["NAME"] = str(path)
    try:
        yield _database_url(conn.settings_dict)
    finally:
        conn.close()
        conn.settings_dict["NAME"] = name
        conn.connection = in_memory


@pytest.fixture
def worker_env(shared_db, tmp_path):
    """The environment of a worker process on the test database (no Redis unless added)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(
        DATABASE_URL=shared_db,
        CLUSTERMATCH_VAR_DIR=str(tmp_path / "worker-var"),
        DJANGO_SETTINGS_MODULE="tests.jobs.worker_settings",
        DJANGO_DEBUG="1",
        PYTHONUNBUFFERED="1",
        PYTHONFAULTHANDLER="1",
    )
    return env


def manage(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


def run_worker(env: dict, *args: str) -> subprocess.CompletedProcess:
    """`manage.py worker --batch ...` to its end; fails the test, with its output, if it fails."""
    done = subprocess.run(
        manage("worker", "--batch", *args),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE_SECONDS,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def start_worker(env: dict, *args: str, log: Path) -> subprocess.Popen:
    """A long-running `manage.py worker ...`, its output in `log`."""
    with log.open("w") as out:
        # A session of its own: stop() ends its children too (RQ's scheduler process).
        return subprocess.Popen(
            manage("worker", *args),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_for(condition, *, what: str, process: subprocess.Popen | None = None, log=None):
    """Poll `condition` until it holds; fail, with the worker's output, at the deadline or
    when the worker died first."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if process is not None and process.poll() is not None:
            pytest.fail(f"the worker ended before {what}:\n{_read(log)}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {DEADLINE_SECONDS} s:\n{_read(log)}")
        time.sleep(0.1)


def _read(log) -> str:
    return Path(log).read_text() if log and Path(log).exists() else ""


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        # Still there after the test: its threads' tracebacks go to its log (faulthandler).
        process.send_signal(signal.SIGABRT)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=DEADLINE_SECONDS)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # whatever it left behind
