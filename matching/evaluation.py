"""Does the ranking put the real partner first? Metrics over a labelled set (no Django).

For each documented pair (European actor q, its Korean partner p), p is ranked among the
candidates the engine would show q, with q's *other* documented partners left out (the usual
"filtered" rank), so a query with two true partners is not penalised for the second one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from matching.engine import Filters, MatchIndex, Weights

Scorer = Callable[[MatchIndex, int], np.ndarray]


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    partners: tuple[str, ...]


@dataclass(frozen=True)
class PairRank:
    query: str
    partner: str
    rank: float
    candidates: int


@dataclass(frozen=True)
class Report:
    name: str
    ranks: tuple[PairRank, ...]
    mrr: float
    hit1: float
    hit3: float
    hit5: float


def reversed_queries(labelled: Sequence[LabelledQuery]) -> list[LabelledQuery]:
    """The same documented pairs seen from the Korean side: each Korean partner is a query
    whose partners are the European actors that worked with it (in slug order)."""
    partners: dict[str, set[str]] = {}
    for item in labelled:
        for partner in item.partners:
            partners.setdefault(partner, set()).add(item.query)
    return [LabelledQuery(query=k, partners=tuple(sorted(v))) for k, v in sorted(partners.items())]


def engine_scorer(weights: Weights) -> Scorer:
    def score(index: MatchIndex, row: int) -> np.ndarray:
        text, sector, interest = index.component_scores(row)
        wt, ws, wi = weights.normalised
        return wt * text + ws * sector + wi * interest

    return score


def keyword_overlap_scorer(index: MatchIndex, row: int) -> np.ndarray:
    """Baseline: Jaccard overlap of the two profiles' word sets, no weighting at all."""
    words = (index.tfidf > 0).astype(np.float32).tocsr()
    shared = np.asarray((words @ words[row].T).todense()).ravel()
    sizes = np.asarray(words.sum(axis=1)).ravel()
    union = sizes + sizes[row] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


def _rank_of(scores: np.ndarray, candidates: np.ndarray, target: int) -> float:
    """1-based rank of `target`; ties count half, the expectation under a random tie-break."""
    s = scores[target]
    others = scores[candidates[candidates != target]]
    return 1.0 + float(np.sum(others > s)) + 0.5 * float(np.sum(others == s))


def _summary(name: str, ranks: list[PairRank]) -> Report:
    r = np.array([p.rank for p in ranks], dtype=float)
    return Report(
        name=name,
        ranks=tuple(ranks),
        mrr=float(np.mean(1.0 / r)),
        hit1=float(np.mean(r <= 1)),
        hit3=float(np.mean(r <= 3)),
        hit5=float(np.mean(r <= 5)),
    )


def evaluate(
    index: MatchIndex, labelled: Sequence[LabelledQuery], *, scorer: Scorer, name: str
) -> Report:
    slugs = {p.slug: i for i, p in enumerate(index.profiles)}
    missing = sorted({s for q in labelled for s in (q.query, *q.partners) if s not in slugs})
    if missing:
        raise KeyError(f"not in the directory: {', '.join(missing)}")
    ranks = []
    for item in labelled:
        row = slugs[item.query]
        scores = scorer(index, row)
        mask = index.candidate_mask(row, Filters())
        for partner in item.partners:
            keep = mask.copy()
            for other in item.partners:
                if other != partner:
                    keep[slugs[other]] = False
            candidates = np.flatnonzero(keep)
            if slugs[partner] not in set(candidates.tolist()):
                raise ValueError(f"{partner} is not a candidate for {item.query} (unpublished?)")
            ranks.append(
                PairRank(
                    item.query,
                    partner,
                    _rank_of(scores, candidates, slugs[partner]),
                    int(candidates.size),
                )
            )
    return _summary(name, ranks)


def random_baseline(engine_report: Report) -> Report:
    """The expected metrics of a random order over the same candidate lists (exact, no sampling)."""
    ranks = []
    mrr, h1, h3, h5 = [], [], [], []
    for pair in engine_report.ranks:
        n = pair.candidates
        ranks.append(PairRank(pair.query, pair.partner, (n + 1) / 2, n))
        mrr.append(sum(1.0 / k for k in range(1, n + 1)) / n)
        h1.append(min(1, n) / n)
        h3.append(min(3, n) / n)
        h5.append(min(5, n) / n)
    return Report(
        name="random order",
        ranks=tuple(ranks),
        mrr=float(np.mean(mrr)),
        hit1=float(np.mean(h1)),
        hit3=float(np.mean(h3)),
        hit5=float(np.mean(h5)),
    )


def weight_grid(step: float = 0.1) -> list[Weights]:
    steps = int(round(1 / step))
    grid = []
    for t in range(steps + 1):
        for s in range(steps + 1 - t):
            i = steps - t - s
            if t + s + i == steps and (t or s or i):
                grid.append(Weights(text=t * step, sector=s * step, interest=i * step))
    return grid
