"""Issue 15's job queue attacked a second time (the first pass: tests/test_regressions_issue15_*).
Each test guards a defect that review found; its comment says what a person experienced."""

import datetime as dt

import pytest
from django.utils import timezone

from jobs import registry
from jobs.models import Job, JobStatus
from jobs.periodic import _PERIODIC, register_periodic, run_due
from jobs.runner import enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds():
    """Job kinds and periodic entries of this test only; the project's are put back after."""
    saved_kinds, saved_periodic = dict(registry._KINDS), dict(_PERIODIC)
    _PERIODIC.clear()
    yield
    registry._KINDS.clear()
    registry._KINDS.update(saved_kinds)
    _PERIODIC.clear()
    _PERIODIC.update(saved_periodic)


def test_a_clock_set_wrong_once_does_not_stop_periodic_work_until_it_comes_round(kinds):
    # The server's clock jumps a year ahead for a minute (a bad NTP answer, a wrong manual
    # setting) and is corrected. One worker pass in that minute sets every periodic entry's
    # next run a year ahead: meeting reminders, digests and search alerts then never go out
    # again, with no error anywhere, until the clock reaches that date.
    registry.register("attack2.tick", lambda **kw: {"summary": "ticked"})
    hourly = dt.timedelta(hours=1)
    register_periodic(name="attack2", kind="attack2.tick", title="Tick", every=hourly)
    now = timezone.now()
    assert run_due(now=now + dt.timedelta(days=365)) == ["attack2"]  # the clock is wrong

    # The clock is right again; hours, then a month, go by.
    started = run_due(now=now + dt.timedelta(hours=2)) + run_due(now=now + dt.timedelta(days=30))

    assert "attack2" in started


@pytest.mark.django_db(transaction=True)
def test_a_result_that_cannot_be_stored_fails_the_job_instead_of_leaving_it_running(kinds):
    # Latent when found (no handler of today returns one): a handler whose result holds a value JSON
    # cannot store (a date, a Decimal) finishes its work, then recording "done" raises outside
    # the runner's try. The job stays "Running" on its page for the whole lease (15 min), is
    # then run again as "the worker stopped", and ends failed with a message that blames a lost
    # worker; inline, the request that queued it answers with a server error.
    dated = {"summary": "done", "when": dt.date(2024, 1, 1)}
    registry.register("attack2.dated", lambda **kw: dated, max_attempts=1)
    enqueue(kind="attack2.dated", title="Work with a dated result")  # no error escapes

    job = Job.objects.get(kind="attack2.dated")
    assert job.status == JobStatus.FAILED


def test_an_attempt_that_lost_its_job_meanwhile_does_not_overwrite_the_one_running_it(kinds):
    # On SQLite a long transaction hides the heartbeat: the lease runs out, the job is put back
    # and a second worker runs it. When the first attempt then ends, it wrote "done" (or
    # "failed") over the second one's "running", and the job page lied while work went on.
    def taken_over(*, job, params, progress):
        Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)  # another worker's claim
        return {"summary": "first attempt done"}

    registry.register("attack2.taken_over", taken_over, max_attempts=3)
    enqueue(kind="attack2.taken_over", title="Work taken over")

    job = Job.objects.get(kind="attack2.taken_over")
    assert job.status == JobStatus.RUNNING and job.attempts == 2
    assert job.result == {}
