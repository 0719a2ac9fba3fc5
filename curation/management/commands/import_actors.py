"""python manage.py import_actors FILE [--dry-run]: bulk import from CSV, XLSX or JSON."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.import_report import Change
from curation.transfer import actor_import
from curation.transfer.background import index_rebuild_after


class Command(BaseCommand):
    help = (
        "Create or update actors from a CSV, XLSX or JSON file (docs/import-format.md). "
        "All or nothing: one problem and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .csv, .xlsx or .json file in the import format.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and show what would change, without writing anything.",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        report = actor_import(data=data, filename=path.name, dry_run=options["dry_run"])
        if report.problems:
            for message in report.errors:
                self.stderr.write(message)
            raise CommandError(report.summary())
        for title, changes in (
            ("Created", report.created),
            ("Updated", report.updated),
            ("Unchanged", report.unchanged),
        ):
            self.stdout.write(f"{title}: {len(changes)}")
            for change in changes:
                self.stdout.write(f"  {_describe(change)}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
        if report.written:
            job = index_rebuild_after(report, user=None)
            status = job.get_status_display().lower()
            self.stdout.write(f"Ranking index: rebuilt once for the site, job {job.pk} ({status}).")


def _describe(change: Change) -> str:
    text = f"{change.name} ({change.slug}, {change.where})"
    if change.columns:
        text += f": {', '.join(change.columns)}"
    return text
