from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from matching.engine import DEFAULT_WEIGHTS
from matching.evaluation import (
    LabelledQuery,
    engine_scorer,
    evaluate,
    keyword_overlap_scorer,
    random_baseline,
    reversed_queries,
    weight_grid,
)
from matching.index import current_index

PAIRS_FILE = Path(settings.BASE_DIR) / "fixtures" / "evaluation" / "eu_korea_pairs.yaml"


def load_pairs(path: Path = PAIRS_FILE) -> list[LabelledQuery]:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return [LabelledQuery(query=d["query"], partners=tuple(d["partners"])) for d in data]


class Command(BaseCommand):
    help = "Rank the documented EU-Korea partners and print MRR and hit@1/3/5 against baselines."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pairs", type=Path, default=PAIRS_FILE)
        parser.add_argument(
            "--grid", action="store_true", help="also search the weights on a 0.1 grid"
        )

    def handle(self, *args, **options) -> None:
        labelled = load_pairs(options["pairs"])
        index = current_index()
        try:
            engine = evaluate(
                index, labelled, scorer=engine_scorer(DEFAULT_WEIGHTS), name="Cluster Match"
            )
            keyword = evaluate(
                index, labelled, scorer=keyword_overlap_scorer, name="keyword overlap"
            )
        except (KeyError, ValueError) as exc:
            raise CommandError(
                f"{exc}. Load the demo directory first: manage.py load_demo"
            ) from exc
        chance = random_baseline(engine)
        self.stdout.write(f"{'query':<40} {'partner':<34} {'rank':>6} {'keyword':>8} {'random':>7}")
        for e, k, r in zip(engine.ranks, keyword.ranks, chance.ranks, strict=True):
            self.stdout.write(
                f"{e.query:<40} {e.partner:<34} {e.rank:>6g} {k.rank:>8g} {r.rank:>7g}"
            )
        self.stdout.write("")
        self.stdout.write(f"{'method':<20} {'MRR':>6} {'hit@1':>6} {'hit@3':>6} {'hit@5':>6}")
        for report in (engine, keyword, chance):
            self.stdout.write(
                f"{report.name:<20} {report.mrr:>6.3f} {report.hit1:>6.3f} "
                f"{report.hit3:>6.3f} {report.hit5:>6.3f}"
            )
        # The same pairs from the Korean side: a Korean manager's ranking of European partners.
        reverse = reversed_queries(labelled)
        engine_kr = evaluate(
            index, reverse, scorer=engine_scorer(DEFAULT_WEIGHTS), name="Cluster Match KR>EU"
        )
        keyword_kr = evaluate(index, reverse, scorer=keyword_overlap_scorer, name="keyword KR>EU")
        for report in (engine_kr, keyword_kr, random_baseline(engine_kr)):
            name = report.name if "KR>EU" in report.name else "random KR>EU"
            self.stdout.write(
                f"{name:<20} {report.mrr:>6.3f} {report.hit1:>6.3f} "
                f"{report.hit3:>6.3f} {report.hit5:>6.3f}"
            )
        w = DEFAULT_WEIGHTS
        self.stdout.write(
            f"weights: text {w.text}, sectors {w.sector}, interests {w.interest}; "
            f"{len(engine.ranks)} labelled pairs"
        )
        if options["grid"]:
            results = []
            for weights in weight_grid():
                r = evaluate(index, labelled, scorer=engine_scorer(weights), name="grid")
                results.append((r.mrr, r.hit5, r.hit1, weights))
            results.sort(key=lambda x: (-x[0], -x[1], -x[2]))
            self.stdout.write(
                "\nbest weights on the grid (text, sectors, interests): MRR hit@5 hit@1"
            )
            for mrr, hit5, hit1, weights in results[:10]:
                self.stdout.write(
                    f"  {weights.text:.1f} {weights.sector:.1f} {weights.interest:.1f}: "
                    f"{mrr:.3f} {hit5:.3f} {hit1:.3f}"
                )
