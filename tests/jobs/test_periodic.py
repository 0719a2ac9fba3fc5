"""Periodic work: started once per due time however many workers ask, never before it is due;
`manage.py run_periodic` does one pass for cron."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from jobs import periodic
from jobs.models import Job, JobStatus, PeriodicRun
from tests.jobs.kinds import TICK

EVERY = timedelta(hours=1)


@pytest.fixture
def only_tick(monkeypatch):
    """The site's own periodic entries set aside: one test entry, every hour."""
    monkeypatch.setattr(periodic, "_PERIODIC", {})
    periodic.register_periodic(name="tests.tick", kind=TICK, title="Tick", every=EVERY)


def test_two_workers_asking_at_once_start_a_due_entry_once(only_tick, shared_db):
    now = timezone.now()
    both_ready = threading.Barrier(2)
    started, errors = [], []

    def worker():
        try:
            both_ready.wait(timeout=30)
            started.append(periodic.run_due(now=now))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(started) == [[], ["tests.tick"]]
    jobs = Job.objects.filter(kind=TICK)
    assert jobs.count() == 1
    assert jobs.get().status == JobStatus.SUCCEEDED  # run inline here; a worker's job there
    assert PeriodicRun.objects.get(name="tests.tick").next_due_at == now + EVERY


def test_an_entry_is_not_started_again_before_it_is_due(only_tick, db):
    start = timezone.now()

    assert periodic.run_due(now=start) == ["tests.tick"]
    assert periodic.run_due(now=start + EVERY - timedelta(seconds=1)) == []
    assert periodic.run_due(now=start + EVERY) == ["tests.tick"]

    assert Job.objects.filter(kind=TICK).count() == 2


def test_run_periodic_queues_what_is_due_once(only_tick, db, capsys):
    call_command("run_periodic")
    call_command("run_periodic")

    out = capsys.readouterr().out
    assert out.splitlines() == ["Queued: tests.tick", "Nothing was due."]
    assert Job.objects.filter(kind=TICK).count() == 1
