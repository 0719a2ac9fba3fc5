"""Enqueue, run, retry and recover jobs. The one place that moves a job between states."""

from __future__ import annotations

import json
import logging
import traceback
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.errors import JobError
from jobs.models import UNFINISHED, Job, JobStatus
from jobs.registry import LANGUAGE_PARAM, author_language, kind_named, kind_of
from jobs.signals import job_failed

logger = logging.getLogger(__name__)

# Waits before the 2nd, 3rd, ... attempt; the last figure repeats. The setting
# JOBS_RETRY_DELAYS (a list of seconds) replaces them, e.g. shorter in tests of real workers.
RETRY_DELAYS = [timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10)]


def lease() -> timedelta:
    """A running job that has not reported for this long is taken to have lost its worker."""
    return timedelta(seconds=getattr(settings, "JOBS_LEASE_SECONDS", 900))


def _runs_inline() -> bool:
    from jobs.tasks import execute_job

    return not execute_job.get_backend().supports_defer


def _dispatch(job: Job, *, run_after: datetime | None = None) -> None:
    """Hand the job's id to the task backend once the transaction that made it commits (a
    worker must find the row), or run it here when the backend runs tasks inline (tests)."""
    from jobs.tasks import execute_job

    if _runs_inline():
        # Tests and one-process set-ups: the job runs now, inside the caller's transaction
        # (a test's transaction never commits, so waiting for it would never run the job).
        run_job(job_id=job.pk)
        return

    def send() -> None:
        task = execute_job.using(run_after=run_after) if run_after else execute_job
        result = task.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(send)


def enqueue(
    *,
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    payload: bytes | None = None,
    by=None,
    audience: str = "",
    link: str = "",
    dedupe_key: str = "",
    max_attempts: int | None = None,
    scope: str = "",
) -> Job:
    """Queue `kind` with `params`. With a `dedupe_key`, a second submission while the first
    is unfinished returns the first job instead of starting the work twice. `scope` names what
    the job concerns ("event:12"), so that only those who may see that see the job."""
    job_kind = kind_named(kind)
    author = by if by is not None and by.is_authenticated else None
    params = dict(params or {})
    if author is not None:
        # The job writes for its author in the language they read the site in now.
        params.setdefault(LANGUAGE_PARAM, translation.get_language() or settings.LANGUAGE_CODE)
    if dedupe_key:
        existing = Job.objects.filter(dedupe_key=dedupe_key, status__in=UNFINISHED).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                title=title[:200],
                params=params,
                payload=payload,
                created_by=author,
                audience=audience,
                link=link,
                dedupe_key=dedupe_key,
                max_attempts=max_attempts or job_kind.max_attempts,
                scope=scope[:100],
            )
    except IntegrityError:
        # Another request queued the same key between our look and our write.
        return Job.objects.get(dedupe_key=dedupe_key, status__in=UNFINISHED)
    _dispatch(job)
    return job


