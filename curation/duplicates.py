"""Likely duplicate actors, for curators to review and merge (docs/curation-quality.md).

Four signals, each turned into a strength in [0, 1]:

- names alike: Unidecode, casefold, punctuation and a few generic words removed, then the best
  of rapidfuzz's `token_sort_ratio` (word order) and `ratio` on the words glued together
  ("Lyonbiopole" / "Lyon Biopôle"). A part in parentheses is compared on its own too, so
  "대구테크노파크 (Daegu Technopark)" meets "Daegu Technopark". The words in which the two
  names differ must be alike too, so "Asan" and "Ulsan National Industrial Complex" are no pair;
- same acronym (an acronym equal to the other's acronym, or to its whole short name);
- same website domain, ignoring the scheme and "www." (not a portal domain that more than 3
  actors use, nor two different pages of one domain such as mini.e-cluster.net/DC and /ICT);
- similar descriptions: the cosine of the two rows of the ranking index's TF-IDF matrix.

The strengths are combined as a noisy-OR, `1 - prod(1 - s)`, so two independent signals
count for more than either alone, and the result stays in [0, 1]. Two facts that speak
against a duplicate lower it: different website domains, and one actor being the other's
parent (the curator has already placed them as two bodies).

Actors on different sides (European / Korean) are paired only when their website is the same:
a Korean and a European actor with similar names ("Daegu Water Cluster", "Dresden Water
Cluster") or descriptions are usually peers, the very partners the ranking should suggest,
not two records of one organisation.

Cost at n actors: names are screened with `rapidfuzz.process.cdist` in blocks of rows within
each side (vectorised C++, all cores; memory per block, not n²), keeping each name's 20
closest; descriptions are screened with one sparse product per block on each row's 16
heaviest TF-IDF terms, keeping each actor's 5 nearest. So at most O(n·k) pairs are scored,
each on the full rows. About 2.5 s for 10,000 actors on two cores (the ranking index is built
once per process and reused).
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz, process
from scipy import sparse
from unidecode import unidecode

from directory.models import Actor, DistinctPair, Status, directory_revision

__all__ = [
    "DuplicatePair",
    "Lookalike",
    "actor_lookalikes",
    "directory_duplicates",
    "duplicate_candidates",
    "name_key",
    "name_variants",
    "website_domain",
]

# Words removed from names before comparing them. Kept deliberately small: only words that
# say nothing about *which* organisation it is and that records of one organisation use or
# leave out at random ("Pôle Eau" / "Pôle Eau Cluster", "The Packaging Cluster" / "Packaging
# Cluster"), plus articles and legal forms. Words that tell two different bodies of one place
# apart stay: "foundation", "university", "technopark", "institute", "complex", "agency"
# ("Daegu Technopark" and "Daegu University" must not both become "daegu").
STOP_WORDS = frozenset(
    {
        # articles and linking words in the directory's languages
        "the", "of", "and", "for", "in", "de", "del", "della", "des", "du", "la", "le", "les",
        "el", "di", "der", "die", "das", "und", "fur", "et", "y", "e", "i", "van",
        # the directory's own subject: almost every name has it, or leaves it out (also as
        # Serbian/Croatian "klaster", Czech "klastr", Bulgarian "клъстер" through Unidecode)
        "cluster", "clusters", "klaster", "klastr", "klster", "mini",
        # legal forms
        "ev", "asbl", "gmbh", "ltd", "inc", "sas", "srl", "spa", "ag", "co", "corp",
    }
)  # fmt: skip

NAME_THRESHOLD = 85  # percent: below this, names alone do not make a pair
NAME_TOP_K = 20  # closest names judged per name, so that template names stay O(n·k)
DESCRIPTION_FLAG = 0.7  # cosine: enough to propose a pair on descriptions alone
DESCRIPTION_SUPPORT = 0.5  # cosine: mentioned as a reason for a pair found otherwise
DESCRIPTION_TOP_K = 5  # description neighbours looked at per actor
SCREEN_TERMS = 16  # heaviest terms per description used to screen for neighbours
SCREEN_COSINE = 0.55  # screening threshold on those terms (the full cosine decides)
# A domain that more actors than this use is a portal (KICOX's e-cluster pages, a ministry
# site), not the organisation's own website: sharing it proves nothing.
PORTAL_SHARED_BY = 3
MIN_SCORE = 0.3
# Below 0.6 a pair shares one weak signal (a similar name, or an acronym, or similar text):
# worth a look, not a claim that the two are one organisation.
LIKELIHOOD_WORDS = (
    (0.8, gettext_lazy("very likely the same")),
    (0.6, gettext_lazy("likely the same")),
    (0.45, gettext_lazy("possibly the same")),
    (0.0, gettext_lazy("worth a look")),
)
BLOCK = 1024  # rows per cdist / sparse product block

# Strengths of each signal (see docs/curation-quality.md for the reasoning).
WEBSITE_STRENGTH = 0.85
ACRONYM_STRENGTH = 0.4
DIFFERENT_WEBSITES_FACTOR = 0.7
PARENT_CHILD_FACTOR = 0.7

_PARENS = re.compile(r"\(([^()]*)\)")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_LANGUAGE_PATH = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2})?$")
_FIELDS = [
    "id", "name", "acronym", "slug", "side", "kind", "status", "website", "parent_id", "country",
    "city",
]  # fmt: skip


@dataclass(frozen=True)
class DuplicatePair:
    """Two actors that may be one organisation; `first` has the lower id."""

    first: Actor
    second: Actor
    score: float  # in [0, 1]
    reasons: tuple[str, ...]  # in the language active when the pair was found

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def likelihood(self) -> str:
        """The score in words, as the curator reads it beside the figure."""
        for floor, words in LIKELIHOOD_WORDS:
            if self.score >= floor:
                return str(words)
        return str(LIKELIHOOD_WORDS[-1][1])

    @property
    def key(self) -> tuple[int, int]:
        return self.first.pk, self.second.pk


def name_key(text: str) -> str:
    """A name reduced to what identifies it: ASCII, casefolded, no punctuation or stop words."""
    ascii_text = unidecode(text or "").casefold().replace(".", "").replace("'", "")
    words = [w for w in _NOT_WORD.sub(" ", ascii_text).split() if w not in STOP_WORDS]
    return " ".join(words)


def name_variants(name: str) -> list[str]:
    """The name's key, and the keys of its part outside and each part inside parentheses."""
    variants = [name_key(name), name_key(_PARENS.sub(" ", name))]
    variants += [name_key(inside) for inside in _PARENS.findall(name)]
    unique: list[str] = []
    for v in variants:
        if len(v.replace(" ", "")) >= 3 and v not in unique:
            unique.append(v)
    return unique


