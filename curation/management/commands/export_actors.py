"""python manage.py export_actors FILE.{csv,xlsx,json} [--without-contacts]."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from curation.transfer import FORMATS, actor_export_rows, actors_to_bytes
from directory.models import Actor


class Command(BaseCommand):
    help = (
        "Write every actor (all statuses) to a CSV, XLSX or JSON file in the import format; "
        "the format follows the file's extension. Contacts are personal data: leave them out "
        "with --without-contacts when the file leaves the curators' hands."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Where to write: a name ending in .csv, .xlsx or .json.")
        parser.add_argument(
            "--without-contacts",
            action="store_true",
            help="Leave out the contacts column (personal data).",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(
                f"{path.name}: the name must end in .csv, .xlsx or .json (the format follows it)."
            )
        include_contacts = not options["without_contacts"]
        queryset = Actor.objects.order_by("name", "slug")
        rows = actor_export_rows(queryset=queryset, include_contacts=include_contacts)
        data = actors_to_bytes(rows=rows, fmt=fmt, include_contacts=include_contacts)
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror or exc}.") from None
        contacts = "with contacts" if include_contacts else "without contacts"
        self.stdout.write(
            self.style.SUCCESS(f"Exported {len(rows)} actor(s) to {path} ({contacts}).")
        )
