from django.core.management.base import BaseCommand

from directory.taxonomy import taxonomy_load


class Command(BaseCommand):
    help = "Create or update the sectors, cooperation interests and Korean regions."

    def handle(self, *args, **options) -> None:
        counts = taxonomy_load()
        self.stdout.write(self.style.SUCCESS(", ".join(f"{v} {k}" for k, v in counts.items())))
