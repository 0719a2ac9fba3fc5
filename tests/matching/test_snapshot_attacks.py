"""Attacks on the signed snapshot file and on the snapshot folder (found by a review)."""

import contextlib
import dataclasses
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.synthetic import synthetic_profiles
from directory.models import Actor
from jobs.models import JobStatus
from matching import snapshot_file
from matching.engine import build_index
from matching.index import holder, index_build, snapshot_dir, snapshot_load, snapshot_write
from matching.jobs import schedule_index_rebuild

ROOT = Path(__file__).resolve().parents[2]
KEY = b"k" * 32
TAG = b"0123456789ab"


class Planted:
    ran = False

    def __reduce__(self):
        return (setattr, (Planted, "ran", True))


def test_the_pickle_unpickled_is_the_one_whose_signature_was_checked(tmp_path, monkeypatch):
    """The signature is checked over one read of the file, then the pickle is read again:
    whoever can write the file (shared storage) swaps it in between and their pickle runs."""
    index = build_index(synthetic_profiles(120), version=1)
    path = tmp_path / "a.index"
    with open(path, "wb") as out:
        snapshot_file.write(out, index, tag=TAG, key=KEY)
    checked = snapshot_file.hmac.compare_digest

    def swap_after_checking(a, b):
        ok = checked(a, b)
        start = snapshot_file._HEAD  # in place: same inode, as `cp` or a second writer does
        with open(path, "r+b") as f:
            evil = pickle.dumps(Planted(), protocol=5)
            f.seek(start)
            f.write(snapshot_file._COUNTS.pack(len(evil), 0) + evil)
        return ok

    monkeypatch.setattr(snapshot_file.hmac, "compare_digest", swap_after_checking)
    with contextlib.suppress(Exception):  # refused or not: what matters is what ran
        snapshot_file.read(path, tag=TAG, key=KEY)
    assert Planted.ran is False, "an unsigned pickle was unpickled"


MAPPED_THEN_OVERWRITTEN = """
import os, sys
from matching import snapshot_file
loaded = snapshot_file.read(
    sys.argv[1], tag=b"0123456789ab", key=b"k" * 32, mapped=sys.argv[2] == "mapped"
)
os.truncate(sys.argv[1], 4096)  # a copy over the file (cp, rsync --inplace, a restore)
key = int(loaded.profiles.keys[0])
print(len(loaded.rank(key, top=5)), loaded.profiles[len(loaded.profiles) - 1].name)
"""


def test_read_not_mapped_a_snapshot_overwritten_in_place_kills_no_process(tmp_path):
    """For shared storage (MATCHING_SNAPSHOT_MAPPED off): another machine may cut or remove
    the file, and a mapping whose file is cut dies of SIGBUS on its next page; read into
    memory, the process goes on."""
    index = build_index(synthetic_profiles(1500), version=1)
    path = tmp_path / "a.index"
    with open(path, "wb") as out:
        snapshot_file.write(out, index, tag=TAG, key=KEY)
    result = subprocess.run(
        [sys.executable, "-c", MAPPED_THEN_OVERWRITTEN, str(path), "read"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == 0, f"exit {result.returncode} (-7: SIGBUS) {result.stderr[-300:]}"


def test_a_snapshot_that_vanishes_while_the_job_looks_does_not_fail_the_rebuild(world):
    """Another writer (a second job, a server's start-up build) removes older snapshots while
    this job lists them: the job goes on (here a dangling link stands for the vanished file)."""
    schedule_index_rebuild(reason="a test")
    holder.clear()  # a worker that has not built yet: it looks for the latest snapshot
    (snapshot_dir() / "r1-0000000000000000.index").symlink_to(snapshot_dir() / "gone.index")
    world.daegu.description = "Hydrogen fuel cells and electrolysers for buses."
    world.daegu.save()

    job = schedule_index_rebuild(reason="another test")

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error_detail


def test_a_slow_writer_of_an_older_revision_does_not_remove_the_newer_snapshot(world):
    """Two writers at once: a server's start-up build of revision N finishes after the job
    stored revision N + 1; the newer snapshot must survive (else every web process builds)."""
    built = index_build()
    newer = dataclasses.replace(built, version=built.version + 1)
    snapshot_write(newer)
    snapshot_write(built)  # the slow writer, later
    assert snapshot_load(built.version + 1) is not None
    assert Actor.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_server_started_after_a_key_change_builds_in_the_child_not_in_the_parent(world, settings):
    """The snapshot of the current revision is there but signed with the old SECRET_KEY: the
    start-up took it for usable, skipped the child and built in the parent, whose copy (and
    scikit-learn) every forked worker then inherits, at every restart until the next change."""
    from matching.index import index_warm_before_fork

    schedule_index_rebuild(reason="a test")
    settings.SECRET_KEY = "a new secret key after a rotation, long enough to be a real one"
    holder.clear()
    builds = holder.builds
    assert index_warm_before_fork() is True
    assert holder.builds == builds, "the server's parent process built the index itself"


@pytest.mark.parametrize("mapped", [True, False])
def test_the_setting_decides_whether_a_loaded_index_maps_its_file(world, settings, mapped):
    from directory.models import directory_revision
    from tests.matching.test_snapshot_file import mapped as is_mapped

    settings.MATCHING_SNAPSHOT_MAPPED = mapped
    # Large enough for its matrices to be written apart from the pickle.
    built = build_index(synthetic_profiles(400), version=directory_revision())
    snapshot_write(built)
    loaded = snapshot_load(built.version)
    assert is_mapped(loaded.tfidf.indices) is mapped
    assert not loaded.tfidf.indices.flags.writeable  # read-only either way
    key = int(built.profiles.keys[0])
    assert [m.key for m in loaded.rank(key, top=5)] == [m.key for m in built.rank(key, top=5)]


def test_a_write_left_half_done_is_removed_by_a_later_write_once_it_is_old(world):
    built = index_build()
    folder = snapshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    old, recent = folder / "died.tmp", folder / "writing.tmp"
    for left in (old, recent):
        left.write_bytes(b"half a snapshot")
    an_hour_ago = time.time() - 3601
    os.utime(old, (an_hour_ago, an_hour_ago))
    snapshot_write(built)
    assert not old.exists() and recent.exists()  # another writer may be writing that one
