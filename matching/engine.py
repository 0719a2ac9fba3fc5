"""The partner-ranking engine: TF-IDF text similarity, shared sectors, complementary interests.

Plain Python over NumPy, SciPy and scikit-learn, with no Django import, so it can be tested and
benchmarked alone. Only building an index needs scikit-learn: ranking with a built one does not
import it (it costs a process about 100 MB, and the web processes only rank). The Django side
turns actors into `Profile`s and caches one `MatchIndex` per process (see `matching/index.py`).

Score of candidate c for query actor q, each component in [0, 1]:

    text     = cos(tfidf(q), tfidf(c))                         (L2-normalised rows: a dot product)
    sector   = |S(q) ∩ S(c)| / sqrt(|S(q)| · |S(c)|)            (cosine of the sector sets)
    interest = mean over the directions q has of
                 |seeks(q) ∩ offers(c)| / |seeks(q)|  and  |offers(q) ∩ seeks(c)| / |offers(q)|
    score    = (w_t · text + w_s · sector + w_i · interest) / (w_t + w_s + w_i)
"""

from __future__ import annotations

import math
import pickle
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from matching.stored_profiles import StoredProfiles

if TYPE_CHECKING:
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


# Text only: cross-validation gives sectors 0 and interests 0 or 0.2, and interests at 0.2
# outweigh the text (docs/matching.md).
DEFAULT_WEIGHTS = Weights(text=1.0, sector=0.0, interest=0.0)


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
    # The share of the query's most similar actors (its peers) that are known partners of
    # the candidate, weighted by similarity; and the names of those peers.
    peer: float = 0.0
    peer_partners: tuple[str, ...] = ()
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
        "partner", "partners", "partnership", "partnerships", "link", "links", "linked", "fund",
        "funds", "funded", "foundation", "foundations", "b2b", "alongside", "possible",
        "organisations", "organizations", "activity", "activities", "area", "areas",
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "spring", "summer", "autumn", "winter", "commission",
        "life", "abroad", "according", "action", "active", "actors", "agencies", "agency",
        "aims", "alliance", "approach", "association", "base", "behalf", "billion", "bio",
        "brings", "build", "building", "built", "capital", "center", "centers", "centre",
        "centres", "chamber", "cites", "cities", "clear", "connect", "contact", "continues",
        "core", "counterpart", "counterparts", "countries", "country", "course", "cultural",
        "days", "delegates", "describes", "develop", "direct", "directly", "discussion",
        "economy", "economic", "edge", "end", "engage", "entering", "eu", "evaluation",
        "example", "exchanges", "field", "fields", "finding", "fourteen", "funding", "gain",
        "global", "goes", "grand", "group", "groups", "head", "house", "hub", "hubs",
        "identify", "include", "includes", "institute", "institutes", "join", "joins", "lead",
        "leads", "leading", "lies", "like", "listed", "looking", "main", "makers", "managers",
        "managing", "mentions", "metropolitan", "ministry", "ministries", "mission",
        "missions", "model", "mutual", "names", "natural", "near", "networks", "office",
        "organise", "organises", "organize", "overseas", "peer", "peers", "plans", "platform",
        "platforms", "practical", "prepare", "president", "programme", "programmes",
        "program", "programs", "promotes", "promotion", "pursue", "raw", "regions", "relevant",
        "representatives", "represents", "roughly", "sciences", "sea", "sector", "sectors",
        "set", "sets", "seven", "shared", "shares", "sides", "sign", "site", "smes", "staff",
        "strand", "supports", "systems", "trade", "transnational", "went", "work", "working",
        "works", "written", "yearly", "zones", "source", "sources", "website", "annex",
        "literature", "report", "reports", "notes", "describe", "time", "home", "free",
        "technopole", "cluster-like", "congresses", "congress", "company", "companies", "test",
        "chose", "chosen", "took", "taken", "made", "came", "saw", "brought", "became", "won",
        "visited", "visits", "way", "ways", "week", "weeks", "well", "world", "year", "years",
        "people", "person", "persons",
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
# A peer is at least this close in words (cosine): a weaker likeness is no reason to follow
# its partners, nor to call it "like yours".
PEER_MIN_SIMILARITY = 0.1
# A learned stop list never drops a word fewer profiles than this use.
MIN_COMMON_PROFILES = 5


def stop_words() -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    # Words every profile in this directory uses: they say nothing about fit.
    domain = {
        "cluster", "clusters", "korea", "korean", "european", "europe", "organisation",
        "organization", "also", "including", "based", "named", "document", "documents",
        "paper", "briefing", "seed", "mini",
    }  # fmt: skip
    return sorted(ENGLISH_STOP_WORDS | domain)


