"""The RQ backend (REDIS_URL): jobs go through Redis to real RQ workers (`manage.py worker`,
which runs django_rq's rqworker with its scheduler), and a failed attempt comes back after its
delay through RQ's scheduler.

Each database's run has a Redis database of its own (CI runs SQLite and PostgreSQL side by
side); CLUSTERMATCH_TEST_REDIS_URL names another. Skipped when Redis does not answer, except
under CI, which must run them (.ci/run starts Redis)."""

import os
import signal
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from jobs.models import Job, JobStatus
from jobs.runner import enqueue
from tests.jobs.conftest import run_worker, start_worker, stop, wait_for
from tests.jobs.kinds import COUNT, FLAKY


@pytest.fixture
def redis_url(settings, transactional_db):
    import redis

    default_db = 14 if connection.vendor == "sqlite" else 15
    url = os.environ.get("CLUSTERMATCH_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{default_db}")
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        reason = f"Redis does not answer at {url} ({exc}); .ci/run starts it"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    client.flushdb()  # jobs of an earlier run name ids of a database that is gone
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def rq_env(redis_url, worker_env):
    return {**worker_env, "REDIS_URL": redis_url}


def test_a_job_goes_through_redis_and_an_rq_worker_to_success(rq_env):
    job = enqueue(kind=COUNT, title="Count through RQ", params={"prefix": "rq"})
    job.refresh_from_db()
    assert job.task_id  # handed to RQ, waiting for a worker
    assert job.status == JobStatus.QUEUED

    done = run_worker(rq_env)  # burst mode: what is waiting, then stop

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, done.stdout + done.stderr
    assert job.attempts == 1
    assert Group.objects.filter(name__startswith="rq-").count() == 1


def test_a_failed_attempt_comes_back_after_its_delay(rq_env, tmp_path):
    # The worker's delays are two seconds (tests/jobs/worker_settings.py): RQ's scheduler,
    # running inside the worker, puts each retry back in the queue when it is due.
    job = enqueue(kind=FLAKY, title="Flaky through RQ", params={"succeed_on": 3})
    log = tmp_path / "rqworker.log"
    worker = start_worker(rq_env, log=log)
    try:
        wait_for(lambda: Job.objects.get(pk=job.pk).finished, what="end", log=log)
        worker.send_signal(signal.SIGTERM)
        # A deadline, not a speed test: RQ with redis-py 8 could take a minute to stop.
        assert worker.wait(timeout=30) == 0, log.read_text()
    finally:
        stop(worker)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, log.read_text()
    assert job.attempts == 3
    # The last attempt was due two seconds after the second failed, and waited for it (RQ
    # schedules to the whole second, so it may come up to one second early).
    assert job.run_after is not None
    assert job.started_at >= job.run_after - timedelta(seconds=1)
