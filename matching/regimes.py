"""The evaluation's three regimes: profiles as they are, partner names masked, and names masked
with sectors and interests left out (no Django); and, across them, the profiles' language:
English (every Korean field left out, the directory as before it had any) or Korean (the actors
with a Korean description read in Korean only).

Documents that report a collaboration name both sides, so a profile written from them often
names its partner; a ranking that finds the name finds the partner without knowing what either
does. Masking removes, from each labelled actor's profile, the words that name any of its
labelled partners (their distinctive name words, acronym and website words), so that only what
the actors do is left to match on.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from matching.engine import stop_words, strip_accents
from matching.profiles import ProfileParts, korean_words

AS_IS = "as is"
NAMES_MASKED = "names masked"
NAMES_MASKED_NO_TAXONOMY = "names masked, no sectors or interests"
REGIMES = (AS_IS, NAMES_MASKED, NAMES_MASKED_NO_TAXONOMY)
ENGLISH_PROFILES = "English profiles"
KOREAN_PROFILES = "Korean profiles"
LANGUAGES = (ENGLISH_PROFILES, KOREAN_PROFILES)

# A name word is left in the text when it is generic: found in more names than this
# ("University", "Cluster", "City"), an English stop word, or a word of the sector and
# interest labels ("Water", "Packaging"): those say what an actor does, which is what the
# ranking should match on. The whole name, the acronym, the website words and the actor's
# place (its city and region) are always removed: the story of a collaboration names the
# partner's town as surely as the partner.
GENERIC_NAME_WORD_NAMES = 2
STOP = frozenset(stop_words())
# Website host labels that name no one.
HOST_WORDS = frozenset(
    {"www", "com", "org", "net", "eu", "kr", "co", "or", "ac", "go", "re", "int"}
)
WORD = re.compile(r"[^\W_]+")


def folded(word: str) -> str:
    """Case and accents folded, so that "Pôle" and "pole" are one word."""
    return strip_accents(word.casefold())


def _words(text: str) -> list[str]:
    return [folded(w) for w in WORD.findall(text)]


@dataclass(frozen=True)
class Mask:
    """What names one actor: its whole name (a word sequence) and its own words."""

    phrase: tuple[str, ...]
    words: frozenset[str]


def naming_mask(parts: ProfileParts, *, generic: frozenset[str]) -> Mask:
    name = tuple(_words(parts.name))
    host = {w for w in _words(parts.website_host.replace(".", " ")) if w not in HOST_WORDS}
    own = {w for w in name if w not in generic}
    # The region code reads "kr-gangwon", "fr-auvergne-rhone-alpes": its words past the country.
    place = {
        w
        for w in [*_words(parts.city), *_words(parts.region.replace("-", " "))[1:]]
        if len(w) > 2 and w not in STOP
    }
    return Mask(phrase=name, words=frozenset(own | set(_words(parts.acronym)) | host | place))


def _masked(text: str, masks: Sequence[Mask]) -> str:
    if not text or not masks:
        return text
    tokens = list(WORD.finditer(text))
    folded_tokens = [folded(t.group(0)) for t in tokens]
    drop = [False] * len(tokens)
    for mask in masks:
        n = len(mask.phrase)
        for i in range(len(tokens) - n + 1) if n else ():
            if tuple(folded_tokens[i : i + n]) == mask.phrase:
                drop[i : i + n] = [True] * n
        for i, word in enumerate(folded_tokens):
            if word in mask.words:
                drop[i] = True
    pieces, last = [], 0
    for token, gone in zip(tokens, drop, strict=True):
        if gone:
            pieces.append(text[last : token.start()])
            last = token.end()
    pieces.append(text[last:])
    return "".join(pieces)


def generic_words(parts: Sequence[ProfileParts], *, topic_words: Iterable[str]) -> frozenset[str]:
    """Name words that do not name anyone in particular (see GENERIC_NAME_WORD_NAMES)."""
    in_names = Counter(w for p in parts for w in set(_words(p.name)))
    return frozenset(
        {w for w, n in in_names.items() if n > GENERIC_NAME_WORD_NAMES}
        | STOP
        | {w for text in topic_words for w in _words(text)}
    )


def mask_partner_names(
    parts: Sequence[ProfileParts],
    pairs: Iterable[tuple[str, str]],
    *,
    topic_words: Iterable[str] = (),
) -> list[ProfileParts]:
    """`parts` with the names of each labelled actor's partners removed from its description
    and keywords (its own name fields are untouched)."""
    generic = generic_words(parts, topic_words=topic_words)
    by_slug = {p.slug: p for p in parts}
    masks: dict[str, list[Mask]] = {}
    for a, b in pairs:
        if a in by_slug and b in by_slug:
            masks.setdefault(a, []).append(naming_mask(by_slug[b], generic=generic))
            masks.setdefault(b, []).append(naming_mask(by_slug[a], generic=generic))
    result = []
    for p in parts:
        own = set(_words(p.name))
        mine = [Mask(m.phrase, m.words - own) for m in masks.get(p.slug, ())]
        if mine:
            p = replace(
                p,
                description=_masked(p.description, mine),
                keywords=_masked(p.keywords, mine),
                # In the words the index reads: a partner's town written in Korean (리옹) is
                # read as its English name (lyon), which the mask knows.
                description_ko_words=(
                    _masked(korean_words(p.description_ko), mine) if p.description_ko else None
                ),
            )
        result.append(p)
    return result


def regime_parts(
    regime: str,
    parts: Sequence[ProfileParts],
    pairs: Iterable[tuple[str, str]],
    *,
    topic_words: Iterable[str] = (),
) -> list[ProfileParts]:
    if regime == AS_IS:
        return list(parts)
    masked = mask_partner_names(parts, pairs, topic_words=topic_words)
    if regime == NAMES_MASKED:
        return masked
    if regime == NAMES_MASKED_NO_TAXONOMY:
        return [p.without_taxonomy() for p in masked]
    raise ValueError(f"unknown regime {regime!r}")


def english_profiles(parts: Sequence[ProfileParts]) -> list[ProfileParts]:
    """Every profile without its Korean name and description: the English profiles the
    Korean ones are compared with."""
    return [replace(p, name_ko="", description_ko="", description_ko_words=None) for p in parts]


def korean_profiles(parts: Sequence[ProfileParts]) -> list[ProfileParts]:
    """Every profile with a Korean description read in Korean only: its English name,
    acronym, description and keywords left out (sectors and interests, which are codes, as in
    the regime). The others as they are, without Korean text."""
    result = []
    for p in parts:
        if p.description_ko.strip():
            result.append(replace(p, name="", acronym="", description="", keywords=""))
        else:
            result.append(replace(p, name_ko="", description_ko="", description_ko_words=None))
    return result


def language_parts(language: str, parts: Sequence[ProfileParts]) -> list[ProfileParts]:
    if language == ENGLISH_PROFILES:
        return english_profiles(parts)
    if language == KOREAN_PROFILES:
        return korean_profiles(parts)
    raise ValueError(f"unknown language regime {language!r}")


def korean_only_slugs(parts: Sequence[ProfileParts]) -> list[str]:
    """The actors the Korean regime reads in Korean only."""
    return sorted(p.slug for p in parts if p.description_ko.strip())
