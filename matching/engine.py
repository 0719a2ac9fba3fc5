"""The partner-ranking engine: TF-IDF text similarity, shared sectors, complementary interests.

Plain Python over NumPy, SciPy and scikit-learn, with no Django import, so it can be tested and
benchmarked alone. The Django side turns actors into `Profile`s and caches one `MatchIndex` per
process (see `matching/index.py`).

Score of candidate c for query actor q, each component in [0, 1]:

    text     = cos(tfidf(q), tfidf(c))                         (L2-normalised rows: a dot product)
    sector   = |S(q) ∩ S(c)| / sqrt(|S(q)| · |S(c)|)            (cosine of the sector sets)
    interest = mean over the directions q has of
                 |seeks(q) ∩ offers(c)| / |seeks(q)|  and  |offers(q) ∩ seeks(c)| / |offers(q)|
    score    = (w_t · text + w_s · sector + w_i · interest) / (w_t + w_s + w_i)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = [
    "DEFAULT_WEIGHTS",
    "Filters",
    "Match",
    "MatchIndex",
    "Profile",
    "SharedTerm",
    "Weights",
    "build_index",
]


@dataclass(frozen=True)
class Profile:
    """What the engine knows of one actor."""

    key: int
    slug: str
    name: str
    side: str
    kind: str
    region: str
    text: str
    sectors: frozenset[str] = frozenset()
    offers: frozenset[str] = frozenset()
    seeks: frozenset[str] = frozenset()
    published: bool = True
    # The words that name the actor: name, acronym, city, website. Counted in the similarity,
    # never given as a reason: a partner's profile often names it, and a shared name says
    # nothing about what the two do (the shared sectors say that).
    own_words: str = ""


@dataclass(frozen=True)
class Weights:
    text: float
    sector: float
    interest: float

    def __post_init__(self) -> None:
        values = (self.text, self.sector, self.interest)
        if any(not math.isfinite(v) or v < 0 for v in values):
            raise ValueError("weights must be finite and not negative")
        if sum(values) <= 0:
            raise ValueError("at least one weight must be positive")

    @property
    def normalised(self) -> tuple[float, float, float]:
        total = self.text + self.sector + self.interest
        return self.text / total, self.sector / total, self.interest / total


# Chosen by `manage.py evaluate_matching --grid` on the labelled EU-Korea pairs (docs/matching.md).
DEFAULT_WEIGHTS = Weights(text=0.7, sector=0.1, interest=0.2)


@dataclass(frozen=True)
class Filters:
    """Which candidates to rank. `side=None` means the other side from the query actor."""

    side: str | None = None
    kinds: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    include_unpublished: bool = False
    # Restrict the candidates to these actor keys (an event's participants), if given.
    among: frozenset[int] | None = None
    # Actor keys never to show: known partners and candidates the organisation set aside.
    exclude: frozenset[int] = frozenset()


@dataclass(frozen=True)
class SharedTerm:
    term: str
    weight: float  # contribution to the cosine: product of the two TF-IDF weights


@dataclass(frozen=True)
class Match:
    key: int
    slug: str
    name: str
    score: float
    text: float
    sector: float
    interest: float
    contributions: dict[str, float]  # weighted share of each component in `score`
    shared_terms: tuple[SharedTerm, ...] = ()
    shared_sectors: tuple[str, ...] = ()
    they_offer_you_seek: tuple[str, ...] = ()
    you_offer_they_seek: tuple[str, ...] = ()
    rank: int = 0


# Words of reporting, of money, time and chance, and general verbs and nouns the seed documents
# use around cooperation: true in a profile, never a reason two actors should meet.
REPORTING_WORDS = frozenset(
    {
        "able", "agreement", "agreements", "announced", "ask", "asked", "asks", "based",
        "began", "begun", "bodies", "body", "budget", "budgets", "chance", "close",
        "conference", "conferences", "coordinate", "coordinated", "coordinates", "delegation",
        "delegations", "entry", "eur", "euro", "euros", "exchange", "first", "formal", "forum",
        "gave", "give", "given", "good", "held", "help", "helped", "helps", "host", "hosted",
        "hosts", "informal", "instance", "interest", "interested", "invited", "keep", "keeps",
        "large", "later", "local", "locally", "mainly", "major", "market", "markets",
        "meeting", "meetings", "member", "members", "memorandum", "met", "million", "mou",
        "mous", "new", "notably", "park", "parks", "part", "parts", "plus", "point", "points",
        "prefer", "prefers", "present", "presented", "presents", "priorities", "priority",
        "public", "relationship", "relationships", "remain", "remains", "role", "roles", "run",
        "running", "runs", "second", "sees", "several", "signed", "signing", "small", "strong",
        "stronger", "structure", "structured", "talk", "talks", "third", "ties",
        "understanding", "usd", "use", "used", "uses", "using", "usually", "various", "visit",
        "visited", "visits", "way", "ways", "week", "weeks", "well", "world", "year", "years",
    }
)  # fmt: skip
# Nationalities and peoples: where an actor is, which the filters and the cards say already.
NATIONALITY_WORDS = frozenset(
    {
        "american", "asian", "austrian", "bavarian", "belgian", "british", "catalan",
        "chinese", "czech", "danish", "dutch", "english", "european", "finnish", "flemish",
        "french", "german", "greek", "hungarian", "irish", "italian", "japanese", "korean",
        "polish", "portuguese", "spanish", "swedish", "walloon",
    }
)  # fmt: skip
# A term in more than this share of the profiles says little about any pair (learned from
# the directory's own document frequencies when the index is built).
COMMON_TERM_SHARE = 0.15


def _stop_words() -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    # Words every profile in this directory uses: they say nothing about fit.
    domain = {
        "cluster", "clusters", "korea", "korean", "european", "europe", "organisation",
        "organization", "also", "including", "based", "named", "document", "documents",
        "paper", "briefing", "seed", "mini",
    }  # fmt: skip
    return sorted(ENGLISH_STOP_WORDS | domain)


def make_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        lowercase=True,
        strip_accents="unicode",
        stop_words=_stop_words(),
        token_pattern=r"(?u)\b[^\W\d_][\w-]*[^\W_]\b",
        # Unigrams: bigrams multiply the vocabulary and the build time (7x at 10k actors)
        # for little gain in ranking; explanations name single terms.
        ngram_range=(1, 1),
        min_df=1,
        max_df=1.0,
        sublinear_tf=True,
        norm="l2",
        dtype=np.float32,
    )


def _binary_rows(sets: Sequence[frozenset[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    for items in sets:
        indices.extend(sorted(vocabulary[i] for i in items if i in vocabulary))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix(
        (data, np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64)),
        shape=(len(sets), len(vocabulary)),
    )


@dataclass
class MatchIndex:
    """One fitted TF-IDF matrix plus the sector and interest incidence matrices."""

    version: object
    profiles: list[Profile]
    vectorizer: TfidfVectorizer
    tfidf: sparse.csr_matrix  # n x terms, float32, L2-normalised rows
    # The taxonomy has ~70 sectors and ~10 interests: small dense float32 arrays are faster to
    # multiply than sparse ones.
    sectors: np.ndarray  # n x sectors, rows L2-normalised: a dot product is the set cosine
    offers: np.ndarray  # n x interests, 0/1
    seeks: np.ndarray
    sector_codes: list[str]
    interest_codes: list[str]
    terms: np.ndarray
    side: np.ndarray
    kind: np.ndarray
    region: np.ndarray
    published: np.ndarray
    position: dict[int, int] = field(default_factory=dict)
    build_seconds: float = 0.0
    # Term columns that explanations leave out: words of the sector and interest labels (named
    # as shared sectors and matched interests), reporting words, and terms too common to tell
    # a pair apart.
    quiet_columns: frozenset[int] = frozenset()
    # Per profile: the columns of its own name, acronym, city and website.
    own_columns: list[frozenset[int]] = field(default_factory=list)
    name_order: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # Display labels of sector and interest codes, as they were when the index was built.
    sector_labels: dict[str, str] = field(default_factory=dict)
    interest_labels: dict[str, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.profiles)

    @property
    def nbytes(self) -> int:
        text = self.tfidf.data.nbytes + self.tfidf.indices.nbytes + self.tfidf.indptr.nbytes
        return text + self.sectors.nbytes + self.offers.nbytes + self.seeks.nbytes

    def row_of(self, key: int) -> int:
        try:
            return self.position[key]
        except KeyError:
            raise KeyError(f"actor {key} is not in the index") from None

    # -- scoring ---------------------------------------------------------------------------

    def text_scores(self, row: int) -> np.ndarray:
        """Cosine of every indexed actor with the one at `row`: a sparse matrix-vector product."""
        query = np.zeros(self.tfidf.shape[1], dtype=np.float32)
        start, end = self.tfidf.indptr[row], self.tfidf.indptr[row + 1]
        query[self.tfidf.indices[start:end]] = self.tfidf.data[start:end]
        return self.tfidf @ query

    def component_scores(self, row: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Text, sector and interest scores of every indexed actor against the actor at `row`."""
        rows = slice(row, row + 1)
        sector = self.sectors @ self.sectors[row]
        return self.text_scores(row), sector, self._complementarity(rows, slice(None))[0]

    def _complementarity(self, rows, columns) -> np.ndarray:
        """Interest scores of each (row, column) pair: the mean over the directions the row
        actor has of the share of what it seeks that the column actor offers, and the reverse."""
        seeks, offers = self.seeks[rows], self.offers[rows]
        n_seek = seeks.sum(axis=1, keepdims=True)
        n_offer = offers.sum(axis=1, keepdims=True)
        forward = (seeks @ self.offers[columns].T) / np.maximum(n_seek, 1)
        backward = (offers @ self.seeks[columns].T) / np.maximum(n_offer, 1)
        directions = (n_seek > 0).astype(np.float32) + (n_offer > 0)
        return ((forward + backward) / np.maximum(directions, 1)).astype(np.float32)

    def candidate_mask(self, row: int, filters: Filters) -> np.ndarray:
        side = filters.side or ("kr" if self.side[row] == "eu" else "eu")
        mask = self.side == side
        if not filters.include_unpublished:
            mask &= self.published
        if filters.kinds:
            mask &= np.isin(self.kind, list(filters.kinds))
        if filters.regions:
            mask &= np.isin(self.region, list(filters.regions))
        if filters.sectors:
            columns = [
                self.sector_codes.index(c) for c in filters.sectors if c in self.sector_codes
            ]
            if columns:
                mask &= (self.sectors[:, columns] > 0).any(axis=1)
            else:
                mask &= False
        if filters.among is not None:
            chosen = np.zeros_like(mask)
            chosen[[self.position[k] for k in filters.among if k in self.position]] = True
            mask &= chosen
        if filters.exclude:
            mask[[self.position[k] for k in filters.exclude if k in self.position]] = False
        mask[row] = False  # never the actor itself
        return mask

    def rank(
        self,
        key: int,
        *,
        weights: Weights = DEFAULT_WEIGHTS,
        filters: Filters = Filters(),  # noqa: B008 - frozen dataclass, never mutated
        top: int | None = 20,
        explain: int = 20,
    ) -> list[Match]:
        """The best candidates for the actor `key`, best first, the first `explain` explained."""
        row = self.row_of(key)
        text, sector, interest = self.component_scores(row)
        wt, ws, wi = weights.normalised
        score = wt * text + ws * sector + wi * interest
        mask = self.candidate_mask(row, filters)
        candidates = np.flatnonzero(mask)
        if top is not None and top < candidates.size:
            # Partial sort: find the top-th score without ordering the rest, then keep every
            # candidate at or above it so that ties at the cut are settled by name, not chance.
            kth = -np.partition(-score[candidates], top - 1)[top - 1]
            candidates = candidates[score[candidates] >= kth]
        # Ties (same score) are broken by name so the order is stable from run to run.
        order = np.lexsort((self.name_order[candidates], -score[candidates]))
        ranked = candidates[order][:top] if top is not None else candidates[order]
        matches = []
        for position, i in enumerate(ranked, start=1):
            match = self._match(
                candidate=i,
                at=i,
                scores=(score, text, sector, interest),
                weights=weights,
                rank=position,
            )
            if position <= explain:
                match = self.explain(row, i, match)
            matches.append(match)
        return matches

    def rank_like(
        self,
        key: int,
        like: int,
        *,
        weights: Weights = DEFAULT_WEIGHTS,
        filters: Filters = Filters(),  # noqa: B008 - frozen dataclass, never mutated
        top: int = 10,
    ) -> list[Match]:
        """ "More like this": the candidates `key` would see, ordered by how close each is to
        the candidate `like` (same formula, seen from `like`). Each match carries its score for
        `key`, and its shared terms are those it has in common with `like`."""
        row, near = self.row_of(key), self.row_of(like)
        mask = self.candidate_mask(row, filters)
        mask[near] = False
        candidates = np.flatnonzero(mask)
        wt, ws, wi = weights.normalised
        text, sector, _ = self.component_scores(near)
        # Closeness between two actors of the same side: what they do and their sectors; the
        # offer/seek complement is about meeting, not about resembling.
        closeness = (wt * text + ws * sector) / max(wt + ws, 1e-9)
        order = np.lexsort((self.name_order[candidates], -closeness[candidates]))
        ranked = candidates[order][:top]
        own = self.component_scores(row)
        own_score = wt * own[0] + ws * own[1] + wi * own[2]
        matches = []
        for position, i in enumerate(ranked, start=1):
            match = self._match(
                candidate=i, at=i, scores=(own_score, *own), weights=weights, rank=position
            )
            matches.append(self.explain(near, i, match))
        return matches

    def pair(self, key: int, other: int, *, weights: Weights = DEFAULT_WEIGHTS) -> Match:
        """The explained match of one pair, e.g. two participants who will meet."""
        row, column = self.row_of(key), self.row_of(other)
        text, sector, interest = (c.ravel() for c in self._components([row], [column]))
        wt, ws, wi = weights.normalised
        scores = (wt * text + ws * sector + wi * interest, text, sector, interest)
        match = self._match(candidate=column, at=0, scores=scores, weights=weights)
        return self.explain(row, column, match)

    def _match(self, *, candidate: int, at: int, scores, weights: Weights, rank: int = 0) -> Match:
        """A Match for the profile `candidate`, its figures read at position `at` of `scores`."""
        profile = self.profiles[candidate]
        score, text, sector, interest = (float(s[at]) for s in scores)
        wt, ws, wi = weights.normalised
        return Match(
            key=profile.key,
            slug=profile.slug,
            name=profile.name,
            score=score,
            text=text,
            sector=sector,
            interest=interest,
            contributions={"text": wt * text, "sector": ws * sector, "interest": wi * interest},
            rank=rank,
        )

    def explain(self, row: int, other: int, match: Match, *, terms: int = 6) -> Match:
        query, candidate = self.profiles[row], self.profiles[other]
        m = self.tfidf
        a0, a1, b0, b1 = m.indptr[row], m.indptr[row + 1], m.indptr[other], m.indptr[other + 1]
        columns, ia, ib = np.intersect1d(
            m.indices[a0:a1], m.indices[b0:b1], assume_unique=True, return_indices=True
        )
        weights = m.data[a0:a1][ia] * m.data[b0:b1][ib]
        # Only the few shared columns are looked up; the quiet sets are never merged.
        quiet, own = self.quiet_columns, (self.own_columns[row], self.own_columns[other])
        keep = np.array(
            [c not in quiet and c not in own[0] and c not in own[1] for c in columns.tolist()],
            dtype=bool,
        )
        columns, weights = columns[keep], weights[keep]
        best = np.argsort(-weights, kind="stable")[:terms]
        shared_terms = tuple(
            SharedTerm(term=str(self.terms[columns[i]]), weight=float(weights[i]))
            for i in best
            if weights[i] > 0
        )
        sl, il = self.sector_labels, self.interest_labels
        return Match(
            **{
                **match.__dict__,
                "shared_terms": shared_terms,
                "shared_sectors": tuple(
                    sorted(sl.get(c, c) for c in query.sectors & candidate.sectors)
                ),
                "they_offer_you_seek": tuple(
                    sorted(il.get(c, c) for c in query.seeks & candidate.offers)
                ),
                "you_offer_they_seek": tuple(
                    sorted(il.get(c, c) for c in query.offers & candidate.seeks)
                ),
            }
        )

    def _components(
        self, rows: Sequence[int], columns: Sequence[int]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r, c = np.asarray(rows), np.asarray(columns)
        text = (self.tfidf[r] @ self.tfidf[c].T).toarray()
        sector = self.sectors[r] @ self.sectors[c].T
        return text, sector, self._complementarity(r, c)

    def pair_scores(
        self, rows: Sequence[int], columns: Sequence[int], *, weights: Weights = DEFAULT_WEIGHTS
    ) -> np.ndarray:
        """Scores of every (row, column) pair, each component in one batched product."""
        text, sector, interest = self._components(rows, columns)
        wt, ws, wi = weights.normalised
        return (wt * text + ws * sector + wi * interest).astype(np.float32)


def build_index(
    profiles: Iterable[Profile],
    *,
    version: object = None,
    progress: Callable[[str], None] | None = None,
    quiet_words: Iterable[str] = (),
    sector_labels: dict[str, str] | None = None,
    interest_labels: dict[str, str] | None = None,
) -> MatchIndex:
    """Fit the TF-IDF vocabulary and build every matrix for `profiles`.

    `quiet_words` still count in the similarity but are never shown as shared terms.
    """
    started = time.perf_counter()
    say = progress or (lambda _stage: None)
    profiles = list(profiles)
    if not profiles:
        raise ValueError("cannot build an index of an empty directory")
    say("fitting TF-IDF")
    vectorizer = make_vectorizer()
    try:
        tfidf = vectorizer.fit_transform([p.text for p in profiles]).tocsr().astype(np.float32)
        terms = vectorizer.get_feature_names_out()
    except ValueError:  # no profile has a single meaningful word: text cannot help
        tfidf = sparse.csr_matrix((len(profiles), 0), dtype=np.float32)
        terms = np.array([], dtype=object)
    say("sectors and interests")
    sector_codes = sorted({c for p in profiles for c in p.sectors})
    interest_codes = sorted({c for p in profiles for c in p.offers | p.seeks})
    s_vocab = {c: i for i, c in enumerate(sector_codes)}
    i_vocab = {c: i for i, c in enumerate(interest_codes)}
    sectors = _binary_rows([p.sectors for p in profiles], s_vocab).toarray()
    sectors /= np.maximum(np.linalg.norm(sectors, axis=1, keepdims=True), 1)
    index = MatchIndex(
        version=version,
        profiles=profiles,
        vectorizer=vectorizer,
        tfidf=tfidf,
        sectors=sectors,
        offers=_binary_rows([p.offers for p in profiles], i_vocab).toarray(),
        seeks=_binary_rows([p.seeks for p in profiles], i_vocab).toarray(),
        sector_codes=sector_codes,
        interest_codes=interest_codes,
        terms=terms,
        side=np.array([p.side for p in profiles]),
        kind=np.array([p.kind for p in profiles]),
        region=np.array([p.region for p in profiles]),
        published=np.array([p.published for p in profiles], dtype=bool),
        position={p.key: i for i, p in enumerate(profiles)},
        name_order=np.argsort(np.argsort([p.name.casefold() for p in profiles], kind="stable")),
        sector_labels=dict(sector_labels or {}),
        interest_labels=dict(interest_labels or {}),
    )
    vocabulary = vectorizer.vocabulary_ if terms.size else {}
    analyse = vectorizer.build_analyzer() if terms.size else (lambda _text: [])

    def columns_of(texts: Iterable[str]) -> frozenset[int]:
        return frozenset(vocabulary[t] for w in texts for t in analyse(w) if t in vocabulary)

    document_frequency = np.bincount(tfidf.indices, minlength=len(terms))
    common = np.flatnonzero(document_frequency > max(5, COMMON_TERM_SHARE * len(profiles)))
    index.quiet_columns = (
        columns_of(quiet_words)
        | columns_of(REPORTING_WORDS | NATIONALITY_WORDS)
        | frozenset(common.tolist())
    )
    index.own_columns = [columns_of([p.own_words]) for p in profiles]
    index.build_seconds = time.perf_counter() - started
    say("done")
    return index
