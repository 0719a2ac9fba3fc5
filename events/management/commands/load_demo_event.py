from django.core.management.base import BaseCommand

from events.demo import DEMO_EVENT_SLUG, demo_event_ensure


class Command(BaseCommand):
    help = "Create the demo matchmaking event (participants, wishes, a published schedule) once."

    def handle(self, *args, **options) -> None:
        event = demo_event_ensure()
        if event is None:
            self.stdout.write(f"Demo event '{DEMO_EVENT_SLUG}' already there (or no demo data).")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo event created: {event.participants.count()} participants, "
                f"{event.meetings.count()} meetings over {event.slots.count()} rounds."
            )
        )
