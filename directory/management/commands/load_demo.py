from django.core.management.base import BaseCommand, CommandError

from directory.demo import DEMO_PASSWORD, DemoDataError, demo_load


class Command(BaseCommand):
    help = "Load (or refresh) the demo directory from fixtures/demo/ and the demo users."

    def handle(self, *args, **options) -> None:
        try:
            result = demo_load()
        except DemoDataError as exc:
            raise CommandError(
                "The demo data has problems; nothing was loaded:\n" + "\n".join(exc.problems)
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo directory loaded: {result.created} actors created, {result.updated} updated."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in result.users:
            self.stdout.write(f"  {username:<24} {role}")
