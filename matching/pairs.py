"""Pair scores for other apps (events): the one door into the ranking engine from outside.

    scorer = pair_scorer(actor_ids=[...every actor you will ask about...])
    scorer.score(a, b)            # 0..1, the ranking score of b for a
    scorer.reason(a, b)           # why, in one or two sentences, told from a's side
    scorer.fit(a, b)              # both at once
    scorer.scores(rows, columns)  # the score of every (row, column) pair, one batched product
    scorer.ranking(a, among=ids)  # the actors of `among` on the other side, best fit first

Every figure and sentence is the one the Find partners ranking gives for the same pair with the
default weights. A scorer answers from a single snapshot of the ranking index, so that the
figures and reasons of one page, schedule or export never mix two directory versions.
Scores are seen from the first actor's side: what a seeks and b offers counts for a's view.
Reasons are written in the language active when the scorer was made.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from matching.engine import Filters, MatchIndex
from matching.explain import explanation
from matching.index import fresh_index_for
from matching.ranking import reader_labels

__all__ = ["PairFit", "PairScorer", "pair_scorer"]


@dataclass(frozen=True)
class PairFit:
    """How well `other_id` fits the actor it was scored for."""

    other_id: int
    score: float  # 0..1
    reason: str

    @property
    def percent(self) -> int:
        """The score on the /100 scale the pages show."""
        return round(self.score * 100)


class PairScorer:
    """Scores and reasons of pairs among the actors given to `pair_scorer`."""

    __slots__ = ("_index", "_labels")

    def __init__(self, index: MatchIndex, *, labels: dict[str, str] | None = None) -> None:
        self._index = index
        # Sector and interest labels in the reader's language (`reader_labels`).
        self._labels = labels or {}

    def fit(self, actor_id: int, other_id: int) -> PairFit:
        match = self._index.pair(actor_id, other_id)
        return PairFit(
            other_id=other_id, score=match.score, reason=explanation(match, labels=self._labels)
        )

    def score(self, actor_id: int, other_id: int) -> float:
        return self.fit(actor_id, other_id).score

    def reason(self, actor_id: int, other_id: int) -> str:
        return self.fit(actor_id, other_id).reason

    def scores(self, actor_ids: Sequence[int], other_ids: Sequence[int]) -> np.ndarray:
        """(len(actor_ids), len(other_ids)) float32 scores, each from the row actor's side."""
        row_of = self._index.row_of
        return self._index.pair_scores(
            [row_of(a) for a in actor_ids], [row_of(o) for o in other_ids]
        )

    def ranking(
        self, actor_id: int, *, among: Iterable[int], top: int | None = None
    ) -> list[PairFit]:
        """The actors of `among` on the other side from `actor_id`, best fit first (ties by
        name), published or not, each with its reason; the first `top` only if given."""
        among = frozenset(among)
        matches = self._index.rank(
            actor_id,
            filters=Filters(among=among, include_unpublished=True),
            top=top,
            explain=len(among) if top is None else top,
        )
        return [
            PairFit(other_id=m.key, score=m.score, reason=explanation(m, labels=self._labels))
            for m in matches
        ]


def pair_scorer(*, actor_ids: Iterable[int]) -> PairScorer:
    """A scorer that knows every one of `actor_ids` (the ranking index is rebuilt first if one
    of them is newer than it). Asking about any other actor may raise KeyError."""
    return PairScorer(fresh_index_for(actor_ids=list(actor_ids)), labels=reader_labels())
