import json

from django.core.management.base import BaseCommand, CommandError

from directory.models import Actor, Kind
from matching.engine import Filters
from matching.ranking import actor_ranking


class Command(BaseCommand):
    help = "Print the best partners for an actor, with the reasons."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="the actor to find partners for")
        parser.add_argument("--top", type=int, default=10, help="how many (default 10)")
        parser.add_argument(
            "--kind",
            action="append",
            default=[],
            choices=[k for k, _ in Kind.choices],
            help="only candidates of this kind (repeatable)",
        )
        parser.add_argument("--json", action="store_true", help="print a JSON list")

    def handle(self, *args, **options) -> None:
        try:
            actor = Actor.objects.get(slug=options["slug"])
        except Actor.DoesNotExist:
            raise CommandError(f"No actor with slug {options['slug']!r}.") from None
        if options["top"] < 1:
            raise CommandError("--top must be at least 1.")
        ranking = actor_ranking(
            actor=actor,
            filters=Filters(kinds=frozenset(options["kind"])),
            top=options["top"],
            explain=options["top"],
        )
        if options["json"]:
            self.stdout.write(
                json.dumps([row.as_dict() for row in ranking], indent=2, ensure_ascii=False)
            )
            return
        self.stdout.write(f"Best partners for {actor.name}:")
        for item in ranking:
            m = item.match
            self.stdout.write(
                f"{m.rank:>3}. {item.actor.name}  score {m.score:.3f} "
                f"(text {m.text:.2f}, sectors {m.sector:.2f}, interests {m.interest:.2f})"
            )
            self.stdout.write(f"     {item.sentence}")