def _acronym_keys(actor: Actor) -> set[str]:
    """Acronym-like strings: the acronym, and a one-word name or parenthesised part."""
    keys = set()
    acronym = name_key(actor.acronym).replace(" ", "")
    if len(acronym) >= 2:
        keys.add(acronym)
    for part in [actor.name, *_PARENS.findall(actor.name)]:
        key = name_key(part)
        if key and " " not in key and 2 <= len(key) <= 8 and part.strip().isupper():
            keys.add(key)
    return keys


@lru_cache(maxsize=65536)
def website_domain(url: str) -> str:
    """`https://www.lyonbiopole.com/en/` -> `lyonbiopole.com`; empty if there is none."""
    url = (url or "").strip().casefold()
    if not url:
        return ""
    if "//" not in url:
        url = "//" + url
    host = (urlsplit(url).hostname or "").rstrip(".")
    return host.removeprefix("www.")


@lru_cache(maxsize=65536)
def _website_page(url: str) -> str:
    """The first path segment, unless it is a language code (`/en/`, `/ko-kr/`)."""
    url = (url or "").strip().casefold()
    if "//" not in url:
        url = "//" + url
    segments = [s for s in urlsplit(url).path.split("/") if s and "." not in s]
    if not segments or _LANGUAGE_PATH.match(segments[0]):
        return ""
    return segments[0]


def _same_site(a: Actor, b: Actor, portals: set[str]) -> str:
    """The shared domain if the two websites are one organisation's site, else ''."""
    domain = website_domain(a.website)
    if not domain or domain != website_domain(b.website) or domain in portals:
        return ""
    page_a, page_b = _website_page(a.website), _website_page(b.website)
    # Two different pages of one domain (mini.e-cluster.net/DC, mini.e-cluster.net/ICT) are
    # two bodies on a shared host; a page and the site's root may well be one body.
    if page_a and page_b and page_a != page_b:
        return ""
    return domain


