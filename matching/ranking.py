"""Rankings as the pages, exports and commands need them (the Django side of the engine)."""

from __future__ import annotations

from dataclasses import dataclass

from directory.models import Actor
from matching.engine import DEFAULT_WEIGHTS, Filters, Match, Weights
from matching.explain import explanation
from matching.index import fresh_index_for


@dataclass
class RankedActor:
    match: Match
    actor: Actor
    sentence: str

    @property
    def percent(self) -> int:
        return round(self.match.score * 100)

    # Pre-formatted figures: a ranking page shows 20 to 100 rows, and template filters
    # such as floatformat cost more than the ranking itself at that count.
    @property
    def place(self) -> str:
        actor = self.actor
        region = actor.region.name if actor.region_id else ""
        parts = [actor.city] if actor.city and actor.city != region else []
        parts.append(region or actor.country.name)
        return ", ".join(parts)

    @property
    def figures(self) -> list[tuple[str, str, str]]:
        m = self.match
        return [
            (label, f"{value:.3f}", f"{m.contributions[key]:.3f}")
            for label, value, key in (
                ("Text similarity", m.text, "text"),
                ("Shared sectors", m.sector, "sector"),
                ("Complementary interests", m.interest, "interest"),
            )
        ]

    @property
    def segments(self) -> list[tuple[str, float]]:
        return [
            (key, round(self.match.contributions[key] * 100, 1))
            for key in ("text", "sector", "interest")
        ]

    @property
    def terms(self) -> list[tuple[str, str]]:
        return [(t.term, f"{t.weight:.3f}") for t in self.match.shared_terms]


def actor_ranking(
    *,
    actor: Actor,
    weights: Weights = DEFAULT_WEIGHTS,
    filters: Filters = Filters(),  # noqa: B008 - frozen dataclass
    top: int = 20,
    explain: int = 20,
) -> list[RankedActor]:
    """The best partners for `actor`, best first, each with its explanation."""
    index = fresh_index_for(actor_ids=[actor.pk])
    matches = index.rank(actor.pk, weights=weights, filters=filters, top=top, explain=explain)
    # Only what a ranking row shows: descriptions are long and not displayed here.
    actors = (
        Actor.objects.select_related("region")
        .only("name", "acronym", "slug", "side", "kind", "city", "country", "status", "region")
        .in_bulk([m.key for m in matches])
    )
    return [
        RankedActor(match=m, actor=actors[m.key], sentence=explanation(m))
        for m in matches
        if m.key in actors  # deleted since the index was built
    ]


def match_as_dict(item: RankedActor) -> dict:
    m = item.match
    return {
        "rank": m.rank,
        "slug": m.slug,
        "name": m.name,
        "score": round(m.score, 4),
        "components": {
            "text": round(m.text, 4),
            "sector": round(m.sector, 4),
            "interest": round(m.interest, 4),
        },
        "contributions": {k: round(v, 4) for k, v in m.contributions.items()},
        "explanation": item.sentence,
        "shared_terms": [{"term": t.term, "weight": round(t.weight, 4)} for t in m.shared_terms],
        "shared_sectors": list(m.shared_sectors),
        "they_offer_you_seek": list(m.they_offer_you_seek),
        "you_offer_they_seek": list(m.you_offer_they_seek),
    }
