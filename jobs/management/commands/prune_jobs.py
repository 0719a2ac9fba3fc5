"""`manage.py prune_jobs [--days N] [--dry-run]`: delete the jobs that finished more than N
days ago (30 unless said), with their uploaded files (docs/deploy.md, "Workers and jobs")."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.text import counted
from jobs.pruning import DEFAULT_DAYS, finished_before, prune_finished


class Command(BaseCommand):
    help = (
        "Delete the jobs (done or failed) that finished more than --days days ago, with the "
        "files they kept. Jobs waiting or running are kept."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
        parser.add_argument("--dry-run", action="store_true", help="Only say how many.")

    def handle(self, *, days: int, dry_run: bool, **options) -> None:
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        if dry_run:
            count = finished_before(cutoff=timezone.now() - timedelta(days=days)).count()
            self.stdout.write(
                f"{counted(count, 'finished job')} older than {days} days would be deleted."
            )
            return
        count = prune_finished(days=days)
        self.stdout.write(f"Deleted {counted(count, 'finished job')} older than {days} days.")
