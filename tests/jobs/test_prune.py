"""`manage.py prune_jobs`: finished jobs go after N days (30 unless said), with the uploaded
files they kept; jobs still waiting or running stay, however old."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


def job(title: str, status: str, *, days_ago: int, **fields) -> Job:
    when = timezone.now() - timedelta(days=days_ago)
    made = Job.objects.create(kind="tests.tick", title=title, status=status, **fields)
    finished = when if status in (JobStatus.SUCCEEDED, JobStatus.FAILED) else None
    # created_at is set on creation: written afterwards, as a job this old would have it.
    Job.objects.filter(pk=made.pk).update(created_at=when, finished_at=finished)
    return made


@pytest.fixture
def history(db):
    return {
        "old import failed": job(
            "old import failed", JobStatus.FAILED, days_ago=40, payload=b"Marie Secret"
        ),
        "old done": job("old done", JobStatus.SUCCEEDED, days_ago=31),
        "recent failed": job("recent failed", JobStatus.FAILED, days_ago=5, payload=b"x"),
        "old but waiting": job("old but waiting", JobStatus.QUEUED, days_ago=60),
        "old but running": job("old but running", JobStatus.RUNNING, days_ago=60),
    }


def left() -> set[str]:
    return set(Job.objects.values_list("title", flat=True))


def test_finished_jobs_older_than_30_days_go_with_their_files(history):
    out = StringIO()
    call_command("prune_jobs", stdout=out)

    assert left() == {"recent failed", "old but waiting", "old but running"}
    assert "Deleted 2 finished jobs older than 30 days." in out.getvalue()
    assert not Job.objects.filter(payload=b"Marie Secret").exists()


def test_days_chooses_how_long_finished_jobs_are_kept(history):
    call_command("prune_jobs", "--days", "3", stdout=StringIO())

    assert left() == {"old but waiting", "old but running"}


def test_a_dry_run_only_counts(history):
    out = StringIO()
    call_command("prune_jobs", "--days", "3", "--dry-run", stdout=out)

    assert "3 finished jobs older than 3 days would be deleted." in out.getvalue()
    assert len(left()) == 5