@dataclass(frozen=True)
class RankingModel:
    """How profiles become scores beyond the weights; each option was measured by
    cross-validation (docs/matching.md)."""

    # Add word pairs ("medical devices", "water reuse") to single words.
    bigrams: bool = False
    # Fold plurals ("devices" and "device" count as one word).
    stem: bool = False
    # A learned stop list: terms in more than this share of the profiles are dropped.
    max_df: float = 1.0
    # A latent-semantic component: the TF-IDF matrix reduced to this many dimensions by a
    # truncated SVD links related vocabularies ("wastewater" and "water treatment"); 0 is off.
    latent_dims: int = 0
    # The latent cosine's share of the text score.
    latent_share: float = 0.0
    # Partners of similar organisations: the known partners of the query's `peer_count` most
    # similar actors on its own side count for `peer_share` of the score; 0 is off.
    peer_count: int = 0
    peer_share: float = 0.0
    # The sides whose queries read their peers' partners: cross-validation gives Korean
    # queries no peer component (their peers have few recorded partners; it lowers MRR).
    peer_sides: tuple[str, ...] = ("eu",)

    def __post_init__(self) -> None:
        shares_ok = 0 <= self.latent_share <= 1 and 0 <= self.peer_share < 1
        if not 0 < self.max_df <= 1 or not shares_ok or min(self.latent_dims, self.peer_count) < 0:
            raise ValueError("max_df in (0, 1], shares in [0, 1), counts >= 0")

    @property
    def uses_peers(self) -> bool:
        return bool(self.peer_count and self.peer_share)

    def peers_for(self, side: str) -> bool:
        """Whether a query on `side` reads its peers' partners."""
        return self.uses_peers and side in self.peer_sides


def stem(word: str) -> str:
    """A light English stemmer for profile words: plural and common inflected endings only,
    so that a shown term still reads as a word."""
    if len(word) <= 4 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s"):
        return word[:-1]
    return word


class _Analyser:
    """Tokens of one text: single words (stemmed if asked) and, if asked, word pairs. A pair
    is two adjacent words within one clause, with no stop word between them ("medical
    devices", "water reuse"; not "vaccines, diagnostics"). Single words are exactly those of
    scikit-learn's own analyser. A class rather than a closure so the vectorizer pickles."""

    def __init__(self, model: RankingModel) -> None:
        self.model = model
        self.stop = frozenset(stop_words())
        # A word as TOKEN_PATTERN has it, or a mark that ends a clause.
        self.pattern = re.compile(r"\b[^\W\d_][\w-]*[^\W_]\b|[.,;:!?()\[\]/|]")
        # How often each stemmed word was written in each form, to show the usual one.
        self.forms: dict[str, Counter[str]] = {}

    def __call__(self, text: str) -> list[str]:
        stemming, pairs = self.model.stem, self.model.bigrams
        words: list[str] = []
        joined: list[str] = []
        previous = None
        for match in self.pattern.finditer(fold_accents(text.lower())):
            token = match.group(0)
            if len(token) == 1 or token in self.stop:
                previous = None
                continue
            if stemming:
                stemmed = stem(token)
                if stemmed != token:
                    self.forms.setdefault(stemmed, Counter())[token] += 1
                token = stemmed
            words.append(token)
            if pairs and previous is not None:
                joined.append(f"{previous} {token}")
            previous = token
        return words + joined

    def usual_forms(self) -> dict[str, str]:
        """For each stem, the form the profiles use most (ties: the first alphabetically),
        when it is not the stem itself; the counts are dropped."""
        forms = {}
        for stemmed, counts in self.forms.items():
            best = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            if best != stemmed:
                forms[stemmed] = best
        self.forms = {}
        return forms


# Hangul syllables and jamo: left whole when accents are stripped.
_HANGUL_TEXT = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_NOT_HANGUL = re.compile("[^\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")


def strip_accents(text: str) -> str:
    """Accents stripped as scikit-learn's "unicode" option strips them ("Pôle" -> "pole"):
    compatibility decomposition, combining marks dropped. Here rather than imported, so that
    ranking never imports scikit-learn (tests/matching/test_engine_imports.py compares the two)."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold_accents(text: str) -> str:
    """`strip_accents`, except from Hangul: its decomposition would cut every Korean syllable
    into jamo."""
    if not _HANGUL_TEXT.search(text):
        return strip_accents(text)
    return _NOT_HANGUL.sub(lambda found: strip_accents(found.group()), text)


TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w-]*[^\W_]\b"
# What the ranking uses: the ideas cross-validation keeps with partner names masked (the
# learned stop list, the latent part, partners of similar organisations), without the word
# pairs and stemming it also likes, whose gain is within the noise and whose cost is not
# (`manage.py evaluate_matching`, docs/matching.md).
DEFAULT_MODEL = RankingModel(
    max_df=0.3, latent_dims=100, latent_share=0.4, peer_count=5, peer_share=0.3
)


def make_vectorizer(model: RankingModel | None = None) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    model = model or DEFAULT_MODEL
    if not model.bigrams and not model.stem:
        # The plain analyser, scikit-learn's own: the fastest path.
        return TfidfVectorizer(
            lowercase=True,
            strip_accents=fold_accents,
            stop_words=stop_words(),
            token_pattern=TOKEN_PATTERN,
            max_df=model.max_df,
            sublinear_tf=True,
            norm="l2",
            dtype=np.float32,
        )
    # A term only one profile uses pairs no one; dropping such terms keeps the vocabulary of
    # word pairs (most of which occur once) small.
    return TfidfVectorizer(
        analyzer=_Analyser(model), max_df=model.max_df, min_df=2, sublinear_tf=True, norm="l2",
        dtype=np.float32,
    )  # fmt: skip


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


def _column_rows(rows: Sequence[frozenset[int]], width: int) -> sparse.csr_matrix:
    """An n x width 0/1 matrix with a 1 at each row's columns."""
    indptr = np.cumsum([0, *(len(r) for r in rows)], dtype=np.int64)
    indices = np.fromiter((c for r in rows for c in sorted(r)), dtype=np.int32, count=indptr[-1])
    data = np.ones(indices.size, dtype=np.int8)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), width))


