"""Does the ranking put the real partner first? Metrics over a labelled set (no Django).

For each documented pair (European actor q, its Korean partner p), p is ranked among the
candidates the engine would show q, with q's *other* documented partners left out (the usual
"filtered" rank), so a query with two true partners is not penalised for the second one.
Baselines computed over the same texts: random order (exact expectation), keyword overlap
(Jaccard of word sets) and Okapi BM25 (what an off-the-shelf search engine would give).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from matching.engine import Filters, MatchIndex, Weights

Scorer = Callable[[MatchIndex, int], np.ndarray]


@dataclass(frozen=True)
class LabelledPair:
    """One documented EU-Korea tie: who, how strong, and where it is written down."""

    eu: str
    kr: str
    grade: str
    source: str
    evidence: str = ""


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


def queries_from(
    pairs: Iterable[LabelledPair], *, korean_side: bool = False
) -> list[LabelledQuery]:
    """The pairs as queries: each European actor with its Korean partners, or (korean_side)
    each Korean actor with its European partners; in slug order."""
    partners: dict[str, set[str]] = {}
    for pair in pairs:
        query, partner = (pair.kr, pair.eu) if korean_side else (pair.eu, pair.kr)
        partners.setdefault(query, set()).add(partner)
    return [LabelledQuery(query=q, partners=tuple(sorted(p))) for q, p in sorted(partners.items())]


def engine_scorer(weights: Weights) -> Scorer:
    def score(index: MatchIndex, row: int) -> np.ndarray:
        return index.component_scores(row).combined(weights, index.model)

    return score


def keyword_overlap_scorer(index: MatchIndex, row: int) -> np.ndarray:
    """Baseline: Jaccard overlap of the two profiles' word sets, no weighting at all."""
    words = (index.tfidf > 0).astype(np.float32).tocsr()
    shared = np.asarray((words @ words[row].T).todense()).ravel()
    sizes = np.asarray(words.sum(axis=1)).ravel()
    union = sizes + sizes[row] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


def bm25_scorer(index: MatchIndex) -> Scorer:
    """Baseline: Okapi BM25 (bm25s, its defaults k1 = 1.5, b = 0.75), every profile a document
    and the query actor's whole profile the query (each distinct word once), over the same
    words the index reads."""
    import bm25s

    # It logs every index build at debug level through its own handler.
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    analyse = index.vectorizer.build_analyzer()
    tokens = [analyse(p.text) for p in index.profiles]
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    known = set(retriever.vocab_dict)

    def score(_index: MatchIndex, row: int) -> np.ndarray:
        query = [t for t in dict.fromkeys(tokens[row]) if t in known]
        if not query:
            return np.zeros(len(tokens), dtype=np.float32)
        return np.asarray(retriever.get_scores(query), dtype=np.float32)

    return score


def rank_of(scores: np.ndarray, candidates: np.ndarray, target: int) -> float:
    """1-based rank of `target`; ties count half, the expectation under a random tie-break."""
    s = scores[target]
    others = scores[candidates[candidates != target]]
    return 1.0 + float(np.sum(others > s)) + 0.5 * float(np.sum(others == s))


def summary(name: str, ranks: Sequence[PairRank]) -> Report:
    r = np.array([p.rank for p in ranks], dtype=float)
    return Report(
        name=name,
        ranks=tuple(ranks),
        mrr=float(np.mean(1.0 / r)),
        hit1=float(np.mean(r <= 1)),
        hit3=float(np.mean(r <= 3)),
        hit5=float(np.mean(r <= 5)),
    )


def labelled_candidates(
    index: MatchIndex, labelled: Sequence[LabelledQuery]
) -> list[tuple[LabelledQuery, int, list[tuple[str, int, np.ndarray]]]]:
    """For each query: its row, and for each partner its row and the candidates it is ranked
    among (the query's other partners left out)."""
    slugs = {p.slug: i for i, p in enumerate(index.profiles)}
    missing = sorted({s for q in labelled for s in (q.query, *q.partners) if s not in slugs})
    if missing:
        raise KeyError(f"not in the directory: {', '.join(missing)}")
    result = []
    for item in labelled:
        row = slugs[item.query]
        mask = index.candidate_mask(row, Filters())
        partners = []
        for partner in item.partners:
            keep = mask.copy()
            for other in item.partners:
                if other != partner:
                    keep[slugs[other]] = False
            if not keep[slugs[partner]]:
                raise ValueError(f"{partner} is not a candidate for {item.query} (unpublished?)")
            partners.append((partner, slugs[partner], np.flatnonzero(keep)))
        result.append((item, row, partners))
    return result


def evaluate(
    index: MatchIndex, labelled: Sequence[LabelledQuery], *, scorer: Scorer, name: str
) -> Report:
    ranks = []
    for item, row, partners in labelled_candidates(index, labelled):
        scores = scorer(index, row)
        for partner, column, candidates in partners:
            ranks.append(
                PairRank(item.query, partner, rank_of(scores, candidates, column), candidates.size)
            )
    return summary(name, ranks)


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
