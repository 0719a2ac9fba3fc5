"""Choosing the model without scoring it on the pairs it was chosen on (no Django).

Every model on the menu (a ranking model: word pairs, stemming, a learned stop list, a latent
space and its share, partners of similar organisations and their share; and the three
weights) ranks every labelled pair once. Leave-one-query-out cross-validation then holds each
query out in turn, picks the model with the best MRR on the other queries' pairs, and scores
the held-out query's pairs with it: the figure reported is what the choice would give on a
query it never saw.

The labelled pairs are also the known partnerships the peer component reads. A query's own
pairs are never among them when it is ranked; and while the model for a held-out query is
being chosen, the held-out query's pairs are left out of every other query's peer component
too, so that they cannot steer the choice.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from matching.engine import (
    Components,
    MatchIndex,
    Profile,
    RankingModel,
    Weights,
    build_index,
    link_matrix,
    mix_text,
)
from matching.evaluation import (
    LabelledQuery,
    PairRank,
    Report,
    labelled_candidates,
    summary,
)


@dataclass(frozen=True)
class Candidate:
    """One model on the menu."""

    model: RankingModel
    weights: Weights

    @property
    def label(self) -> str:
        m, w = self.model, self.weights
        parts = [f"weights {w.text:.1f}/{w.sector:.1f}/{w.interest:.1f}"]
        if m.bigrams:
            parts.append("word pairs")
        if m.stem:
            parts.append("stemmed")
        if m.max_df < 1:
            parts.append(f"stop list above {m.max_df:.0%} of profiles")
        if m.latent_dims and m.latent_share:
            parts.append(f"latent {m.latent_dims} dims at {m.latent_share:.0%}")
        if m.uses_peers:
            sides = " and ".join({"eu": "European", "kr": "Korean"}.get(s, s) for s in m.peer_sides)
            parts.append(
                f"partners of {m.peer_count} peers at {m.peer_share:.0%} ({sides} queries)"
            )
        return ", ".join(parts)


@dataclass(frozen=True)
class Menu:
    """The models to choose from: each idea on and off, at a few strengths, and a few weight
    triples (a fine weight grid would let the choice fit the noise of ~60 pairs)."""

    bigrams: tuple[bool, ...] = (False, True)
    stem: tuple[bool, ...] = (False, True)
    max_df: tuple[float, ...] = (1.0, 0.3)
    latent: tuple[tuple[int, float], ...] = ((0, 0.0), (100, 0.2), (100, 0.4))
    peers: tuple[tuple[int, float], ...] = ((0, 0.0), (5, 0.3), (10, 0.3))
    weights: tuple[Weights, ...] = (
        Weights(0.7, 0.1, 0.2), Weights(0.8, 0.0, 0.2), Weights(1.0, 0.0, 0.0),
        Weights(0.6, 0.2, 0.2), Weights(0.5, 0.25, 0.25),
    )  # fmt: skip

    def fits(self) -> list[tuple[bool, bool, float]]:
        return list(itertools.product(self.bigrams, self.stem, self.max_df))

    def size(self) -> int:
        return len(self.fits()) * len(self.latent) * len(self.peers) * len(self.weights)


SMALL_MENU = Menu(
    bigrams=(False,),
    stem=(False,),
    max_df=(1.0, 0.3),
    latent=((0, 0.0), (100, 0.2)),
    peers=((0, 0.0), (5, 0.3)),
    weights=(Weights(0.7, 0.1, 0.2), Weights(0.8, 0.0, 0.2), Weights(1, 0, 0)),
)


@dataclass
class RankTable:
    """The rank of every labelled pair under every model of the menu, and, per held-out
    query, the ranks that change when its pairs leave the other queries' peer components."""

    candidates: list[Candidate]
    pairs: list[tuple[str, str, int]]  # query, partner, number of candidates
    ranks: np.ndarray  # pairs x candidates
    without: dict[str, dict[int, np.ndarray]] = field(default_factory=dict)

    def ranks_without(self, query: str) -> np.ndarray:
        """The table as the other queries see it while `query` is held out."""
        changed = self.without.get(query)
        if not changed:
            return self.ranks
        ranks = self.ranks.copy()
        for i, row in changed.items():
            ranks[i] = row
        return ranks


def _pair_rows(
    labelled: Sequence[LabelledQuery], position: dict[str, int]
) -> dict[str, set[tuple[int, int]]]:
    return {q.query: {(position[q.query], position[p]) for p in q.partners} for q in labelled}


