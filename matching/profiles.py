"""What the engine reads of an actor, before it becomes an engine `Profile` (no Django).

The Django side (`matching/index.py`) fills `ProfileParts` from the database; the evaluation
fills them too and changes them first (partner names masked, sectors left out, one language
left out), so the text the index reads is composed in one place, the same for the site and for
the measurement.

A Korean name and description are read through the glossary (`matching/glossary.py`): their
content morphemes, each known term as the English words the directory uses ("의료기기" is read
as "medical devices"), the other words in Korean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from common.korean import prepare
from matching.engine import Profile
from matching.glossary import glossary


@dataclass(frozen=True)
class ProfileParts:
    key: int
    slug: str
    name: str
    side: str
    kind: str
    region: str = ""
    acronym: str = ""
    city: str = ""
    website_host: str = ""
    description: str = ""
    keywords: str = ""
    sectors: frozenset[str] = frozenset()
    offers: frozenset[str] = frozenset()
    seeks: frozenset[str] = frozenset()
    published: bool = True
    name_ko: str = ""
    description_ko: str = ""
    # The Korean description as the index reads it, when already made: the evaluation masks
    # partner names in these words (see `korean_words`).
    description_ko_words: str | None = None

    def without_taxonomy(self) -> ProfileParts:
        """As a freshly imported profile: no sectors, no interests."""
        return replace(self, sectors=frozenset(), offers=frozenset(), seeks=frozenset())


@lru_cache(maxsize=20_000)
def korean_words(text: str) -> str:
    """A Korean text as the index reads it (`Glossary.index_words`); text without Hangul is
    returned as it is."""
    return glossary().index_words(text)


_HANGUL_WORD = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")


def linked_only(words: str) -> str:
    """Index words without the Korean words the glossary did not link (the only Hangul left
    in them)."""
    return _HANGUL_WORD.sub(" ", words)


def korean_prepare(parts: Iterable[ProfileParts]) -> int:
    """Analyse every Korean name and description of `parts` in one batch before their texts
    are composed one by one (an index build)."""
    return prepare(text for p in parts for text in (p.name_ko, p.description_ko) if text)


def korean_only(parts: ProfileParts) -> bool:
    """Whether the actor is described in Korean alone. Only then are the Korean words the
    glossary does not know indexed (as Korean words, so that two Korean-only profiles can
    share them): beside an English description they match nothing on the other side and
    only dilute the rest (measured: docs/matching.md)."""
    return not parts.description.strip()


def profile_text(
    parts: ProfileParts, *, sector_labels: Mapping[str, str], interest_labels: Mapping[str, str]
) -> str:
    """The text the TF-IDF index reads: name, acronym, description, keywords, the labels of the
    actor's sectors and interests, and its Korean name and description as index words."""
    description_ko = (
        parts.description_ko_words
        if parts.description_ko_words is not None
        else korean_words(parts.description_ko)
    )
    korean = f"{korean_words(parts.name_ko)}\n{description_ko}"
    if not korean_only(parts):
        korean = linked_only(korean)
    return "\n".join(
        [
            parts.name,
            parts.acronym,
            parts.description,
            parts.keywords.replace(";", ","),
            ", ".join(sorted(sector_labels.get(c, c) for c in parts.sectors)),
            ", ".join(sorted(interest_labels.get(c, c) for c in parts.offers)),
            ", ".join(sorted(interest_labels.get(c, c) for c in parts.seeks)),
            korean,
        ]
    )


def own_words(parts: ProfileParts) -> str:
    """The words that name the actor: name, acronym, city, website host, and its Korean name
    as the index reads it."""
    return " ".join(
        [
            parts.name,
            parts.acronym,
            parts.city,
            parts.website_host.replace(".", " "),
            korean_words(parts.name_ko),
        ]
    )


def profile_from(
    parts: ProfileParts, *, sector_labels: Mapping[str, str], interest_labels: Mapping[str, str]
) -> Profile:
    return Profile(
        key=parts.key,
        slug=parts.slug,
        # A Korean-only profile (the evaluation's "Korean profiles") goes by its Korean name.
        name=parts.name or parts.name_ko,
        side=parts.side,
        kind=parts.kind,
        region=parts.region,
        text=profile_text(parts, sector_labels=sector_labels, interest_labels=interest_labels),
        sectors=parts.sectors,
        offers=parts.offers,
        seeks=parts.seeks,
        published=parts.published,
        own_words=own_words(parts),
    )
