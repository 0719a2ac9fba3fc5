"""A job's progress and heartbeat, reported from inside the handler's transaction, reach the
job's page (another connection) before that transaction commits: on PostgreSQL, through a
connection of the job's own, closed when the job ends. On SQLite (one writer at a time) they
show once the transaction commits."""

import pytest
from django.db import connection, connections, transaction

from jobs.models import Job, JobStatus
from jobs.registry import _KINDS, register
from jobs.runner import enqueue

pytestmark = pytest.mark.django_db(transaction=True)

SEEN = "tests.progress_seen"
OWN_ROW = "tests.progress_own_row"


def _look(job_id: int) -> tuple:
    """The job's progress as the job's page reads it: from another connection."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT progress_done, progress_total, progress_label, heartbeat_at "
                "FROM jobs_job WHERE id = %s",
                [job_id],
            )
            return cursor.fetchone()
    finally:
        other.close()


@pytest.fixture
def kinds():
    looked: dict[str, tuple] = {}

    def seen(*, job, params, progress):
        looks = connection.vendor == "postgresql"  # SQLite: no reader while one writes
        with transaction.atomic():
            progress(0, 10, "Writing 10 rows")
            before = _look(job.pk) if looks else None
            progress(4, 10)
            if looks:
                looked["during"] = _look(job.pk)
                looked["heartbeat moved"] = looked["during"][3] > before[3]
        return {"summary": "seen"}

    def own_row(*, job, params, progress):
        # The handler's own transaction writes the job's row (and holds its lock): reporting
        # progress then must not wait for a lock that is released only after it returns.
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(progress_label="written by the handler")
            progress(1, 2, "halfway")
        return {"summary": "own row"}

    register(SEEN, seen, max_attempts=1)
    register(OWN_ROW, own_row, max_attempts=1)
    yield looked
    _KINDS.pop(SEEN, None)
    _KINDS.pop(OWN_ROW, None)


def _connections_to_the_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a second writer: PostgreSQL")
def test_progress_inside_the_transaction_is_seen_before_it_commits(kinds):
    connection.ensure_connection()
    before = _connections_to_the_database()

    job = enqueue(kind=SEEN, title="Write rows")

    assert kinds["during"][:3] == (4, 10, "Writing 10 rows")
    assert kinds["heartbeat moved"]
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert _connections_to_the_database() == before  # the side connection was closed


def test_progress_shows_once_the_job_is_done_on_every_database(kinds):
    job = enqueue(kind=SEEN, title="Write rows")

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.progress_label) == (
        4,
        10,
        "Writing 10 rows",
    )


def test_a_handler_that_writes_its_own_job_row_still_reports_progress(kinds):
    job = enqueue(kind=OWN_ROW, title="Own row")

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.progress_label) == (1, 2, "halfway")