@dataclass
class MatchIndex:
    """One fitted TF-IDF matrix plus the sector and interest incidence matrices."""

    version: object
    profiles: StoredProfiles
    # The fitted vectorizer, pickled (`vectorizer` unpickles it): only a build or an
    # extension needs it, and unpickled it would import scikit-learn into every process
    # that loads the index.
    vectorizer_state: bytes
    tfidf: sparse.csr_matrix  # n x terms, float32, L2-normalised rows
    # The taxonomy has ~70 sectors and ~10 interests: small dense float32 arrays are faster to
    # multiply than sparse ones.
    sectors: np.ndarray  # n x sectors, rows L2-normalised: a dot product is the set cosine
    offers: np.ndarray  # n x interests, 0/1
    seeks: np.ndarray
    sector_codes: list[str]
    interest_codes: list[str]
    terms: np.ndarray  # in the order of their columns, which is alphabetical (scikit-learn's)
    side: np.ndarray
    kind: np.ndarray
    region: np.ndarray
    published: np.ndarray
    position: dict[int, int] = field(default_factory=dict)
    build_seconds: float = 0.0
    # Term columns that explanations leave out, alone or inside a phrase: words of the sector
    # and interest labels (named as shared sectors and matched interests), names, places,
    # nationalities and reporting words.
    quiet_columns: frozenset[int] = frozenset()
    # Per term column: neither quiet nor too common, so it may be shown alone.
    shown_columns: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # Term columns used by too many profiles to tell a pair apart (never shown alone).
    common_columns: frozenset[int] = frozenset()
    # n x terms, 1 at the columns of each profile's own name, acronym, city and website.
    own_terms: sparse.csr_matrix = field(
        default_factory=lambda: sparse.csr_matrix((0, 0), dtype=np.int8)
    )
    name_order: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # Display labels of sector and interest codes, as they were when the index was built.
    sector_labels: dict[str, str] = field(default_factory=dict)
    interest_labels: dict[str, str] = field(default_factory=dict)
    model: RankingModel = field(default_factory=lambda: DEFAULT_MODEL)
    # n x latent_dims, float32, L2-normalised rows; None when the text model has no latent part.
    latent: np.ndarray | None = None
    # Stemmed word -> the form profiles write it in, for showing terms ("devices").
    usual_forms: dict[str, str] = field(default_factory=dict)
    # n x n, 1 where two actors are known partners (symmetric).
    links: sparse.csr_matrix = field(
        default_factory=lambda: sparse.csr_matrix((0, 0), dtype=np.float32)
    )
    # latent_dims x terms: the latent space's axes, to place profiles added later
    # (`extend_index`); None when the text model has no latent part.
    latent_basis: np.ndarray | None = None
    # True for an index that took new actors without refitting (`extend_index`): their words
    # are weighed with the vocabulary fitted before them, until a full build replaces it.
    refit_due: bool = False
    # Cuts a text into its word pairs, for joining shown words into phrases; made with
    # scikit-learn's English stop words when the index is made, and pickled with it.
    phrase_cutter: _Analyser = field(default_factory=lambda: _Analyser(RankingModel(bigrams=True)))

    @property
    def vectorizer(self) -> TfidfVectorizer:
        """The fitted vectorizer (a new copy on each call; imports scikit-learn)."""
        return pickle.loads(self.vectorizer_state)  # noqa: S301 - pickled by this index's build

    @property
    def size(self) -> int:
        return len(self.profiles)

    @property
    def nbytes(self) -> int:
        text = self.tfidf.data.nbytes + self.tfidf.indices.nbytes + self.tfidf.indptr.nbytes
        if self.latent is not None:
            text += self.latent.nbytes
        return text + self.sectors.nbytes + self.offers.nbytes + self.seeks.nbytes

    def own_columns(self, row: int) -> frozenset[int]:
        """The term columns of the profile's own name, acronym, city and website."""
        own = self.own_terms
        return frozenset(own.indices[own.indptr[row] : own.indptr[row + 1]].tolist())

    def row_of(self, key: int) -> int:
        try:
            return self.position[key]
        except KeyError:
            raise KeyError(f"actor {key} is not in the index") from None

    # -- scoring ---------------------------------------------------------------------------

    def _word_query(self, row: int) -> np.ndarray:
        query = np.zeros(self.tfidf.shape[1], dtype=np.float32)
        start, end = self.tfidf.indptr[row], self.tfidf.indptr[row + 1]
        query[self.tfidf.indices[start:end]] = self.tfidf.data[start:end]
        return query

    def text_parts(
        self, row: int, query: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """The word cosine (a sparse matrix-vector product) and the latent cosine (None
        without a latent space) of every indexed actor with the one at `row`; `query` is
        its dense TF-IDF row, if already made."""
        latent = self.latent @ self.latent[row] if self.latent is not None else None
        return self.tfidf @ (self._word_query(row) if query is None else query), latent

    def text_parts_words(self, row: int) -> np.ndarray:
        """The word cosine alone: one sparse matrix-vector product (the benchmarks' floor)."""
        return self.tfidf @ self._word_query(row)

    @property
    def _latent_share(self) -> float:
        return self.model.latent_share if self.latent is not None else 0.0

    def _peer_pool(self, side: str) -> np.ndarray:
        """The published actors of one side (computed once per index)."""
        pools = self.__dict__.setdefault("_pools", {})
        if side not in pools:
            pools[side] = np.flatnonzero((self.side == side) & self.published)
        return pools[side]

    def peers_of(self, row: int, words: np.ndarray, *, count: int) -> np.ndarray:
        """The `count` published actors on `row`'s side whose words are closest to its own
        (never itself), most similar first."""
        if count <= 0:
            return np.zeros(0, dtype=np.int64)
        pool = self._peer_pool(str(self.side[row]))
        rows = pool[(words[pool] >= PEER_MIN_SIMILARITY) & (pool != row)]
        if rows.size > count:
            rows = rows[np.argpartition(-words[rows], count - 1)[:count]]
        return rows[np.lexsort((rows, -words[rows]))]

    def peer_scores(
        self,
        row: int,
        words: np.ndarray | None = None,
        *,
        count: int = 0,
        links: sparse.csr_matrix | None = None,
        peers: np.ndarray | None = None,
    ) -> np.ndarray:
        """For every indexed actor: the similarity-weighted share of `row`'s peers that are
        its known partners, in [0, 1]. `links` replaces the index's own (the evaluation
        leaves out the pairs it is testing)."""
        count = count or self.model.peer_count
        links = self.links if links is None else links
        if words is None:
            words = self.text_parts(row)[0]
        if not count or links.nnz == 0:
            return np.zeros(self.size, dtype=np.float32)
        if peers is None:
            peers = self.peers_of(row, words, count=count)
        weight = words[peers]
        total = float(weight.sum())
        if total <= 0:
            return np.zeros(self.size, dtype=np.float32)
        return (links[peers].T @ weight / total).astype(np.float32)

    def component_scores(self, row: int, query: np.ndarray | None = None) -> Components:
        """Every component of every indexed actor's score against the actor at `row`."""
        words, latent = self.text_parts(row, query)
        if self.model.peers_for(str(self.side[row])):
            peers = self.peers_of(row, words, count=self.model.peer_count)
            peer = self.peer_scores(row, words, peers=peers)
        else:
            peers, peer = None, np.zeros(self.size, dtype=np.float32)
        return Components.of(
            text=mix_text(words, latent, self._latent_share),
            sector=self.sectors @ self.sectors[row],
            interest=self._complementarity(slice(row, row + 1), slice(None))[0],
            peer=peer,
            peer_rows=peers,
        )

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
        query_vector = self._word_query(row)
        parts = self.component_scores(row, query_vector)
        score = parts.combined(weights, self.model)
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
        query_phrases = None
        for position, i in enumerate(ranked, start=1):
            match = self._match(candidate=i, parts=parts.at(i), weights=weights, rank=position)
            if position <= explain:
                if query_phrases is None:
                    query_phrases = self.phrases(row)
                match = self.explain(
                    row, i, match, peers=parts.peer_rows, query_phrases=query_phrases,
                    query_vector=query_vector,
                )  # fmt: skip
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
        wt, ws, _ = weights.normalised
        like_parts = self.component_scores(near)
        # Closeness between two actors of the same side: what they do and their sectors; the
        # offer/seek complement is about meeting, not about resembling.
        closeness = (wt * like_parts.text + ws * like_parts.sector) / max(wt + ws, 1e-9)
        order = np.lexsort((self.name_order[candidates], -closeness[candidates]))
        ranked = candidates[order][:top]
        own = self.component_scores(row)
        matches = []
        for position, i in enumerate(ranked, start=1):
            match = self._match(candidate=i, parts=own.at(i), weights=weights, rank=position)
            # Shared terms with `like`; its peers' partners are no reason here.
            matches.append(replace(self.explain(near, i, match), peer_partners=()))
        return matches

    def pair(self, key: int, other: int, *, weights: Weights = DEFAULT_WEIGHTS) -> Match:
        """The explained match of one pair, e.g. two participants who will meet."""
        row, column = self.row_of(key), self.row_of(other)
        parts = self._components([row], [column])
        match = self._match(candidate=column, parts=parts.at((0, 0)), weights=weights)
        return self.explain(row, column, match)

    def phrases(self, row: int) -> frozenset[str]:
        """The word pairs of one profile ("medical devices"), as `_Analyser` cuts them."""
        return frozenset(t for t in self.phrase_cutter(self.profiles.text(row)) if " " in t)

    def _phrases_joined(
        self,
        shown: list[tuple[str, float]],
        row: int,
        other: int,
        query_phrases: frozenset[str] | None,
    ) -> list[tuple[str, float]]:
        """Two shown words that both profiles write side by side become one phrase, in the
        place of the first ("wastewater" and "treatment" -> "wastewater treatment")."""
        words = [t for t, _w in shown if " " not in t]
        if len(words) < 2:
            return shown
        query_phrases = self.phrases(row) if query_phrases is None else query_phrases
        wanted = [
            f"{a} {b}" for a in words for b in words if a != b and f"{a} {b}" in query_phrases
        ]
        if not wanted:
            return shown
        # The candidate's text is searched for these few phrases only (written with one space
        # between the words, as nearly every profile writes them), not cut whole.
        theirs = self.profiles.text(other).lower()
        joined: dict[str, str] = {}
        for phrase in wanted:
            a, b = phrase.split(" ")
            if a not in joined and b not in joined and phrase in theirs:
                joined[a], joined[b] = phrase, ""
        result = []
        for term, weight in shown:
            if term not in joined:
                result.append((term, weight))
            elif joined[term]:
                result.append((joined[term], weight))
        return result

    def _column(self, word: str) -> int:
        terms = self.terms
        found = int(np.searchsorted(terms, word))
        return found if found < len(terms) and terms[found] == word else -1

    @staticmethod
    def _hidden(column: int, hidden: tuple[frozenset[int], ...]) -> bool:
        return any(column in columns for columns in hidden)

    def display(self, term: str) -> str:
        """A term as profiles write it: each stemmed word in its usual form."""
        forms = self.usual_forms
        return " ".join(forms.get(w, w) for w in term.split(" ")) if forms else term

    def _match(self, *, candidate: int, parts: Components, weights: Weights, rank: int = 0):
        """A Match for the profile `candidate` from its own component figures."""
        profiles = self.profiles
        return Match(
            key=int(profiles.keys[candidate]),
            slug=profiles.slugs[candidate],
            name=profiles.names[candidate],
            score=float(parts.combined(weights, self.model)),
            text=float(parts.text),
            sector=float(parts.sector),
            interest=float(parts.interest),
            peer=float(parts.peer),
            contributions=parts.contributions(weights, self.model),
            rank=rank,
        )

    def explain(
        self,
        row: int,
        other: int,
        match: Match,
        *,
        terms: int = 6,
        peers: np.ndarray | None = None,
        query_phrases: frozenset[str] | None = None,
        query_vector: np.ndarray | None = None,
    ) -> Match:
        """`match` with its reasons: shared terms (phrases first), sectors, interests, and the
        query's peers (`peers`, its most similar actors, if already known) that work with the
        candidate. `query_phrases` (the query's word pairs) and `query_vector` (its dense TF-IDF
        row) save work when one query's candidates are explained in turn."""
        m = self.tfidf
        if query_vector is None:
            query_vector = self._word_query(row)
        b0, b1 = m.indptr[other], m.indptr[other + 1]
        # The candidate's words, weighted by the query's: nonzero where both use the word.
        columns = m.indices[b0:b1]
        weights = query_vector[columns] * m.data[b0:b1]
        both = weights > 0
        columns, weights = columns[both], weights[both]
        # Names (of anyone), places, reporting words and the two actors' own words are never
        # shown, alone or inside a phrase; a word too common to tell a pair apart is not
        # shown alone, but a phrase that contains it may be ("medical technology").
        hidden = (self.quiet_columns, self.own_columns(row), self.own_columns(other))
        # Most shared columns are quiet or too common: drop those in one vectorised step.
        keep = self.shown_columns[columns]
        columns, weights = columns[keep], weights[keep]
        shown: list[tuple[str, float]] = []
        covered: set[str] = set()
        own_a, own_b = hidden[1], hidden[2]
        order = np.argsort(-weights, kind="stable")
        # Python lists: a few dozen items read one by one are faster than NumPy scalars.
        for column, weight in zip(columns[order].tolist(), weights[order].tolist(), strict=True):
            if len(shown) == terms or weight <= 0:
                break
            if column in own_a or column in own_b:
                continue
            term = self.terms[column]
            if " " in term:
                # A phrase is as quiet as its quietest word; a word too common to be shown
                # alone may still be part of a phrase ("medical technology").
                words = term.split(" ")
                if any(self._hidden(self._column(w), hidden) for w in words):
                    continue
                # The phrase says more than its words: it replaces them.
                shown = [(t, w) for t, w in shown if t not in words]
                covered.update(words)
            elif term in covered:
                continue  # already named inside a phrase
            shown.append((str(term), weight))
        shown = self._phrases_joined(shown, row, other, query_phrases)
        shared_terms = tuple(SharedTerm(term=self.display(t), weight=w) for t, w in shown)
        sl, il = self.sector_labels, self.interest_labels
        peer_partners: tuple[str, ...] = ()
        if self.model.uses_peers and match.peer > 0:
            if peers is None:
                peers = self.peers_of(row, self.text_parts(row)[0], count=self.model.peer_count)
            links = self.links
            partners = set(links.indices[links.indptr[other] : links.indptr[other + 1]].tolist())
            peer_partners = tuple(self.profiles.names[p] for p in peers if p in partners)
        profiles = self.profiles
        return Match(
            **{
                **match.__dict__,
                "shared_terms": shared_terms,
                "shared_sectors": tuple(
                    sorted(sl.get(c, c) for c in profiles.shared("sectors", row, "sectors", other))
                ),
                "they_offer_you_seek": tuple(
                    sorted(il.get(c, c) for c in profiles.shared("seeks", row, "offers", other))
                ),
                "you_offer_they_seek": tuple(
                    sorted(il.get(c, c) for c in profiles.shared("offers", row, "seeks", other))
                ),
                "peer_partners": peer_partners,
            }
        )

    def _components(self, rows: Sequence[int], columns: Sequence[int]) -> Components:
        """Every component of every (row, column) pair, each in one batched product."""
        r, c = np.asarray(rows), np.asarray(columns)
        words = (self.tfidf[r] @ self.tfidf[c].T).toarray()
        share = self._latent_share
        peer = np.zeros((r.size, c.size), dtype=np.float32)
        for n, i in enumerate(r.tolist()):
            if self.model.peers_for(str(self.side[i])):
                peer[n] = self.peer_scores(i)[c]
        return Components.of(
            text=mix_text(words, self.latent[r] @ self.latent[c].T if share else None, share),
            sector=self.sectors[r] @ self.sectors[c].T,
            interest=self._complementarity(r, c),
            peer=peer,
        )

    def pair_scores(
        self, rows: Sequence[int], columns: Sequence[int], *, weights: Weights = DEFAULT_WEIGHTS
    ) -> np.ndarray:
        """Scores of every (row, column) pair."""
        return self._components(rows, columns).combined(weights, self.model).astype(np.float32)


@dataclass(frozen=True)
class Components:
    """The parts of a score, each in [0, 1]: arrays of candidates, or one candidate's figures.

    `peers_known` says whether any of the query's peers has a known partner (per query row
    for a block of pairs): when none has, the peer share goes back to the other components,
    so that a directory without recorded partnerships still scores out of 100."""

    text: np.ndarray
    sector: np.ndarray
    interest: np.ndarray
    peer: np.ndarray
    peers_known: np.ndarray | bool = False
    # The query's peers, most similar first (set by `component_scores`, for the reasons).
    peer_rows: np.ndarray | None = None

    @classmethod
    def of(cls, *, text, sector, interest, peer: np.ndarray, peer_rows=None) -> Components:
        """For one query (1-D arrays) or a block of query rows (2-D arrays)."""
        known = peer.any(axis=1, keepdims=True) if peer.ndim == 2 else bool(peer.any())
        return cls(
            text=text, sector=sector, interest=interest, peer=peer, peers_known=known,
            peer_rows=peer_rows,
        )  # fmt: skip

    def at(self, i) -> Components:
        known = self.peers_known
        if isinstance(known, np.ndarray):
            known = bool(known[i[0], 0])
        return Components(self.text[i], self.sector[i], self.interest[i], self.peer[i], known)

    def _peer_share(self, model: RankingModel):
        return (model.peer_share if model.uses_peers else 0.0) * self.peers_known

    def combined(self, weights: Weights, model: RankingModel) -> np.ndarray:
        """score = (1 - p) * (w_t * text + w_s * sector + w_i * interest) + p * peer, the
        weights rescaled to add up to 1 and p the model's peer share (0 when no peer of the
        query has a known partner)."""
        wt, ws, wi = weights.normalised
        p = self._peer_share(model)
        if np.ndim(self.text) == 0 or isinstance(p, np.ndarray):
            return (1 - p) * (
                wt * self.text + ws * self.sector + wi * self.interest
            ) + p * self.peer
        # One query's whole ranking: accumulate in place, skipping what weighs nothing.
        score = np.multiply(self.text, wt * (1 - p), dtype=np.float32)
        for weight, part in ((ws, self.sector), (wi, self.interest), (None, self.peer)):
            factor = p if weight is None else weight * (1 - p)
            if factor:
                score += factor * part
        return score

    def contributions(self, weights: Weights, model: RankingModel) -> dict[str, float]:
        wt, ws, wi = weights.normalised
        p = float(self._peer_share(model))
        return {
            "text": float((1 - p) * wt * self.text),
            "sector": float((1 - p) * ws * self.sector),
            "interest": float((1 - p) * wi * self.interest),
            "peers": float(p * self.peer),
        }


# Parts of words that make a term a name rather than a topic: events and programmes such as
# "BioKorea", "BioEurope" or "ESCP-4i" (a digit marks a programme or edition).
NAME_MARKS = ("korea", "europ", "asia")


def _names_something(term: str) -> bool:
    return any(c.isdigit() for c in term) or any(mark in term for mark in NAME_MARKS)


# A word written with a capital inside a sentence is a proper noun there ("Pollutech", "Ohrid",
# "Gangwon", "Keimyung"); one capitalised in at least this share of the profiles that use it
# names something (a place, an organisation, an event), not what an actor does.
PROPER_NOUN_SHARE = 0.5
# Capitalised words not at the start of a sentence: after a word, a comma, a colon, a
# semicolon or a closing bracket, and a space. The capitals are found first and their two
# characters before checked in Python: a look-behind tried at every character of every
# profile cost a third of the words' analysis at 100,000 actors.
_CAPITALISED = re.compile(r"[A-Z][\w-]*")
_BEFORE_SPACE = frozenset(",;:)")


def mid_sentence_capitals(text: str) -> list[str]:
    found = []
    for match in _CAPITALISED.finditer(text):
        start = match.start()
        if start >= 2 and text[start - 1] == " ":
            before = text[start - 2]
            # What a regular expression's \w is: a letter or digit of any script, or "_".
            if before.isalnum() or before == "_" or before in _BEFORE_SPACE:
                found.append(match.group())
    return found


def proper_nouns(texts: Sequence[str], document_frequency: dict[str, int]) -> set[str]:
    """Words (lower-cased) that the profiles mostly write capitalised mid-sentence."""
    capitalised: Counter[str] = Counter()
    for text in texts:
        capitalised.update({w.lower() for w in mid_sentence_capitals(text)})
    return {
        word
        for word, n in capitalised.items()
        if n >= PROPER_NOUN_SHARE * document_frequency.get(strip_accents(word), n)
    }


def _a_verb_form(term: str) -> bool:
    """A single past-tense or participle word ("planned", "signed"): how a profile reports,
    not what an actor does."""
    return " " not in term and term.endswith("ed") and len(term) > 4


def mix_text(words: np.ndarray, latent: np.ndarray | None, share: float) -> np.ndarray:
    """The text score: the word cosine, with `share` of it taken from the latent cosine.
    Opposite directions in the latent space mean "unrelated", not "less than unrelated"."""
    if latent is None or not share:
        return words
    return (1 - share) * words + share * np.maximum(latent, 0)


def link_matrix(links: Iterable[tuple[int, int]], position: dict[int, int]) -> sparse.csr_matrix:
    """The symmetric 0/1 matrix of `links` (pairs of actor keys) over the rows of `position`."""
    pairs = {
        (position[a], position[b]) for a, b in links if a in position and b in position and a != b
    }
    rows = [i for a, b in pairs for i in (a, b)]
    columns = [i for a, b in pairs for i in (b, a)]
    n = len(position)
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(n, n)
    )
    matrix.data[:] = 1  # a pair given twice is still one link
    return matrix


