"""`manage.py run_periodic`: one pass of the periodic work, for cron (docs/deploy.md).

Workers already do this every JOBS_PERIODIC_SECONDS; run it from cron instead when the
workers run with JOBS_PERIODIC_SECONDS=0 (or --no-periodic). Running both is harmless: each
due entry is started by one caller only.
"""

from django.core.management.base import BaseCommand

from jobs.periodic import run_due


class Command(BaseCommand):
    help = "Queue the periodic jobs that are due and put stalled jobs back in the queue (once)."

    def handle(self, **options) -> None:
        started = run_due()
        if started:
            self.stdout.write("Queued: " + ", ".join(started))
        else:
            self.stdout.write("Nothing was due.")
