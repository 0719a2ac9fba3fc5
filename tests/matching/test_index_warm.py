"""The ranking index loaded in the server's parent process, before gunicorn forks its workers."""

import os

import pytest
from django.db import connection

from matching.index import directory_revision, holder, index_warm_before_fork, snapshot_dir


@pytest.mark.django_db(transaction=True)
def test_the_parent_holds_the_current_index_and_no_connection(world):
    holder.clear()
    builds = holder.builds + holder.loads
    assert index_warm_before_fork() is True
    assert holder.builds + holder.loads == builds + 1
    # Forked workers inherit neither a database connection nor the analyser's threads (Django
    # keeps SQLite's in-memory test database open whatever is asked: it would be lost).
    assert connection.connection is None or connection.is_in_memory_db()
    from common.korean import _analyser

    assert _analyser.cache_info().currsize == 0
    # What a worker then finds: the index of the directory as it is, nothing to build.
    index = holder.get()
    assert index.version == directory_revision()
    assert holder.builds + holder.loads == builds + 1
    assert {world.chuncheon.pk, world.daegu.pk} <= set(index.position)


@pytest.mark.django_db(transaction=True)
def test_an_empty_directory_starts_all_the_same():
    holder.clear()
    index_warm_before_fork()  # no actor yet: whatever it returns, it does not raise
    assert connection.connection is None or connection.is_in_memory_db()


@pytest.mark.django_db(transaction=True)
def test_a_forked_worker_ranks_with_the_parents_index_without_building(world):
    holder.clear()
    assert index_warm_before_fork() is True
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        os.close(read)
        code = 1
        try:
            before = holder.builds + holder.loads
            matches = holder.get().rank(world.actor.pk, top=2)
            ok = holder.builds + holder.loads == before and matches[0].key == world.chuncheon.pk
            os.write(write, b"ok" if ok else b"built or ranked wrongly")
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    answer = os.read(read, 100)
    os.close(read)
    assert status == 0 and answer == b"ok"


@pytest.mark.django_db(transaction=True)
def test_without_a_snapshot_a_child_builds_it_and_the_parent_only_loads_it(world):
    holder.clear()
    for stale in snapshot_dir().glob("*.index"):
        stale.unlink()
    builds, loads = holder.builds, holder.loads
    assert index_warm_before_fork() is True
    # The build's leftovers stayed in the child: the parent read the snapshot the child wrote.
    assert (holder.builds, holder.loads) == (builds, loads + 1)
    assert list(snapshot_dir().glob("*.index"))
    assert holder.get().rank(world.actor.pk, top=1)[0].key == world.chuncheon.pk


@pytest.mark.django_db(transaction=True)
def test_when_the_child_fails_the_parent_builds_the_index_itself(world, monkeypatch):
    holder.clear()
    for stale in snapshot_dir().glob("*.index"):
        stale.unlink()

    def refuse(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("matching.index.snapshot_write", refuse)
    builds = holder.builds
    assert index_warm_before_fork() is True
    assert holder.builds == builds + 1
    assert holder.get().rank(world.actor.pk, top=1)[0].key == world.chuncheon.pk