def _latent_rows(tfidf: sparse.csr_matrix, dims: int) -> tuple[np.ndarray, np.ndarray]:
    """The TF-IDF rows in a `dims`-dimensional latent space (truncated SVD, fixed seed so a
    rebuild gives the same ranking), L2-normalised so a dot product is a cosine; and the
    space's axes, which place a profile added later the same way."""
    from sklearn.decomposition import TruncatedSVD

    svd = TruncatedSVD(n_components=dims, random_state=0)
    reduced = svd.fit_transform(tfidf)
    return _unit_rows(reduced), svd.components_.astype(np.float32)


def _unit_rows(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.maximum(norms, 1e-12)).astype(np.float32)


def _sector_rows(profiles: Sequence[Profile], vocabulary: dict[str, int]) -> np.ndarray:
    sectors = _binary_rows([p.sectors for p in profiles], vocabulary).toarray()
    sectors /= np.maximum(np.linalg.norm(sectors, axis=1, keepdims=True), 1)
    return sectors


def build_index(
    profiles: Iterable[Profile],
    *,
    version: object = None,
    progress: Callable[[str], None] | None = None,
    quiet_words: Iterable[str] = (),
    sector_labels: dict[str, str] | None = None,
    interest_labels: dict[str, str] | None = None,
    model: RankingModel | None = None,
    links: Iterable[tuple[int, int]] = (),
) -> MatchIndex:
    """Fit the TF-IDF vocabulary and build every matrix for `profiles`.

    `quiet_words` still count in the similarity but are never shown as shared terms;
    `links` are pairs of actor keys known to be partners.
    """
    started = time.perf_counter()
    say = progress or (lambda _stage: None)
    profiles = list(profiles)
    if not profiles:
        raise ValueError("cannot build an index of an empty directory")
    model = model or DEFAULT_MODEL
    say("fitting TF-IDF")
    vectorizer = make_vectorizer(model)
    if model.max_df < 1:
        # As a count, never below a few profiles: in a small directory a share would drop
        # words that only two or three profiles use, the very words that pair them.
        vectorizer.set_params(max_df=max(int(model.max_df * len(profiles)), MIN_COMMON_PROFILES))
    try:
        tfidf = vectorizer.fit_transform([p.text for p in profiles]).tocsr().astype(np.float32)
        terms = vectorizer.get_feature_names_out()
    except ValueError:  # no profile has a single meaningful word: text cannot help
        tfidf = sparse.csr_matrix((len(profiles), 0), dtype=np.float32)
        terms = np.array([], dtype=object)
    latent = basis = None
    if model.latent_dims and model.latent_share and min(tfidf.shape) > model.latent_dims:
        say("latent space")
        latent, basis = _latent_rows(tfidf, model.latent_dims)
    say("sectors and interests")
    sector_codes = sorted({c for p in profiles for c in p.sectors})
    interest_codes = sorted({c for p in profiles for c in p.offers | p.seeks})
    s_vocab = {c: i for i, c in enumerate(sector_codes)}
    i_vocab = {c: i for i, c in enumerate(interest_codes)}
    sectors = _sector_rows(profiles, s_vocab)
    index = MatchIndex(
        version=version,
        profiles=StoredProfiles(profiles),
        vectorizer_state=b"",
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
        name_order=_name_order(profiles),
        sector_labels=dict(sector_labels or {}),
        interest_labels=dict(interest_labels or {}),
        model=model,
        latent=latent,
        latent_basis=basis,
    )
    if isinstance(vectorizer.analyzer, _Analyser):
        index.usual_forms = vectorizer.analyzer.usual_forms()  # and the counts let go
    index.vectorizer_state = pickle.dumps(vectorizer, protocol=pickle.HIGHEST_PROTOCOL)
    _finish(index, profiles, vectorizer=vectorizer, quiet_words=quiet_words, links=links)
    index.build_seconds = time.perf_counter() - started
    say("done")
    return index