def rank_table(
    profiles: Sequence[Profile],
    labelled: Sequence[LabelledQuery],
    *,
    menu: Menu,
    links: Sequence[tuple[str, str]] = (),
) -> RankTable:
    """Rank every labelled pair under every model of `menu` (one TF-IDF fit per text variant,
    one latent space per size; shares and weights are combined without refitting). `links`
    (pairs of slugs) are the known partnerships the peer component reads."""
    rows = {p.slug: i for i, p in enumerate(profiles)}
    key_of = [p.key for p in profiles]
    all_links = {(rows[a], rows[b]) for a, b in links if a in rows and b in rows}
    own_pairs = _pair_rows(labelled, rows)

    def links_without(*queries: str):
        gone = set().union(*(own_pairs[q] for q in queries))
        kept = [
            (key_of[a], key_of[b])
            for a, b in all_links
            if (a, b) not in gone and (b, a) not in gone
        ]
        return link_matrix(kept, {k: i for i, k in enumerate(key_of)})

    candidates: list[Candidate] = []
    blocks: list[np.ndarray] = []
    # held-out query -> pair index -> fit number -> that fit's ranks without its pairs
    without_blocks: dict[str, dict[int, dict[int, np.ndarray]]] = {}
    pairs: list[tuple[str, str, int]] = []
    dims_wanted = sorted({d for d, share in menu.latent if d and share})
    counts_wanted = sorted({k for k, share in menu.peers if k and share})
    for fit, (bigrams, stem, max_df) in enumerate(menu.fits()):
        indexes = {
            dims: build_index(
                profiles,
                model=RankingModel(
                    bigrams=bigrams,
                    stem=stem,
                    max_df=max_df,
                    latent_dims=dims,
                    latent_share=1.0 if dims else 0.0,
                ),
            )  # fmt: skip
            for dims in [0, *dims_wanted]
        }
        base: MatchIndex = indexes[0]
        models = [
            Candidate(
                RankingModel(
                    bigrams=bigrams,
                    stem=stem,
                    max_df=max_df,
                    latent_dims=d,
                    latent_share=s,
                    peer_count=k,
                    peer_share=p,
                ),
                w,
            )  # fmt: skip
            for d, s in menu.latent
            for k, p in menu.peers
            for w in menu.weights
        ]
        block: list[np.ndarray] = []
        block_pairs: list[tuple[str, str, int]] = []
        for item, row, partners in labelled_candidates(base, labelled):
            words, _ = base.text_parts(row)
            latent = {d: indexes[d].text_parts(row)[1] for d in dims_wanted}

            query_parts = _QueryParts(
                index=base, row=row, words=words, latent=latent, parts=base.component_scores(row)
            )

            def ranks_with(peer_links, query_parts=query_parts, partners=partners, models=models):
                return _ranks(query_parts.scores(models, peer_links), partners)

            first = len(block)
            block.extend(ranks_with(links_without(item.query)))
            block_pairs.extend((item.query, p, int(among.size)) for p, _c, among in partners)
            # Held-out queries that are this query's peers: its ranks without their pairs.
            peers = (
                {profiles[r].slug for r in base.peers_of(row, words, count=max(counts_wanted))}
                if counts_wanted
                else set()
            )
            for other in sorted(peers & own_pairs.keys() - {item.query}):
                changed = ranks_with(links_without(item.query, other))
                slot = without_blocks.setdefault(other, {})
                for offset, ranks in enumerate(changed):
                    slot.setdefault(first + offset, {})[fit] = ranks
        candidates.extend(models)
        blocks.append(np.array(block))
        pairs = pairs or block_pairs
    # Peers are found on each fit's own words, so a held-out query may change a pair's ranks
    # under some fits only; the other fits keep the table's ranks.
    without = {
        query: {
            i: np.concatenate([by_fit.get(f, block[i]) for f, block in enumerate(blocks)])
            for i, by_fit in changed.items()
        }
        for query, changed in without_blocks.items()
    }
    return RankTable(
        candidates=candidates, pairs=pairs, ranks=np.concatenate(blocks, axis=1), without=without
    )


@dataclass
class _QueryParts:
    """What one query's scores are made of, under one fit."""

    index: MatchIndex
    row: int
    words: np.ndarray
    latent: dict[int, np.ndarray | None]
    parts: Components

    def scores(self, models: Sequence[Candidate], peer_links) -> np.ndarray:
        """Every actor's score under every model of the fit: actors x models."""
        side = str(self.index.side[self.row])
        counts = {c.model.peer_count for c in models if c.model.peers_for(side)}
        peer = {
            k: self.index.peer_scores(self.row, self.words, count=k, links=peer_links)
            for k in counts
        }
        none = np.zeros_like(self.words)
        columns = []
        for c in models:
            m = c.model
            text = mix_text(self.words, self.latent.get(m.latent_dims), m.latent_share)
            parts = Components.of(
                text=text,
                sector=self.parts.sector,
                interest=self.parts.interest,
                peer=peer[m.peer_count] if m.peers_for(side) else none,
            )
            columns.append(parts.combined(c.weights, m))
        return np.stack(columns, axis=1)


def _ranks(matrix: np.ndarray, partners) -> list[np.ndarray]:
    """Each partner's rank among its candidates, for every model (a column of `matrix`)."""
    found = []
    for _partner, column, among in partners:
        own = matrix[column]
        others = matrix[among[among != column]]
        found.append(1.0 + (others > own).sum(axis=0) + 0.5 * (others == own).sum(axis=0))
    return found


def best_column(reciprocal: np.ndarray) -> int:
    """The model with the best mean reciprocal rank; on a tie, the first on the menu (the
    menu lists simpler models first)."""
    return int(np.argmax(reciprocal.mean(axis=0)))


@dataclass(frozen=True)
class CrossValidated:
    report: Report
    chosen: dict[str, Candidate]  # held-out query -> the model picked without it


def leave_one_query_out(table: RankTable, *, name: str) -> CrossValidated:
    queries = np.array([q for q, _, _ in table.pairs])
    ranks: list[PairRank] = []
    chosen: dict[str, Candidate] = {}
    for query in dict.fromkeys(queries.tolist()):
        held = queries == query
        column = best_column(1.0 / table.ranks_without(query)[~held])
        chosen[query] = table.candidates[column]
        for i in np.flatnonzero(held):
            q, p, n = table.pairs[i]
            ranks.append(PairRank(q, p, float(table.ranks[i, column]), n))
    # In the table's pair order, so rows line up with the baselines'.
    order = {(q, p): i for i, (q, p, _) in enumerate(table.pairs)}
    ranks.sort(key=lambda r: order[(r.query, r.partner)])
    return CrossValidated(report=summary(name, ranks), chosen=chosen)
