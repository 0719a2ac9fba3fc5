""" "More like this": the candidates of an organisation's ranking closest to one of them, each
with its own score for the organisation and what it shares with that one."""

from __future__ import annotations

from directory.models import Actor
from matching.engine import DEFAULT_WEIGHTS, Filters, Weights
from matching.explain import closeness
from matching.index import fresh_index_for
from matching.marks import known_partners, leaving_out
from matching.ranking import RankingRow, ranking_rows, reader_labels


def more_like_this(
    *,
    actor: Actor,
    like: Actor,
    weights: Weights = DEFAULT_WEIGHTS,
    filters: Filters = Filters(),  # noqa: B008 - frozen dataclass
    top: int = 10,
    hide_known_partners: bool = False,
) -> list[RankingRow]:
    """The candidates `actor` would see, closest to `like` first; what `actor` set aside (and
    its known partners, if hidden) left out, as in its ranking."""
    partners = known_partners(actor_id=actor.pk)
    filters = leaving_out(
        filters=filters,
        actor_id=actor.pk,
        set_aside=True,
        partners=partners if hide_known_partners else (),
    )
    index = fresh_index_for(actor_ids=[actor.pk, like.pk])
    matches = index.rank_like(actor.pk, like.pk, weights=weights, filters=filters, top=top)
    labels = reader_labels()
    return ranking_rows(
        matches,
        sentence=lambda m: closeness(m, like_name=like.name, labels=labels),
        partners=partners,
        labels=labels,
    )