def _name_order(profiles: Sequence[Profile]) -> np.ndarray:
    return np.argsort(np.argsort([p.name.casefold() for p in profiles], kind="stable"))


def extend_index(
    index: MatchIndex,
    profiles: Sequence[Profile],
    *,
    version: object,
    quiet_words: Iterable[str] = (),
    sector_labels: dict[str, str] | None = None,
    interest_labels: dict[str, str] | None = None,
    links: Iterable[tuple[int, int]] = (),
) -> MatchIndex | None:
    """`index` with the actors of `profiles` it does not know added, without refitting: their
    words weighed with the fitted vocabulary, placed in the fitted latent space. A bulk import
    then shows in rankings in seconds, where a full build at 100,000 actors takes half a
    minute; a full build should follow (`refit_due`), since words no indexed profile used
    before count for nothing until then.

    None when only a full build is right: an indexed actor changed or is gone, a sector or
    interest code is new, or the taxonomy's labels changed. Known partners and the words never
    shown alone are derived again from `links` and `quiet_words`.
    """
    started = time.perf_counter()
    if (
        dict(sector_labels or {}) != index.sector_labels
        or dict(interest_labels or {}) != index.interest_labels
        or (index.latent is not None and index.latent_basis is None)
    ):
        return None
    given = {p.key: p for p in profiles}
    stored = index.profiles
    if len(given) != len(profiles) or any(int(key) not in given for key in stored.keys):
        return None
    new = [p for p in profiles if p.key not in index.position]
    s_vocab = {c: i for i, c in enumerate(index.sector_codes)}
    i_vocab = {c: i for i, c in enumerate(index.interest_codes)}
    if any(
        not (p.sectors <= s_vocab.keys() and (p.offers | p.seeks) <= i_vocab.keys()) for p in new
    ):
        return None
    # The indexed actors in their rows, then the new ones, compared with what the index holds
    # as stored (digests and matrix rows, not 100,000 profiles unpacked).
    ordered = [*(given[int(key)] for key in stored.keys), *new]
    store = stored.extended(ordered)
    if store is None:
        return None
    vectorizer = index.vectorizer
    if index.terms.size and new:
        # The analyser's counts of word forms are not kept: the usual forms stay those fitted.
        added = vectorizer.transform([p.text for p in new]).tocsr().astype(np.float32)
    else:
        added = sparse.csr_matrix((len(new), index.tfidf.shape[1]), dtype=np.float32)
    latent = index.latent
    if latent is not None and index.latent_basis is not None:
        latent = np.vstack([latent, _unit_rows(added @ index.latent_basis.T)])
    extended = replace(
        index,
        version=version,
        profiles=store,
        tfidf=sparse.vstack([index.tfidf, added], format="csr"),
        sectors=np.vstack([index.sectors, _sector_rows(new, s_vocab)]),
        offers=np.vstack([index.offers, _binary_rows([p.offers for p in new], i_vocab).toarray()]),
        seeks=np.vstack([index.seeks, _binary_rows([p.seeks for p in new], i_vocab).toarray()]),
        # Strings of any length: numpy widens the column to the longest.
        side=np.concatenate([index.side, np.array([p.side for p in new], dtype=str)]),
        kind=np.concatenate([index.kind, np.array([p.kind for p in new], dtype=str)]),
        region=np.concatenate([index.region, np.array([p.region for p in new], dtype=str)]),
        published=np.concatenate(
            [index.published, np.array([p.published for p in new], dtype=bool)]
        ),
        position={p.key: i for i, p in enumerate(ordered)},
        name_order=_name_order(ordered),
        latent=latent,
        refit_due=True,
    )
    _finish(extended, ordered, vectorizer=vectorizer, quiet_words=quiet_words, links=links)
    extended.build_seconds = time.perf_counter() - started
    return extended