def _portal_domains() -> set[str]:
    counts: dict[str, int] = defaultdict(int)
    for url in Actor.objects.exclude(website="").values_list("website", flat=True).iterator():
        domain = website_domain(url)
        if domain:
            counts[domain] += 1
    return {d for d, n in counts.items() if n > PORTAL_SHARED_BY}


def _name_strength(percent: float) -> float:
    # 85% -> 0.45, 100% (the same name once normalised) -> 0.9
    return 0.45 + 0.45 * (percent - NAME_THRESHOLD) / (100 - NAME_THRESHOLD)


def _description_strength(cosine: float) -> float:
    # 0.5 -> 0.2 (support only), 0.7 -> 0.45 (enough alone), 1.0 -> 0.85
    if cosine < DESCRIPTION_FLAG:
        return 0.2 + (cosine - DESCRIPTION_SUPPORT) * 1.25
    return min(0.85, 0.45 + (cosine - DESCRIPTION_FLAG) * 4 / 3)


def _alike(x: str, y: str) -> float:
    """The best of word-order-free and space-free similarity, in percent."""
    return max(fuzz.token_sort_ratio(x, y), fuzz.ratio(x.replace(" ", ""), y.replace(" ", "")))


def _variant_percent(x: str, y: str) -> float:
    """How alike two name variants are, the words that differ having the last word.

    "Asan National Industrial Complex" and "Ulsan National Industrial Complex" are 95% alike
    letter for letter, but the words that differ ("asan", "ulsan") only 67%: the lower figure
    counts. "Lyonbiopole" / "Lyon Biopôle" differ in "lyonbiopole" / "lyon biopole", which are
    100% alike once glued. When one name's words are all in the other, the whole counts.
    """
    whole = _alike(x, y)
    wx, wy = set(x.split()), set(y.split())
    only_x = " ".join(w for w in x.split() if w not in wy)
    only_y = " ".join(w for w in y.split() if w not in wx)
    if not only_x or not only_y:
        return whole
    return min(whole, _alike(only_x, only_y))


def _name_scores(actors: list[Actor]) -> dict[tuple[int, int], tuple[float, str, str]]:
    """(i, j) with i < j and names at least NAME_THRESHOLD alike -> (percent, variant i, j).

    `cdist` screens every pair within each side (see the module docstring); the pairs it
    keeps are then judged on the words that differ.
    """
    found: dict[tuple[int, int], tuple[float, str, str]] = {}
    by_side: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for i, actor in enumerate(actors):
        for variant in name_variants(actor.name):
            by_side[actor.side].append((i, variant))
    for entries in by_side.values():
        if len(entries) < 2:
            continue
        owner = np.array([i for i, _ in entries])
        spaced = [v for _, v in entries]
        glued = [v.replace(" ", "") for v in spaced]
        for start in range(0, len(entries), BLOCK):
            stop = min(start + BLOCK, len(entries))
            sorted_words = process.cdist(
                spaced[start:stop],
                spaced,
                scorer=fuzz.token_sort_ratio,
                dtype=np.uint8,
                score_cutoff=NAME_THRESHOLD,
                workers=-1,
            )
            letters = process.cdist(
                glued[start:stop],
                glued,
                scorer=fuzz.ratio,
                dtype=np.uint8,
                score_cutoff=NAME_THRESHOLD,
                workers=-1,
            )
            best = np.maximum(sorted_words, letters)
            best[owner[start:stop, None] == owner[None, :]] = 0  # an actor and itself
            crowded = np.flatnonzero(np.count_nonzero(best, axis=1) > NAME_TOP_K)
            if crowded.size:
                # Names built on one template ("X National Industrial Complex") are alike
                # letter for letter by the thousand: judge only each name's closest ones.
                rows = best[crowded]
                keep = np.argpartition(rows, -NAME_TOP_K, axis=1)[:, -NAME_TOP_K:]
                kept = np.take_along_axis(rows, keep, axis=1)
                rows[:] = 0
                np.put_along_axis(rows, keep, kept, axis=1)
                best[crowded] = rows
            rows, cols = np.nonzero(best)
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                i, j = int(owner[start + r]), int(owner[c])
                if i == j:
                    continue
                i, j = min(i, j), max(i, j)
                x, y = spaced[start + r], spaced[c]
                percent = _variant_percent(x, y)
                if percent >= NAME_THRESHOLD and percent > found.get((i, j), (0.0,))[0]:
                    found[(i, j)] = (percent, x, y)
    return found


