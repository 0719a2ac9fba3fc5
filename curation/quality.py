"""How complete a profile is, and which profiles a curator should re-check.

`completeness(actor)` scores a profile 0-100 from weighted items (docs/curation-quality.md);
each missing item says why it matters. It reads only the actor's own fields plus four facts
about its links (has sectors, offers, seeks, contact persons). `with_quality_facts(queryset)`
adds those four as EXISTS annotations, so a whole page of actors costs one query; for an actor
without them it falls back to prefetched relations, then (one query each) to the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from directory.models import Actor, ContactPerson, Side

# The demo data must reach this length too: a complete profile is held to the same rule.
from directory.rules import (
    DESCRIPTION_MIN_WORDS,
    KOREAN_DESCRIPTION_MIN_CHARS,
    description_problems,
    hangul_count,
    word_count,
)

__all__ = [
    "ITEMS",
    "Completeness",
    "Missing",
    "completeness",
    "completeness_ranking",
    "months_ago",
    "stale_profiles",
    "with_quality_facts",
]

VERIFIED_WITHIN_MONTHS = 12

# code -> (weight, why it matters). The weights add up to 100.
ITEMS: dict[str, tuple[int, str | Promise]] = {
    "description": (
        20,
        gettext_lazy("the ranking reads it: short texts match on little but the name"),
    ),
    "sectors": (
        15,
        gettext_lazy("shared sectors are a part of the ranking score and a directory filter"),
    ),
    "keywords": (10, gettext_lazy("the ranking reads them and visitors search by them")),
    "offers": (
        5,
        gettext_lazy("partners seeking what it offers cannot find it through the ranking"),
    ),
    "seeks": (5, gettext_lazy("the ranking cannot find partners offering what it seeks")),
    "website": (
        10,
        gettext_lazy("visitors and curators check facts there; duplicates are found by domain"),
    ),
    "contacts": (10, gettext_lazy("a partner needs someone to write to")),
    "verified": (10, gettext_lazy("facts go stale: curators re-check every profile within a year")),
    "location": (5, gettext_lazy("the map and the place shown on the profile need them")),
    "region": (5, gettext_lazy("Korean partners are filtered and grouped by region")),
    "source": (5, gettext_lazy("every profile names the document or site its facts come from")),
}


@dataclass(frozen=True)
class Missing:
    code: str
    label: str
    why: str
    weight: int


@dataclass(frozen=True)
class Completeness:
    score: int  # 0-100
    missing: tuple[Missing, ...]

    @property
    def codes(self) -> list[str]:
        return [m.code for m in self.missing]

    @property
    def complete(self) -> bool:
        return not self.missing


def months_ago(months: int, *, today: datetime.date | None = None) -> datetime.date:
    """The same day `months` calendar months before `today` (clamped to the month's end)."""
    today = today or timezone.localdate()
    index = today.year * 12 + (today.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def with_quality_facts(queryset: QuerySet[Actor]) -> QuerySet[Actor]:
    """Annotate what `completeness` needs to know about the actor's links, in the same query."""
    return queryset.annotate(
        has_sectors=Exists(Actor.sectors.through.objects.filter(actor_id=OuterRef("pk"))),
        has_offers=Exists(Actor.offers.through.objects.filter(actor_id=OuterRef("pk"))),
        has_seeks=Exists(Actor.seeks.through.objects.filter(actor_id=OuterRef("pk"))),
        has_contacts=Exists(ContactPerson.objects.filter(actor_id=OuterRef("pk"))),
    )


def _has(actor: Actor, relation: str) -> bool:
    annotated = getattr(actor, f"has_{relation}", None)
    if annotated is not None:
        return bool(annotated)
    cache = getattr(actor, "_prefetched_objects_cache", {})
    if relation in cache:
        return bool(len(cache[relation]))
    return getattr(actor, relation).exists()


def completeness(actor: Actor, *, today: datetime.date | None = None) -> Completeness:
    """The profile's score and what it lacks, most important first."""
    today = today or timezone.localdate()
    missing: list[Missing] = []

    def lack(code: str, label: str) -> None:
        weight, why = ITEMS[code]
        missing.append(Missing(code=code, label=label, why=str(why), weight=weight))

    # The publishing rule's own verdict: a Korean-only profile is complete in this respect too.
    problems = description_problems(
        description=actor.description, description_ko=actor.description_ko, published=True
    )
    if "description_ko" in problems:
        lack(
            "description",
            _("Korean description under %(minimum)d Hangul characters (%(count)d)")
            % {
                "minimum": KOREAN_DESCRIPTION_MIN_CHARS,
                "count": hangul_count(actor.description_ko),
            },
        )
    elif "description" in problems:
        words = word_count(actor.description)
        lack(
            "description",
            _("description under %(minimum)d words (%(words)d)")
            % {"minimum": DESCRIPTION_MIN_WORDS, "words": words},
        )
    if not _has(actor, "sectors"):
        lack("sectors", _("no sectors"))
    if not actor.keyword_list:
        lack("keywords", _("no keywords"))
    if not _has(actor, "offers"):
        lack("offers", _("no offered interests"))
    if not _has(actor, "seeks"):
        lack("seeks", _("no sought interests"))
    if not actor.website:
        lack("website", _("no website"))
    if not _has(actor, "contacts"):
        lack("contacts", _("no contact person"))
    if actor.last_verified is None:
        lack("verified", _("never verified"))
    elif actor.last_verified < months_ago(VERIFIED_WITHIN_MONTHS, today=today):
        lack(
            "verified",
            ngettext(
                "verified more than %(months)d month ago",
                "verified more than %(months)d months ago",
                VERIFIED_WITHIN_MONTHS,
            )
            % {"months": VERIFIED_WITHIN_MONTHS},
        )
    no_city = not actor.city.strip()
    no_point = actor.latitude is None or actor.longitude is None
    if no_city or no_point:
        label = (
            _("no city or coordinates")
            if no_city and no_point
            else (_("no city") if no_city else _("no coordinates"))
        )
        lack("location", label)
    if actor.side == Side.KR and actor.region_id is None:
        lack("region", _("Korean actor without region"))
    if not actor.source.strip():
        lack("source", _("no source"))
    missing.sort(key=lambda m: -m.weight)
    return Completeness(score=100 - sum(m.weight for m in missing), missing=tuple(missing))


def completeness_ranking(actors: Iterable[Actor]) -> list[tuple[Actor, Completeness]]:
    """Actors with their completeness, the least complete first (then by name)."""
    today = timezone.localdate()
    rows = [(a, completeness(a, today=today)) for a in actors]
    rows.sort(key=lambda row: (row[1].score, row[0].name.casefold()))
    return rows


def stale_profiles(*, months: int = VERIFIED_WITHIN_MONTHS) -> QuerySet[Actor]:
    """Published actors never verified or last verified more than `months` ago, oldest first."""
    cutoff = months_ago(months)
    return (
        Actor.objects.published()
        .filter(Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff))
        # Never verified first, then the longest unverified.
        .order_by(F("last_verified").asc(nulls_first=True), "name")
    )
