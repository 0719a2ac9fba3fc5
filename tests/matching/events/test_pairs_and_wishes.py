import numpy as np
import pytest
from django.core.exceptions import ValidationError

from matching.events.pairs import (
    LIKE_BONUS,
    MUST_BONUS,
    MUTUAL_MUST_BONUS,
    pair_matrix,
    wish_bonus,
)
from matching.events.wishes import counterparts, exclusion_add, wishes_set
from matching.index import current_index
from matching.models import Wish


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


def test_wishes_rank_mutual_must_then_one_sided_must_then_would_like():
    mutual = wish_bonus(eu_wish="must", kr_wish="must")
    one_sided = wish_bonus(eu_wish="must", kr_wish="")
    one_sided_liked = wish_bonus(eu_wish="must", kr_wish="like")
    both_like = wish_bonus(eu_wish="like", kr_wish="like")
    assert mutual == MUTUAL_MUST_BONUS
    assert mutual > one_sided_liked > one_sided == MUST_BONUS > both_like == 2 * LIKE_BONUS
    assert both_like + 1 < one_sided  # a score in [0, 1] never lifts a like above a must
    assert wish_bonus(eu_wish="must", kr_wish="not") is None


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