def _exact_percent(a: Actor, b: Actor) -> float:
    """How alike two names are (the best of their variants), for pairs found otherwise."""
    return max(
        (_variant_percent(x, y) for x in name_variants(a.name) for y in name_variants(b.name)),
        default=0.0,
    )


def _text_rows(actors: list[Actor]):
    """The ranking index's TF-IDF rows of these actors, and which actors have one."""
    from matching.index import current_index

    index = current_index()
    positions = [index.position.get(a.pk) for a in actors]
    have = np.array([p is not None for p in positions], dtype=bool)
    rows = np.array([p if p is not None else 0 for p in positions], dtype=np.int64)
    if index.tfidf.shape[1] == 0:
        have[:] = False
    return index.tfidf[rows], have


def _strongest_terms(matrix, terms: int):
    """Each row cut to its `terms` heaviest weights and L2-normalised again.

    Near-copies of one description share their heaviest terms, so the cosine of the cut rows
    screens for them at a fraction of the cost of the full product (about 8x at 10,000 actors,
    ~120 terms a row); the pairs it finds are then scored on the full rows.
    """
    cut = matrix.tocsr(copy=True)
    for r in range(cut.shape[0]):
        start, end = cut.indptr[r], cut.indptr[r + 1]
        if end - start > terms:
            weights = cut.data[start:end]
            weights[weights < np.partition(weights, -terms)[-terms]] = 0
    cut.eliminate_zeros()
    norms = np.sqrt(np.asarray(cut.multiply(cut).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ cut)


def _description_neighbours(actors: list[Actor], matrix, have) -> set[tuple[int, int]]:
    """Pairs to look at for similar descriptions: up to DESCRIPTION_TOP_K per actor, same
    side, screened on each row's strongest terms."""
    found: set[tuple[int, int]] = set()
    side = np.array([a.side for a in actors])
    for side_code in np.unique(side):
        members = np.flatnonzero((side == side_code) & have)
        if members.size < 2:
            continue
        sub = _strongest_terms(matrix[members], SCREEN_TERMS)
        transposed = sub.T.tocsc()
        k = min(DESCRIPTION_TOP_K, members.size - 1)
        for start in range(0, members.size, BLOCK):
            block = (sub[start : start + BLOCK] @ transposed).toarray()
            here = np.arange(block.shape[0])
            block[here, start + here] = 0.0  # never an actor with itself
            top = np.argpartition(-block, k - 1, axis=1)[:, :k]
            close = np.take_along_axis(block, top, axis=1) >= SCREEN_COSINE
            for r, c in zip(*np.nonzero(close), strict=True):
                i, j = int(members[start + r]), int(members[top[r, c]])
                found.add((min(i, j), max(i, j)))
    return found


def _pair_cosines(matrix, have, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], float]:
    """The cosine of each pair's two rows, in one sparse product."""
    if not pairs:
        return {}
    first = np.array([i for i, _ in pairs])
    second = np.array([j for _, j in pairs])
    products = matrix[first].multiply(matrix[second]).sum(axis=1)
    cosines = np.asarray(products).ravel() * (have[first] & have[second])
    return dict(zip(pairs, cosines.tolist(), strict=True))


