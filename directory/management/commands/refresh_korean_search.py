from django.core.management.base import BaseCommand

from directory.models import Actor
from directory.search import korean_search_refresh


class Command(BaseCommand):
    help = (
        "Rewrite the Korean words the directory search indexes (Actor.search_korean) where the "
        "analyser now reads a profile differently: after upgrading kiwipiepy or its model, or "
        "after a bulk UPDATE of texts that bypassed Actor.save()."
    )

    def handle(self, *args, **options) -> None:
        changed = korean_search_refresh(actors=Actor.objects.all())
        self.stdout.write(self.style.SUCCESS(f"{changed} actor(s) updated"))