def _claim(job_id: int) -> Job | None:
    """Mark the job running, once: a second delivery of the same id finds it taken."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None
        now = timezone.now()
        if job.run_after and job.run_after > now + timedelta(seconds=1):
            return None  # an early duplicate delivery: the delayed one will come
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = now
        job.heartbeat_at = now
        job.error = ""
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at", "error"])
        return job


class _Progress:
    """What a handler reports, and the heartbeat that keeps its lease.

    A handler does its writes inside one transaction; progress written through that
    transaction's connection stays invisible to the job's page, and the heartbeat to
    `recover_stalled`, until it commits: a long job would look stuck, then be taken for dead.
    On PostgreSQL, inside an atomic block, it is written through a second connection of its
    own instead, closed when the job ends. SQLite has one writer at a time: there progress
    shows when the transaction commits (and before it, when written outside one)."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._side = None
        self._side_usable = True

    def __call__(self, done: int, total: int = 0, label: str = "") -> None:
        fields: dict[str, Any] = {"progress_done": max(0, done), "heartbeat_at": timezone.now()}
        if total:
            fields["progress_total"] = total
        if label:
            fields["progress_label"] = label[:200]
        if self._through_side(fields):
            return
        Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(**fields)

    def _through_side(self, fields: dict[str, Any]) -> bool:
        """Write `fields` through the side connection; False when it did not (not inside a
        transaction, not PostgreSQL, or the job's row is out of its reach: written by the
        handler's own transaction, or not yet committed, as in a test)."""
        current = connections[DEFAULT_DB_ALIAS]
        if not (self._side_usable and current.vendor == "postgresql"):
            return False
        if not current.in_atomic_block:
            return False
        try:
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            quote = self._side.ops.quote_name
            table = quote(Job._meta.db_table)
            columns = ", ".join(f"{quote(name)} = %s" for name in fields)
            with self._side.cursor() as cursor:
                # SKIP LOCKED: never wait for a lock the handler's own transaction holds (the
                # handler waits for us: it would never be released).
                cursor.execute(
                    f"UPDATE {table} SET {columns} WHERE {quote('id')} IN ("
                    f"SELECT {quote('id')} FROM {table} WHERE {quote('id')} = %s "
                    f"AND {quote('status')} = %s FOR UPDATE SKIP LOCKED)",
                    [*fields.values(), self.job.pk, JobStatus.RUNNING],
                )
                return cursor.rowcount > 0
        except Exception:  # noqa: BLE001 - progress is a courtesy: the job goes on without it
            logger.warning("Job %s: progress not recorded on the side", self.job.pk, exc_info=True)
            self._side_usable = False
            self.close()
            return False

    def close(self) -> None:
        if self._side is not None:
            try:
                self._side.close()
            finally:
                self._side = None


def _people_message(exc: BaseException) -> str:
    if isinstance(exc, JobError):
        return str(exc)
    return _(
        "The job stopped on an unexpected error. Nothing it was writing was kept; "
        "the site's curators can see the details and start it again."
    )


def retry_delay(attempt: int) -> timedelta:
    seconds = getattr(settings, "JOBS_RETRY_DELAYS", None)
    delays = [timedelta(seconds=s) for s in seconds] if seconds else RETRY_DELAYS
    return delays[min(attempt, len(delays)) - 1]


def run_job(*, job_id: int) -> None:
    """Run one job: the handler's writes are its own business (each handler writes inside a
    transaction, so a crash leaves nothing half-written); this records how it ended."""
    job = _claim(job_id)
    if job is None:
        return
    # What the job writes for people (progress, result, error) is read first by its author.
    with translation.override(author_language(job)):
        _run_claimed(job)


def _run_claimed(job: Job) -> None:
    job_kind = kind_of(job)
    progress = _Progress(job)
    try:
        if job_kind is None:
            raise JobError(
                _("This kind of job (%(kind)s) is no longer known to the site.")
                % {"kind": job.kind}
            )
        result = job_kind.handler(job=job, params=job.params, progress=progress)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, none is silent
        logger.warning("Job %s (%s) failed on attempt %s", job.pk, job.kind, job.attempts)
        _failed(job, exc, retry=not isinstance(exc, JobError))
        return
    finally:
        progress.close()
    try:
        json.dumps(result or {})
    except (TypeError, ValueError) as exc:
        # A fault of the handler's code, not of the work: trying again would redo the work and
        # fail the same way, so it fails now, where curators see it, instead of looking
        # "Running" until its lease runs out.
        logger.error("Job %s (%s) returned a result JSON cannot store", job.pk, job.kind)
        job.error = _(
            "The work was done, but its result could not be recorded (a fault in the site's "
            "code). The site's curators can see the details."
        )
        job.error_detail = "".join(traceback.format_exception(exc))[-20_000:]
        _end_attempt(job, retry=False)
        return
    _record_if_still_ours(
        job,
        status=JobStatus.SUCCEEDED,
        result=result or {},
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        payload=None,
    )


def _failed(job: Job, exc: BaseException, *, retry: bool) -> None:
    detail = "".join(traceback.format_exception(exc))[-20_000:]
    job.error = _people_message(exc)
    job.error_detail = detail
    _end_attempt(job, retry=retry, bad_input=isinstance(exc, JobError))


def _record_if_still_ours(job: Job, **fields) -> bool:
    """Write how this attempt ended, unless the job was taken from it meanwhile (its lease ran
    out, on SQLite where a long transaction hides the heartbeat, and another attempt runs it
    now): a late attempt never overwrites the state of the one that holds the job."""
    return bool(
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
            **fields
        )
    )