def _groups(keys_of: Iterable[tuple[int, Iterable[str]]]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, keys in keys_of:
        for key in keys:
            groups[key].append(i)
    return groups


def duplicate_candidates(
    *, actors: QuerySet[Actor] | Iterable[Actor] | None = None, limit: int = 200
) -> list[DuplicatePair]:
    """Pairs of actors that may be one organisation, best first, each pair once.

    `actors` defaults to every actor that is not archived (archived profiles were retired on
    purpose). Only these actors are paired; the portal-domain count covers the whole directory.
    """
    if actors is None:
        actors = Actor.objects.exclude(status=Status.ARCHIVED)
    if isinstance(actors, QuerySet):
        actors = actors.only(*_FIELDS).order_by("pk")
    people = sorted(actors, key=lambda a: a.pk)
    if len(people) < 2:
        return []
    portals = _portal_domains()

    candidates: set[tuple[int, int]] = set()
    names = _name_scores(people)
    candidates.update(names)
    acronym_keys = [_acronym_keys(a) for a in people]
    acronyms = _groups(enumerate(acronym_keys))
    domains = _groups(
        (i, [website_domain(a.website)] if website_domain(a.website) else [])
        for i, a in enumerate(people)
    )
    for key, members in [*acronyms.items(), *domains.items()]:
        if key in portals or len(members) > 50:  # a generic key: no evidence, no n² blow-up
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if i != j:
                    candidates.add((min(i, j), max(i, j)))
    matrix, have = _text_rows(people)
    candidates.update(_description_neighbours(people, matrix, have))

    cosines = _pair_cosines(matrix, have, sorted(candidates))
    pairs = []
    for i, j in candidates:
        pair = _score_pair(
            people[i],
            people[j],
            name=names.get((i, j)),
            cosine=cosines[(i, j)],
            shared_acronyms=acronym_keys[i] & acronym_keys[j],
            portals=portals,
        )
        if pair is not None:
            pairs.append(pair)
    pairs.sort(key=lambda p: (-p.score, p.first.name.casefold(), p.second.name.casefold()))
    return pairs[:limit]


# (limit, language) -> (the ranking index the pairs were found with, the pairs), per process
# like the index; the pairs' reasons are sentences in that language. Keyed on the index
# object rather than on the revision number, since a number can come back (a restored backup,
# a test database) with other data; a weak reference, so that an index the holder has replaced
# is not kept alive by this.
_found: dict[tuple[int, str], tuple[weakref.ref, list[DuplicatePair]]] = {}


def directory_duplicates(*, limit: int = 200) -> list[DuplicatePair]:
    """`duplicate_candidates` over the whole directory, computed once per ranking index.

    The index is rebuilt on any change to actors or their links (its version is the directory
    revision). While it lags behind (a background rebuild under way) nothing is kept: its
    descriptions are the old ones.
    """
    from matching.index import current_index

    index = current_index()
    if index.version is None or index.version != directory_revision():
        return duplicate_candidates(limit=limit)
    key = (limit, translation.get_language() or "")
    kept = _found.get(key)
    if kept is not None and kept[0]() is index:
        return kept[1]
    pairs = duplicate_candidates(limit=limit)
    _found[key] = (weakref.ref(index), pairs)
    return pairs


def _score_pair(
    a: Actor,
    b: Actor,
    *,
    name: tuple[float, str, str] | None,
    cosine: float,
    shared_acronyms: set[str],
    portals: set[str],
) -> DuplicatePair | None:
    if a.pk == b.pk:
        return None
    domain = _same_site(a, b, portals)
    if a.side != b.side and not domain:
        return None  # peers across the two sides, not duplicates
    strengths: list[float] = []
    reasons: list[str] = []
    if domain:
        strengths.append(WEBSITE_STRENGTH)
        reasons.append(_("same website domain %(domain)s") % {"domain": domain})
    percent = name[0] if name else _exact_percent(a, b)
    if percent >= NAME_THRESHOLD:
        strengths.append(_name_strength(percent))
        reasons.append(
            _("names %(percent)s%% alike: '%(first)s' / '%(second)s'")
            % {"percent": f"{percent:.0f}", "first": a.name, "second": b.name}
        )
    if shared_acronyms:
        acronym = sorted(shared_acronyms)[0].upper()
        strengths.append(ACRONYM_STRENGTH)
        reasons.append(_("same acronym %(acronym)s") % {"acronym": acronym})
    if cosine >= DESCRIPTION_SUPPORT:
        strengths.append(_description_strength(cosine))
        reasons.append(
            _("descriptions %(percent)s%% alike (TF-IDF cosine)")
            % {"percent": f"{cosine * 100:.0f}"}
        )
    if not strengths:
        return None
    score = 1.0 - float(np.prod([1.0 - s for s in strengths]))
    if a.side != b.side:
        reasons.append(_("on different sides (European / Korean): check it is one body"))
    da, db = website_domain(a.website), website_domain(b.website)
    if da and db and da != db and da not in portals and db not in portals:
        score *= DIFFERENT_WEBSITES_FACTOR
        reasons.append(
            _("but different websites: %(first)s / %(second)s") % {"first": da, "second": db}
        )
    if a.parent_id == b.pk or b.parent_id == a.pk:
        child, parent = (a, b) if a.parent_id == b.pk else (b, a)
        score *= PARENT_CHILD_FACTOR
        reasons.append(
            _("but %(child)s is recorded as part of %(parent)s")
            % {"child": child.name, "parent": parent.name}
        )
    if score < MIN_SCORE:
        return None
    first, second = (a, b) if a.pk < b.pk else (b, a)
    return DuplicatePair(
        first=first,
        second=second,
        score=round(min(max(score, 0.0), 1.0), 4),
        reasons=tuple(reasons),
    )


DUPLICATES_KEPT = 1000


def open_duplicates(*, limit: int = 200) -> list[DuplicatePair]:
    """`directory_duplicates` without the pairs curators said are different organisations."""
    distinct = set(DistinctPair.objects.values_list("first_id", "second_id"))
    # One cached list per index, whatever the number of pairs marked since: finding the pairs
    # costs the same whatever the limit, and recomputing after each mark would not.
    pairs = directory_duplicates(limit=max(DUPLICATES_KEPT, limit + len(distinct)))
    return [p for p in pairs if (p.first.pk, p.second.pk) not in distinct][:limit]


def pair_mark_distinct(*, first: Actor, second: Actor, user) -> DistinctPair:
    """Record that the two are different organisations; the pair is not proposed again."""
    if first.pk == second.pk:
        raise ValidationError(_("Choose two different profiles."), code="same")
    low, high = sorted((first, second), key=lambda a: a.pk)
    pair, _created = DistinctPair.objects.get_or_create(
        first=low, second=high, defaults={"decided_by": user}
    )
    return pair


def pair_unmark_distinct(*, first: Actor, second: Actor) -> bool:
    """Undo `pair_mark_distinct`: the pair may be proposed again."""
    low, high = sorted((first, second), key=lambda a: a.pk)
    deleted, _counts = DistinctPair.objects.filter(first=low, second=high).delete()
    return bool(deleted)


@dataclass(frozen=True)
class Lookalike:
    """An actor already in the directory that may be an organisation someone is about to
    register; `reasons` in the active language."""

    actor: Actor
    percent: int  # how alike the names are, 0 when only the website matched
    same_website: bool
    reasons: tuple[str, ...]


LOOKALIKE_SCREEN = 50  # closest names looked at per variant of the new name


def actor_lookalikes(
    *, name: str, name_ko: str = "", website: str = "", limit: int = 5
) -> list[Lookalike]:
    """Actors (not archived) that may be the organisation `name` describes: the same website
    domain (not a portal's), or a name at least NAME_THRESHOLD alike by the duplicates' own
    measure (the words that differ must be alike too), on either side, since a person may
    pick the wrong one. A shared website first, then the closest names.

    Cost: the directory's names screened by `rapidfuzz.process.extract` (C++), the few closest
    judged in full.
    """
    actors = list(
        Actor.objects.exclude(status=Status.ARCHIVED).only(*_FIELDS, "name_ko").order_by("pk")
    )
    keys: list[str] = []
    owners: list[int] = []
    for index, actor in enumerate(actors):
        for text in (actor.name, actor.name_ko):
            for variant in name_variants(text) if text else []:
                keys.append(variant)
                owners.append(index)
    glued = [key.replace(" ", "") for key in keys]
    percents: dict[int, float] = {}
    for query in [v for text in (name, name_ko) if text for v in name_variants(text)]:
        screened = {
            i
            for choices, probe, scorer in (
                (keys, query, fuzz.token_sort_ratio),
                (glued, query.replace(" ", ""), fuzz.ratio),
            )
            for _key, _score, i in process.extract(
                probe, choices, scorer=scorer, limit=LOOKALIKE_SCREEN, score_cutoff=NAME_THRESHOLD
            )
        }
        for i in screened:
            percent = _variant_percent(query, keys[i])
            if percent >= NAME_THRESHOLD:
                percents[owners[i]] = max(percents.get(owners[i], 0.0), percent)
    domain = website_domain(website)
    same_site: set[int] = set()
    if domain and domain not in _portal_domains():
        same_site = {i for i, a in enumerate(actors) if website_domain(a.website) == domain}
    found = []
    for i in set(percents) | same_site:
        actor, reasons = actors[i], []
        if i in same_site:
            reasons.append(_("same website domain %(domain)s") % {"domain": domain})
        if i in percents:
            reasons.append(
                _("names %(percent)s%% alike: '%(first)s' / '%(second)s'")
                % {"percent": f"{percents[i]:.0f}", "first": name, "second": actor.name}
            )
        found.append(Lookalike(actor, round(percents.get(i, 0)), i in same_site, tuple(reasons)))
    found.sort(key=lambda x: (not x.same_website, -x.percent, x.actor.name.casefold()))
    return found[:limit]
