"""Retries, refusals and give-ups; one job per unfinished dedupe key; one run per delivery."""

import pytest
from django.contrib.auth.models import Group

from jobs.models import Job, JobStatus
from jobs.runner import enqueue, run_job
from jobs.signals import job_failed
from jobs.tasks import execute_job
from tests.jobs.kinds import COUNT, FLAKY, REFUSE

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def failures():
    """The jobs `job_failed` announced, in order."""
    seen = []

    def receiver(sender, job, **kwargs):
        seen.append((job.pk, job.status, job.error))

    job_failed.connect(receiver, dispatch_uid="tests-job-failures")
    yield seen
    job_failed.disconnect(dispatch_uid="tests-job-failures")


def test_a_job_that_fails_twice_then_succeeds_ends_succeeded_on_its_third_attempt(failures):
    job = enqueue(kind=FLAKY, title="Flaky work", params={"succeed_on": 3})

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 3
    assert job.result == {"summary": "done on attempt 3"}
    assert job.error == ""
    assert failures == []


def test_bad_input_is_not_retried_and_its_message_is_kept(failures):
    message = "Row 12 has no country: nothing was imported."
    job = enqueue(kind=REFUSE, title="Import actors", params={"message": message})

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.attempts == 1
    assert job.error == message
    assert failures == [(job.pk, JobStatus.FAILED, message)]


def test_after_its_last_attempt_a_job_fails_with_its_error_and_is_announced_once(failures):
    job = enqueue(kind=FLAKY, title="Always failing", params={"succeed_on": 0}, max_attempts=4)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.attempts == 4
    assert job.finished_at is not None
    assert "unexpected error" in job.error  # in words for people...
    assert "RuntimeError: flaky on attempt 4" in job.error_detail  # ...the trace for curators
    assert failures == [(job.pk, JobStatus.FAILED, job.error)]


def test_submitting_twice_while_unfinished_gives_one_job(settings):
    settings.TASKS = DATABASE_BACKEND  # queued for a worker: the first stays unfinished
    first = enqueue(kind=COUNT, title="Rebuild", params={"prefix": "a"}, dedupe_key="rebuild")
    second = enqueue(kind=COUNT, title="Rebuild", params={"prefix": "a"}, dedupe_key="rebuild")

    assert second.pk == first.pk
    assert Job.objects.filter(dedupe_key="rebuild").count() == 1


def test_a_finished_job_does_not_block_the_next_one_with_its_key():
    first = enqueue(kind=COUNT, title="Rebuild", params={"prefix": "a"}, dedupe_key="rebuild")
    second = enqueue(kind=COUNT, title="Rebuild", params={"prefix": "a"}, dedupe_key="rebuild")

    assert first.pk != second.pk
    assert Group.objects.filter(name__startswith="a-").count() == 2


def test_a_second_delivery_of_the_same_job_does_not_run_it_again(settings):
    settings.TASKS = DATABASE_BACKEND
    job = enqueue(kind=COUNT, title="Count once", params={"prefix": "once"})

    run_job(job_id=job.pk)
    run_job(job_id=job.pk)  # the backend delivered the id twice

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 1
    assert Group.objects.filter(name__startswith="once-").count() == 1


def test_an_early_duplicate_of_a_delayed_retry_waits_for_its_time(settings):
    settings.TASKS = DATABASE_BACKEND
    settings.JOBS_RETRY_DELAYS = [3600]
    job = enqueue(kind=FLAKY, title="Flaky", params={"succeed_on": 2})
    run_job(job_id=job.pk)  # attempt 1 fails: the retry is due in an hour

    execute_job.call(job.pk)  # a stray delivery now

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.attempts == 1
    assert "unexpected error" in job.error
