from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from directory.documented import PAIRS_FILE, DocumentedPairError, documented_pairs
from matching.engine import DEFAULT_MODEL, DEFAULT_WEIGHTS, RankingModel, build_index
from matching.evaluation import (
    LabelledPair,
    bm25_scorer,
    engine_scorer,
    evaluate,
    keyword_overlap_scorer,
    queries_from,
    random_baseline,
)
from matching.index import directory_parts, taxonomy_labels
from matching.profiles import profile_from
from matching.regimes import NAMES_MASKED, REGIMES, regime_parts
from matching.selection import (
    SMALL_MENU,
    Candidate,
    Menu,
    best_column,
    leave_one_query_out,
    rank_table,
)

# What the model must reach, names masked (issue 13): cross-validated MRR and hit@5, and its
# lead over the stronger baseline in every regime.
TARGET_MRR, TARGET_HIT5, TARGET_LEAD = 0.75, 0.9, 0.1


def load_pairs(path: Path = PAIRS_FILE) -> list[LabelledPair]:
    try:
        return [
            LabelledPair(eu=p.eu, kr=p.kr, grade=p.grade, source=p.source, evidence=p.evidence)
            for p in documented_pairs(path)
        ]
    except DocumentedPairError as exc:
        raise CommandError(str(exc)) from exc


def row(name: str, report) -> str:
    return (
        f"  {name:<38} {report.mrr:>6.3f} {report.hit1:>6.3f} {report.hit3:>6.3f} "
        f"{report.hit5:>6.3f}"
    )


class Command(BaseCommand):
    help = (
        "Rank the documented EU-Korea partners in three regimes (as is, partner names masked, "
        "names masked without sectors or interests) and print MRR and hit@1/3/5 of the model "
        "(cross-validated, leave one query out) against keyword overlap, BM25 and random order."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pairs", type=Path, default=PAIRS_FILE)
        parser.add_argument(
            "--menu",
            choices=["full", "small"],
            default="full",
            help="the models cross-validation chooses from (small: a quick check)",
        )
        parser.add_argument(
            "--detail", action="store_true", help="also print every pair's rank, per regime"
        )

    def handle(self, *args, **options) -> None:
        pairs = load_pairs(options["pairs"])
        menu = Menu() if options["menu"] == "full" else SMALL_MENU
        labels = taxonomy_labels()
        everyone = directory_parts()
        links = [(p.eu, p.kr) for p in pairs]
        grades = {
            g: sum(p.grade == g for p in pairs) for g in dict.fromkeys(p.grade for p in pairs)
        }
        self.stdout.write(
            f"{len(pairs)} documented pairs ("
            + ", ".join(f"{n} {g}" for g, n in grades.items())
            + f"); {menu.size()} models on the menu"
        )
        self.stdout.write(f"default model: {Candidate(DEFAULT_MODEL, DEFAULT_WEIGHTS).label}\n")
        results = {}
        for regime in REGIMES:
            topics = [*labels["sector_labels"].values(), *labels["interest_labels"].values()]
            parts = regime_parts(regime, everyone, links, topic_words=topics)
            profiles = [profile_from(p, **labels) for p in parts]
            keys = {p.slug: p.key for p in profiles}
            index = build_index(
                profiles,
                model=DEFAULT_MODEL,
                links=[(keys[a], keys[b]) for a, b in links if a in keys and b in keys],
            )
            # The baselines read words as an off-the-shelf engine would: single words, the
            # stop list, no stemming, no word pairs.
            plain = build_index(profiles, model=RankingModel())
            for korean_side in (False, True):
                labelled = queries_from(pairs, korean_side=korean_side)
                direction = "Korea to Europe" if korean_side else "Europe to Korea"
                try:
                    table = rank_table(profiles, labelled, menu=menu, links=links)
                    shipped = evaluate(
                        index,
                        labelled,
                        scorer=engine_scorer(DEFAULT_WEIGHTS),
                        name="Cluster Match, default model",
                    )
                except (KeyError, ValueError) as exc:
                    raise CommandError(
                        f"{exc}. Load the demo directory first: manage.py load_demo"
                    ) from exc
                cv = leave_one_query_out(table, name="Cluster Match, cross-validated")
                keyword = evaluate(plain, labelled, scorer=keyword_overlap_scorer, name="keyword")
                bm25 = evaluate(plain, labelled, scorer=bm25_scorer(plain), name="BM25")
                chance = random_baseline(cv.report)
                results[(regime, korean_side)] = (cv.report, keyword, bm25)
                if regime == NAMES_MASKED and not korean_side:
                    best = best_column(1.0 / table.ranks)
                    on_every_pair = (
                        table.candidates[best],
                        float(np.mean(1.0 / table.ranks[:, best])),
                    )
                self.stdout.write(
                    f"{regime}, {direction} ({len(cv.report.ranks)} pairs, {len(labelled)} queries)"
                )
                self.stdout.write(
                    f"  {'method':<38} {'MRR':>6} {'hit@1':>6} {'hit@3':>6} {'hit@5':>6}"
                )
                for name, report in (
                    ("Cluster Match, cross-validated", cv.report),
                    ("Cluster Match, default model", shipped),
                    ("keyword overlap", keyword),
                    ("BM25", bm25),
                    ("random order", chance),
                ):
                    self.stdout.write(row(name, report))
                picks = {}
                for candidate in cv.chosen.values():
                    picks[candidate.label] = picks.get(candidate.label, 0) + 1
                top = sorted(picks.items(), key=lambda kv: -kv[1])[:3]
                self.stdout.write(
                    "  chosen without the held-out query: "
                    + "; ".join(f"{label} ({n}x)" for label, n in top)
                )
                if options["detail"]:
                    self.stdout.write(
                        f"  {'query':<40} {'partner':<36} {'model':>6} {'keyword':>8} {'BM25':>6}"
                    )
                    for m, k, b in zip(cv.report.ranks, keyword.ranks, bm25.ranks, strict=True):
                        self.stdout.write(
                            f"  {m.query:<40} {m.partner:<36} {m.rank:>6g} {k.rank:>8g} "
                            f"{b.rank:>6g}"
                        )
                self.stdout.write("")
        self.stdout.write(
            "chosen on every pair, names masked, Europe to Korea: "
            f"{on_every_pair[0].label} (MRR {on_every_pair[1]:.3f} on the pairs it was chosen on)"
        )
        self._targets(results)

    def _targets(self, results) -> None:
        masked = results[(NAMES_MASKED, False)][0]
        lines = [
            f"names masked, Europe to Korea: MRR {masked.mrr:.3f} (target {TARGET_MRR}), "
            f"hit@5 {masked.hit5:.3f} (target {TARGET_HIT5})"
        ]
        for (regime, korean_side), (model, keyword, bm25) in results.items():
            stronger = max(keyword.mrr, bm25.mrr)
            direction = "Korea to Europe" if korean_side else "Europe to Korea"
            lines.append(
                f"{regime}, {direction}: lead over the stronger baseline "
                f"{model.mrr - stronger:+.3f} (target +{TARGET_LEAD})"
            )
        self.stdout.write("targets:\n  " + "\n  ".join(lines))