def _end_attempt(job: Job, *, retry: bool, bad_input: bool = False) -> None:
    now = timezone.now()
    if retry and job.attempts < job.max_attempts:
        job.status = JobStatus.QUEUED
        # Inline, there is no one to come back later: the next attempt runs at once.
        job.run_after = None if _runs_inline() else now + retry_delay(job.attempts)
        fields = ["status", "run_after", "error", "error_detail"]
        if _record_if_still_ours(job, **{name: getattr(job, name) for name in fields}):
            _dispatch(job, run_after=job.run_after)
        return
    job.status = JobStatus.FAILED
    job.finished_at = now
    fields = ["status", "finished_at", "error", "error_detail"]
    if bad_input:
        # Trying again would fail again: an uploaded file (it may name contact persons) has
        # nothing left to do here. Another failure keeps it, for a curator's "try again".
        job.payload = None
        fields.append("payload")
    if not _record_if_still_ours(job, **{name: getattr(job, name) for name in fields}):
        return
    # A receiver that breaks (a mail server down while alerting) must not turn a recorded
    # failure into a crashed worker; it is logged instead.
    for receiver, outcome in job_failed.send_robust(sender=Job, job=job, bad_input=bad_input):
        if isinstance(outcome, Exception):
            logger.error(
                "Telling people that job %s failed went wrong in %r",
                job.pk,
                receiver,
                exc_info=outcome,
            )


def recover_stalled(*, now: datetime | None = None, stalled_after: timedelta | None = None) -> int:
    """Jobs whose worker died mid-run (killed, machine lost) go back to the queue, or fail
    once they have used their attempts. Their writes were rolled back with the connection."""
    now = now or timezone.now()
    cutoff = now - (stalled_after if stalled_after is not None else lease())
    recovered = 0
    for job_id in Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            job = Job.objects.select_for_update().filter(pk=job_id).first()
            if job is None or job.status != JobStatus.RUNNING or job.heartbeat_at >= cutoff:
                continue
            with translation.override(author_language(job)):
                job.error = _(
                    "The worker running attempt %(attempt)d stopped before it finished. "
                    "Nothing it was writing was kept."
                ) % {"attempt": job.attempts}
                job.error_detail = ""
                _end_attempt(job, retry=True)
            recovered += 1
    return recovered


def redeliver_lost(*, now: datetime | None = None, waited_after: timedelta | None = None) -> int:
    """Jobs still waiting a lease after they were due are handed to the backend again: their
    delivery may be lost (Redis restarted without persistence, a task row pruned). A job that
    was only slow to come up is not run twice: a second delivery finds it claimed."""
    if _runs_inline():
        return 0
    now = now or timezone.now()
    cutoff = now - (waited_after if waited_after is not None else lease())
    waiting = (
        Job.objects.filter(status=JobStatus.QUEUED)
        .filter(Q(run_after__lt=cutoff) | Q(run_after__isnull=True, created_at__lt=cutoff))
        .filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=cutoff))
    )
    redelivered = 0
    for job in waiting.only("pk"):
        # Marked so that the next pass waits another lease before sending it again.
        if Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(heartbeat_at=now):
            _dispatch(job)
            redelivered += 1
    return redelivered


def retry(*, job: Job, by=None) -> Job:
    """Put a failed job back in the queue with a fresh set of attempts: "try again" once the
    cause is fixed (a mail server back, a file corrected). Returns the job that will run: this
    one, or the unfinished job that took its key meanwhile (the work is not started twice). A
    job that has not failed is returned as it is."""
    with transaction.atomic():
        current = Job.objects.select_for_update().filter(pk=job.pk).first()
        if current is None or current.status != JobStatus.FAILED:
            return current or job
        current.status = JobStatus.QUEUED
        current.attempts = 0
        current.run_after = None
        current.started_at = None
        current.finished_at = None
        current.heartbeat_at = None
        current.progress_done = 0
        current.progress_total = 0
        current.progress_label = ""
        current.result = {}
        current.error = ""
        current.error_detail = ""
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:
            return Job.objects.get(dedupe_key=current.dedupe_key, status__in=UNFINISHED)
    logger.info("Job %s (%s) put back in the queue by %s", current.pk, current.kind, by)
    _dispatch(current)
    return current
