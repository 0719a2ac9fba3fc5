"""A job whose delivery was lost (Redis restarted without persistence, a task row pruned) is
handed to the backend again, once per lease, and still runs once."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import Job, JobStatus
from jobs.runner import enqueue, redeliver_lost
from tests.jobs.kinds import COUNT

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_waiting_job_whose_delivery_was_lost_is_sent_again_once_and_runs_once(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue(kind=COUNT, title="Count once", params={"prefix": "lost"})
    assert DBTaskResult.objects.count() == 1
    DBTaskResult.objects.all().delete()  # the delivery is lost; the job still waits
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert redeliver_lost(waited_after=timedelta(minutes=15)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        # Within the next lease it is not sent again.
        assert redeliver_lost(waited_after=timedelta(minutes=15)) == 0
    deliveries = list(DBTaskResult.objects.all())
    assert len(deliveries) == 1

    task_result = deliveries[0].task_result
    deliveries[0].task.call(*task_result.args, **task_result.kwargs)
    deliveries[0].task.call(*task_result.args, **task_result.kwargs)  # a late duplicate
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert Group.objects.filter(name__startswith="lost-").count() == 1


def test_a_job_waiting_less_than_a_lease_is_left_alone(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(kind=COUNT, title="Count", params={"prefix": "fresh"})
    with django_capture_on_commit_callbacks(execute=True):
        assert redeliver_lost(waited_after=timedelta(minutes=15)) == 0
    assert DBTaskResult.objects.count() == 1
