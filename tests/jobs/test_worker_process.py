"""Real `manage.py worker` processes on the database backend, against the test database:
a queued job runs to success, a worker killed mid-job leaves nothing half-written and the job
is finished by the next worker, SIGTERM stops a worker cleanly."""

import signal
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group

from jobs import periodic
from jobs.models import UNFINISHED, Job, JobStatus, PeriodicRun
from jobs.runner import enqueue, recover_stalled
from jobs.tasks import execute_job
from tests.jobs.conftest import run_worker, start_worker, stop, wait_for
from tests.jobs.kinds import COUNT, FLAKY, WRITE_ROWS

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_backend(settings):
    settings.TASKS = DATABASE_BACKEND
    settings.JOBS_RETRY_DELAYS = [0]  # a retry queued here is due at once


def test_a_worker_runs_a_queued_job_to_success_once_even_when_delivered_twice(
    database_backend, worker_env
):
    job = enqueue(kind=COUNT, title="Count the rows", params={"prefix": "worker"})
    execute_job.enqueue(job.pk)  # the same job id delivered a second time

    run_worker(worker_env)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 1
    assert job.result == {"summary": "counted"}
    assert Group.objects.filter(name__startswith="worker-").count() == 1


def test_a_worker_retries_a_failing_job_until_it_succeeds(database_backend, worker_env):
    job = enqueue(kind=FLAKY, title="Flaky work", params={"succeed_on": 3})

    # The worker's retries are due two seconds later (tests/jobs/worker_settings.py): each
    # batch takes what is due, so batches run until the job has ended.
    def ended():
        run_worker(worker_env)
        job.refresh_from_db()
        return job.finished

    wait_for(ended, what="end of the flaky job")
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 3


def test_a_worker_killed_mid_job_leaves_nothing_and_the_next_worker_finishes_it(
    database_backend, worker_env, settings, tmp_path
):
    marker = tmp_path / "rows-written"
    job = enqueue(
        kind=WRITE_ROWS,
        title="Write twenty rows",
        params={"prefix": "kill", "rows": 20, "hang_on_attempt": 1, "marker": str(marker)},
    )
    log = tmp_path / "worker.log"
    worker = start_worker(worker_env, "--interval", "0.1", log=log)
    try:
        # The marker is written after the rows, inside their transaction, before its commit.
        wait_for(marker.exists, what="rows written by the worker", process=worker, log=log)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=60)
    finally:
        stop(worker)

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert job.attempts == 1
    assert not Group.objects.filter(name__startswith="kill-").exists()

    settings.JOBS_LEASE_SECONDS = 0  # no heartbeat since the kill: its lease is over
    assert recover_stalled() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert "stopped before it finished" in job.error

    run_worker(worker_env)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 2
    names = list(Group.objects.filter(name__startswith="kill-").values_list("name", flat=True))
    assert sorted(names) == sorted(f"kill-{i}" for i in range(20))


def test_a_recovered_job_that_used_its_attempts_fails(database_backend, worker_env, tmp_path):
    marker = tmp_path / "rows-written"
    job = enqueue(
        kind=WRITE_ROWS,
        title="Write rows once",
        params={"prefix": "last", "rows": 3, "hang_on_attempt": 1, "marker": str(marker)},
        max_attempts=1,
    )
    log = tmp_path / "worker.log"
    worker = start_worker(worker_env, "--interval", "0.1", log=log)
    try:
        wait_for(marker.exists, what="rows written by the worker", process=worker, log=log)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=60)
    finally:
        stop(worker)

    recover_stalled(stalled_after=timedelta(0))

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "stopped before it finished" in job.error
    assert not Group.objects.filter(name__startswith="last-").exists()


def test_sigterm_stops_an_idle_worker_cleanly(database_backend, worker_env, tmp_path):
    log = tmp_path / "worker.log"
    worker = start_worker(worker_env, "--interval", "0.1", log=log)
    try:
        wait_for(lambda: "Starting worker" in log.read_text(), what="worker start", log=log)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0, log.read_text()
    finally:
        stop(worker)


def test_sigterm_lets_the_job_under_way_finish_then_stops(database_backend, worker_env, tmp_path):
    marker, release = tmp_path / "rows-written", tmp_path / "release"
    job = enqueue(
        kind=WRITE_ROWS,
        title="Write rows",
        params={
            "prefix": "term",
            "rows": 4,
            "hang_on_attempt": 1,
            "marker": str(marker),
            "release": str(release),
        },
    )
    log = tmp_path / "worker.log"
    worker = start_worker(worker_env, "--interval", "0.1", log=log)
    try:
        wait_for(marker.exists, what="rows written by the worker", process=worker, log=log)
        worker.send_signal(signal.SIGTERM)  # while the job is under way
        release.touch()
        assert worker.wait(timeout=60) == 0, log.read_text()
    finally:
        stop(worker)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 1
    assert Group.objects.filter(name__startswith="term-").count() == 4


def test_a_worker_queues_the_periodic_work_that_is_due_and_runs_it(
    database_backend, worker_env, tmp_path
):
    log = tmp_path / "worker.log"
    env = {**worker_env, "JOBS_PERIODIC_SECONDS": "3600"}  # one pass now, the next in an hour
    worker = start_worker(env, "--interval", "0.1", log=log)
    names = [entry.name for entry in periodic.registered()]
    try:
        wait_for(
            lambda: (
                PeriodicRun.objects.count() == len(names)
                and not Job.objects.filter(status__in=UNFINISHED).exists()
            ),
            what="periodic work queued and run",
            process=worker,
            log=log,
        )
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0, log.read_text()
    finally:
        stop(worker)

    assert sorted(PeriodicRun.objects.values_list("name", flat=True)) == sorted(names)
    assert Job.objects.filter(dedupe_key__startswith="periodic:").count() == len(names)
