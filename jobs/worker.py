"""What `manage.py worker` runs: the task backend's own worker, with the periodic work beside it.

The database backend (the default) is worked by django_tasks_db's Worker; the RQ backend
(REDIS_URL) by django_rq's `rqworker` with its scheduler, which is what lets a delayed retry
run when its time comes. Either way a thread calls `jobs.periodic.run_due()` every
JOBS_PERIODIC_SECONDS (0 turns it off, for sites that run `manage.py run_periodic` from cron).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections

from jobs.periodic import run_due

logger = logging.getLogger(__name__)


def periodic_seconds() -> float:
    return float(getattr(settings, "JOBS_PERIODIC_SECONDS", 60))


def run_periodic_once() -> list[str]:
    """One pass of periodic work; a failure is logged and the next pass tries again (a worker
    must not die because, say, the database was briefly away)."""
    close_old_connections()
    try:
        started = run_due()
    except Exception:
        logger.exception("Periodic work failed; it is tried again at the next pass")
        return []
    finally:
        # This thread's own connection: closed between passes rather than held for a minute.
        connections.close_all()
    if started:
        logger.info("Periodic work queued: %s", ", ".join(started))
    return started


class PeriodicLoop(threading.Thread):
    """Calls `run_periodic_once` now and then every `every` seconds until `stop()`."""

    def __init__(self, *, every: float) -> None:
        super().__init__(name="jobs-periodic", daemon=True)
        self.every = every
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            run_periodic_once()
            self.halt.wait(self.every)

    def stop(self) -> None:
        self.halt.set()
        # A pass under way only queues jobs: short, and finished rather than cut.
        self.join(timeout=30)


def backend_kind() -> str:
    """ "database", "rq" or the class name of a backend that has no worker (inline ones)."""
    from jobs.tasks import execute_job

    backend = execute_job.get_backend()
    from django_tasks_db import DatabaseBackend

    if isinstance(backend, DatabaseBackend):
        return "database"
    if type(backend).__module__.startswith("django_tasks_rq"):
        return "rq"
    return type(backend).__name__
