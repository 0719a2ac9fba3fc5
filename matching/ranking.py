"""Rankings as the pages, exports and commands need them (the Django side of the engine)."""

from __future__ import annotations

from dataclasses import dataclass

from directory.models import Actor, Interest, Sector
from matching.engine import DEFAULT_WEIGHTS, Filters, Match, Weights
from matching.explain import explanation
from matching.index import current_index


@dataclass
class RankedActor:
    match: Match
    actor: Actor
    sentence: str

    @property
    def percent(self) -> int:
        return round(self.match.score * 100)


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    return (
        dict(Sector.objects.values_list("code", "label")),
        dict(Interest.objects.values_list("code", "label")),
    )


def actor_ranking(
    *,
    actor: Actor,
    weights: Weights = DEFAULT_WEIGHTS,
    filters: Filters = Filters(),  # noqa: B008 - frozen dataclass
    top: int = 20,
    explain: int = 20,
) -> list[RankedActor]:
    """The best partners for `actor`, best first, each with its explanation."""
    index = current_index()
    sector_labels, interest_labels = _labels()
    matches = index.rank(
        actor.pk,
        weights=weights,
        filters=filters,
        top=top,
        explain=explain,
        sector_labels=sector_labels,
        interest_labels=interest_labels,
    )
    actors = Actor.objects.select_related("region").in_bulk([m.key for m in matches])
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
