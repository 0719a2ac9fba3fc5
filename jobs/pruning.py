"""Finished jobs are history: pruned after a while with what they kept (an uploaded file's
bytes, which may name contact persons, a result, a traceback). Unfinished jobs are never
touched, however old: they are still someone's work."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from jobs.models import Job, JobStatus

DEFAULT_DAYS = 30


def finished_before(*, cutoff: datetime):
    """The finished jobs that ended before `cutoff` (or, never having recorded their end,
    were created before it)."""
    ended = Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    return Job.objects.filter(ended, status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED])


def prune_finished(*, days: int = DEFAULT_DAYS, now: datetime | None = None) -> int:
    """Delete the jobs that finished (done or failed) more than `days` days ago, payloads
    and all. Returns how many."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = finished_before(cutoff=cutoff).delete()
    return deleted
