"""The pair matrix: the ranking score of every European x Korean pair, and what a meeting is worth.

Scores come from one batched product over the ranking index (`PairScorer.scores` from
`matching.pairs`), never a loop of per-actor queries. Wishes then raise a pair's value so that
the scheduler serves mutual must-meets first, then one-sided must-meets, then would-likes. An
accepted meeting request counts as a must-meet of both sides, a declined one as never. The
event's lowest fit (`Event.min_fit`) keeps the scheduler from proposing pairs below it unless
one side asked for the meeting (`PairMatrix.proposable`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from events.models import (
    Event,
    Exclusion,
    MeetingRequest,
    Participant,
    ParticipantStatus,
    RequestStatus,
    Wish,
    WishLevel,
)
from matching.pairs import PairScorer, pair_scorer

# A pair's value = its score in [0, 1] + a bonus per wish. The steps are an order of magnitude
# apart so that wishes dominate scores and stronger wishes dominate weaker ones.
MUTUAL_MUST_BONUS = 100.0
MUST_BONUS = 10.0
LIKE_BONUS = 1.0


def accepted_participants(event: Event) -> tuple[list[Participant], list[Participant]]:
    participants = list(
        event.participants.filter(status=ParticipantStatus.ACCEPTED)
        .select_related("actor")
        .order_by("actor__name", "pk")
    )
    return (
        [p for p in participants if p.actor.side == "eu"],
        [p for p in participants if p.actor.side == "kr"],
    )


@dataclass
class PairMatrix:
    eu: list[Participant]
    kr: list[Participant]
    scores: np.ndarray  # (n_eu, n_kr) ranking scores in [0, 1]
    eu_wish: np.ndarray  # (n_eu, n_kr) what the European participant wants ('' for nothing)
    kr_wish: np.ndarray  # (n_eu, n_kr) what the Korean participant wants
    excluded: np.ndarray  # (n_eu, n_kr) bool, organisers' exclusions
    # The scorer the scores came from (None when a side is empty): meetings take their reasons
    # from it too, so that a schedule never mixes two directory versions nor asks for another.
    scorer: PairScorer | None = None
    requested: np.ndarray | None = None  # (n_eu, n_kr) bool, an accepted meeting request
    declined: np.ndarray | None = None  # (n_eu, n_kr) bool, a declined meeting request
    min_fit: int = 0  # the event's lowest fit proposed, 0-100 as on the pages

    def _mask(self, name: str) -> np.ndarray:
        mask = getattr(self, name)
        return np.zeros(self.scores.shape, dtype=bool) if mask is None else mask

    @property
    def values(self) -> np.ndarray:
        """Score plus wish bonus (see the module's constants), 0 for pairs that never meet.

        Both sides' must-meet, or an accepted meeting request, gives MUTUAL_MUST_BONUS,
        otherwise each must-meet adds MUST_BONUS and each would-like LIKE_BONUS.
        """
        eu_must, kr_must = self.eu_wish == WishLevel.MUST, self.kr_wish == WishLevel.MUST
        likes = (self.eu_wish == WishLevel.LIKE).astype(float) + (self.kr_wish == WishLevel.LIKE)
        bonus = MUST_BONUS * (eu_must.astype(float) + kr_must) + LIKE_BONUS * likes
        bonus[(eu_must & kr_must) | self._mask("requested")] = MUTUAL_MUST_BONUS
        values = self.scores.astype(np.float64) + bonus
        values[~self.allowed] = 0.0
        return values

    @property
    def allowed(self) -> np.ndarray:
        """Pairs that may meet: no "not interested", no exclusion, no declined request."""
        never = (self.eu_wish == WishLevel.NOT) | (self.kr_wish == WishLevel.NOT)
        return ~(never | self.excluded | self._mask("declined"))

    @property
    def asked(self) -> np.ndarray:
        """Pairs one side asked for: a must-meet or would-like wish, or an accepted request."""
        wished = (WishLevel.MUST, WishLevel.LIKE)
        return (
            np.isin(self.eu_wish, wished) | np.isin(self.kr_wish, wished) | self._mask("requested")
        )

    @property
    def below_fit(self) -> np.ndarray:
        """Pairs whose fit, rounded as the pages show it, is below the event's lowest fit."""
        return np.rint(self.scores.astype(np.float64) * 100) < self.min_fit

    @property
    def proposable(self) -> np.ndarray:
        """Pairs the scheduler may propose: allowed, and at or above the lowest fit unless one
        side asked for the meeting. Organisers may still place the others by hand."""
        return self.allowed & (self.asked | ~self.below_fit)

    def position(self) -> tuple[dict[int, int], dict[int, int]]:
        return (
            {p.pk: i for i, p in enumerate(self.eu)},
            {p.pk: j for j, p in enumerate(self.kr)},
        )


def pair_matrix(*, event: Event) -> PairMatrix:
    eu, kr = accepted_participants(event)
    n, m = len(eu), len(kr)
    scores = np.zeros((n, m), dtype=np.float32)
    scorer = None
    if n and m:
        scorer = pair_scorer(actor_ids=[p.actor_id for p in eu + kr])
        scores = scorer.scores([p.actor_id for p in eu], [p.actor_id for p in kr])
    matrix = PairMatrix(
        eu=eu,
        kr=kr,
        scores=scores,
        eu_wish=np.full((n, m), "", dtype=object),
        kr_wish=np.full((n, m), "", dtype=object),
        excluded=np.zeros((n, m), dtype=bool),
        scorer=scorer,
        requested=np.zeros((n, m), dtype=bool),
        declined=np.zeros((n, m), dtype=bool),
        min_fit=event.min_fit,
    )
    eu_at, kr_at = matrix.position()
    for participant_id, target_id, level in Wish.objects.filter(
        participant__event=event
    ).values_list("participant_id", "target_id", "level"):
        if participant_id in eu_at and target_id in kr_at:
            matrix.eu_wish[eu_at[participant_id], kr_at[target_id]] = level
        elif participant_id in kr_at and target_id in eu_at:
            matrix.kr_wish[eu_at[target_id], kr_at[participant_id]] = level
    for eu_id, kr_id in Exclusion.objects.filter(event=event).values_list("eu_id", "kr_id"):
        if eu_id in eu_at and kr_id in kr_at:
            matrix.excluded[eu_at[eu_id], kr_at[kr_id]] = True
    answered = MeetingRequest.objects.filter(
        event=event, status__in=(RequestStatus.ACCEPTED, RequestStatus.DECLINED)
    ).values_list("sender_id", "receiver_id", "status")
    for sender_id, receiver_id, status in answered:
        if sender_id in eu_at and receiver_id in kr_at:
            at = eu_at[sender_id], kr_at[receiver_id]
        elif sender_id in kr_at and receiver_id in eu_at:
            at = eu_at[receiver_id], kr_at[sender_id]
        else:
            continue
        (matrix.requested if status == RequestStatus.ACCEPTED else matrix.declined)[at] = True
    return matrix
