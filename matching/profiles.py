"""What the engine reads of an actor, before it becomes an engine `Profile` (no Django).

The Django side (`matching/index.py`) fills `ProfileParts` from the database; the evaluation
fills them too and changes them first (partner names masked, sectors left out), so the text the
index reads is composed in one place, the same for the site and for the measurement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from matching.engine import Profile


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

    def without_taxonomy(self) -> ProfileParts:
        """As a freshly imported profile: no sectors, no interests."""
        return replace(self, sectors=frozenset(), offers=frozenset(), seeks=frozenset())


def profile_text(
    parts: ProfileParts, *, sector_labels: Mapping[str, str], interest_labels: Mapping[str, str]
) -> str:
    """The text the TF-IDF index reads: name, acronym, description, keywords, and the labels of
    the actor's sectors and interests."""
    return "\n".join(
        [
            parts.name,
            parts.acronym,
            parts.description,
            parts.keywords.replace(";", ","),
            ", ".join(sorted(sector_labels.get(c, c) for c in parts.sectors)),
            ", ".join(sorted(interest_labels.get(c, c) for c in parts.offers)),
            ", ".join(sorted(interest_labels.get(c, c) for c in parts.seeks)),
        ]
    )


def own_words(parts: ProfileParts) -> str:
    """The words that name the actor: name, acronym, city, website host."""
    return " ".join([parts.name, parts.acronym, parts.city, parts.website_host.replace(".", " ")])


def profile_from(
    parts: ProfileParts, *, sector_labels: Mapping[str, str], interest_labels: Mapping[str, str]
) -> Profile:
    return Profile(
        key=parts.key,
        slug=parts.slug,
        name=parts.name,
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
