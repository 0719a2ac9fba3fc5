"""Run background jobs: `manage.py worker` (docs/deploy.md, Workers and jobs).

One command whatever the backend: the database backend's worker by default, an RQ worker with
its scheduler when REDIS_URL is set, and the periodic work (reminders, digests, alerts,
stalled jobs) in a thread beside it. SIGTERM or Ctrl-C lets the job under way finish first; a
second one stops it at once (the job is then retried, nothing of it kept).
"""

from __future__ import annotations

import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string

from jobs.worker import PeriodicLoop, backend_kind, periodic_seconds, run_periodic_once

LOGGERS = ["jobs", "django_tasks", "django_tasks_db"]


class Command(BaseCommand):
    help = (
        "Run the jobs waiting in the queue, and the periodic work, until stopped "
        "(the database backend by default, RQ when REDIS_URL is set)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run what is waiting, then stop (RQ: burst mode). Periodic work runs once first.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at an empty queue (database backend; default 1).",
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Stop after running this many jobs."
        )
        parser.add_argument(
            "--queue-name",
            default="default",
            help="Queues to work, separated by commas (default: default).",
        )
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="Leave the periodic work to another worker or to cron (run_periodic).",
        )

    def handle(
        self,
        *,
        batch: bool,
        interval: float,
        max_tasks: int | None,
        queue_name: str,
        no_periodic: bool,
        verbosity: int,
        **options,
    ) -> None:
        self._configure_logging(verbosity)
        kind = backend_kind()
        if kind not in ("database", "rq"):
            raise CommandError(
                f"The task backend ({kind}) runs jobs as they are queued: there is nothing "
                "for a worker to do."
            )
        if interval < 0 or (max_tasks is not None and max_tasks <= 0):
            raise CommandError("--interval must be 0 or more and --max-tasks more than 0.")
        queues = [name for name in queue_name.split(",") if name]
        every = 0 if no_periodic else periodic_seconds()

        loop = None
        if every > 0:
            if batch:
                run_periodic_once()  # a batch is short: one pass, before what it queues
            else:
                loop = PeriodicLoop(every=every)
                loop.start()
        try:
            if kind == "database":
                self._run_database_worker(
                    queues=queues, interval=interval, batch=batch, max_tasks=max_tasks
                )
            else:
                self._run_rq_worker(queues=queues, batch=batch, max_tasks=max_tasks)
        finally:
            if loop is not None:
                loop.stop()

    def _run_database_worker(
        self, *, queues: list[str], interval: float, batch: bool, max_tasks: int | None
    ) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=queues,
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        # First SIGTERM/SIGINT: finish the job under way, then stop; a second: stop now.
        worker.configure_signals()
        worker.run()

    def _run_rq_worker(self, *, queues: list[str], batch: bool, max_tasks: int | None) -> None:
        # The scheduler moves delayed jobs (retries) to the queue when due; several workers
        # may all ask for it, RQ lets one hold it at a time.
        call_command(
            "rqworker",
            *queues,
            job_class="django_tasks_rq.Job",
            worker_class="jobs.rq_worker.Worker",
            with_scheduler=True,
            burst=batch,
            max_jobs=max_tasks,
            verbosity=self.verbosity,
        )

    def _configure_logging(self, verbosity: int) -> None:
        self.verbosity = verbosity
        level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in LOGGERS:
            logger = logging.getLogger(name)
            logger.setLevel(level)
            if not logger.hasHandlers():  # the site's LOGGING usually has a console one
                logger.addHandler(logging.StreamHandler(self.stdout))