def _finish(
    index: MatchIndex,
    profiles: Sequence[Profile],
    *,
    vectorizer: TfidfVectorizer,
    quiet_words: Iterable[str],
    links: Iterable[tuple[int, int]],
) -> None:
    """What an index derives from its profiles and fitted vocabulary as a whole: known
    partners, the words never shown alone, each profile's own words, the name order."""
    tfidf, terms = index.tfidf, index.terms
    # Only ties between two published actors of opposite sides can lift a shown candidate;
    # any other tie would switch the peer share on for nothing (and hint that it exists).
    shown = {p.key: p.side for p in profiles if p.published}
    index.links = link_matrix(
        [(a, b) for a, b in links if a in shown and b in shown and shown[a] != shown[b]],
        index.position,
    )
    vocabulary = vectorizer.vocabulary_ if terms.size else {}
    analyse = vectorizer.build_analyzer() if terms.size else (lambda _text: [])

    def columns_of(texts: Iterable[str]) -> frozenset[int]:
        return frozenset(vocabulary[t] for w in texts for t in analyse(w) if t in vocabulary)

    document_frequency = np.bincount(tfidf.indices, minlength=len(terms))
    word_frequency = dict(zip(terms.tolist(), document_frequency.tolist(), strict=True))
    common = np.flatnonzero(document_frequency > max(5, COMMON_TERM_SHARE * len(profiles)))
    index.quiet_columns = (
        columns_of(quiet_words)
        | columns_of(REPORTING_WORDS | NATIONALITY_WORDS)
        | frozenset(
            i
            for i, term in enumerate(terms.tolist())
            if _names_something(term) or _a_verb_form(term)
        )
        | columns_of(proper_nouns([p.text for p in profiles], word_frequency))
    )
    index.common_columns = frozenset(common.tolist())
    shown = np.ones(len(terms), dtype=bool)
    shown[list(index.quiet_columns | index.common_columns)] = False
    index.shown_columns = shown
    index.own_terms = _column_rows([columns_of([p.own_words]) for p in profiles], len(terms))
