import itertools

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from events.models import Wish
from events.pairs import MUTUAL_MUST_BONUS, pair_matrix
from events.wishes import counterparts, exclusion_add, wishes_set
from matching.index import current_index


def test_the_matrix_holds_the_ranking_score_of_every_pair(fair):
    matrix = pair_matrix(event=fair.event)
    assert [p.actor.slug for p in matrix.eu] == ["lyon-life", "turin-health"]
    assert [p.actor.slug for p in matrix.kr] == ["chuncheon-bio", "daegu-water", "gumi-mobile"]
    index = current_index()
    for i, eu in enumerate(matrix.eu):
        for j, kr in enumerate(matrix.kr):
            expected = index.pair(eu.actor_id, kr.actor_id).score
            assert matrix.scores[i, j] == pytest.approx(expected, abs=1e-5)
    # Each European cluster's best Korean pair is its obvious partner.
    assert matrix.kr[int(np.argmax(matrix.scores[0]))].actor.slug == "chuncheon-bio"
    assert matrix.kr[int(np.argmax(matrix.scores[1]))].actor.slug == "daegu-water"


# Bonus -> the (European wish, Korean wish) combinations worth it, strongest first, as the
# organiser's guide (docs/events.md, "Who should meet") lists them.
WISH_TIERS = [
    (100.0, [("must", "must")]),
    (11.0, [("must", "like"), ("like", "must")]),
    (10.0, [("must", ""), ("", "must")]),
    (2.0, [("like", "like")]),
    (1.0, [("like", ""), ("", "like")]),
    (0.0, [("", "")]),
]


def wish_pair(*, eu, kr, levels: tuple[str, str]) -> None:
    wishes_set(participant=eu, levels={kr.pk: levels[0]})
    wishes_set(participant=kr, levels={eu.pk: levels[1]})


def test_a_stronger_wish_outweighs_the_best_score_with_a_weaker_wish(fair):
    """What the scheduler maximises: Turin/Gumi (nothing in common) with any wish overtakes
    Lyon/Chuncheon (the best fit) with the next weaker one; a refusal rules a pair out."""
    eu, kr = pair_matrix(event=fair.event).position()
    best_fit = (eu[fair.lyon.pk], kr[fair.chuncheon_p.pk])
    no_fit = (eu[fair.turin.pk], kr[fair.gumi.pk])
    for (bonus, stronger_tier), (_, weaker_tier) in itertools.pairwise(WISH_TIERS):
        for stronger, weaker in itertools.product(stronger_tier, weaker_tier):
            wish_pair(eu=fair.turin, kr=fair.gumi, levels=stronger)
            wish_pair(eu=fair.lyon, kr=fair.chuncheon_p, levels=weaker)
            matrix = pair_matrix(event=fair.event)
            assert matrix.scores[no_fit] == 0 and matrix.scores[best_fit] > 0.3
            assert matrix.values[no_fit] == pytest.approx(bonus), stronger
            assert matrix.values[no_fit] > matrix.values[best_fit], (stronger, weaker)
    for refused in (("must", "not"), ("not", "must")):
        wish_pair(eu=fair.turin, kr=fair.gumi, levels=refused)
        matrix = pair_matrix(event=fair.event)
        assert not matrix.allowed[no_fit] and matrix.values[no_fit] == 0


def test_wishes_and_exclusions_shape_values_and_allowed_pairs(fair):
    wishes_set(participant=fair.turin, levels={fair.gumi.pk: "must"})
    wishes_set(participant=fair.gumi, levels={fair.turin.pk: "must"})
    wishes_set(participant=fair.chuncheon_p, levels={fair.lyon.pk: "not"})
    exclusion_add(event=fair.event, first=fair.daegu_p, second=fair.turin, reason="Same group")
    matrix = pair_matrix(event=fair.event)
    values, allowed = matrix.values, matrix.allowed
    eu, kr = matrix.position()
    assert values[eu[fair.turin.pk], kr[fair.gumi.pk]] >= MUTUAL_MUST_BONUS
    assert not allowed[eu[fair.lyon.pk], kr[fair.chuncheon_p.pk]]
    assert not allowed[eu[fair.turin.pk], kr[fair.daegu_p.pk]]
    assert values[eu[fair.lyon.pk], kr[fair.chuncheon_p.pk]] == 0


def test_wishes_are_set_changed_and_removed(fair):
    assert wishes_set(participant=fair.lyon, levels={fair.gumi.pk: "like"}) == 1
    assert wishes_set(participant=fair.lyon, levels={fair.gumi.pk: "like"}) == 0
    assert wishes_set(participant=fair.lyon, levels={fair.gumi.pk: "must"}) == 1
    assert Wish.objects.get(participant=fair.lyon).level == "must"
    assert wishes_set(participant=fair.lyon, levels={fair.gumi.pk: ""}) == 1
    assert not Wish.objects.exists()


def test_wishes_are_only_for_the_other_side_of_the_same_event(fair):
    with pytest.raises(ValidationError, match="European and a Korean"):
        wishes_set(participant=fair.lyon, levels={fair.turin.pk: "must"})
    with pytest.raises(ValidationError, match="is not a wish"):
        wishes_set(participant=fair.lyon, levels={fair.gumi.pk: "maybe"})
    assert not Wish.objects.exists()


def test_counterparts_are_the_other_sides_participants_best_first_with_reasons(fair):
    wishes_set(participant=fair.chuncheon_p, levels={fair.lyon.pk: "like"})
    ranked = counterparts(participant=fair.lyon)
    assert [c.participant.actor.slug for c in ranked][0] == "chuncheon-bio"
    assert {c.participant.actor.slug for c in ranked} == {
        "chuncheon-bio", "daegu-water", "gumi-mobile",
    }  # fmt: skip
    assert "vaccines" in ranked[0].sentence
    assert ranked[0].their_wish == "like"
